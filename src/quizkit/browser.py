# What the browser worker calls: JSON text in, JSON text out, standard library only.
r"""Entry points of the exercise worker (Pyodide).

The worker loads the rules once with `load_rules`, then calls `grade_json` (the
Check button) and `run_json` (the Run button) with the exercise data embedded in
the page and the learner's source. Results are the same plain data as
`Grade.to_data()` and `RunReport.to_data()`: text for the learner, never HTML.

A fault of ours never escapes as an exception: it becomes a result with status
`internal_error`, so the page always gets an answer.

>>> import json
>>> from quizkit.load import load_rules as _load_yaml
>>> load_rules(json.dumps(_load_yaml().to_data()))
>>> json.loads(run_json("print(6 * 7)"))["output"]
'42\\n'
"""

from __future__ import annotations

# Bound at import time: learner code that replaces `json.dumps` cannot break the worker.
from json import dumps as _dumps
from json import loads as _loads
from typing import Any

from quizkit.exercise import Exercise
from quizkit.grader import grade, run
from quizkit.model import Rules

_state: dict[str, Any] = {"rules": None}
_exercises: dict[str, Exercise] = {}
"""Exercise JSON text -> validated exercise: each page's data is validated once."""


def load_rules(rules_json: str) -> None:
    """Validate and keep the rules (the `rules.json` written into the site)."""
    _state["rules"] = Rules.from_data(_loads(rules_json))
    _exercises.clear()


def _rules() -> Rules:
    rules = _state["rules"]
    if rules is None:
        raise RuntimeError("the rules are not loaded: call load_rules() first")
    return rules  # type: ignore[no-any-return]


def _exercise(exercise_json: str) -> Exercise:
    exercise = _exercises.get(exercise_json)
    if exercise is None:
        exercise = _exercises[exercise_json] = Exercise.from_data(_loads(exercise_json))
    return exercise


def _internal(exercise: str, exc: Exception) -> str:
    return _dumps({"exercise": exercise, "status": "internal_error", "checks": [], "output": "", "error": None,
                   "internal": f"{type(exc).__name__}: {exc}. This is a fault in the course, not in your code."})


def grade_json(exercise_json: str, source: str) -> str:
    """Grade `source` against the exercise given as JSON (`Exercise.to_data()`); a `Grade` as JSON."""
    try:
        exercise = _exercise(exercise_json)
        return _dumps(grade(exercise, source, _rules()).to_data(), ensure_ascii=False, default=str)
    except Exception as exc:  # noqa: BLE001 - the page must always get an answer
        return _internal("", exc)


def run_json(source: str) -> str:
    """Run `source` as a program (the Run button); a `RunReport` as JSON, with `status`."""
    try:
        data = run(_rules(), source).to_data()
    except Exception as exc:  # noqa: BLE001 - the page must always get an answer
        return _internal("", exc)
    data["status"] = "error" if data["error"] else "ran"
    return _dumps(data, ensure_ascii=False, default=str)


def warm_up(exercise_json: str) -> None:
    """Validate an exercise and grade its starter once, so the reader's first Check is quick."""
    exercise = _exercise(exercise_json)
    grade(exercise, exercise.starter, _rules())
