# The whole course's content, loaded once, and the checks that keep it honest.
"""Load rules, exercises and quizzes together, and check them against each other.

`Course.load` stops at nothing: it collects every content problem it meets, so
`quizkit check` and the MkDocs plugin can report them all as `file:line: message`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from quizkit.errors import ContentError, ContentProblem
from quizkit.grader import grade
from quizkit.load import DEFAULT_RULES, exercise_folders, load_exercise, load_quiz, load_rules, quiz_files, read_yaml
from quizkit.quiz import compile_quiz, key_problems

if TYPE_CHECKING:
    from pathlib import Path

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

    @classmethod
    def load(cls, root: Path, rules_path: Path | None = None) -> Course:
        """Load everything under `root` (the `exercises/` folder); problems are collected, not raised."""
        rules_path = rules_path or DEFAULT_RULES
        rules = load_rules(rules_path)  # without rules nothing else can be checked: this one raises
        course = cls(rules=rules, rules_path=rules_path, root=root)
        for folder in exercise_folders(root):
            course._add("exercise", folder / "exercise.yml", lambda folder=folder: load_exercise(folder))
        for path in quiz_files(root):
            course._add("quiz", path, lambda path=path: load_quiz(path))
        for quiz_id, quiz in course.quizzes.items():
            path = course.files[f"quiz:{quiz_id}"]
            try:
                course.compiled_quizzes[quiz_id] = compile_quiz(quiz, rules)
            except ContentError as exc:
                course.problems.append(read_yaml(path).locate(exc).problem())
        return course

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
    document = read_yaml(path)

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
        document = read_yaml(course.files[f"quiz:{quiz_id}"])
        problems.extend(document.locate(error).problem() for error in key_problems(quiz, course.rules))
    return sorted(problems, key=lambda p: (p.file, p.line, p.message))
