# Grading exercises from Jupyter: `check("id", function)` gives the page's verdict in a notebook.
"""The API of the course's notebook workbooks.

In a notebook cell::

    from quizkit.notebook import PLANS, PROFILE_SECTIONS, RULES, check

    def monthly_connects(plan):
        return RULES[f"plan.{plan}.monthly_connects"]

    check("monthly-allowance", monthly_connects)

`check` reads the whole cell (or file) that defines each function it is given
(`inspect` and `linecache`, which know IPython's cells), as the page reads its whole
editor, and grades it with the checks the exercise widget runs in the page: same
checks, same messages, same misconceptions.

The verdict is not decided in the kernel, where the learner's cells ran and could have
changed anything quizkit loaded there (the grader, the course, the rules). `check` sends
only the cell's text and the exercise id to a fresh Python process, which loads the
exercise and the rules from disk and grades with `quizkit.isolate.grade_isolated`, as
`quizkit grade` does: the code runs once more in a child process of its own, with the
exercise's time limit, and the verdict comes back to the kernel as JSON, which the kernel
only reads and shows. So nothing a cell does in the kernel changes the verdict of this
or any later `check()`, and a grade is `passed` only when every check of the exercise ran
and passed. What the kernel *shows* is the kernel's business, though: a notebook that
redefines `check`, or replaces this module's own functions, can print whatever it likes,
and fools only the person who runs it. A verdict for someone else comes from
`quizkit grade` on a file. `check` returns the `Grade`, which Jupyter shows as HTML;
outside IPython the verdict is printed as text. `RULES`, `PLANS` and `PROFILE_SECTIONS`
are the names learner code starts with in the page (`quizkit.grader.learner_globals`),
so functions can be tried out in the notebook too, and `show_figures` prints the figures
with the month and confidence of those a reader must see them with.

The course content (the `exercises` folder) is the folder named by the
`QUIZKIT_CONTENT` environment variable, else the first `exercises` folder holding
`exercise.yml` files found walking up from the current directory (Jupyter runs a
notebook with its own folder as the current directory). The rules are the course's
own, or the file named by `QUIZKIT_RULES`. This module loads YAML: it is not part
of the browser core.
"""

from __future__ import annotations

import functools
import html
import inspect
import json
import linecache
import os
import re
import signal
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from quizkit.course import CONTENT_DIR, CONTENT_ENV, ContentNotFoundError, Course
from quizkit.course import find_content as _find_content
from quizkit.errors import QuizkitError
from quizkit.grader import CheckResult, Grade, Status, learner_globals
from quizkit.isolate import STARTUP_LIMIT_S, Limits, grade_isolated
from quizkit.load import DEFAULT_RULES, EXERCISE_FILE, exercise_folders, load_exercise, load_rules, read_yaml
from quizkit.plumbing import without_plumbing
from quizkit.runner import LearnerError
from quizkit.terminal import visible

if TYPE_CHECKING:
    from collections.abc import Callable

    from quizkit.exercise import Exercise
    from quizkit.model import Rules

__all__ = [
    "CONTENT_ENV",
    "PLANS",
    "PROFILE_SECTIONS",
    "RULES",
    "RULES_ENV",
    "NotebookError",
    "NotebookGrade",
    "check",
    "check_call",
    "course",
    "find_content",
    "results",
    "show_figures",
    "source_of",
    "vouched",
]

RULES_ENV = "QUIZKIT_RULES"
"""Environment variable naming a rules file to use instead of the course's own."""


class NotebookError(QuizkitError):
    """`check` was called in a way it cannot grade, or the course cannot be found."""

    def _render_traceback_(self) -> list[str]:
        """What IPython shows for it: the message alone, not a traceback through quizkit (the message says what to do)."""
        return [f"{type(self).__name__}: {self}"]


def _rules_path() -> Path:
    env = os.environ.get(RULES_ENV)
    return Path(env).expanduser() if env else DEFAULT_RULES


@functools.cache
def _rules_model() -> Rules:
    return load_rules(_rules_path())


@functools.cache
def _learner_globals() -> dict[str, Any]:
    return learner_globals(_rules_model())


