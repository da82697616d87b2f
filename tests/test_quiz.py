from __future__ import annotations

import copy
import io
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from quizkit.course import Course
from quizkit.errors import ContentError
from quizkit.model import Rules
from quizkit.quiz import (
    Quiz,
    compile_quiz,
    count_problems,
    grade_attempt,
    key_problems,
    length_problems,
    position_problems,
    presented,
    start_order,
    variant,
    verdict_problems,
)
from quizkit.variants import MIN_VARIANTS, fnv1a, mulberry32, shuffle_order, stream, variant_index
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


MISTAKES: dict[str, Any] = {
    "id": "plus-month", "type": "numeric", "text": "{{ balance }} Connects before a Plus refill. After it?",
    "params": {"balance": {"range": [5, 80]}}, "answer": {"expr": "balance + plan.plus.monthly_connects"},
    "unit": "Connects", "explanation": "{{ balance }} + {{ plan.plus.monthly_connects }}.", "section": SECTION,
    "feedback": {"correct": "Right.", "incorrect": "Add Plus's monthly total once."},
    "mistakes": [
        {"answer": {"expr": "balance + plan.plus.monthly_connects + plan.basic.monthly_connects"},
         "feedback": "You added Basic's {{ plan.basic.monthly_connects }} on top of Plus's total."},
        {"answer": {"expr": "plan.plus.monthly_connects if balance % 2 else None"},
         "feedback": "Your {{ balance }} are still there."},
    ],
}


def mistakes_quiz(change: Any = None) -> dict[str, Any]:
    question = copy.deepcopy(MISTAKES)
    if change is not None:
        change(question)
    return {"id": "m", "title": "M", "lesson": "lessons/01-connects-and-plans.md", "questions": [question]}


def test_a_known_mistakes_answer_gets_the_feedback_that_names_it(rules: Rules) -> None:
    compiled = compile_quiz(Quiz.from_data(mistakes_quiz()), rules)
    question = compiled["questions"][0]
    named_second = 0
    for seed in range(200):
        index, shown = variant(question, seed)
        balance = question["variants"][index]["params"]["balance"]
        assert shown["mistakes"][0] == {"value": balance + 110, "feedback": "You added Basic's 10 on top of Plus's total."}
        if balance % 2:
            named_second += 1
            assert shown["mistakes"][1] == {"value": 100, "feedback": f"Your {balance} are still there."}
        else:
            assert len(shown["mistakes"]) == 1, "a mistake whose answer is None is left out of that variant"
        for answer, correct, feedback in [
            (balance + 100, True, "Right."),
            (f"{balance + 110} Connects", False, "You added Basic's 10 on top of Plus's total."),
            (100, False, f"Your {balance} are still there." if balance % 2 else "Add Plus's monthly total once."),
            (balance + 101, False, "Add Plus's monthly total once."),
        ]:
            result = grade_attempt(compiled, {"plus-month": answer}, seed=seed).questions[0]
            assert (result.correct, result.feedback) == (correct, feedback), (seed, answer)
    assert 0 < named_second < 200


def test_a_mistake_within_the_tolerance_is_named_and_the_key_wins_over_it(rules: Rules) -> None:
    def change(q: dict[str, Any]) -> None:
        q.update(tolerance=0.5, mistakes=[{"answer": {"expr": "balance + plan.plus.monthly_connects + 1"},
                                           "feedback": "One too many."}])
    compiled = compile_quiz(Quiz.from_data(mistakes_quiz(change)), rules)
    _, shown = variant(compiled["questions"][0], 7)
    key = shown["key"]
    for answer, correct, feedback in [(key + 0.5, True, "Right."), (key + 0.6, False, "One too many."),
                                      (key + 1.5, False, "One too many."), (key + 1.6, False, "Add Plus's monthly total once.")]:
        result = grade_attempt(compiled, {"plus-month": answer}, seed=7).questions[0]
        assert (result.correct, result.feedback) == (correct, feedback), answer


