"""The page's judge (`quizkit.browser.judge_json`) reads the runner's answer as untrusted text.

Whatever the runner sends (a program there can make it send anything), the judge gives a clear `error` verdict that
replaces the runner, never `passed` and never a fault of its own; and it runs no learner code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from quizkit import browser
from quizkit.course import Course
from quizkit.plugin.embed import exercise_json

ROOT = Path(__file__).resolve().parent.parent
COURSE = Course.load(ROOT / "exercises")
EXERCISE = COURSE.exercise("next-refill")
EXERCISE_JSON = exercise_json(EXERCISE)
WRONG = "def next_refill(billing_day, today):\n    return today\n"


@pytest.fixture(autouse=True)
def rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "_state", {"rules": None, "judge": False})
    browser.load_rules(json.dumps(COURSE.rules.to_data()))


def _observed(source: str) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(browser.observe_json(browser.plan_json(EXERCISE_JSON), source))
    return answer


def _verdict(text: str, source: str = WRONG) -> dict[str, Any]:
    browser.become_judge()
    verdict: dict[str, Any] = json.loads(browser.judge_json(EXERCISE_JSON, source, text))
    return verdict


def test_the_runner_s_answer_is_judged_in_the_judge() -> None:
    right, wrong = _observed(EXERCISE.solution), _observed(WRONG)
    assert _verdict(json.dumps(right), EXERCISE.solution)["status"] == "passed"
    assert _verdict(json.dumps(wrong))["status"] == "failed"


def _solution_observed() -> dict[str, Any]:
    return _observed(EXERCISE.solution)


def _with(change: str) -> str:
    answer = _solution_observed()
    data = answer["observed"]
    call = data["calls"]["matches-rules"]
    hostile: dict[str, object] = {
        "not JSON": "{",
        "a list": [],
        "no observation": {"status": "passed", "restart": False},
        "an observation that is a string": {"observed": "passed"},
        "an extra key": {"observed": {**data, "verdict": "passed"}},
        "a missing key": {"observed": {k: v for k, v in data.items() if k != "names"}},
        "names of the wrong type": {"observed": {**data, "names": ["next_refill"]}},
        "a name's type not text": {"observed": {**data, "names": {"next_refill": {"callable": True, "type": 5}}}},
        "calls of another plan": {"observed": {**data, "calls": {"made-up": call}}},
        "more calls than the plan makes": {"observed": {**data, "calls": {"matches-rules": call * 3}}},
        "a call with two answers": {"observed": {**data, "calls": {"matches-rules": [{"value": 1, "error": None}, *call[1:]]}}},
        "an error of an unknown kind": {"observed": {**data, "error": {"kind": "passed", "type": "", "message": "",
                                                                         "line": None, "column": None, "traceback": ""}}},
        "a huge int": None,
        "deep nesting": None,
        "an unknown tag": {"observed": {**data, "calls": {"matches-rules": [{"value": {"$object": {"__eq__": 1}}}] * len(call)}}},
    }
    if change == "a huge int":
        return '{"observed": ' + json.dumps({**data, "calls": {"matches-rules": []}})[:-2] + ', "x": ' + "9" * 5000 + "}}}"
    if change == "deep nesting":
        return '{"observed": {"error": null, "output": "", "names": {}, "calls": ' + "[" * 100_000 + "]" * 100_000 + "}}"
    value = hostile[change]
    return value if isinstance(value, str) else json.dumps(value)


HOSTILE = ["not JSON", "a list", "no observation", "an observation that is a string", "an extra key", "a missing key",
           "names of the wrong type", "a name's type not text", "calls of another plan", "more calls than the plan makes",
           "a call with two answers", "an error of an unknown kind", "a huge int", "deep nesting", "an unknown tag"]


@pytest.mark.parametrize("change", HOSTILE)
def test_malformed_or_hostile_data_is_an_error_verdict_that_replaces_the_runner(change: str) -> None:
    verdict = _verdict(_with(change), EXERCISE.solution)
    assert verdict["status"] != "passed", verdict
    if verdict["status"] == "error":
        assert verdict["error"]["kind"] == "tamper", verdict
        assert verdict["restart"] is True


def test_text_past_the_cap_is_not_read() -> None:
    padded = json.dumps({**_solution_observed(), "padding": "x" * browser.MAX_OBSERVED_CHARS})
    verdict = _verdict(padded, EXERCISE.solution)
    assert (verdict["status"], verdict["error"]["kind"], verdict["restart"]) == ("error", "tamper", True)
    assert "cannot read" in verdict["error"]["message"]


def test_output_is_capped_again_by_the_judge() -> None:
    answer = _solution_observed()
    answer["observed"]["output"] = "x\n" * 100_000
    verdict = _verdict(json.dumps(answer), EXERCISE.solution)
    assert verdict["status"] == "passed"
    assert len(verdict["output"]) < 60_000


def test_a_forged_verdict_from_the_runner_is_not_a_verdict() -> None:
    forged = json.dumps({"exercise": EXERCISE.id, "status": "passed", "checks": [], "output": "", "error": None})
    assert _verdict(forged)["status"] == "error"


def test_the_judge_runs_no_learner_code() -> None:
    browser.become_judge()
    for answer in (browser.run_json("print(1)"), browser.observe_json(browser.plan_json(EXERCISE_JSON), WRONG),
                   browser.grade_json(EXERCISE_JSON, WRONG)):
        data = json.loads(answer)
        assert data["status"] == "internal_error", data
        assert "the judge runs no learner code" in data["internal"]


def test_the_judge_s_warm_up_runs_no_code_and_gives_the_plan() -> None:
    browser.become_judge()
    assert json.loads(browser.warm_up(EXERCISE_JSON)) == json.loads(browser.plan_json(EXERCISE_JSON))
