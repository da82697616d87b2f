"""In the page, a Check's verdict comes from a second Python, the judge, that runs no learner code.

A program runs in the runner's Python (Run, and a Check's observation). Whatever it does there, to quizkit's guard
in Python or to the worker itself in JavaScript through Pyodide's `js` module, no later Check of a wrong answer
passes: the judge reads the runner's answer as untrusted data. `tests/test_tampering.py` holds the same attacks
against two interpreters in CPython and in Pyodide under Node; here, the page's workers.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from tests.browser.conftest import assert_clean
from tests.browser.test_exercises import COURSE, Tab
from tests.test_tampering import BLINDED_GUARD

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Locator, Page
    from tests.browser.conftest import BuiltSite, Traffic

    from quizkit.exercise import Exercise

pytestmark = pytest.mark.browser

EXERCISE = COURSE.exercise("next-refill")
WRONG = "def next_refill(billing_day, today):\n    return today\n"


@pytest.fixture
def tab(page: Page, site: BuiltSite, traffic: Traffic) -> Iterator[Tab]:
    tab = Tab(page, site)
    yield tab
    assert_clean(traffic)


def _ready(tab: Tab) -> Locator:
    """The exercise's page, its runner and its judge ready (a Check waits for the judge; the tests time nothing)."""
    root = tab.open(EXERCISE)
    tab.page.wait_for_function("() => window.quizkit.runtime.judge?.state === 'ready'")
    return root


def _forged_passes(exercise: Exercise) -> str:
    """A program that rewrites its worker's `postMessage` (JavaScript, through `js`) so that every later answer there is
    a grade that passes every check of `exercise`: with one interpreter, the page showed each later Check as passed."""
    grade = {"exercise": exercise.id, "status": "passed", "output": "", "error": None, "internal": "", "restart": False,
             "checks": [{"id": check.id, "passed": True, "message": "ok", "misconception": ""} for check in exercise.checks]}
    script = ("const post = self.postMessage.bind(self);"
              f"const forged = {json.dumps(json.dumps(grade))};"
              "self.postMessage = (m) => post(m && m.ok && typeof m.result === 'string' ? { ...m, result: forged } : m);")
    return f"import js\njs.eval({json.dumps(script)})\nprint('rewritten')\n"


def test_a_run_that_blinds_the_guard_changes_no_later_check(tab: Tab) -> None:
    root = _ready(tab)
    for way, blinder in BLINDED_GUARD.items():
        tab.set_code(EXERCISE, blinder + WRONG)
        assert tab.press(root, "run") == "ready", way
        tab.set_code(EXERCISE, WRONG)
        assert tab.press(root, "check") == "failed", way
    tab.set_code(EXERCISE, EXERCISE.solution)
    assert tab.press(root, "check") == "passed"


def test_a_check_whose_own_code_blinds_the_guard_does_not_pass(tab: Tab) -> None:
    root = _ready(tab)
    for way, blinder in BLINDED_GUARD.items():
        tab.set_code(EXERCISE, blinder + WRONG)
        assert tab.press(root, "check") != "passed", way
        tab.set_code(EXERCISE, WRONG)
        assert tab.press(root, "check") == "failed", way


def test_javascript_that_rewrites_the_runner_s_answers_changes_no_verdict(tab: Tab) -> None:
    root = _ready(tab)
    tab.set_code(EXERCISE, _forged_passes(EXERCISE))
    tab.press(root, "run")  # what its own Run shows is the program's to choose
    tab.set_code(EXERCISE, WRONG)
    assert tab.press(root, "check") != "passed"
    assert tab.code(EXERCISE) == WRONG, "the code is kept"
    tab.set_code(EXERCISE, WRONG)
    assert tab.press(root, "check") == "failed", "the runner that sent a forged answer was replaced"
    tab.set_code(EXERCISE, EXERCISE.solution)
    assert tab.press(root, "check") == "passed"


def test_a_runner_answer_that_is_not_json_ends_its_check(tab: Tab) -> None:
    """An observation rewritten into text that is not JSON threw in the page as it was read, and the Check waited for good
    (its time limit had ended with the runner's step)."""
    root = _ready(tab)
    script = ("const post = self.postMessage.bind(self);"
              "self.postMessage = (m) => post(m && m.ok && typeof m.result === 'string' && m.result.startsWith('{\"observed\"')"
              " ? { ...m, result: 'not json' } : m);")
    tab.set_code(EXERCISE, f"import js\njs.eval({json.dumps(script)})\nprint('rewritten')\n")
    assert tab.press(root, "run") == "ready"
    tab.set_code(EXERCISE, WRONG)
    assert tab.press(root, "check") == "error", "a verdict that says the answer could not be read"
    assert tab.press(root, "check") == "failed", "in a fresh runner"


def test_the_judge_refuses_to_run_code(tab: Tab) -> None:
    _ready(tab)
    refused = tab.page.evaluate("""async () => {
      const r = window.quizkit.runtime;
      return Promise.all(["run", "observe"].map((type) => r.askJudge(r.judge, { type, source: "print(1)", plan: "{}" })));
    }""")
    for outcome in refused:
        assert outcome["kind"] == "crashed"
        assert "the judge does not take" in outcome["error"]
