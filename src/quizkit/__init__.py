"""Public API.

The core (rules model, domain functions, runner, grader, quiz grading, profile
analysis) uses the standard library only, so the same code runs in CPython and in
Pyodide. Loading YAML (`quizkit.load`) and the MkDocs plugin (`quizkit.plugin`) are
build-time only.

The names below are imported when first used (PEP 562): the page imports
`quizkit.browser`, and importing every module behind these names as well (the
quiz grader, which the page never runs: it compares answers with keys computed at
build time) took 23 of the 158 ms of `import quizkit.browser` in Pyodide.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizkit.errors import ContentError, QuizkitError
    from quizkit.exercise import Exercise
    from quizkit.grader import Grade, RunReport, grade, run
    from quizkit.model import Figure, Rules
    from quizkit.quiz import QuizResult, compile_quiz, grade_attempt

_HOME = {
    "ContentError": "quizkit.errors",
    "QuizkitError": "quizkit.errors",
    "Exercise": "quizkit.exercise",
    "Grade": "quizkit.grader",
    "RunReport": "quizkit.grader",
    "grade": "quizkit.grader",
    "run": "quizkit.grader",
    "Figure": "quizkit.model",
    "Rules": "quizkit.model",
    "QuizResult": "quizkit.quiz",
    "compile_quiz": "quizkit.quiz",
    "grade_attempt": "quizkit.quiz",
}
"""Each public name and the module that defines it."""

__all__ = [
    "ContentError",
    "Exercise",
    "Figure",
    "Grade",
    "QuizResult",
    "QuizkitError",
    "Rules",
    "RunReport",
    "compile_quiz",
    "grade",
    "grade_attempt",
    "run",
]


def __getattr__(name: str) -> Any:
    """A public name, from its module on first use (then kept here). Submodules import as usual."""
    if name not in _HOME:
        raise AttributeError(f"module 'quizkit' has no attribute {name!r}")
    value = getattr(import_module(_HOME[name]), name)
    globals()[name] = value
    return value
