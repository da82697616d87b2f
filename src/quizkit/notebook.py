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
checks, same messages, same misconceptions. The cell's code runs again in a child
process with the exercise's time limit (`quizkit.isolate`), so it cannot change the
grader of this or any later `check()` in the kernel. It returns the `Grade`, which Jupyter shows as
HTML; outside IPython the verdict is printed as text. `RULES`, `PLANS` and
`PROFILE_SECTIONS` are the names learner code starts with in the page
(`quizkit.grader.learner_globals`), so functions can be tried out in the notebook too.

The course content (the `exercises` folder) is the folder named by the
`QUIZKIT_CONTENT` environment variable, else the first `exercises` folder holding
`exercise.yml` files found walking up from the current directory (Jupyter runs a
notebook with its own folder as the current directory). The rules are the course's
own, or the file named by `QUIZKIT_RULES`. This module loads YAML: it is not part
of the browser core.
"""

from __future__ import annotations

import ast
import functools
import html
import inspect
import json
import linecache
import os
import re
import sys
import textwrap
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizkit.course import CONTENT_DIR, CONTENT_ENV, ContentNotFoundError, Course
from quizkit.course import find_content as _find_content
from quizkit.errors import QuizkitError
from quizkit.grader import Grade, learner_globals
from quizkit.isolate import grade_isolated
from quizkit.load import DEFAULT_RULES, load_rules

if TYPE_CHECKING:
    from collections.abc import Callable

    from quizkit.exercise import Exercise

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
    "source_of",
]

RULES_ENV = "QUIZKIT_RULES"
"""Environment variable naming a rules file to use instead of the course's own."""


class NotebookError(QuizkitError):
    """`check` was called in a way it cannot grade, or the course cannot be found."""


def _rules_path() -> Path:
    env = os.environ.get(RULES_ENV)
    return Path(env).expanduser() if env else DEFAULT_RULES


_LEARNER_GLOBALS = learner_globals(load_rules(_rules_path()))

RULES: dict[str, Any] = _LEARNER_GLOBALS["RULES"]
"""Every figure id with its value: the same dictionary learner code gets as `RULES` in the page."""
PLANS: list[dict[str, Any]] = _LEARNER_GLOBALS["PLANS"]
"""The plans, as `{"id", "name"}` dicts, as learner code gets `PLANS` in the page."""
PROFILE_SECTIONS: list[dict[str, Any]] = _LEARNER_GLOBALS["PROFILE_SECTIONS"]
"""The profile sections, as `{"id", "name", "weight"}` dicts, as learner code gets `PROFILE_SECTIONS` in the page."""


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


def _exercise(exercise_id: str) -> tuple[Course, Exercise]:
    loaded = course()
    try:
        return loaded, loaded.exercise(exercise_id)
    except KeyError as exc:
        message = str(exc.args[0])
        if loaded.problems:
            first = loaded.problems[0]
            message += (f" ({len(loaded.problems)} content problem(s) while loading the course, "
                        f"the first: {first}; `quizkit check` lists them all)")
        raise NotebookError(message) from None


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


def _is_plumbing(node: ast.stmt) -> bool:
    """A top-level `from quizkit.notebook import ...` or `check(...)` call: notebook plumbing, not an answer."""
    if isinstance(node, ast.ImportFrom):
        return node.module == __name__
    if isinstance(node, ast.Import):
        return any(alias.name == __name__ for alias in node.names)
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        func = node.value.func
        return (isinstance(func, ast.Name) and func.id == "check") or (isinstance(func, ast.Attribute) and func.attr == "check")
    return False


def _without_plumbing(text: str) -> str:
    """`text` with notebook plumbing blanked out, keeping every other line where it was."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return text
    lines = text.splitlines(keepends=True)
    for node in tree.body:
        if _is_plumbing(node) and node.end_lineno is not None:
            for index in range(node.lineno - 1, node.end_lineno):
                lines[index] = "\n"
    return "".join(lines)


def source_of(exercise: Exercise, code: tuple[Any, ...]) -> str:
    """The source `check` grades: the cells that define the functions, as the page grades its editor.

    Each function brings the whole cell (or file) it was defined in, with its imports,
    constants and helpers; cells are joined in the order of `code`, each once. Top-level
    `from quizkit.notebook import ...` and `check(...)` lines are blanked, so line
    numbers still match the cell.

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
    return "\n\n".join(_without_plumbing(text).rstrip("\n") for text in cells.values()) + "\n"


