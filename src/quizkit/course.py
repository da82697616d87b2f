# The whole course's content, loaded once, and the checks that keep it honest.
"""Load rules, exercises and quizzes together, and check them against each other.

`Course.load` stops at nothing: it collects every content problem it meets, so
`quizkit check` and the MkDocs plugin can report them all as `file:line: message`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizkit.check_cache import cached_problems
from quizkit.cues import echo_problems
from quizkit.deadline import Deadline
from quizkit.errors import ContentError, ContentProblem, QuizkitError
from quizkit.expressions import TEMPLATE, ExpressionError, evaluate, figures_read, render, substitute
from quizkit.fences import fence_lines
from quizkit.grader import Grade, case_args, expected_answers, grade, observe_here, other_figures, plan
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
from quizkit.page_markdown import fragment_problems, process
from quizkit.quiz import (
    compile_quiz,
    count_problems,
    key_problems,
    length_problems,
    position_problems,
    prose_count_problems,
    question_texts,
    true_false_key_problems,
    verdict_problems,
)
from quizkit.stated import given_in, stated_rules
from quizkit.typed import scan, typed_marks

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from quizkit.exercise import Exercise
    from quizkit.model import Rules
    from quizkit.page_markdown import EmbedKind
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
            course._add("exercise", path, lambda folder=folder, path=path: resolve_exercise(
                load_exercise(folder, course.document(path)), rules))
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

    def embed_error(self, kind: EmbedKind, item_id: str) -> str | None:
        """None when a page may embed this widget, else what to tell the author (close ids suggested)."""
        if kind == "activity":
            return None if self.rules.profile_sections else "{{ activity() }} needs profile_sections in the rules"
        if kind == "progress":
            return None
        try:
            self.quiz(item_id) if kind == "quiz" else self.exercise(item_id)
        except KeyError as exc:
            return str(exc.args[0])
        return None


def _lookup(table: dict[str, Any], key: str, kind: str) -> Any:
    if key in table:
        return table[key]
    import difflib  # noqa: PLC0415 - only on the error path

    close = difflib.get_close_matches(key, list(table), n=3, cutoff=0.4)
    hint = f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(sorted(table))}"
    raise KeyError(f"unknown {kind} '{key}'{hint}")


_WRONG_WHEN = re.compile(r"^#\s*quizkit:\s*wrong-when\s+(?P<expr>.+?)\s*$", re.MULTILINE)
"""First-line mark of a known-wrong attempt that is wrong only under some rules: `# quizkit: wrong-when <expression>`."""


def _code(text: str, rules: Rules) -> str:
    """Code with `{{ expression }}` replaced by the value's Python literal (`19.99`, `True`)."""
    return TEMPLATE.sub(lambda match: repr(evaluate(match.group(1), rules)), text)


def resolve_exercise(exercise: Exercise, rules: Rules) -> Exercise:
    """The exercise under `rules`: figures filled into known-wrong code and messages, inapplicable attempts dropped.

    A known-wrong attempt that types a figure writes `{{ figure.id }}`, so it types today's
    figure whatever the rules say; one that is wrong only under some rules (charging a
    boost bid that today's rules do not charge) says so on its first line with
    `# quizkit: wrong-when <expression>` and is left out when the expression is false.
    """
    wrong = []
    try:
        for attempt in exercise.wrong:
            when = _WRONG_WHEN.search(attempt.source)
            if when and not evaluate(when.group("expr"), rules):
                continue
            message = substitute(attempt.message, rules, labelled=True)  # the reader sees it: figures carry their month
            wrong.append(replace(attempt, source=_code(attempt.source, rules), message=message))
        checks = tuple(replace(check, message=substitute(check.message, rules, labelled=True)) for check in exercise.checks)
    except ExpressionError as exc:
        raise ContentError(f"in a known-wrong attempt or message: {exc}", path=("wrong",)) from None
    return replace(exercise, wrong=tuple(wrong), checks=checks)