# Loaded when first used (PEP 562), so that importing this module (`quizkit.workbooks` and
# `quizkit check` do, for `check_call`) reads no rules.
RULES: dict[str, Any]
"""Every figure id with its value: the same dictionary learner code gets as `RULES` in the page."""
PLANS: list[dict[str, Any]]
"""The plans, as `{"id", "name"}` dicts, as learner code gets `PLANS` in the page."""
PROFILE_SECTIONS: list[dict[str, Any]]
"""The profile sections, as `{"id", "name", "weight"}` dicts, as learner code gets `PROFILE_SECTIONS` in the page."""


def __getattr__(name: str) -> Any:
    if name in {"RULES", "PLANS", "PROFILE_SECTIONS"}:
        return _learner_globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def figure_lines(rules: Rules, *prefixes: str) -> list[str]:
    """One line per figure whose id starts with one of `prefixes` (every figure without any), sorted by id.

    Each line is the id, the value as `RULES` holds it (`None` followed by what null means for
    that figure: `None: no cap`), and, for a figure the source article does not state or that
    is not of high confidence, its month and confidence: `19.99 (Jan 2026 · low)`; for one the course sets
    itself, that it is not Upwork's.
    """
    chosen = [figure_id for figure_id in sorted(rules.figures) if not prefixes or figure_id.startswith(prefixes)]
    width = max(map(len, chosen), default=0)
    lines = []
    for figure_id in chosen:
        figure = rules.figures[figure_id]
        value = f"None: {figure.none_means}" if figure.value is None else repr(figure.value)
        mark = f" ({figure.mark_text})" if figure.needs_label else (" (the course's own bound, not an Upwork figure)"
                                                                    if figure.own else "")
        lines.append(f"{figure_id:<{width}}  {value}{mark}")
    return lines


def show_figures(*prefixes: str) -> None:
    """Print the figures whose ids start with one of `prefixes` (all without any), as `figure_lines` writes them.

    `show_figures("plan.", "rollover.")` prints lines such as `rollover.cap  None: no cap (Oct 2025 · high)`:
    what your code gets from `RULES`, what a null means, and, for a figure not stated in the
    course's source article or not of high confidence, when it was last confirmed and how sure it is.
    """
    print("\n".join(figure_lines(_rules_model(), *prefixes)))


# ---------------------------------------------------------------- content


def find_content(start: Path | None = None) -> Path:
    """The course's content folder, found as `quizkit.course.find_content` finds it.

    Raises:
        NotebookError: Nothing was found; the message says how to point a notebook at the course.
    """
    try:
        return _find_content(start)
    except ContentNotFoundError as exc:
        advice = "" if exc.env else (
            f" Open this workbook from the course folder (it lives in `{CONTENT_DIR}/workbooks/`), or set {CONTENT_ENV} to "
            f"the course's `{CONTENT_DIR}` folder, for example with `%env {CONTENT_ENV}=/path/to/course/{CONTENT_DIR}` "
            "in a cell before calling check().")
        raise NotebookError(f"{exc}{advice}") from None


@functools.cache
def _load(content: Path, rules: Path) -> Course:
    return Course.load(content, rules)


def course() -> Course:
    """The course, loaded once per content folder and rules file (restart the kernel to reload it)."""
    return _load(find_content(), _rules_path().resolve())


def _exercise(exercise_id: object) -> tuple[Course, Exercise]:
    loaded = course()
    if not isinstance(exercise_id, str):  # `check(proposals_per_month)`: the id left out
        raise NotebookError(_id_missing(loaded, exercise_id))
    try:
        return loaded, loaded.exercise(exercise_id)
    except KeyError as exc:
        message = str(exc.args[0])
        if loaded.problems:
            first = loaded.problems[0]
            message += (f" ({len(loaded.problems)} content problem(s) while loading the course, "
                        f"the first: {first}; `quizkit check` lists them all)")
        raise NotebookError(message) from None


def _id_missing(loaded: Course, given: object) -> str:
    """What `check` says when its first argument is no exercise id: the call to make, where the function tells it."""
    name = getattr(given, "__name__", None)
    fits = [exercise for exercise in loaded.exercises.values() if name and name in _names(exercise)]
    if len(fits) == 1:
        return f"check() needs the exercise's id first, in quotes: {_usage(fits[0])}."
    ids = sorted(loaded.exercises)
    example = f", as in {_usage(loaded.exercises[ids[0]])}" if ids else ""
    return (f"check() needs the exercise's id first, in quotes, then your functions{example}. The ids: "
            f"{', '.join(json.dumps(exercise_id) for exercise_id in ids)}.")


