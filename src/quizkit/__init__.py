# quizkit: the plan rules of the Connects Learning Hub and the grader of its exercises and quizzes.
"""Public API.

The core (rules model, domain functions, runner, grader, quiz grading, profile
analysis) uses the standard library only, so the same code runs in CPython and in
Pyodide. Loading YAML (`quizkit.load`) and the MkDocs plugin (`quizkit.plugin`) are
build-time only.
"""

from __future__ import annotations

from quizkit.errors import ContentError, QuizkitError
from quizkit.exercise import Exercise
from quizkit.grader import Grade, RunReport, grade, run
from quizkit.model import Figure, Rules
from quizkit.quiz import QuizResult, compile_quiz, grade_attempt

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