def _exercise_problems(course: Course, exercise: Exercise) -> list[ContentProblem]:
    path = course.files[f"exercise:{exercise.id}"]
    document = course.document(path)

    def problem(message: str, *where: str | int) -> ContentProblem:
        return ContentProblem(message, str(path), document.line(where))

    problems = [problem(message, "checks", i, "changed") for i, message in _changed_problems(course.rules, exercise)]
    if problems:
        return problems  # grading would run the code under figures that do not exist
    limit = f"did not finish within {exercise.timeout_s:g} s, the exercise's time limit (`timeout_s`): does it loop for ever?"
    solved = _graded_in_time(exercise, exercise.solution, course)
    if solved is None:
        problems.append(problem(f"the solution {limit}", "solution"))
    elif isinstance(solved, Grade) and not solved.passed:
        failing = [c for c in solved.checks if not c.passed]
        detail = solved.error.message if solved.error else "; ".join(f"{c.id}: {c.message}" for c in failing)
        problems.append(problem(f"the solution does not pass: {detail or solved.internal}", "solution"))
    started = _graded_in_time(exercise, exercise.starter, course)
    if started is None:
        # The page grades the starter ahead of the reader (its warm-up), with no time limit of its own.
        problems.append(problem(f"the starter {limit}", "starter"))
    elif isinstance(started, Grade) and started.passed:
        problems.append(problem("the starter passes every check: learners would have nothing to do", "starter"))
    declared = [w.get("file") if isinstance(w, dict) else None for w in _list(document.data, "wrong")]
    for wrong in exercise.wrong:
        i = declared.index(wrong.file) if wrong.file in declared else 0
        result = _graded_in_time(exercise, wrong.source, course)
        if result is None:
            problems.append(problem(f"known-wrong attempt {wrong.file} {limit}", "wrong", i))
        if not isinstance(result, Grade):
            continue
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


UNJUDGED = object()
"""`_graded_in_time` of code that ends, but whose grading did not: it ran a known-wrong attempt that never ends."""


def _graded_in_time(exercise: Exercise, source: str, course: Course) -> Grade | object | None:
    """`grade` of author code, or None when it runs past the exercise's time limit (interrupted, as the page's Stop does).

    Grading failing code also runs the known-wrong attempts, to name its mistake: when one of those never ends,
    the code itself still does (UNJUDGED), and only that attempt is to blame (its own grading says so).
    """
    graded = None
    with Deadline(exercise.timeout_s) as limit:  # an interrupt that escapes the grader ends the block here
        graded = grade(exercise, source, course.rules)
    if not limit.expired:
        return graded
    with Deadline(exercise.timeout_s) as alone:
        observe_here(course.rules, source, plan(course.rules, exercise))
    return None if alone.expired else UNJUDGED


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "a yes/no"
    if isinstance(value, int | float):
        return "a number"
    return "a list" if isinstance(value, list) else type(value).__name__


def _whole_kind(value: object) -> str:
    """What a value that should be a whole number is instead."""
    if isinstance(value, float):
        return "a fraction"
    return "text" if isinstance(value, str) else _kind(value)


def _changed_problems(rules: Rules, exercise: Exercise) -> list[tuple[int, str]]:
    """What is wrong with a `reads_rules` check's `changed` figures, with the check's index.

    Each must be a figure, of today's kind, or a profile section's weight (a whole number, `section_weight_key`);
    together they must change an answer, or they test nothing.
    """
    found: list[tuple[int, str]] = []
    with_changed = [i for i, check in enumerate(exercise.checks) if check.changed]
    found += [(i, "changed: only one check of an exercise may run it again under other figures") for i in with_changed[1:]]
    for i, check in enumerate(exercise.checks):
        if not check.changed or found:
            continue
        for figure_id, value in check.changed:
            if rules.section_weight(figure_id) is not None:
                if isinstance(value, bool) or not isinstance(value, int):
                    found.append((i, f"changed: {figure_id} is a whole number, not {_whole_kind(value)}"))
            elif figure_id not in rules.figures:
                found.append((i, f"changed: unknown rule '{figure_id}'"))
            elif _kind(value) != _kind(rules.value(figure_id)):
                found.append((i, f"changed: {figure_id} is {_kind(rules.value(figure_id))}, not {_kind(value)}"))
        function_checks = [c for c in exercise.checks if c.kind == "function"]
        if not function_checks:
            found.append((i, "changed: the exercise has no function check to run again"))
        if found:
            return found
        args = {c.id: case_args(rules, c) for c in function_checks}
        other = rules.changed(other_figures(rules, check))
        if expected_answers(exercise, rules, args) == expected_answers(exercise, other, args):
            found.append((i, "changed: these figures give today's answer to every call, so they cannot show typed figures"))
    return found