# ---------------------------------------------------------------- source


def _names(exercise: Exercise) -> list[str]:
    """The names an exercise's checks look for, in order, without repeats."""
    names = [check.name or check.function for check in exercise.checks if check.name or check.function]
    return list(dict.fromkeys(names))


def check_call(exercise: Exercise) -> str:
    """The one-line grading call of an exercise: `check("monthly-allowance", monthly_connects)`."""
    return f"check({json.dumps(exercise.id)}, {', '.join(_names(exercise)) or 'code'})"


def _usage(exercise: Exercise) -> str:
    return f"`{check_call(exercise)}`"


def _defining_text(item: object, exercise: Exercise) -> tuple[str, str]:
    """`(key, text)`: the whole cell (or file) that defines `item`, keyed by its file name."""
    if isinstance(item, str):
        if item.isidentifier():
            raise NotebookError(f"Pass the function itself, without quotes: {_usage(exercise)}.")
        return f"<text {hash(item)}>", item
    if not (inspect.isfunction(item) or inspect.isclass(item)):
        raise NotebookError(f"check() grades functions, and got {type(item).__name__} {item!r}: pass the function itself, "
                            f"without calling it: {_usage(exercise)}.")
    if item.__name__ == "<lambda>":
        raise NotebookError("check() cannot grade a lambda: define the function with `def` in a cell and pass it.")
    try:
        inspect.getsourcelines(item)  # raises when the source is unknown
        file = inspect.getsourcefile(item) or inspect.getfile(item)
    except (OSError, TypeError):
        file = ""
    lines = linecache.getlines(file) if file else []
    if not lines:
        raise NotebookError(f"The source of {item.__name__} cannot be read: define it with `def` in a notebook cell "
                            "(or a .py file) and run that cell before checking.")
    return file, "".join(lines)


def source_of(exercise: Exercise, code: tuple[Any, ...]) -> str:
    """The source `check` grades: the cells that define the functions, as the page grades its editor.

    Each function brings the whole cell (or file) it was defined in, with its imports,
    constants and helpers; cells are joined in the order of `code`, each once. Notebook
    plumbing (`from quizkit.notebook import ...`, and every top-level statement that only
    serves `check`, such as `result = check(...)` or an `if __name__ == "__main__":` block:
    `quizkit.plumbing`) is blanked, so line numbers still match the cell.

    Args:
        exercise: The exercise being checked, for the messages.
        code: Functions (or classes) whose defining cell is read with `inspect` and
            `linecache`, or source text.

    Returns:
        Python source.

    Raises:
        NotebookError: Nothing to grade, or an item whose source cannot be read.
    """
    if not code:
        raise NotebookError(f"Pass the function(s) to grade: {_usage(exercise)}.")
    cells = dict(_defining_text(item, exercise) for item in code)
    return "\n\n".join(without_plumbing(text).rstrip("\n") for text in cells.values()) + "\n"


# ---------------------------------------------------------------- verdict


_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_SCOPE_NOTE = ("check() grades the cells that define the functions you pass it, and nothing else: "
               "when your code uses a function or a name from another cell, pass a function of that cell too, "
               "for example check(id, my_function, my_helper).")


def _html_text(text: str) -> str:
    """Escaped text with `code` spans as <code>."""
    return _CODE_SPAN.sub(r"<code>\1</code>", html.escape(text))


_STATUSES: frozenset[str] = frozenset(get_args(Status))
_CHECK_KEYS = {"id", "passed", "message", "misconception"}
_GRADE_KEYS = {"exercise", "status", "checks", "output", "error", "internal"}


def _check_from_data(data: object) -> CheckResult:
    if not isinstance(data, dict) or set(data) != _CHECK_KEYS:
        raise ValueError(f"not a grade: a check must have exactly {sorted(_CHECK_KEYS)}")
    if type(data["passed"]) is not bool or not all(type(data[key]) is str for key in ("id", "message", "misconception")):
        raise ValueError("not a grade: a check's fields have the wrong types")
    return CheckResult(**data)


