"""In the page, a program that changes the grader gets no verdict, and no later Check runs in its interpreter.

The attacks themselves are tested against the worker's Python in `tests/test_tampering.py`
(CPython and Pyodide); here, the page's side: the message, the worker replaced by its
spare, and the next Checks (of the same exercise and of another on the page) graded right.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from tests.browser.conftest import assert_clean
from tests.browser.test_exercises import COURSE, Tab

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Locator, Page
    from tests.browser.conftest import BuiltSite, Traffic

    from quizkit.exercise import Exercise

pytestmark = pytest.mark.browser

REPLACE_A_CHECK = ("import sys\ng = sys.modules['quizkit.grader']\n"
                   "g.CHECKS['function'] = lambda ctx, check: g.CheckResult(id=check.id, passed=True, message='ok')\n")
SWAP_THE_COMPARISON = ("import sys\nr = sys.modules['quizkit.references']\n"
                       "r.same_value.__code__ = (lambda actual, expected, args: True).__code__\n")


@pytest.fixture
def tab(page: Page, site: BuiltSite, traffic: Traffic) -> Iterator[Tab]:
    tab = Tab(page, site)
    yield tab
    assert_clean(traffic)


def two_on_one_page(site: BuiltSite) -> tuple[Exercise, Exercise]:
    """Two exercises embedded in the same page (they share its Python)."""
    by_page: dict[str, list[Exercise]] = {}
    for exercise_id, page in site.exercise_pages().items():
        by_page.setdefault(page, []).append(COURSE.exercise(exercise_id))
    pair = next(exercises for exercises in by_page.values() if len(exercises) > 1)
    return pair[0], pair[1]


def no_verdict(tab: Tab, exercise: Exercise, code: str) -> tuple[Locator, str]:
    """Check `code`, which must end in an error; the exercise's root and the verdict's words, once the page's
    spare Python has taken over from the one that ran it (marked `tampered` here to tell them apart)."""
    root = tab.open(exercise)
    tab.page.evaluate("window.quizkit.runtime.primary.tampered = true")
    tab.set_code(exercise, code)
    assert tab.press(root, "check") == "error"
    verdict = root.locator("[data-role=verdict]").text_content() or ""
    tab.page.wait_for_function("() => !window.quizkit.runtime.primary.tampered")  # the spare took over
    return root, verdict


def test_a_program_that_changes_the_grader_is_not_graded_and_python_is_replaced(tab: Tab, site: BuiltSite) -> None:
    exercise, other = two_on_one_page(site)
    root, verdict = no_verdict(tab, exercise, REPLACE_A_CHECK + exercise.starter)
    assert "changed the course's grader" in verdict
    assert "quizkit.grader.CHECKS" in verdict
    assert tab.code(exercise) == REPLACE_A_CHECK + exercise.starter, "the code is kept"
    tab.set_code(exercise, exercise.starter)
    assert tab.press(root, "check") == "failed"
    other_root = tab.page.locator(f'.quizkit-exercise[data-exercise-id="{other.id}"]')
    other_root.scroll_into_view_if_needed()
    tab.set_code(other, other.starter)
    assert tab.press(other_root, "check") == "failed"
    tab.set_code(exercise, exercise.solution)
    assert tab.press(root, "check") == "passed"


def test_swapping_the_code_of_a_grader_function_is_found_too(tab: Tab, site: BuiltSite) -> None:
    exercise, _ = two_on_one_page(site)
    root, verdict = no_verdict(tab, exercise, SWAP_THE_COMPARISON + exercise.starter)
    assert "the code of quizkit.references.same_value" in verdict
    tab.set_code(exercise, exercise.starter)
    assert tab.press(root, "check") == "failed"


EMPTY_THE_CHECKS = ("import sys\nframe = sys._getframe()\n"
                    "while frame is not None and 'exercise' not in frame.f_locals:\n    frame = frame.f_back\n"
                    "if frame is not None:\n    object.__setattr__(frame.f_locals['exercise'], 'checks', ())\n")
"""Reaches the grader's frame and empties the exercise it grades: the grade then says passed, with no checks."""


def test_a_program_that_empties_the_exercise_in_the_grader_s_frame_finds_none(tab: Tab, site: BuiltSite) -> None:
    """With one interpreter the program found the grader's frame and the grade said passed with no checks (the
    widget's `holdsTogether` turned that into an error). The judge's frames are in another interpreter now."""
    exercise, _ = two_on_one_page(site)
    root = tab.open(exercise)
    tab.set_code(exercise, EMPTY_THE_CHECKS + exercise.starter)
    assert tab.press(root, "check") == "failed"
    tab.set_code(exercise, exercise.solution)
    assert tab.press(root, "check") == "passed"
