# What the browser worker calls: JSON text in, JSON text out, standard library only.
r"""Entry points of the exercise worker (Pyodide).

The page has two workers, each with its own interpreter, as the CLI has a parent and a child
(`quizkit.isolate`). The *runner* runs learner code: `run_json` (the Run button) and `observe_json`
(a Check's observation: plain data only). The *judge* (`become_judge`) runs none: `plan_json` says
what to observe and `judge_json` reads the runner's answer as untrusted text and decides the verdict,
so nothing a program does in the runner's interpreter reaches a verdict. Results are the same plain
data as `Grade.to_data()` and `RunReport.to_data()`: text for the learner, never HTML. The activity
page calls `analyse_json` with its form's data: the same analysis as `quizkit profile`.

A fault of ours never escapes as an exception: it becomes a result with status
`internal_error`, so the page always gets an answer. Each program in the runner is followed by
`quizkit.integrity`'s check (hygiene for the next program there), and a result with
`"restart": true` tells the page to replace the runner. `grade_json` does all three steps in one
interpreter: the Node parity and guard tests use it; the page does not.

>>> import json
>>> from quizkit.load import load_rules as _load_yaml
>>> load_rules(json.dumps(_load_yaml().to_data()))
>>> json.loads(run_json("print(6 * 7)"))["output"]
'42\\n'
"""

from __future__ import annotations

import gc

# Bound at import time: learner code that replaces `json.dumps` cannot break the worker. Every call passes
# `ensure_ascii=False`, so `json.dumps` makes an encoder of its class rather than use `json._default_encoder`, an
# object a program can change (as `_DECODER` below, for reading).
from json import JSONDecoder
from json import dumps as _dumps
from typing import Any

from quizkit import integrity, runner, stdlib_on_demand
from quizkit.exercise import Exercise
from quizkit.grader import (
    Grade,
    Observation,
    _raise_internal,
    grade,
    judge,
    observed_under_guard,
    plan,
    run,
    unreadable_observation,
)
from quizkit.model import Rules
from quizkit.runner import capped_output

_DECODER = JSONDecoder()
"""The worker's own decoder: `json.loads` reads `json._default_decoder`, an object a program can reach and change
(its `scan_once`, to rewrite every exercise the page sends after it). This one is quizkit's state, which the
guard compares: a program that changes it ends in a `tamper` error."""
_loads = _DECODER.decode

_state: dict[str, Any] = {"rules": None, "judge": False}

MAX_OBSERVED_CHARS = 16 * 1024 * 1024
"""The most text the judge reads from the runner (as `isolate.MAX_RESULT_BYTES` from a child): more is unreadable."""


def become_judge() -> None:
    """Make this interpreter the page's judge: from now on it refuses every request that would run learner code."""
    _state["judge"] = True


def _runner_only(what: str) -> None:
    if _state["judge"]:
        raise PermissionError(f"the judge runs no learner code: {what} is the runner's")


def load_rules(rules_json: str) -> None:
    """Validate and keep the rules (the `rules.json` written into the site).

    The interpreter's baseline is taken by the first program after this (the worker grades the
    starter as soon as Python is ready), not here: Pyodide finishes setting up after a memory
    snapshot is restored, and the baseline must see the interpreter as the page runs it.
    """
    _state["rules"] = Rules.from_data(_loads(rules_json))
    integrity.refuse_audit_hooks()
    runner.cap_recursion_limit()
    integrity.forget()


def use_full_stdlib(url: str, holds_json: str = "") -> None:
    """Import standard-library modules the page's lean zip leaves out from the full zip at `url`, fetched once when needed.

    `holds_json`: a JSON list of the zip's top-level module names; only those are looked for there.
    """
    stdlib_on_demand.install(url, _loads(holds_json) if holds_json else None)


def _guard() -> integrity.Baseline:
    return integrity.current() or integrity.capture()


def _rules() -> Rules:
    rules = _state["rules"]
    if rules is None:
        raise RuntimeError("the rules are not loaded: call load_rules() first")
    return rules  # type: ignore[no-any-return]


def _exercise(exercise_json: str) -> Exercise:
    """Validated afresh for each request (0.1 ms): a cache would be state that learner code could reach."""
    return Exercise.from_data(_loads(exercise_json))


def _internal(exercise: str, exc: Exception) -> str:
    return _dumps({"exercise": exercise, "status": "internal_error", "checks": [], "output": "", "error": None,
                   "internal": f"{type(exc).__name__}: {exc}. This is a fault in the course, not in your code.",
                   "restart": True}, ensure_ascii=False)


def _answer(data: dict[str, Any]) -> str:
    """The result as JSON, with `restart: true` when the interpreter must be replaced before the next request."""
    error = data.get("error")
    data["restart"] = bool(error and error.get("kind") == "tamper")
    return _dumps(data, ensure_ascii=False, default=str)


def grade_json(exercise_json: str, source: str) -> str:
    """Grade `source` against the exercise given as JSON (`Exercise.to_data()`); a `Grade` as JSON.

    A program that changed the grader gets a `tamper` error and `"restart": true`: the page then
    runs the next request in a fresh interpreter (its spare worker).
    """
    try:
        _runner_only("grade")
        guard = _guard()
        integrity.settle(guard)  # `grade` turns the collector back on before the program runs
        return _answer(grade(_exercise(exercise_json), source, _rules(), guard=guard).to_data())
    except Exception as exc:  # noqa: BLE001 - the page must always get an answer
        return _internal("", exc)


def run_json(source: str) -> str:
    """Run `source` as a program (the Run button); a `RunReport` as JSON, with `status` (and `restart`)."""
    try:
        _runner_only("run")
        data = run(_rules(), source, guard=_guard()).to_data()
    except Exception as exc:  # noqa: BLE001 - the page must always get an answer
        return _internal("", exc)
    data["status"] = "error" if data["error"] else "ran"
    return _answer(data)