@dataclass(frozen=True, kw_only=True)
class NotebookGrade(Grade):
    """A `Grade` that shows itself: as HTML in Jupyter, as text elsewhere."""

    code: str = field(default="", repr=False, compare=False)
    """The source that was graded (line numbers in messages count in it)."""
    seconds: float | None = field(default=None, repr=False, compare=False)
    """The time limit the code ran under, for the headline of a timeout."""

    @classmethod
    def of(cls, result: Grade, code: str, seconds: float | None = None) -> NotebookGrade:
        """`result` with the source that was graded."""
        return cls(**{f.name: getattr(result, f.name) for f in fields(Grade)}, code=code, seconds=seconds)

    @classmethod
    def from_data(cls, data: object, *, code: str, seconds: float | None = None) -> NotebookGrade:
        """Read back `Grade.to_data()` (from the grading process), checking every field.

        A `passed` grade without a single check is shown as an internal error: passed means
        that every check ran and passed.

        Raises:
            ValueError: `data` is not a grade's data.
        """
        if not isinstance(data, dict) or set(data) != _GRADE_KEYS:
            raise ValueError(f"not a grade: expected exactly the keys {sorted(_GRADE_KEYS)}")
        if data["status"] not in _STATUSES or not isinstance(data["checks"], list):
            raise ValueError(f"not a grade: status {data['status']!r}, checks {type(data['checks']).__name__}")
        if not all(type(data[key]) is str for key in ("exercise", "output", "internal")):
            raise ValueError("not a grade: exercise, output and internal must be text")
        result = cls(exercise=data["exercise"], status=data["status"], checks=tuple(map(_check_from_data, data["checks"])),
                     output=data["output"], error=None if data["error"] is None else LearnerError.from_data(data["error"]),
                     internal=data["internal"], code=code, seconds=seconds)
        if result.status == "passed" and not result.checks:
            return cls.of(vouched(result, None), code, seconds)
        return result

    def to_data(self) -> dict[str, Any]:
        """Plain data, exactly as `Grade.to_data` gives it (without the code and the time limit)."""
        data = super().to_data()
        del data["code"], data["seconds"]
        return data

    @property
    def headline(self) -> str:
        """`monthly-allowance: passed (3 of 3 checks passed)`, `next-refill: stopped (your code ran longer than 3 s)`."""
        status: str = self.status
        kind = self.error.kind if self.error else ""
        if self.status == "timeout" or kind == "timeout":
            status = "stopped"
            limit = f"{self.seconds:g} s" if self.seconds else "its time limit"
            detail = f"your code ran longer than {limit}"
        elif kind == "memory":
            status, detail = "stopped", "your code used more memory than it may"
        elif kind == "crash":
            detail = "the Python process that ran your code ended before the checks could run"
        elif kind == "syntax":
            detail = "Python cannot read your code, so the checks could not run"
        elif self.status == "error":
            detail = "your code raised an error before the checks could run"
        elif self.status == "internal_error":
            detail = "a fault in the course, not in your code"
        else:
            detail = f"{sum(c.passed for c in self.checks)} of {len(self.checks)} checks passed"
        return f"{self.exercise}: {status} ({detail})"

    def _needs_scope_note(self) -> bool:
        texts = [c.message for c in self.checks if not c.passed]
        if self.error:
            texts.append(self.error.message)
        return any("NameError" in text for text in texts)

    def text(self) -> str:
        """The verdict as plain text: one line per check, misconceptions beneath.

        What the code made (its output, its error, values in messages) is shown with control characters
        escaped, as `quizkit grade` shows it: printed raw, it could redraw the headline as a verdict of its own.
        """
        lines = [self.headline]
        if self.error:
            lines.append(f"  {visible(self.error.message)}")
            if self.error.traceback:
                lines.append(textwrap.indent(visible(self.error.traceback), "    "))
        for check in self.checks:
            lines.append(f"  {'PASS' if check.passed else 'FAIL'} {check.id}: {visible(check.message)}")
            if check.misconception:
                lines.append(f"       {visible(check.misconception)}")
        if self.internal:
            lines.append(f"  {visible(self.internal)}")
        if self._needs_scope_note():
            lines.append(f"  Note: {_SCOPE_NOTE}")
        if self.output:  # escaped before it is indented: `textwrap` would start a line at a carriage return
            lines.extend(["  Output:", textwrap.indent(visible(self.output.rstrip("\n")), "    ")])
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Plain-text display in IPython."""
        del cycle
        printer.text(self.text())

    def _repr_html_(self) -> str:
        """HTML display in Jupyter; every piece of text is escaped."""
        colour = "#1b7f3b" if self.passed else "#b3261e"
        style = f"border-left:4px solid {colour};padding:0.25em 0.75em"
        parts = [f'<div class="quizkit-grade" data-status="{html.escape(self.status)}" style="{style}">',
                 f"<p><strong>{html.escape(self.headline)}</strong></p>"]
        if self.error:
            parts.append(f"<p>{_html_text(self.error.message)}</p>")
            if self.error.traceback:
                parts.append(f"<pre>{html.escape(self.error.traceback)}</pre>")
        if self.checks:
            items = []
            for check in self.checks:
                mark = "PASS" if check.passed else "FAIL"
                item = f"<li><strong>{mark}</strong> <code>{html.escape(check.id)}</code>: {_html_text(check.message)}"
                if check.misconception:
                    item += f"<br><em>{_html_text(check.misconception)}</em>"
                items.append(item + "</li>")
            parts.append(f'<ul style="list-style:none;padding-left:0">{"".join(items)}</ul>')
        if self.internal:
            parts.append(f"<p>{_html_text(self.internal)}</p>")
        if self._needs_scope_note():
            parts.append(f"<p>Note: {_html_text(_SCOPE_NOTE)}</p>")
        if self.output:
            parts.append(f"<details><summary>Output</summary><pre>{html.escape(self.output)}</pre></details>")
        if self.code:
            numbered = "\n".join(f"{n:>3}  {line}" for n, line in enumerate(self.code.splitlines(), 1) if line)
            parts.append(f"<details><summary>Code graded</summary><pre>{html.escape(numbered)}</pre></details>")
        parts.append("</div>")
        return "".join(parts)


_RESULTS: dict[str, NotebookGrade] = {}


def results() -> dict[str, NotebookGrade]:
    """The last grade of each exercise checked in this session, in the order first checked."""
    return dict(_RESULTS)


def _in_ipython() -> bool:
    """Whether an IPython shell will display `check`'s result (never imports IPython)."""
    ipython = sys.modules.get("IPython")
    return ipython is not None and getattr(ipython, "get_ipython", lambda: None)() is not None