def test_two_mistakes_with_one_answer_are_named_in_no_variant_where_they_meet(rules: Rules) -> None:
    def change(q: dict[str, Any]) -> None:
        q["mistakes"][1]["answer"] = {"expr": "balance + 110 if balance % 2 else 2 * balance"}
    compiled = compile_quiz(Quiz.from_data(mistakes_quiz(change)), rules)
    for shown in compiled["questions"][0]["variants"]:
        balance = shown["params"]["balance"]
        assert [m["value"] for m in shown["mistakes"]] == ([] if balance % 2 else [balance + 110, 2 * balance])
        if balance % 2:
            asked = {k: v for k, v in {**compiled["questions"][0], **shown}.items() if k != "variants"}
            result = grade_attempt({**compiled, "questions": [asked]}, {"plus-month": balance + 110}).questions[0]
            assert result.feedback == "Add Plus's monthly total once.", "not one of two mistakes the reader may not have made"


@pytest.mark.parametrize(
    ("change", "message", "where"),
    [
        (lambda q: q["mistakes"][1].update(answer={"expr": "balance + plan.plus.monthly_connects"}),
         r"with balance=\d+: this mistake gives \d+, the key: a reader who makes it would be told they are right",
         ("mistakes", 1, "answer")),
        (lambda q: q["mistakes"][1].update(answer={"expr": "None"}), "is named in no variant", ("mistakes", 1, "answer")),
        (lambda q: q["mistakes"][0].update(answer={"expr": "'many'"}), "the mistake's answer gives 'many', not a number",
         ("mistakes", 0, "answer")),
        (lambda q: q["mistakes"][0].update(feedback="{{ plan.gold }}"), "unknown rule 'plan.gold'", ("mistakes", 0, "feedback")),
    ],
)
def test_mistakes_a_reader_could_not_be_told_apart_are_refused(rules: Rules, change: Any, message: str,
                                                                where: tuple[Any, ...]) -> None:
    with pytest.raises(ContentError, match=message) as caught:
        compile_quiz(Quiz.from_data(mistakes_quiz(change)), rules)
    assert caught.value.path == ("questions", 0, *where)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda q: q["mistakes"][0].pop("answer"), "a mistake's 'answer' must be a number or {expr: ...}"),
        (lambda q: q["mistakes"][0].update(answer="many"), "a mistake's 'answer' must be a number or {expr: ...}"),
        (lambda q: q["mistakes"][0].pop("feedback"), "missing required field 'feedback'"),
        (lambda q: q["mistakes"][0].update(why="x"), "unknown field 'why'"),
        (lambda q: q.update(mistakes={"a": 1}), "'mistakes' must be"),
        (lambda q: q.update(type="true_false", answer=True), "a true_false question names mistakes in its options'"),
    ],
)
def test_malformed_mistakes_are_refused(change: Any, message: str) -> None:
    with pytest.raises(ContentError, match=re.escape(message)):
        Quiz.from_data(mistakes_quiz(change))


def test_a_mistakes_feedback_that_says_right_is_refused(rules: Rules) -> None:
    compiled = compile_quiz(Quiz.from_data(mistakes_quiz(lambda q: q["mistakes"][0].update(feedback="Right: close."))), rules)
    problems = verdict_problems(compiled)
    assert [p.message for p in problems] == [
        ("question 'plus-month' (variant 1): the feedback for 'mistake 1' opens with 'Right: close.', but the key rejects "
         "'mistake 1'; let the feedback's verdict follow the key (the same expression of the rules)")]


def test_a_mistakes_feedback_is_read_like_every_other_text(rules: Rules) -> None:
    compiled = compile_quiz(Quiz.from_data(mistakes_quiz(
        lambda q: q["mistakes"][0].update(feedback="You added {{ plan.basic.monthly_connects // 10 }} Connects too many."))), rules)
    assert [(p.path, p.message.split(":")[0]) for p in count_problems(compiled)] == [
        (("questions", 0, "mistakes", 0, "feedback"), "'1 Connects' reads wrongly (with balance=35)")]  # the first variant drawn


