# Messages a beginner can act on: the same words from the page's grader and the CLI's and notebooks' child process.
"""Each mistake a reader new to Python makes on lesson 1's first exercise gets words that say what to do.

Every case is graded twice, in this interpreter (as the page does) and in a child process (as
`quizkit grade` and notebook `check()` do): the message must be the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from quizkit import grader
from quizkit.course import Course
from quizkit.isolate import grade_isolated
from tests.conftest import EXERCISES

if TYPE_CHECKING:
    from quizkit.exercise import Exercise
    from quizkit.grader import Grade

HEAD = "def proposals_per_month(plan, required):\n"
GOOD = '    allowance = RULES[f"plan.{plan}.monthly_connects"]\n'


@pytest.fixture(scope="module")
def course() -> Course:
    return Course.load(EXERCISES)


@pytest.fixture(scope="module")
def exercise(course: Course) -> Exercise:
    return course.exercises["monthly-allowance"]


def _message(grade: Grade) -> tuple[str, str]:
    """The words a reader sees first: the error, or the first failing check with its misconception."""
    if grade.error is not None:
        return grade.error.message, ""
    failing = next(check for check in grade.checks if not check.passed)
    return failing.message, failing.misconception


CASES = {
    "unknown RULES key": (
        HEAD + '    allowance = RULES["plan.basic.monthly_connect"]\n    return allowance // required\n',
        ["KeyError on line 2", "Did you mean `'plan.basic.monthly_connects'`"]),
    "misspelt name": (
        HEAD + GOOD + "    return allowence // required\n",
        ["NameError on line 3", "Did you mean `allowance`?"]),
    "unindented body line": (
        HEAD + GOOD + "result = allowance // required\n",
        ["line 3 is not indented", "belongs to the function `proposals_per_month`", "Indent the line"]),
    "unindented return": (
        HEAD + GOOD + "return allowance // required\n",
        ["'return' outside function", "lost its indentation"]),
    "missing return": (
        HEAD + GOOD + "    allowance // required\n",
        ["returned None, but the answer is", "has no `return` line", "End it with `return`"]),
    "float of equal value": (
        HEAD + GOOD + "    return allowance / required\n",
        ["returned 5.0, but the answer is 5.", "They are the same amount", "`//` (between ints) or `int(...)`"]),
    "misspelt attribute": (
        HEAD + '    return RULES.get(f"plan.{plan}.monthly_connects").bit_lenght() // required\n',
        ["AttributeError on line 2", "Did you mean `.bit_length`?"]),
}


@pytest.mark.parametrize("case", CASES)
def test_each_beginner_mistake_gets_plain_words_the_same_everywhere(course: Course, exercise: Exercise, case: str) -> None:
    source, wanted = CASES[case]
    here = _message(grader.grade(exercise, source, course.rules))
    for words in wanted:
        assert words in here[0], (case, here)
    assert _message(grade_isolated(exercise, source, course.rules)) == here


def test_the_misconception_note_shows_only_when_the_code_behaves_like_it(course: Course, exercise: Exercise) -> None:
    message, note = _message(grader.grade(exercise, HEAD + GOOD + "    return allowance / required\n", course.rules))
    assert "`/`" in note
    # Right for Plus, a float for Basic: the same first failing case, but not the known mistake's behaviour.
    mixed = HEAD + GOOD + '    return allowance // required if plan == "plus" else allowance / required\n'
    message, note = _message(grader.grade(exercise, mixed, course.rules))
    assert "returned 5.0, but the answer is 5." in message
    assert note == ""


def test_a_close_rules_key_is_only_suggested_when_there_is_one(course: Course, exercise: Exercise) -> None:
    message, _ = _message(grader.grade(exercise, HEAD + '    return RULES["no.such.thing"] // required\n', course.rules))
    assert "RULES has no key 'no.such.thing'. Its keys are the rule ids" in message
    assert "Did you mean" not in message


def test_a_missing_name_with_nothing_close_says_to_define_it(course: Course, exercise: Exercise) -> None:
    message, _ = _message(grader.grade(exercise, HEAD + "    return zzz\n", course.rules))
    assert "Nothing is called `zzz` at this point" in message


def test_run_of_a_program_that_never_calls_its_function_says_so(course: Course) -> None:
    report = grader.run(course.rules, HEAD + GOOD + "    return allowance // required\n")
    assert report.output == ""
    assert "only defines `proposals_per_month` and never calls it" in report.note
    assert "print(proposals_per_month(...))" in report.note
    assert "note" in report.to_data()
    called = grader.run(course.rules, HEAD + GOOD + "    return allowance // required\nproposals_per_month('plus', 3)\n")
    assert called.note == ""
    assert "note" not in called.to_data()
    assert grader.run(course.rules, "x = 1\n").note == ""


def test_a_syntax_error_of_indentation_explains_blocks(course: Course) -> None:
    report = grader.run(course.rules, HEAD + "allowance = 1\n")
    assert report.error is not None
    assert "must be indented under the line that ends with `:`" in report.error.message


TRIAGE_MAYBE_AS_NONE = """def worth_applying(job, balance, min_budget_usd):
    if job["connects"] > balance or job["budget_usd"] < min_budget_usd:
        return False
    if job["skills_matched"] / job["skills_asked"] < 0.75:
        return False
    if not job["payment_verified"] and job["client_hires"] == 0:
        return False
    if job["skills_matched"] == job["skills_asked"] and job["payment_verified"] and job["client_hires"] > 0:
        return True
    return None