# ---------------------------------------------------------------- grading, out of the kernel


def vouched(result: Grade, exercise: Exercise | None) -> Grade:
    """`result`, unless it says `passed` without having run every check of `exercise` (then an internal error).

    Passed means right: a grade with no checks, or other checks than the exercise's, in another
    order, is no verdict. With `exercise` None, only "no checks at all" can be told.
    """
    if result.status != "passed":
        return result
    ran = [check.id for check in result.checks]
    wanted = None if exercise is None else [check.id for check in exercise.checks]
    if ran and (wanted is None or ran == wanted):
        return result
    expected = "" if wanted is None else f" of the exercise's {len(wanted)}"
    return Grade(exercise=result.exercise, status="internal_error",
                 internal=f"The grader ran {len(ran)}{expected} checks, so it cannot say whether your code passed. "
                          "This is a fault in the course, not in your code.")


_PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)
_GRADER_PROGRAM = (f"import sys; sys.path.insert(0, {_PACKAGE_PARENT!r}); "
                   "from quizkit.notebook import _grading_process; _grading_process()")
"""The grading process's program: this quizkit, from where the kernel imported it (`-I` ignores `PYTHONPATH`)."""
_GRADER_SLACK_S = 2 * STARTUP_LIMIT_S + 30
"""Time the grading process may take beyond the code's own time limit (two Python starts, loading the exercise)."""


def _fresh_exercise(content: Path, rules: Rules, exercise_id: str) -> Exercise:
    """The exercise as `Course.load` gives it (the first folder with that id), read from disk.

    A folder that cannot be read is skipped, as `Course.load` reports it and goes on: another exercise's
    broken file must not stop this one's check.
    """
    from quizkit.course import resolve_exercise  # noqa: PLC0415 - the grading process only

    for folder in exercise_folders(content):
        try:
            document = read_yaml(folder / EXERCISE_FILE)
        except QuizkitError:
            continue
        if isinstance(document.data, dict) and document.data.get("id") == exercise_id:
            return resolve_exercise(load_exercise(folder, document), rules)
    raise LookupError(f"no exercise {exercise_id!r} in {content}")


