# The whole course's content, loaded once, and the checks that keep it honest.
"""Load rules, exercises and quizzes together, and check them against each other.

`Course.load` stops at nothing: it collects every content problem it meets, so
`quizkit check` and the MkDocs plugin can report them all as `file:line: message`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizkit.errors import ContentError, ContentProblem, QuizkitError
from quizkit.grader import grade
from quizkit.load import (
    DEFAULT_RULES,
    EXERCISE_FILE,
    Document,
    exercise_folders,
    load_exercise,
    load_quiz,
    load_rules,
    quiz_files,
    read_yaml,
)
from quizkit.quiz import compile_quiz, key_problems, position_problems

if TYPE_CHECKING:
    from quizkit.exercise import Exercise
    from quizkit.model import Rules
    from quizkit.quiz import Quiz


@dataclass
class Course:
    """Rules, exercises and quizzes of one course, by id."""

    rules: Rules
    rules_path: Path
    root: Path
    exercises: dict[str, Exercise] = field(default_factory=dict)
    quizzes: dict[str, Quiz] = field(default_factory=dict)
    compiled_quizzes: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    """`exercise:<id>` / `quiz:<id>` -> the file it came from."""
    problems: list[ContentProblem] = field(default_factory=list)
    documents: dict[Path, Document] = field(default_factory=dict, repr=False)
    """Each YAML file parsed once, for loading and then for locating the checks' problems."""

    @classmethod
    def load(cls, root: Path, rules_path: Path | None = None) -> Course:
        """Load everything under `root` (the `exercises/` folder); problems are collected, not raised."""
        rules_path = rules_path or DEFAULT_RULES
        rules = load_rules(rules_path)  # without rules nothing else can be checked: this one raises
        course = cls(rules=rules, rules_path=rules_path, root=root)
        for folder in exercise_folders(root):
            path = folder / EXERCISE_FILE
            course._add("exercise", path, lambda folder=folder, path=path: load_exercise(folder, course.document(path)))
        for path in quiz_files(root):
            course._add("quiz", path, lambda path=path: load_quiz(path, course.document(path)))
        for quiz_id, quiz in course.quizzes.items():
            path = course.files[f"quiz:{quiz_id}"]
            try:
                course.compiled_quizzes[quiz_id] = compile_quiz(quiz, rules)
            except ContentError as exc:
                course.problems.append(course.document(path).locate(exc).problem())
        return course

    def document(self, path: Path) -> Document:
        """The parsed YAML file at `path`, read once per course."""
        if path not in self.documents:
            self.documents[path] = read_yaml(path)
        return self.documents[path]

    def _add(self, kind: str, path: Path, loader: Any) -> None:
        try:
            item = loader()
        except ContentError as exc:
            self.problems.append(exc.problem())
            return
        table: dict[str, Any] = self.exercises if kind == "exercise" else self.quizzes
        if item.id in table:
            first = self.files[f"{kind}:{item.id}"]
            self.problems.append(ContentProblem(f"duplicate {kind} id '{item.id}' (first defined in {first})", str(path), 1))
            return
        table[item.id] = item
        self.files[f"{kind}:{item.id}"] = path

    def exercise(self, exercise_id: str) -> Exercise:
        """The exercise with this id; KeyError suggests close ids."""
        return _lookup(self.exercises, exercise_id, "exercise")  # type: ignore[no-any-return]

    def quiz(self, quiz_id: str) -> Quiz:
        """The quiz with this id; KeyError suggests close ids."""
        return _lookup(self.quizzes, quiz_id, "quiz")  # type: ignore[no-any-return]


def _lookup(table: dict[str, Any], key: str, kind: str) -> Any:
    if key in table:
        return table[key]
    import difflib  # noqa: PLC0415 - only on the error path

    close = difflib.get_close_matches(key, list(table), n=3, cutoff=0.4)
    hint = f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(sorted(table))}"
    raise KeyError(f"unknown {kind} '{key}'{hint}")