def _list(data: object, key: str) -> list[Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


def _typed(text: object, rules: Rules, file: Path, line: int, *, multiline: bool = False) -> list[ContentProblem]:
    """Problems for figures typed in `text`; `line` is where it starts (YAML values are reported at their key)."""
    if not isinstance(text, str):
        return []
    def at(hit_line: int) -> int:
        return line + (hit_line - 1 if multiline else 0)

    return [*(ContentProblem(f"types a plan figure: {hit.message()}", str(file), at(hit.line)) for hit in scan(text, rules)),
            *(ContentProblem(f"types a figure's month and confidence by hand, '{mark}': write the figure as a rule "
                             "expression ({{ figure.id }}) and the course adds its marker", str(file), at(mark_line))
              for mark_line, mark in typed_marks(text))]


def _stated(text: object, rules: Rules, file: Path, line: int, *, multiline: bool = False,
            covered: Iterable[str] = (), quiz: bool = False) -> list[ContentProblem]:
    """Problems for rules `text` states in words with no expression of them beside it (`quizkit.stated`)."""
    if not isinstance(text, str):
        return []
    return [ContentProblem(hit.message(quiz=quiz), str(file), line + (hit.line - 1 if multiline else 0))
            for hit in stated_rules(text, rules, covered)]


def _question_given(question: object, rules: Rules) -> set[str]:
    """Figures a question takes as given, so that a change of them refuses it whole: its `assumes`, its `given(...)`."""
    if not isinstance(question, Mapping):
        return set()
    assumes = question.get("assumes")
    found = set(figures_read(assumes, rules)) if isinstance(assumes, str) else set()
    return found.union(*(given_in(text, rules) for _, text in question_texts(question)))


def _exercise_texts(course: Course, exercise: Exercise) -> Iterator[tuple[object, Path, int, bool]]:
    """(text, file, line, multiline) of what a reader of the exercise sees: title, prompt, hints, check and wrong messages."""
    path = course.files[f"exercise:{exercise.id}"]
    document = course.document(path)
    data = document.data if isinstance(document.data, dict) else {}
    yield exercise.title, path, document.line(("title",)), False
    yield exercise.prompt, path.parent / str(data.get("prompt", "prompt.md")), 1, True
    for i, hint in enumerate(_list(data, "hints")):
        yield hint, path, document.line(("hints", i)), False
    for kind in ("checks", "wrong"):
        for i, item in enumerate(_list(data, kind)):
            if isinstance(item, dict):
                yield item.get("message"), path, document.line((kind, i, "message")), False


def typed_in_exercise(course: Course, exercise: Exercise) -> list[ContentProblem]:
    """Figures typed in what a reader of the exercise sees."""
    return [problem for text, file, line, multiline in _exercise_texts(course, exercise)
            for problem in _typed(text, course.rules, file, line, multiline=multiline)]


def expressions_in_exercise(course: Course, exercise: Exercise) -> list[ContentProblem]:
    """What the build would refuse in the expressions a reader of the exercise sees, each at its line.

    The same reading as the page's (`page_markdown.fill_fragment`): the page and the workbook would fail there.
    """
    return [ContentProblem(problem.message, str(file), line + (problem.line - 1 if multiline else 0))
            for text, file, line, multiline in _exercise_texts(course, exercise) if isinstance(text, str)
            for problem in fragment_problems(text, course.rules)]


def stated_in_exercise(course: Course, exercise: Exercise) -> list[ContentProblem]:
    """Rules stated in words in what a reader of the exercise sees (each paragraph of the prompt, each hint and message).

    A rule the exercise takes as given anywhere (`given(...)`) may be stated anywhere in it.
    """
    texts = list(_exercise_texts(course, exercise))
    covered = set().union(*(given_in(text, course.rules) for text, *_ in texts if isinstance(text, str)))
    return [problem for text, file, line, multiline in texts
            for problem in _stated(text, course.rules, file, line, multiline=multiline, covered=covered)]


def stated_in_quiz(course: Course, quiz_id: str) -> list[ContentProblem]:
    """Rules stated in words in a quiz's texts, where neither the text itself nor the question's `assumes` reads them."""
    path = course.files[f"quiz:{quiz_id}"]
    document = course.document(path)
    problems: list[ContentProblem] = []
    for i, question in enumerate(_list(document.data, "questions")):
        covered = _question_given(question, course.rules)
        problems += [problem for where, text in question_texts(question)
                     for problem in _stated(text, course.rules, path, document.line(("questions", i, *where)),
                                            covered=covered, quiz=True)]
    return problems


def typed_in_quiz(course: Course, quiz_id: str) -> list[ContentProblem]:
    """Figures typed in a quiz's title, stems, options, match and order items, feedback and explanations."""
    path = course.files[f"quiz:{quiz_id}"]
    document = course.document(path)
    title = document.data.get("title") if isinstance(document.data, dict) else None
    return [*_typed(title, course.rules, path, document.line(("title",))),
            *(problem for i, question in enumerate(_list(document.data, "questions"))
              for where, text in question_texts(question)
              for problem in _typed(text, course.rules, path, document.line(("questions", i, *where))))]


def _filled(text: str, rules: Rules) -> str:
    """Prose with its expressions filled in as a reader sees it, line for line, fenced code blanked.

    No figure markers: they stand between a number and its noun, which must agree as if they were not
    there. An expression that fails (or an embed marker) stays as written: the build reports it.
    """
    def value(match: re.Match[str]) -> str:
        try:
            return render(evaluate(match.group(1), rules))
        except (ValueError, ArithmeticError, TypeError):
            return match.group(0)

    lines = text.split("\n")
    fenced = fence_lines(lines)
    return "\n".join("" if i in fenced else TEMPLATE.sub(value, line) for i, line in enumerate(lines))


def _counted(text: object, rules: Rules, file: Path, line: int, *, multiline: bool = False) -> list[ContentProblem]:
    """Counts whose noun does not agree in `text` once filled; `line` is where it starts (YAML values at their key)."""
    if not isinstance(text, str):
        return []
    return [ContentProblem(message, str(file), line + (hit - 1 if multiline else 0))
            for hit, message in prose_count_problems(_filled(text, rules))]


def counted_in_exercise(course: Course, exercise: Exercise) -> list[ContentProblem]:
    """Counts that do not agree in what a reader of the exercise sees."""
    return [problem for text, file, line, multiline in _exercise_texts(course, exercise)
            for problem in _counted(text, course.rules, file, line, multiline=multiline)]


def _docs(course: Course) -> Path:
    """The pages' folder, beside the content folder."""
    return course.root.parent / "docs"


def lesson_pages(course: Course) -> list[Path]:
    """The Markdown pages beside the content folder (`docs/`): `quizkit check` reads them too."""
    docs = _docs(course)
    return sorted(docs.rglob("*.md")) if docs.is_dir() else []


def lesson_markdown_problems(course: Course, page: Path, text: str) -> list[ContentProblem]:
    """What the build would refuse in a lesson's expressions, embed markers and figure markers (`page_markdown`).

    The whole file is read, front matter included, so lines are the file's; a front matter holds no
    `{{ }}`, and a stray one there would be wrong too.
    """
    processed = process(text, course.rules, find=course.embed_error, nonce="check",
                        page=page.relative_to(_docs(course)).as_posix())
    return [ContentProblem(problem.message, str(page), problem.line) for problem in processed.problems]


def check_course(course: Course, cache: Path | None = None) -> list[ContentProblem]:
    """Every problem of the course: loading, solutions, starters, wrong attempts, quiz keys, typed figures, lessons, workbooks.

    With `cache` (a folder), the grading of each exercise's attempts is kept there by the hash of
    what it depends on (`quizkit.check_cache`), so a warm build does not grade them again.
    """
    problems = list(course.problems)
    rules_data = course.rules.to_data()
    for exercise in course.exercises.values():
        path = course.files[f"exercise:{exercise.id}"]
        key = [str(path), path.read_text(encoding="utf-8"), exercise.to_data(), rules_data]
        problems.extend(cached_problems(cache, key, partial(_exercise_problems, course, exercise)))
        problems.extend(typed_in_exercise(course, exercise))
        problems.extend(counted_in_exercise(course, exercise))
        problems.extend(stated_in_exercise(course, exercise))
        problems.extend(expressions_in_exercise(course, exercise))
    for page in lesson_pages(course):
        text = page.read_text(encoding="utf-8")
        problems.extend(lesson_markdown_problems(course, page, text))
        problems.extend(_typed(text, course.rules, page, 1, multiline=True))
        problems.extend(_counted(text, course.rules, page, 1, multiline=True))
        problems.extend(_stated(text, course.rules, page, 1, multiline=True))
    for quiz_id, quiz in course.quizzes.items():
        problems.extend(typed_in_quiz(course, quiz_id))
        problems.extend(stated_in_quiz(course, quiz_id))
        document = course.document(course.files[f"quiz:{quiz_id}"])
        problems.extend(document.locate(error).problem() for error in key_problems(quiz, course.rules))
        if quiz_id in course.compiled_quizzes:
            problems.extend(document.locate(error).problem()
                            for error in position_problems(quiz, course.compiled_quizzes[quiz_id]))
            problems.extend(document.locate(error).problem() for error in count_problems(course.compiled_quizzes[quiz_id]))
            problems.extend(document.locate(error).problem() for error in length_problems(course.compiled_quizzes[quiz_id]))
            problems.extend(document.locate(error).problem() for error in echo_problems(course.compiled_quizzes[quiz_id]))
            problems.extend(document.locate(error).problem() for error in verdict_problems(course.compiled_quizzes[quiz_id]))
    for quiz_id, error in true_false_key_problems(course.compiled_quizzes):
        problems.append(course.document(course.files[f"quiz:{quiz_id}"]).locate(error).problem())
    problems.extend(workbook_problems(course))
    return sorted(problems, key=lambda p: (p.file, p.line, p.message))


def workbook_problems(course: Course) -> list[ContentProblem]:
    """The notebook workbooks out of step with the exercises (`quizkit.workbooks`); none without jupytext."""
    try:
        from quizkit import workbooks  # noqa: PLC0415 - jupytext: a heavy import, and not always installed
    except ImportError:
        return []
    return workbooks.content_problems(course)


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