def plan_json(exercise_json: str) -> str:
    """The judge's plan for a Check: which names to look up and which calls to make (arguments only), as JSON."""
    try:
        return _dumps(plan(_rules(), _exercise(exercise_json)), ensure_ascii=False)
    except Exception as exc:  # noqa: BLE001 - the page must always get an answer
        return _internal("", exc)


def observe_json(plan_json: str, source: str) -> str:
    """The runner's part of a Check: run `source` with the plan; `{"observed": plain data, "restart": bool}` as JSON.

    Nothing here decides a verdict: the judge reads this text in its own interpreter (`judge_json`).
    """
    try:
        _runner_only("observe")
        data = _observed(_rules(), source, _loads(plan_json))
        error = data.get("error")
        return _dumps({"observed": data, "restart": bool(error and error.get("kind") == "tamper")}, ensure_ascii=False)
    except Exception as exc:  # noqa: BLE001 - the page must always get an answer
        return _internal("", exc)


def judge_json(exercise_json: str, source: str, observed_json: str) -> str:
    """The judge's verdict on the runner's answer (`observe_json`'s text, untrusted); a `Grade` as JSON.

    The plan is computed here again, not taken from the page. Text that is not an observation of this plan (too
    long, malformed, wrong types, extra keys, nested too deep) is an `error` verdict that replaces the runner,
    never `passed` and never a fault of the judge.
    """
    try:
        exercise, rules = _exercise(exercise_json), _rules()
        the_plan = plan(rules, exercise)
        seen = _observation(source, observed_json, the_plan)
        if seen is None:
            return _answer(Grade(exercise=exercise.id, status="error", error=unreadable_observation()).to_data())
        return _answer(judge(exercise, rules, seen).to_data())
    except Exception as exc:
        if _raise_internal():
            raise
        return _internal("", exc)


def _observation(source: str, observed_json: object, the_plan: dict[str, Any]) -> Observation | None:
    """The runner's answer read with the judge's own decoder and checks, or None when it is not one."""
    if type(observed_json) is not str or len(observed_json) > MAX_OBSERVED_CHARS:
        return None
    try:
        answer = _loads(observed_json)
        data = answer.get("observed") if type(answer) is dict else None
        if type(data) is dict and type(data.get("output")) is str:  # the runner's cap, applied again here
            data["output"] = capped_output(data["output"])
        return Observation.from_data(source, data, the_plan)
    except (ValueError, TypeError, KeyError, RecursionError):
        return None


def warm_up(exercise_json: str) -> str:
    """Prepare an exercise's Check so the reader's first one is quick; JSON text.

    The runner observes the starter (the code paths a Check takes); the judge plans and judges an observation of a
    program that defines nothing (no code runs: the known-wrong attempts, the author's, fill the grader's cache) and
    gives back the plan, which the page keeps.
    """
    exercise = _exercise(exercise_json)
    rules = _rules()
    the_plan = plan(rules, exercise)
    if _state["judge"]:
        judge(exercise, rules, Observation(source=exercise.starter, output="", error=None,
                                           names=dict.fromkeys(the_plan["names"]), calls={}))
        return _dumps(the_plan, ensure_ascii=False)
    _observed(rules, exercise.starter, the_plan)
    return "null"


def _observed(rules: Rules, source: str, the_plan: dict[str, Any]) -> dict[str, Any]:
    """`observed_under_guard` in the runner, with the collector back on afterwards (it leaves it off)."""
    guard = _guard()
    try:
        return observed_under_guard(rules, source, the_plan, guard)
    finally:
        if guard.gc_enabled:
            gc.enable()


def analyse_json(profile_json: str) -> str:
    """Analyse the activity's profile (JSON text, the fields of `quizkit.analysis.read_profile`).

    Args:
        profile_json: The profile as the activity's form or an imported file gives it.

    Returns:
        JSON text: `{"ok": true, "result": ..., "report": ...}` with the data of
        `quizkit.analysis.analyse` and its Markdown report, or `{"ok": false,
        "errors": {field: message}}` naming each field to correct (`sections.<id>`
        for a section, `profile` when the data is not a profile at all). A fault of
        ours is `{"ok": false, "errors": {}, "internal": message}`.

    >>> import json
    >>> from quizkit.load import load_rules as _load_yaml
    >>> load_rules(json.dumps(_load_yaml().to_data()))
    >>> json.loads(analyse_json('{"plan": "basic", "balance": -1}'))["errors"]["balance"]
    'Cannot be negative.'
    """
    # Only the activity analyses: exercise pages start Python without this import (13 ms of 158 in Pyodide).
    from quizkit.analysis import ProfileInputError, analyse, read_profile, report_markdown  # noqa: PLC0415

    try:
        data = _loads(profile_json)
    except ValueError:
        return _dumps({"ok": False, "errors": {"profile": "The profile is not valid JSON."}}, ensure_ascii=False)
    try:
        rules = _rules()
        try:
            profile = read_profile(rules, data)
        except ProfileInputError as exc:
            return _dumps({"ok": False, "errors": exc.errors}, ensure_ascii=False)
        result = analyse(rules, profile)
        return _dumps({"ok": True, "result": result, "report": report_markdown(rules, profile, result)},
                      ensure_ascii=False, default=str)
    except Exception as exc:
        if _raise_internal():
            raise
        return _dumps({"ok": False, "errors": {},
                       "internal": f"{type(exc).__name__}: {exc}. This is a fault in the course, not in your input."},
                      ensure_ascii=False)