"""
OTHER_EXERCISES = {
    "a judgement call answered None": (
        "job-triage", TRIAGE_MAYBE_AS_NONE,
        ["returned None, but the answer is `True` or `False` (a judgement call: either passes, but it must be a bool)"]),
    "a clear no answered yes, with the rule that says no": (
        "job-triage", "def worth_applying(job, balance, min_budget_usd):\n    return True\n",
        ["returned True, but the answer is False (clearly no: "]),
    "an amount where a yes or no is asked": (
        "boost-worth-it",
        ("def connects_to_buy(balance, required, planned, bid):\n    return max(0, required * (1 + planned) + bid - balance)\n\n"
        "def boost_worth_it(bid, to_buy, contract_usd, win_chance, boosted_win_chance):\n"
        "    return (boosted_win_chance - win_chance) * contract_usd - bid * RULES['purchase.price_per_connect_usd']\n"),
        ["but the answer is True", "The answer is a yes or no, `True` or `False`, not a number such as",
         "a comparison (`==`, `<`, `>`) or an `in` test is already `True` or `False`"]),
    "a count where a yes or no is asked, in another exercise: the words name no exercise's comparison": (
        "connects-returned",
        "def connects_returned(outcome):\n    return RULES['returns.returned_reasons'].count(outcome)\n",
        ["returned 1, but the answer is True", "not a number such as 1. Return the condition itself"]),
    "a float percentage where the score is a whole number": (
        "completeness",
        ("def completeness(statuses):\n"
        "    credit = {'complete': 1, 'update': 0.5, 'missing': 0}\n"
        "    earned = sum(s['weight'] * credit[statuses.get(s['id'], 'missing')] for s in PROFILE_SECTIONS)\n"
        "    return 100 * earned / sum(s['weight'] for s in PROFILE_SECTIONS)\n"),
        ["They are the same amount", "Make it an int the way the prompt says: `round(...)` for the nearest whole number"]),
}
"""Session 21's audit: messages that contradicted themselves ("returned None, but the answer is None") or sent the
reader round in circles (`//` on a float is still a float)."""


@pytest.mark.parametrize("case", OTHER_EXERCISES)
def test_answers_of_the_wrong_kind_get_words_that_fit_the_exercise(course: Course, case: str) -> None:
    exercise_id, source, wanted = OTHER_EXERCISES[case]
    exercise = course.exercises[exercise_id]
    here = _message(grader.grade(exercise, source, course.rules))
    for words in wanted:
        assert words in here[0], (case, here)
    assert _message(grade_isolated(exercise, source, course.rules)) == here