@pytest.mark.parametrize(
    ("typed", "read"),
    [("$0.15", True), ("0.15 USD", True), ("US$ 0.15", True), (" 0.15$ ", True), ("0.15 dollars", True),
     ("USD 0.15", True), ("0,15", True), ("$0,15", True), ("0.1 5", False), ("1_0", False), ("$", False),
     ("0.15 euros", False), ("0,150", False), ("0,1,5", False)],
)
def test_a_typed_number_may_carry_its_currency_and_a_decimal_comma(compiled: dict[str, Any], typed: str,
                                                                   read: bool) -> None:
    """As the page reads it (quiz.js toNumber): "0,15" is 0.15, as a phone's decimal key types it in many languages
    (session 33's phone review); never 15, and "0,150" (thousands or decimals?) is not read."""
    outcome = grade_attempt(compiled, {"price": typed}).questions[1]
    assert (outcome.answered, outcome.correct) == (read, read)


def _numeric(unit: str, answer: int) -> dict[str, Any]:
    question = {"id": "q", "type": "numeric", "text": "How many?", "answer": answer, "unit": unit, "explanation": "So.",
                "section": SECTION}
    return {"id": "units", "title": "Units", "lesson": "lessons/01-connects-and-plans.md", "questions": [question]}


@pytest.mark.parametrize(
    ("unit", "key", "typed", "read"),
    [("day of the month", 1, "1st", True), ("day of the month", 29, "29TH", True), ("day of the month", 2, "2nd day", True),
     ("day of the month", 3, "3 day of the month", True), ("days", 20, "20 days", True), ("days", 1, "1 day", True),
     ("days", 20, "20days", True), ("proposals", 2, "2 proposals", True), ("proposals", 1, "1 proposal", True),
     ("days", 20, "20 weeks", False), ("proposals", 2, "2 jobs", False), ("days", 20, "twenty", False),
     ("days", 1, "1st 2nd", False), ("", 5, "5 days", False)],
)
def test_a_number_may_carry_its_question_s_own_unit_or_be_an_ordinal(rules: Rules, unit: str, key: int, typed: str,
                                                                     read: bool) -> None:
    """The stems say days as "the 29th" and the inputs are labelled "Your answer (days)": a reader typing the
    question's own words is read, as the page reads them (quiz.js `unitWords`); another unit is not."""
    outcome = grade_attempt(compile_quiz(Quiz.from_data(_numeric(unit, key)), rules), {"q": typed}).questions[0]
    assert (outcome.answered, outcome.correct) == (read, read)


@pytest.mark.parametrize(("typed", "score"), [("100 Connects", 1), ("1,00", 0), ("0,100", 0), ("100.0%", 1)])
def test_commas_are_read_only_where_they_group_thousands(compiled: dict[str, Any], typed: str, score: int) -> None:
    assert grade_attempt(compiled, {"plus": typed}).score == score


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


# ---------------------------------------------------------------- shuffled options, seeds and variants

ROOT = Path(__file__).resolve().parent.parent
SEEDS = range(400)


@pytest.fixture(scope="module")
def course() -> Course:
    return Course.load(ROOT / "exercises")


def test_the_seeded_numbers_are_fixed_across_versions() -> None:
    # quiz.js computes the same (tests/browser/test_quizzes.py compares them in Chromium).
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("0|q") == 2639009416
    draw = mulberry32(1)
    assert [round(draw(), 12) for _ in range(2)] == [0.627073940588, 0.002735721180]
    assert stream(42, "abc", "order")() == stream(42, "abc", "order")()
    assert stream(42, "abc", "order")() != stream(43, "abc", "order")()


