# YAML -> core models, with `file:line` for every content error.
"""The only module of the package that imports yaml.

YAML is parsed to plain data and, alongside, to a table of line numbers keyed by
the path of each value. Models are built by their `from_data` constructors, which
raise `ContentError` with a path; here the path becomes a file and a line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from quizkit.errors import ContentError
from quizkit.exercise import Exercise
from quizkit.model import Rules
from quizkit.quiz import Quiz

DEFAULT_RULES = Path(__file__).parent / "data" / "connects-rules.yml"

Lines = dict[tuple[str | int, ...], int]


class _NoDatesLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text: JSON and Pyodide get exactly what was written."""


_NoDatesLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _lines(node: yaml.Node, path: tuple[str | int, ...], table: Lines) -> None:
    table[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            table[(*path, key.value)] = key.start_mark.line + 1
            _lines(value, (*path, key.value), table)
            table[(*path, key.value)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _lines(item, (*path, index), table)


class Document:
    """Parsed YAML with the line of every value, to locate content errors."""

    def __init__(self, path: Path, data: Any, lines: Lines) -> None:
        self.path = path
        self.data = data
        self.lines = lines

    def line(self, where: tuple[str | int, ...]) -> int:
        """The line of the deepest known value on `where`."""
        for end in range(len(where), -1, -1):
            if where[:end] in self.lines:
                return self.lines[where[:end]]
        return 1

    def locate(self, error: ContentError) -> ContentError:
        """`error` with this document's file and the line of its path."""
        if error.file != "<data>":
            return error
        return ContentError(error.message, path=error.path, file=str(self.path), line=self.line(error.path))


def read_yaml(path: Path) -> Document:
    """Parse a YAML file; a syntax error becomes a located `ContentError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ContentError(f"cannot read file: {exc.strerror}", file=str(path), line=0) from None
    try:
        node = yaml.compose(text, Loader=_NoDatesLoader)
        data = yaml.load(text, Loader=_NoDatesLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        started = exc.context_mark.line + 1 if exc.context_mark and exc.context else 0
        context = f" ({exc.context} on line {started})" if started and started != line else ""
        raise ContentError(f"YAML error: {exc.problem or exc}{context}", file=str(path), line=line) from None
    except yaml.YAMLError as exc:
        raise ContentError(f"YAML error: {exc}", file=str(path), line=0) from None
    lines: Lines = {}
    if node is not None:
        _lines(node, (), lines)
    return Document(path, data, lines)


def load_rules(path: Path | None = None) -> Rules:
    """Load and validate the rules file (the course's own by default)."""
    document = read_yaml(path or DEFAULT_RULES)
    try:
        return Rules.from_data(document.data)
    except ContentError as exc:
        raise document.locate(exc) from None


EXERCISE_FILE = "exercise.yml"


def load_exercise(folder: Path) -> Exercise:
    """Load one exercise folder: `exercise.yml` and the files it names."""
    document = read_yaml(folder / EXERCISE_FILE)
    files = {
        str(path.relative_to(folder)): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.suffix in {".py", ".md"}
    }
    try:
        return Exercise.from_data(document.data, files, source_dir=str(folder))
    except ContentError as exc:
        raise document.locate(exc) from None


def exercise_folders(root: Path) -> list[Path]:
    """Every folder under `root` holding an `exercise.yml`, in a stable order."""
    return sorted(path.parent for path in root.rglob(EXERCISE_FILE))


QUIZ_DIR = "quizzes"


def load_quiz(path: Path) -> Quiz:
    """Load and validate one quiz file."""
    document = read_yaml(path)
    try:
        return Quiz.from_data(document.data)
    except ContentError as exc:
        raise document.locate(exc) from None


def quiz_files(root: Path) -> list[Path]:
    """Every quiz file of a course's content folder."""
    return sorted((root / QUIZ_DIR).glob("*.yml"))