def _grading_process() -> None:
    """The grading process: a request on stdin, `{"grade", "seconds"}` as JSON on stdout.

    It loads the exercise and the rules from disk, grades with `grade_isolated` (the code runs
    in its own child process) and checks that a `passed` grade ran every check (`vouched`).
    No learner code ever runs in this process. A fault of ours ends it with a traceback on stderr.
    """
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # the kernel was interrupted: end the code's process too
    request = json.loads(sys.stdin.buffer.read())
    rules = load_rules(Path(request["rules"]))
    exercise = _fresh_exercise(Path(request["content"]), rules, request["exercise"])
    limits = Limits(seconds=exercise.timeout_s)
    result = vouched(grade_isolated(exercise, request["source"], rules, limits), exercise)
    sys.stdout.buffer.write(json.dumps({"grade": result.to_data(), "seconds": limits.seconds}).encode("utf-8"))


def _grade_elsewhere(exercise: Exercise, source: str, content: Path, rules: Path) -> NotebookGrade:
    """Grade `source` in a fresh Python process (`_grading_process`); the kernel only reads its verdict."""
    request = json.dumps({"exercise": exercise.id, "source": source, "content": str(content), "rules": str(rules)})
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and program
        [sys.executable, "-I", "-c", _GRADER_PROGRAM], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE)
    try:
        out, err = process.communicate(request.encode("utf-8"), timeout=exercise.timeout_s + _GRADER_SLACK_S)
    except subprocess.TimeoutExpired:
        _end(process)
        return _no_verdict(exercise, source, "the grading process did not answer in time")
    except BaseException:  # the kernel was interrupted
        _end(process)
        raise
    try:
        return _answer(process.returncode, out, err, source)
    except (ValueError, TypeError, KeyError) as exc:
        return _no_verdict(exercise, source, str(exc))


def _end(process: subprocess.Popen[bytes]) -> None:
    """Stop the grading process; on SIGTERM it kills the process group of the code it runs."""
    process.terminate()
    try:
        process.communicate(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()


def _answer(returncode: int, out: bytes, err: bytes, source: str) -> NotebookGrade:
    """The grade the grading process sent back; ValueError when it sent none."""
    if returncode != 0:
        raise ValueError(err.decode("utf-8", "replace").strip() or f"the grading process ended with code {returncode}")
    answer = json.loads(out)
    return NotebookGrade.from_data(answer["grade"], code=source, seconds=float(answer["seconds"]))


def _no_verdict(exercise: Exercise, source: str, why: str) -> NotebookGrade:
    """An internal error: the grading process gave no verdict (raised under `QUIZKIT_RAISE_INTERNAL`)."""
    if _raise_internal():
        raise RuntimeError(f"The grading process gave no verdict:\n{why}")
    last = why.strip().splitlines()[-1:] or ["no answer"]
    return NotebookGrade(exercise=exercise.id, status="internal_error", code=source,
                         internal=f"The grader stopped before giving a verdict ({last[0]}). "
                                  "This is a fault in the course, not in your code.")


def _raise_internal() -> bool:
    from quizkit.grader import _raise_internal as raise_internal  # noqa: PLC0415 - the grader's own switch

    return raise_internal()


def check(exercise_id: str, *code: Callable[..., Any] | type | str) -> NotebookGrade:
    """Grade functions against an exercise, with the page's checks and messages.

    The verdict is decided in a fresh Python process that loads the exercise and the rules
    from disk; the kernel, where your cells ran, only shows it (see the module's docstring).

    Args:
        exercise_id: The exercise's id, as in the page (`"monthly-allowance"`).
        *code: The functions the exercise asks for (and any helper they call); source
            text is accepted too.

    Returns:
        The grade. Jupyter shows it as HTML when `check(...)` ends a cell; outside IPython
        it is also printed as text.

    Raises:
        NotebookError: Unknown exercise id (close ids are suggested), nothing to grade,
            a source that cannot be read, or no course content found.
    """
    _, exercise = _exercise(exercise_id)
    source = source_of(exercise, code)
    result = _grade_elsewhere(exercise, source, find_content(), _rules_path().resolve())
    _RESULTS[exercise.id] = result
    if not _in_ipython():
        print(result.text())
    return result