def test_shuffles_are_permutations_that_keep_pinned_options() -> None:
    pinned = [False, False, False, True]
    orders = {tuple(shuffle_order(pinned, seed, "q")) for seed in SEEDS}
    assert all(sorted(order) == [0, 1, 2, 3] and order[3] == 3 for order in orders)
    assert len(orders) == 6, "every order of the three free options occurs"
    assert all(start_order(3, seed, "q") != [0, 1, 2] for seed in SEEDS), "an order question never starts solved"


def test_variant_draws_are_spread_over_every_variant() -> None:
    counts = Counter(variant_index(seed, "q", MIN_VARIANTS) for seed in range(4000))
    assert set(counts) == set(range(MIN_VARIANTS))
    assert max(counts.values()) < 2 * min(counts.values())


VARIANT_QUIZ: dict[str, Any] = {
    "id": "v", "title": "Variants", "lesson": "l.md",
    "questions": [
        {"id": "afford", "type": "numeric", "section": SECTION,
         "text": "Balance {{ balance }}, jobs at {{ required }}: how many proposals?",
         "params": {"balance": {"range": [5, 40]}, "required": {"values": [3, 4, 6, 9]}}, "where": "balance >= required",
         "answer": {"expr": "proposals_affordable(balance, required)"}, "bounds": [1, {"expr": "plan.plus.monthly_connects"}],
         "explanation": "{{ balance }} // {{ required }} = {{ proposals_affordable(balance, required) }}.",
         "feedback": {"correct": "Yes: {{ proposals_affordable(balance, required) }}.", "incorrect": "Round down."}},
        {"id": "refill", "type": "single", "section": SECTION, "text": "Cycle started on the {{ ordinal(day) }}: refill day?",
         "params": {"day": {"range": [18, 31]}, "other": {"values": ["a", "b"]}},
         "options": [
             {"id": "same", "text": "The {{ ordinal(day) }}", "correct": {"expr": "refill_day(day) == day"}},
             {"id": "first", "text": "The first of the next month", "correct": {"expr": "refill_day(day) != day"}},
             {"id": "none", "text": "None of these", "pin": True},
         ],
         "explanation": "Late cycles renew on day {{ refill_day(31) }}."},
    ],
}


def test_parameterised_questions_have_their_own_key_and_explanation_per_variant(rules: Rules) -> None:
    compiled = compile_quiz(Quiz.from_data(VARIANT_QUIZ), rules)
    afford, refill = compiled["questions"]
    assert len(afford["variants"]) >= MIN_VARIANTS
    assert len({tuple(v["params"].items()) for v in afford["variants"]}) == len(afford["variants"])
    for v in afford["variants"]:
        balance, required = v["params"]["balance"], v["params"]["required"]
        assert balance >= required
        assert v["key"] == balance // required
        assert v["text"] == f"Balance {balance}, jobs at {required}: how many proposals?"
        assert v["explanation"] == f"{balance} // {required} = {balance // required}."
    for v in refill["variants"]:
        assert v["key"] == ("same" if v["params"]["day"] < rules.value("refill.late_start_day") else "first")
    assert compile_quiz(Quiz.from_data(VARIANT_QUIZ), rules) == compiled, "the same variants at every build"