# ---------------------------------------------------------------- verdict


_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_SCOPE_NOTE = ("check() grades the cells that define the functions you pass it, and nothing else: "
               "when your code uses a function or a name from another cell, pass a function of that cell too, "
               "for example check(id, my_function, my_helper).")


def _html_text(text: str) -> str:
    """Escaped text with `code` spans as <code>."""
    return _CODE_SPAN.sub(r"<code>\1</code>", html.escape(text))


@dataclass(frozen=True, kw_only=True)
class NotebookGrade(Grade):
    """A `Grade` that shows itself: as HTML in Jupyter, as text elsewhere."""

    code: str = field(default="", repr=False, compare=False)
    """The source that was graded (line numbers in messages count in it)."""

    @classmethod
    def of(cls, result: Grade, code: str) -> NotebookGrade:
        """`result` with the source that was graded."""
        return cls(**{f.name: getattr(result, f.name) for f in fields(result)}, code=code)

    def to_data(self) -> dict[str, Any]:
        """Plain data, exactly as `Grade.to_data` gives it (without the code)."""
        data = super().to_data()
        del data["code"]
        return data

    @property
    def headline(self) -> str:
        """`monthly-allowance: passed (3 of 3 checks passed)`."""
        if self.status == "error":
            detail = "your code raised an error before the checks could run"
        elif self.status == "internal_error":
            detail = "a fault in the course, not in your code"
        else:
            detail = f"{sum(c.passed for c in self.checks)} of {len(self.checks)} checks passed"
        return f"{self.exercise}: {self.status} ({detail})"

    def _needs_scope_note(self) -> bool:
        texts = [c.message for c in self.checks if not c.passed]
        if self.error:
            texts.append(self.error.message)
        return any("NameError" in text for text in texts)

    def text(self) -> str:
        """The verdict as plain text: one line per check, misconceptions beneath."""
        lines = [self.headline]
        if self.error:
            lines.append(f"  {self.error.message}")
            if self.error.traceback:
                lines.append(textwrap.indent(self.error.traceback, "    "))
        for check in self.checks:
            lines.append(f"  {'PASS' if check.passed else 'FAIL'} {check.id}: {check.message}")
            if check.misconception:
                lines.append(f"       {check.misconception}")
        if self.internal:
            lines.append(f"  {self.internal}")
        if self._needs_scope_note():
            lines.append(f"  Note: {_SCOPE_NOTE}")
        if self.output:
            lines.extend(["  Output:", textwrap.indent(self.output.rstrip("\n"), "    ")])
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
_GRADING: list[str] = []
"""Ids of the exercises being graded: `check` refuses to run inside graded code."""


def results() -> dict[str, NotebookGrade]:
    """The last grade of each exercise checked in this session, in the order first checked."""
    return dict(_RESULTS)


def _in_ipython() -> bool:
    """Whether an IPython shell will display `check`'s result (never imports IPython)."""
    ipython = sys.modules.get("IPython")
    return ipython is not None and getattr(ipython, "get_ipython", lambda: None)() is not None


def check(exercise_id: str, *code: Callable[..., Any] | type | str) -> NotebookGrade:
    """Grade functions against an exercise, with the page's checks and messages.

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
    if _GRADING:
        raise NotebookError("check() cannot run inside the code it grades: call it in a cell of its own.")
    loaded, exercise = _exercise(exercise_id)
    source = source_of(exercise, code)
    _GRADING.append(exercise.id)
    try:
        graded = grade_isolated(exercise, source, loaded.rules)
    finally:
        _GRADING.pop()
    result = NotebookGrade.of(graded, source)
    _RESULTS[exercise.id] = result
    if not _in_ipython():
        print(result.text())
    return result