def _exercise_problems(course: Course, exercise: Exercise) -> list[ContentProblem]:
    path = course.files[f"exercise:{exercise.id}"]
    document = course.document(path)

    def problem(message: str, *where: str | int) -> ContentProblem:
        return ContentProblem(message, str(path), document.line(where))

    problems = []
    solved = grade(exercise, exercise.solution, course.rules)
    if not solved.passed:
        failing = [c for c in solved.checks if not c.passed]
        detail = solved.error.message if solved.error else "; ".join(f"{c.id}: {c.message}" for c in failing)
        problems.append(problem(f"the solution does not pass: {detail or solved.internal}", "solution"))
    started = grade(exercise, exercise.starter, course.rules)
    if started.passed:
        problems.append(problem("the starter passes every check: learners would have nothing to do", "starter"))
    for i, wrong in enumerate(exercise.wrong):
        result = grade(exercise, wrong.source, course.rules)
        named = next((c for c in result.checks if not c.passed), None)
        if result.passed:
            problems.append(problem(f"known-wrong attempt {wrong.file} passes every check", "wrong", i))
        elif named is None or named.id != wrong.fails:
            why = result.error.message if result.error else ", ".join(c.id for c in result.checks if not c.passed)
            problems.append(problem(f"known-wrong attempt {wrong.file} should fail '{wrong.fails}' but fails for another "
                                    f"reason ({why})", "wrong", i))
        elif named.misconception != wrong.message:
            problems.append(problem(f"known-wrong attempt {wrong.file} fails '{wrong.fails}' but the learner would see "
                                    f"another message: {named.misconception or '(none)'}", "wrong", i))
    return problems


def check_course(course: Course) -> list[ContentProblem]:
    """Every problem of the course: loading, solutions, starters, wrong attempts, quiz keys."""
    problems = list(course.problems)
    for exercise in course.exercises.values():
        problems.extend(_exercise_problems(course, exercise))
    for quiz_id, quiz in course.quizzes.items():
        document = course.document(course.files[f"quiz:{quiz_id}"])
        problems.extend(document.locate(error).problem() for error in key_problems(quiz, course.rules))
        if quiz_id in course.compiled_quizzes:
            problems.extend(document.locate(error).problem()
                            for error in position_problems(quiz, course.compiled_quizzes[quiz_id]))
    return sorted(problems, key=lambda p: (p.file, p.line, p.message))


# ---------------------------------------------------------------- where the content is

CONTENT_ENV = "QUIZKIT_CONTENT"
"""Environment variable naming the course's `exercises` folder."""
CONTENT_DIR = "exercises"


class ContentNotFoundError(QuizkitError):
    """No course content where we looked; the message says where that was and how to point at it."""

    def __init__(self, message: str, *, looked_in: Path, env: str | None = None) -> None:
        super().__init__(message)
        self.looked_in = looked_in
        self.env = env


def _holds_exercises(folder: Path) -> bool:
    return folder.is_dir() and next(folder.rglob(EXERCISE_FILE), None) is not None


def find_content(start: Path | None = None) -> Path:
    """The course's content folder, for commands and notebooks run from anywhere in (or outside) the course.

    Args:
        start: Where to start looking; the current directory by default.

    Returns:
        The folder named by `QUIZKIT_CONTENT` (its `exercises` subfolder when it has one), else the
        first folder named `exercises` holding `exercise.yml` files at or above `start`,
        or beside one of its parents.

    Raises:
        ContentNotFoundError: Nothing was found; `looked_in` is where the search started.
    """
    env = os.environ.get(CONTENT_ENV)
    if env:
        path = Path(env).expanduser().resolve()
        for candidate in (path / CONTENT_DIR, path):
            if _holds_exercises(candidate):
                return candidate
        raise ContentNotFoundError(f"{CONTENT_ENV} is set to {env!r}, but that folder holds no {EXERCISE_FILE} files: "
                                   f"set it to the course's `{CONTENT_DIR}` folder.", looked_in=path, env=env)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if folder.name == CONTENT_DIR and _holds_exercises(folder):
            return folder
        if _holds_exercises(folder / CONTENT_DIR):
            return folder / CONTENT_DIR
    raise ContentNotFoundError(f"The course's exercises were not found from {here}: no `{CONTENT_DIR}` folder holding "
                               f"{EXERCISE_FILE} files there or in a folder above it.", looked_in=here)