def test_grading_follows_the_readers_variant_whatever_the_order(rules: Rules) -> None:
    compiled = compile_quiz(Quiz.from_data(VARIANT_QUIZ), rules)
    for seed in range(60):
        shown = presented(compiled, seed)
        assert shown[1]["options"][2]["id"] == "none", "the pinned option keeps its place"
        answers = {q["id"]: q["key"] for q in shown}
        result = grade_attempt(compiled, answers, seed=seed)
        assert result.score == 2
        assert [q.variant for q in result.questions] == [q["variant"] for q in shown]
        assert variant(compiled["questions"][0], seed)[1]["key"] == shown[0]["key"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["questions"][0].update(where="balance > 1000"), "only 0 distinct variants that satisfy where"),
        (lambda d: d["questions"][0]["params"].update(required={"values": [1, 2]}, balance={"values": [5, 6]}),
         "only 4 distinct variants"),
        (lambda d: d["questions"][0].update(bounds=[1, 5]), r"with balance=\d+, required=\d+: the key \d+ is outside"),
        (lambda d: d["questions"][1]["options"][1].update(correct=True),
         "with day=.*exactly one correct option, found 2"),
        (lambda d: d["questions"][1]["options"][1].update(text="The {{ ordinal(day) }}"), "two options read the same"),
        (lambda d: d["questions"][0].update(text="Balance {{ balance }} {{ required"), "unfilled"),
        (lambda d: d["questions"][0].update(text="Balance {balance}} now"), "unfilled"),
        (lambda d: d["questions"][0]["params"].update(plan={"values": [1]}), "'plan' cannot name a parameter"),
        (lambda d: d["questions"][0].update(where="missing_name > 1"), "unknown rule 'missing_name'"),
        (lambda d: d["questions"][0].update(let={"sends": "missing_name * 2"}),
         r"with balance=\d+, required=\d+: 'let' sends: unknown rule 'missing_name'"),
    ],
)
def test_invalid_or_ambiguous_variants_are_refused(rules: Rules, change: Any, message: str) -> None:
    data = copy.deepcopy(VARIANT_QUIZ)
    change(data)
    with pytest.raises(ContentError, match=message) as caught:
        compile_quiz(Quiz.from_data(data), rules)
    assert caught.value.path[:1] == ("questions",)


def test_let_names_values_worked_out_from_each_variants_parameters(rules: Rules) -> None:
    data = copy.deepcopy(VARIANT_QUIZ)
    data["questions"][0].update(
        let={"sends": "proposals_affordable(balance, required)", "left": "balance - sends * required"},
        text="Balance {{ balance }}, jobs at {{ required }}: how many proposals? ({{ left }} left over)",
        answer={"expr": "sends"}, explanation="{{ sends }} proposals, {{ left }} Connects left.")
    afford = compile_quiz(Quiz.from_data(data), rules)["questions"][0]
    for v in afford["variants"]:
        balance, required = v["params"]["balance"], v["params"]["required"]
        assert set(v["params"]) == {"balance", "required"}, "the variant's parameters, not what let works out"
        assert v["key"] == balance // required
        assert v["text"].endswith(f"({balance % required} left over)")
        assert v["explanation"] == f"{balance // required} proposals, {balance % required} Connects left."


@pytest.mark.parametrize("name", ["proposals_affordable", "plan"])
def test_let_cannot_take_a_functions_name_or_a_rules(rules: Rules, name: str) -> None:
    """As a parameter cannot: `{{ plan }}` would read the value, and a rule or a call by that name would be lost."""
    data = copy.deepcopy(VARIANT_QUIZ)
    data["questions"][0].update(let={"sends": "balance // required", name: "sends + 1"})
    with pytest.raises(ContentError, match=f"'{name}' cannot name a value of 'let': it must be a new name, not a rule") as caught:
        compile_quiz(Quiz.from_data(data), rules)
    assert caught.value.path == ("questions", 0, "let", name), "where the file names it, for its line"


@pytest.mark.parametrize(("let", "params", "message"), [
    ({"sends": "1"}, None, "'let' needs 'params'"),
    ({"balance": "1"}, {"balance": {"range": [5, 40]}}, "'balance' cannot name a value of 'let'"),
    ({"sends": 2}, {"balance": {"range": [5, 40]}}, "'let' gives 'sends' as an expression"),
])
def test_let_is_refused_where_it_cannot_name_a_new_value(let: dict[str, Any], params: Any, message: str) -> None:
    question = {"id": "q", "type": "numeric", "section": SECTION, "text": "?", "answer": 1, "explanation": ".", "let": let}
    if params is not None:
        question["params"] = params
    with pytest.raises(ContentError, match=message):
        Quiz.from_data({"id": "v", "title": "V", "lesson": "l.md", "questions": [question]})


