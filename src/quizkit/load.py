# YAML -> core models, with `file:line` for every content error.
"""The only module of the package that imports yaml.

YAML is parsed once to a node graph, which gives both the plain data and a table of
line numbers keyed by the path of each value. Models are built by their `from_data`
constructors, which raise `ContentError` with a path; here the path becomes a file and
a line.

Content is authored by hand, so the loader refuses what the course never needs and
what would only hide a mistake or stall a build: text that is not UTF-8, nesting
deeper than `MAX_DEPTH`, anchors and aliases (no "billion laughs"), and a key given
twice in one mapping (YAML would keep the last one silently). libyaml scans and parses
when it is installed (several times faster); composing, these checks and building the
data are PyYAML's Python code either way, so both give the same data and lines.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from quizkit.errors import ContentError
from quizkit.exercise import Exercise
from quizkit.model import Rules
from quizkit.quiz import Quiz

if TYPE_CHECKING:
    from collections.abc import Callable

DEFAULT_RULES = Path(__file__).parent / "data" / "connects-rules.yml"
MAX_DEPTH = 100
"""Deepest nesting of lists and mappings allowed in a content file (the course needs under 10)."""

Lines = dict[tuple[str | int, ...], int]
_MERGE = "tag:yaml.org,2002:merge"


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that content may not use; its `problem` is the whole message."""


class _NoDatesResolver(Resolver):
    """Keeps dates as text: JSON and Pyodide get exactly what was written."""


_NoDatesResolver.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in Resolver.yaml_implicit_resolvers.items()
}


class _CheckingComposer(Composer):
    """Refuses anchors, aliases and deep nesting while the node graph is built, before any of it is expanded."""

    _depth = 0
    peek_event: Callable[[], Any]  # from the parser it is mixed with (libyaml or PyYAML)

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:  # type: ignore[override]
        event = self.peek_event()
        mark: Any = event.start_mark  # PyYAML's Mark or libyaml's, alike
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(problem="YAML aliases (&anchor / *alias) are not allowed", problem_mark=mark)
        if self._depth >= MAX_DEPTH and isinstance(event, yaml.CollectionStartEvent):
            raise _Refused(problem=f"nested too deeply (more than {MAX_DEPTH} levels of lists and mappings)",
                           problem_mark=mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)  # type: ignore[no-any-return]
        finally:
            self._depth -= 1


class _StrictConstructor(SafeConstructor):
    """SafeConstructor that refuses a key given twice in one mapping instead of keeping the last."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:  # type: ignore[override]
        if isinstance(node, yaml.MappingNode):
            first: dict[Any, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == _MERGE:
                    continue
                key = self.construct_object(key_node, deep=deep)
                try:
                    if key in first:
                        raise _Refused(problem=f"duplicate key {key!r} (first at line {first[key]})",
                                       problem_mark=key_node.start_mark)
                    first[key] = key_node.start_mark.line + 1
                except TypeError:  # an unhashable key: the base class explains it
                    continue
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        """An integer, or a located refusal where Python will not make one that long (4300 digits by default)."""
        try:
            return super().construct_yaml_int(node)  # type: ignore[no-any-return]
        except ValueError:
            raise _Refused(problem=f"the number is too long ({len(node.value)} characters)",
                           problem_mark=node.start_mark) from None


_StrictConstructor.add_constructor("tag:yaml.org,2002:int", _StrictConstructor.construct_yaml_int)  # type: ignore[type-var]


class _Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, _CheckingComposer, _StrictConstructor,
              _NoDatesResolver):
    """PyYAML's pure-Python loader with the checks above."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        _CheckingComposer.__init__(self)
        _StrictConstructor.__init__(self)
        _NoDatesResolver.__init__(self)


LOADER: type[Any] = _Loader
"""The loader `read_yaml` uses: libyaml's parser when PyYAML has it, else PyYAML's own."""

if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    class _CLoader(_CheckingComposer, CParser, _StrictConstructor, _NoDatesResolver):
        """libyaml's scanner and parser under the same Python composer, checks and constructor."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _CheckingComposer.__init__(self)
            _StrictConstructor.__init__(self)
            _NoDatesResolver.__init__(self)

    LOADER = _CLoader


def _lines(root: yaml.Node, table: Lines) -> None:
    """Fill `table` with the line of every value under `root`; a loop, not recursion, so depth costs no stack."""
    todo: list[tuple[yaml.Node, tuple[str | int, ...]]] = [(root, ())]
    while todo:
        node, path = todo.pop()
        table.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode):  # `? [a, b]`: valid YAML, but no field is named so
                    raise _Refused(problem="a key must be a name, not a list or a mapping", problem_mark=key.start_mark)
                where = (*path, key.value)
                table[where] = key.start_mark.line + 1  # a key's line, not its value's: `key:` then a block
                todo.append((value, where))
        elif isinstance(node, yaml.SequenceNode):
            todo.extend((item, (*path, index)) for index, item in enumerate(node.value))


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


def read_text(path: Path) -> str:
    """A content file's text; unreadable or non-UTF-8 files become a located `ContentError`."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError(f"cannot read file: {exc.strerror}", file=str(path), line=0) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ContentError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at line {line}, column {column}): "
                           "save the file as UTF-8", file=str(path), line=line) from None


