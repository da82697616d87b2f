from __future__ import annotations

import copy
from typing import Any

import pytest

from quizkit.errors import ContentError
from quizkit.model import Rules
from quizkit.quiz import Quiz, compile_quiz, grade_attempt, key_problems
from tests.conftest import with_values

SECTION = "lessons/01-connects-and-plans.md#monthly-connects"

QUIZ: dict[str, Any] = {
    "id": "plans", "title": "Plans", "lesson": "lessons/01-connects-and-plans.md",
    "questions": [
        {"id": "plus", "type": "numeric", "text": "Connects a month on Plus?", "answer": {"expr": "plan.plus.monthly_connects"},
         "unit": "Connects", "explanation": "Plus gives {{ plan.plus.monthly_connects }}.", "section": SECTION,
         "feedback": {"correct": "Yes.", "incorrect": "Not quite."}},
        {"id": "price", "type": "numeric", "text": "Price of one Connect?", "answer": {"expr": "purchase.price_per_connect_usd"},
         "tolerance": 0.001, "explanation": "It is {{ usd(purchase.price_per_connect_usd) }}.", "section": SECTION},
        {"id": "more", "type": "single", "text": "How many more on Plus than on Basic?", "explanation": "Subtract.",
         "section": SECTION, "options": [
             {"text": "{{ plan.plus.monthly_connects - plan.basic.monthly_connects }}", "correct": True, "feedback": "Right."},
             {"text": "{{ plan.plus.monthly_connects }}", "feedback": "That is the total, not the difference."},
         ]},
        {"id": "returned", "type": "multiple", "text": "Which outcomes return Connects?", "explanation": "Only two do.",
         "section": SECTION, "options": [
             {"id": "cancel", "text": "Client cancels before a contract", "correct": {"expr": "connects_returned('client_cancelled_before_contract')"}},
             {"id": "removed", "text": "Upwork removes the post", "correct": {"expr": "connects_returned('removed_by_upwork')"}},
             {"id": "declined", "text": "You are declined", "correct": {"expr": "connects_returned('declined')"},
              "feedback": "Declined proposals keep their cost."},
         ]},
        {"id": "invite", "type": "true_false", "text": "Replying to an invite costs Connects.",
         "answer": {"expr": "invites.reply_cost > 0"}, "explanation": "Invites are free.", "section": SECTION,
         "feedback": {"true": "No: invites are free.", "false": "Right."}},
    ],
}

ALL_RIGHT = {"plus": 100, "price": "0.15", "more": "a", "returned": ["removed", "cancel"], "invite": False}


@pytest.fixture
def compiled(rules: Rules) -> dict[str, Any]:
    return compile_quiz(Quiz.from_data(QUIZ), rules)


def test_keys_and_texts_are_computed_from_the_rules(compiled: dict[str, Any]) -> None:
    keys = {q["id"]: q["key"] for q in compiled["questions"]}
    assert keys == {"plus": 100, "price": 0.15, "more": "a", "returned": ["cancel", "removed"], "invite": False}
    assert compiled["questions"][0]["explanation"] == "Plus gives 100."
    assert [o["text"] for o in compiled["questions"][2]["options"]] == ["90", "100"]


def test_changing_a_rule_changes_the_key(rules: Rules) -> None:
    changed = compile_quiz(Quiz.from_data(QUIZ), with_values(rules, **{"plan.plus.monthly_connects": 80}))
    assert changed["questions"][0]["key"] == 80
    assert changed["questions"][2]["options"][0]["text"] == "70"


def test_all_right_scores_full_marks(compiled: dict[str, Any]) -> None:
    result = grade_attempt(compiled, ALL_RIGHT)
    assert (result.score, result.total) == (5, 5)
    assert all(q.correct for q in result.questions)


def test_wrong_answers_get_their_feedback_and_the_explanation(compiled: dict[str, Any]) -> None:
    result = grade_attempt(compiled, {**ALL_RIGHT, "more": "b", "returned": ["cancel", "declined"], "invite": True, "plus": 90})
    by_id = {q.id: q for q in result.questions}
    assert result.score == 1
    assert by_id["more"].feedback == "That is the total, not the difference."
    assert by_id["returned"].feedback == "Declined proposals keep their cost."
    assert by_id["invite"].feedback == "No: invites are free."
    assert by_id["plus"].feedback == "Not quite."
    assert by_id["plus"].explanation == "Plus gives 100."
    assert by_id["plus"].section == SECTION