def test_too_few_variants_asked_for_is_refused() -> None:
    data = copy.deepcopy(VARIANT_QUIZ)
    data["questions"][0]["variants"] = 5
    with pytest.raises(ContentError, match="'variants' must be at least 20"):
        Quiz.from_data(data)


def _single(qid: str, key_first: bool) -> dict[str, Any]:
    return {"id": qid, "type": "single", "text": "?", "explanation": ".", "section": SECTION, "options": [
        {"text": "yes", "correct": key_first}, {"text": "no", "correct": not key_first}]}


def test_an_unshuffled_quiz_with_the_key_mostly_in_one_place_is_refused(rules: Rules) -> None:
    data = {"id": "p", "title": "P", "lesson": "l.md", "shuffle": False,
            "questions": [_single("a", True), _single("b", True), _single("c", False)]}
    quiz = Quiz.from_data(data)
    problems = position_problems(quiz, compile_quiz(quiz, rules))
    assert [p.message for p in problems] == [(
        "options are not shuffled and the key is option 1 in 2 of the quiz's 3 single-choice questions: answering by "
        "position would pass; shuffle the options or vary where the key sits")]
    data["questions"].append(_single("d", False))
    assert position_problems(Quiz.from_data(data), compile_quiz(Quiz.from_data(data), rules)) == []
    data["shuffle"] = True
    data["questions"].pop()
    assert position_problems(Quiz.from_data(data), compile_quiz(Quiz.from_data(data), rules)) == []


def test_answering_by_position_scores_no_better_than_chance(course: Course) -> None:
    """A reader who always picks the option in the same place, over many seeds, scores what chance gives."""
    for quiz_id, compiled in course.compiled_quizzes.items():
        singles = [q for q in compiled["questions"] if q["type"] == "single"]
        if not singles:
            continue
        expected = sum(1 / len(q["options"]) for q in singles)
        for position in range(max(len(q["options"]) for q in singles)):
            scores = []
            for seed in SEEDS:
                shown = [q for q in presented(compiled, seed) if q["type"] == "single"]
                answers = {q["id"]: q["options"][min(position, len(q["options"]) - 1)]["id"] for q in shown}
                scores.append(grade_attempt(compiled, answers, seed=seed).score)
            mean = sum(scores) / len(scores)
            # 400 seeds: the mean's standard error is well under 0.1 for these quizzes.
            assert abs(mean - expected) < 0.35, (quiz_id, position, mean, expected)


def _worded(qid: str, key: str, others: tuple[str, ...]) -> dict[str, Any]:
    return {"id": qid, "type": "single", "text": "?", "explanation": ".", "section": SECTION,
            "options": [{"text": key, "correct": True}, *({"text": other} for other in others)]}


def test_a_quiz_whose_keys_are_mostly_the_longest_option_is_refused(rules: Rules) -> None:
    """Picking the longest option must not pass: the build says which questions give their key away so."""
    hedged = "Yes, as long as the client agrees to it first."
    data = {"id": "p", "title": "P", "lesson": "l.md", "questions": [
        _worded("a", hedged, ("No.", "Never.")), _worded("b", hedged, ("Only on Fridays.", "Always.")),
        _worded("c", "No.", ("Yes, whenever the client asks you to do so.", "Maybe."))]}
    quiz = Quiz.from_data(data)
    assert [p.message for p in length_problems(compile_quiz(quiz, rules))] == [(
        "the key is the longest option in 2 of the quiz's 3 single-choice questions (a, b): a reader who picks the "
        "longest option would pass; shorten those keys or give the other options as much to say")]
    assert [p.path for p in length_problems(compile_quiz(quiz, rules))] == [("questions", 0)]
    data["questions"][1] = _worded("b", "No.", ("Only on Fridays, when the client is online.", "Always."))
    assert length_problems(compile_quiz(Quiz.from_data(data), rules)) == [], "1 of 3: no pattern to follow"
    data["questions"] = [*data["questions"][:1], _worded("b", hedged, ("No.", "Never."))]
    assert length_problems(compile_quiz(Quiz.from_data(data), rules)) == [], "2 questions: too few to judge"