_HINTS = (
    ("tab", "indent with spaces: YAML does not allow tabs there"),
    ("'\\t'", "indent with spaces: YAML does not allow tabs there"),
    ("mapping values are not allowed", ("check this line and the one before: each field is “name: value” on a line of "
                                        "its own, indented like its neighbours, and a value that holds “: ” needs quotes")),
    ("expected ',' or ']'", "close the list with “]” and put commas between its items"),
    ("expected ',' or '}'", "close the braces with “}” and put commas between the fields inside"),
    ("could not find expected ':'", "write each field as “name: value”, with a space after the colon"),
    ("expected <block end>", "check the indentation: fields of the same level start in the same column"),
    ("did not find expected key", "check the indentation: fields of the same level start in the same column"),
)
"""A plain hint after PyYAML's own words, by what its message says: the usual causes in a hand-written file."""
_HINT = "check the indentation (spaces, not tabs) and that each field reads “name: value”, with a space after the colon"


def _hint(problem: str) -> str:
    """`; <hint>` for a YAML syntax error: PyYAML's words name the parser's state, not what to change."""
    return "; " + next((hint for words, hint in _HINTS if words in problem), _HINT)


def _yaml_error(path: Path, text: str, exc: yaml.YAMLError) -> ContentError:
    """A PyYAML or libyaml error as `file:line: message`."""
    if isinstance(exc, _Refused):
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        return ContentError(str(exc.problem), file=str(path), line=line)
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        started = exc.context_mark.line + 1 if exc.context_mark and exc.context else 0
        context = f" ({exc.context} on line {started})" if started and started != line else ""
        return ContentError(f"YAML error: {exc.problem or exc}{context}{_hint(str(exc.problem or exc))}", file=str(path),
                            line=line)
    if isinstance(exc, yaml.reader.ReaderError):
        # PyYAML counts characters, libyaml bytes of the UTF-8 text.
        before = text[: exc.position] if isinstance(exc.character, str) else text.encode()[: exc.position].decode(errors="ignore")
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return ContentError(f"YAML error: character #x{code:04x} is not allowed in YAML text ({exc.reason})",
                            file=str(path), line=before.count("\n") + 1)
    return ContentError(f"YAML error: {exc}", file=str(path), line=0)


def read_yaml(path: Path) -> Document:
    """Parse a YAML content file; every way it can be wrong becomes a located `ContentError`."""
    text = read_text(path)
    try:
        loader = LOADER(text)  # PyYAML's reader refuses control characters here
    except yaml.YAMLError as exc:
        raise _yaml_error(path, text, exc) from None
    try:
        node = loader.get_single_node()
        lines: Lines = {}
        if node is None:
            return Document(path, None, lines)
        _lines(node, lines)  # before constructing: merge keys (`<<`) rewrite the mapping nodes
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise _yaml_error(path, text, exc) from None
    finally:
        loader.dispose()
    return Document(path, data, lines)


def load_rules(path: Path | None = None) -> Rules:
    """Load and validate the rules file (the course's own by default)."""
    document = read_yaml(path or DEFAULT_RULES)
    try:
        return Rules.from_data(document.data)
    except ContentError as exc:
        raise document.locate(exc) from None


EXERCISE_FILE = "exercise.yml"


def load_exercise(folder: Path, document: Document | None = None) -> Exercise:
    """Load one exercise folder: `exercise.yml` (or its already parsed `document`) and the files it names."""
    document = document or read_yaml(folder / EXERCISE_FILE)
    files = {
        str(path.relative_to(folder)): read_text(path)
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


def load_quiz(path: Path, document: Document | None = None) -> Quiz:
    """Load and validate one quiz file (or its already parsed `document`)."""
    document = document or read_yaml(path)
    try:
        return Quiz.from_data(document.data)
    except ContentError as exc:
        raise document.locate(exc) from None


def quiz_files(root: Path) -> list[Path]:
    """Every quiz file of a course's content folder."""
    return sorted((root / QUIZ_DIR).glob("*.yml"))