@pytest.mark.parametrize(
    "answers",
    [{}, None, [], {"plus": None, "price": "abc", "more": 3, "returned": "cancel", "invite": "yes"},
     {"plus": float("nan"), "price": True, "more": "z", "returned": ["zzz"], "invite": 1},
     {"plus": "1e999", "returned": []}],
)
def test_odd_answers_count_as_unanswered_not_as_crashes(compiled: dict[str, Any], answers: Any) -> None:
    result = grade_attempt(compiled, answers)
    assert result.score == 0
    assert not any(q.answered for q in result.questions)


def test_numeric_tolerance(compiled: dict[str, Any]) -> None:
    assert grade_attempt(compiled, {"price": 0.1509}).score == 1
    assert grade_attempt(compiled, {"price": 0.152}).score == 0
    assert grade_attempt(compiled, {"plus": "100.0"}).score == 1


def mutate(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(QUIZ)
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["questions"][0].update(type="essay"), "unknown question type 'essay'"),
        (lambda d: d["questions"][0].update(colour="red"), "unknown field 'colour'"),
        (lambda d: d["questions"][1].update(id="plus"), "duplicate question id 'plus'"),
        (lambda d: d["questions"][0].update(answer="many"), "'answer' must be a number"),
        (lambda d: d["questions"][4].update(answer="yes"), "'answer' must be true or false"),
        (lambda d: d["questions"][2]["options"].pop(), "at least two options"),
        (lambda d: d["questions"][2].update(answer=1), "mark options 'correct'"),
        (lambda d: d["questions"][0].update(tolerance=-1), "'tolerance' cannot be negative"),
        (lambda d: d["questions"][0].pop("explanation"), "missing required field 'explanation'"),
    ],
)
def test_invalid_quizzes_are_refused(change: Any, message: str) -> None:
    with pytest.raises(ContentError, match=message):
        Quiz.from_data(mutate(change))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["questions"][2]["options"][1].update(correct=True), "exactly one correct option, found 2"),
        (lambda d: d["questions"][0].update(answer={"expr": "plan.gold.monthly_connects"}), "unknown rule 'plan.gold"),
        (lambda d: d["questions"][0].update(text="{{ plan.nope }}"), "unknown rule 'plan.nope'"),
        (lambda d: d["questions"][4].update(answer={"expr": "invites.reply_cost"}), "not true or false"),
    ],
)
def test_compile_errors_are_located(rules: Rules, change: Any, message: str) -> None:
    with pytest.raises(ContentError, match=message) as caught:
        compile_quiz(Quiz.from_data(mutate(change)), rules)
    assert caught.value.path[:1] == ("questions",)


@pytest.mark.parametrize(
    ("answer", "about", "message"),
    [
        (100, "", ("literal key 100 is the plan figure plan.plus.monthly_connects; "
                   "write it as {expr: plan.plus.monthly_connects} so it follows the rules")),
        (80, "", "literal key 80 is the former value of plan.plus.monthly_connects (Dec 2020); the rules now say 100"),
        (90, "plan.plus.monthly_connects", ("literal key 90 contradicts rule plan.plus.monthly_connects = 100; "
                                           "write it as {expr: plan.plus.monthly_connects}")),
    ],
)
def test_literal_keys_that_write_or_contradict_a_figure_are_flagged(rules: Rules, answer: int, about: str, message: str) -> None:
    data = mutate(lambda d: d["questions"][0].update(answer=answer, about=about))
    problems = key_problems(Quiz.from_data(data), rules)
    assert [p.message for p in problems] == [message]
    assert problems[0].path == ("questions", 0, "answer")


def test_literal_keys_that_are_not_figures_pass(rules: Rules) -> None:
    data = mutate(lambda d: d["questions"][0].update(answer=37))
    assert key_problems(Quiz.from_data(data), rules) == []