@pytest.mark.parametrize(("low", "refused"), [(10, True), (1, False)])
def test_the_length_of_a_key_is_judged_in_the_variants_the_reader_sees(rules: Rules, low: int, refused: bool) -> None:
    """"{{ n }} Connects" is longer than "0 Connects" whenever n has two digits, and ties it otherwise."""
    question = {**_worded("q", "{{ n }} Connects", ("0 Connects", "None.")), "text": "Week {{ week }}?",
                "params": {"n": {"range": [low, low + 8]}, "week": {"range": [1, 3]}}}
    data = {"id": "p", "title": "P", "lesson": "l.md",
            "questions": [{**question, "id": qid} for qid in ("a", "b", "c")]}
    compiled = compile_quiz(Quiz.from_data(data), rules)
    assert all(len(q["variants"]) > 1 for q in compiled["questions"])
    assert bool(length_problems(compiled)) is refused


def test_the_right_option_is_not_systematically_the_longest(course: Course) -> None:
    singles = [q for c in course.compiled_quizzes.values() for q in c["questions"] if q["type"] == "single"]
    longest = [q for q in singles
               if max(q["options"], key=lambda o: len(o["text"]))["id"] == q["key"]]
    assert len(longest) * 2 <= len(singles), [q["id"] for q in longest]


def test_every_question_explains_right_and_wrong_answers(course: Course) -> None:
    """Elaborated feedback: no bare "Right.", every answer a reader can give says why."""
    for compiled in course.compiled_quizzes.values():
        for q in compiled["questions"]:
            for v in q.get("variants") or [q]:
                if q["type"] in ("single", "multiple"):
                    texts = [o["feedback"] for o in v["options"]]
                elif q["type"] == "true_false":
                    texts = [v["feedback"].get("true", ""), v["feedback"].get("false", "")]
                else:
                    texts = [v["feedback"].get("correct", ""), v["feedback"].get("incorrect", "")]
                assert all(len(t.split()) >= 4 for t in texts), (compiled["id"], q["id"], texts)
                assert v["explanation"], (compiled["id"], q["id"])
            if q["type"] == "multiple":
                assert "select all" not in q["text"].lower(), "the widget says it; the stem must not say it twice"


def test_at_least_half_of_the_numeric_questions_and_some_choice_questions_have_variants(course: Course) -> None:
    questions = [q for c in course.compiled_quizzes.values() for q in c["questions"]]
    numeric = [q for q in questions if q["type"] == "numeric"]
    assert sum(bool(q.get("variants")) for q in numeric) * 2 >= len(numeric)
    assert sum(bool(q.get("variants")) for q in questions if q["type"] in ("single", "multiple", "true_false")) >= 3
    assert all(len(q["variants"]) >= MIN_VARIANTS for q in questions if q.get("variants"))
    assert {"match", "order"} <= {q["type"] for q in questions}


# ---------------------------------------------------------------- match and order

MATCH_ORDER: dict[str, Any] = {
    "id": "mo", "title": "M", "lesson": "l.md", "questions": [
        {"id": "ret", "type": "match", "text": "Returned?", "explanation": "Two return.", "section": SECTION,
         "choices": [{"id": "back", "text": "Returned"}, {"id": "kept", "text": "Stay spent"}],
         "items": [
             {"id": "cancel", "text": "Client cancels", "answer": {"expr": "'back' if connects_returned('client_cancelled_before_contract') else 'kept'"}},
             {"id": "declined", "text": "Declined", "answer": "kept", "feedback": "Declining keeps them."},
             {"id": "withdrawn", "text": "You withdraw", "answer": {"expr": "'back' if connects_returned('withdrawn') else 'kept'"},
              "feedback": "Withdrawing keeps them."},
         ], "feedback": {"correct": "All right.", "incorrect": "See the table."}},
        {"id": "steps", "type": "order", "text": "In order?", "explanation": "Avatar first.", "section": SECTION,
         "items": [{"id": "avatar", "text": "Avatar"}, {"id": "settings", "text": "Settings"},
                   {"id": "membership", "text": "Membership & Connects"}],
         "feedback": {"incorrect": "Start at the avatar."}},
    ]}


def test_match_and_order_are_graded_by_their_keys(rules: Rules) -> None:
    compiled = compile_quiz(Quiz.from_data(MATCH_ORDER), rules)
    match, order = compiled["questions"]
    assert match["key"] == {"cancel": "back", "declined": "kept", "withdrawn": "kept"}
    assert order["key"] == ["avatar", "settings", "membership"]
    right = {"ret": dict(match["key"]), "steps": list(order["key"])}
    assert grade_attempt(compiled, right).score == 2
    result = grade_attempt(compiled, {"ret": {"cancel": "back", "declined": "back"},
                                      "steps": ["settings", "avatar", "membership"]})
    assert result.score == 0
    assert [q.answered for q in result.questions] == [True, True]
    assert result.questions[0].feedback == "1 of 3 matched rightly. Declining keeps them. Withdrawing keeps them. See the table."
    assert result.questions[1].feedback == "1 of 3 in the right place. Start at the avatar."


@pytest.mark.parametrize("answer", [None, [], {}, {"zzz": "back"}, {"cancel": "maybe"}, ["avatar", "avatar", "settings"],
                                    ["avatar", "settings"], ["avatar", "settings", "membership", "x"], [1, 2, 3]])
def test_odd_match_and_order_answers_count_as_unanswered(rules: Rules, answer: Any) -> None:
    compiled = compile_quiz(Quiz.from_data(MATCH_ORDER), rules)
    result = grade_attempt(compiled, {"ret": answer, "steps": answer})
    assert not any(q.answered for q in result.questions)


def test_a_match_key_must_be_one_of_the_choices(rules: Rules) -> None:
    data = copy.deepcopy(MATCH_ORDER)
    data["questions"][0]["items"][1]["answer"] = "maybe"
    with pytest.raises(ContentError, match="the answer of item 'declined' is 'maybe', not one of the choices"):
        compile_quiz(Quiz.from_data(data), rules)


# ---------------------------------------------------------------- the terminal draws the same variants


def test_the_terminal_asks_the_seeds_variants_and_grades_them(course: Course, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    from quizkit.cli import main

    compiled = course.compiled_quizzes["spending"]
    shown = presented(compiled, 7)
    replies: list[str] = []
    for q in shown:
        letters = "abcdefgh"
        if q["type"] == "single":
            replies.append(letters[[o["id"] for o in q["options"]].index(q["key"])])
        elif q["type"] == "match":
            choices = [c["id"] for c in q["choices"]]
            replies += [letters[choices.index(q["key"][item["id"]])] for item in q["items"]]
        elif q["type"] == "order":
            ids = [item["id"] for item in q["items"]]
            replies.append(",".join(letters[ids.index(k)] for k in q["key"]))
        else:
            replies.append(str(q["key"]))
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{reply}\n" for reply in replies)))
    code = main(["quiz", "spending", "--seed", "7", "--content", str(ROOT / "exercises")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"score: {len(shown)}/{len(shown)}" in out
    affordable = next(q for q in shown if q["id"] == "affordable")
    assert affordable["text"] in out, "the variant of seed 7 was asked"
    assert "run with --seed 7" in out
