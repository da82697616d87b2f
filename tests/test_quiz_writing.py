"""Item-writing cues `quizkit check` refuses: one key for every fixed true/false item, counts that do not agree."""

from __future__ import annotations

import re
from pathlib import Path
from textwrap import dedent
from typing import TYPE_CHECKING, Any

import pytest

from quizkit.course import Course
from quizkit.expressions import count
from quizkit.quiz import (
    COUNT_HEADS,
    COUNT_NOUNS,
    Quiz,
    compile_quiz,
    count_problems,
    miscounted,
    true_false_key_problems,
    verdict_problems,
)
from tests.test_check import EXERCISE_YML, check, line_of, write_course

if TYPE_CHECKING:
    from quizkit.model import Rules

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def course() -> Course:
    return Course.load(ROOT / "exercises")


def _true_false(qid: str, answer: str) -> str:
    return dedent(f"""\
          - id: {qid}
            type: true_false
            text: Statement {qid}.
            answer: {answer}
            feedback: {{"true": "Because of this rule, {qid}.", "false": "Because of that rule, {qid}."}}
            explanation: Why {qid}.
            section: lessons/plans.md#plans
        """)


def _quiz(quiz_id: str, *questions: str) -> str:
    return f"id: {quiz_id}\ntitle: T\nlesson: lessons/plans.md\nquestions:\n" + "".join(
        "  " + q.replace("\n", "\n  ").rstrip(" ") for q in questions)


# ---------------------------------------------------------------- one key for every fixed true/false item


def test_a_quiz_whose_fixed_true_false_items_are_all_false_fails_check(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    quiz = _quiz("plans", _true_false("first", "false"), _true_false("second", "{expr: 'invites.reply_cost > 0'}"))
    root = write_course(tmp_path, **{"quizzes__plans.yml": quiz})
    code, lines = check(root, capsys)
    assert code == 1
    line = line_of(quiz, "- id: first")
    assert lines == [(f"{root / 'quizzes/plans.yml'}:{line}: all 2 true/false questions with a fixed key in this quiz "
                      "(first, second) are keyed false: a reader who always answers false passes them; write some of "
                      "them as statements with the other answer")]


def test_the_course_whose_fixed_true_false_items_are_mostly_true_fails_check(tmp_path: Path,
                                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """No quiz has one key throughout, but 3 of the course's 4 are true: the reader who takes them all learns that "true" wins."""
    plans = _quiz("plans", _true_false("a", "true"), _true_false("b", "false"), _true_false("c", "true"))
    root = write_course(tmp_path, **{"quizzes__plans.yml": plans,
                                     "quizzes__spending.yml": _quiz("spending", _true_false("d", "true"))})
    code, lines = check(root, capsys)
    assert code == 1
    assert lines == [(f"{root / 'quizzes/plans.yml'}:{line_of(plans, '- id: a')}: 3 of the course's 4 true/false questions "
                     "with a fixed key are keyed true (plans:a, plans:c, spending:d), more than 70%: a reader who always "
                     "answers true passes most of them; write some of them as statements with the other answer")]


def test_a_quiz_whose_fixed_true_false_items_are_mostly_false_fails_check(tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """4 of 5 keyed false: a reader who always answers false gets 4 of them, however the course's mix looks."""
    quiz = _quiz("plans", *(_true_false(qid, "false") for qid in ("a", "b", "c", "d")), _true_false("e", "true"))
    other = _quiz("spending", *(_true_false(qid, "true") for qid in ("f", "g")), _true_false("h", "false"))
    root = write_course(tmp_path, **{"quizzes__plans.yml": quiz, "quizzes__spending.yml": other})
    code, lines = check(root, capsys)
    assert code == 1
    assert lines == [(f"{root / 'quizzes/plans.yml'}:{line_of(quiz, '- id: a')}: 4 of the 5 true/false questions with a "
                      "fixed key in this quiz are keyed false (a, b, c, d), more than 70%: a reader who always answers "
                      "false passes most of them; write some of them as statements with the other answer")]


def _compiled(rules: Rules, quiz_id: str, *answers: object) -> dict[str, object]:
    """A quiz of true/false questions `q0`, `q1`... keyed by `answers`: a literal, or an expression over `n` (2 to 40)."""
    questions = [{"id": f"q{i}", "type": "true_false", "text": "{{ n }} proposals?" if isinstance(answer, str) else "A.",
                  "answer": {"expr": answer} if isinstance(answer, str) else answer, "explanation": "Why.",
                  "section": "l.md#a", **({"params": {"n": {"range": [2, 40]}}} if isinstance(answer, str) else {})}
                 for i, answer in enumerate(answers)]
    return compile_quiz(Quiz.from_data({"id": quiz_id, "title": "T", "lesson": "l.md", "questions": questions}), rules)


@pytest.mark.parametrize(("quizzes", "flagged"), [
    ({"a": (True, False, True), "b": (True,)}, True),  # 3 of 4, 75%
    ({"a": (True, False, True), "b": (True, False, True, True)}, True),  # 5 of 7, 71%
    ({"a": (True, False, True), "b": (True, False, True, True, False, True, False)}, False),  # 7 of 10: not more than 70%
    ({"a": (True, False, False, True), "b": (True, True, False)}, False),  # 4 of 7: the course's own mix
    ({"a": (True, False, True, True), "b": (False, False, False, True)}, True),  # 4 of 8, but a quiz's 3 of 4
    ({"a": (False, True, False, False, False), "b": (True, True, True)}, True),  # 4 of 8, but a quiz's 4 of 5
    ({"a": (True, False), "b": (True,)}, False),  # 2 of 3: too few to tell
])
def test_the_course_or_a_quiz_fails_when_one_key_holds_more_than_70_percent_of_at_least_four(
        rules: Rules, quizzes: dict[str, tuple[bool, ...]], flagged: bool) -> None:
    compiled = {quiz_id: _compiled(rules, quiz_id, *answers) for quiz_id, answers in quizzes.items()}
    assert bool(true_false_key_problems(compiled)) is flagged


def test_mixed_keys_and_items_with_variants_pass(rules: Rules) -> None:
    mixed = {"plans": compile_quiz(Quiz.from_data({"id": "plans", "title": "T", "lesson": "l.md", "questions": [
        {"id": "a", "type": "true_false", "text": "A.", "answer": False, "explanation": "A.", "section": "l.md#a"},
        {"id": "b", "type": "true_false", "text": "B.", "answer": True, "explanation": "B.", "section": "l.md#a"},
    ]}), rules)}
    assert true_false_key_problems(mixed) == []
    varied = {"plans": _compiled(rules, "plans", False, "n > 20")}
    assert true_false_key_problems(varied) == [], "a question whose key varies with its variants is not a fixed item"


def test_a_question_whose_variants_all_share_a_key_counts_as_fixed(rules: Rules) -> None:
    """Varying the numbers of a statement that is always false hides nothing from a reader who always answers false."""
    problems = true_false_key_problems({"plans": _compiled(rules, "plans", False, "n > 1000")})
    assert [(quiz_id, p.path, p.message.split(":")[0]) for quiz_id, p in problems] == [
        ("plans", ("questions", 0), ("all 2 true/false questions with a fixed key in this quiz (q0, q1 (the same key in "
                                    "every variant)) are keyed false"))]
    course = {"a": _compiled(rules, "a", False, True, False), "b": _compiled(rules, "b", "n > 1000", "n > 0", "n < 0"),
              "c": _compiled(rules, "c", "n > 1000")}
    assert [p.message.split(" (")[0] for _, p in true_false_key_problems(course)] == [
        "5 of the course's 7 true/false questions with a fixed key are keyed false"]


def test_the_real_course_mixes_its_true_false_keys(course: Course) -> None:
    compiled = course.compiled_quizzes
    assert true_false_key_problems(compiled) == []
    keys = [q["key"] for c in compiled.values() for q in c["questions"] if q["type"] == "true_false" and not q.get("variants")]
    assert 0.25 <= sum(keys) / len(keys) <= 0.75, keys


# ---------------------------------------------------------------- counts that agree with their number


@pytest.mark.parametrize(("text", "wrong"), [
    ("a job posted 1 days ago", ["1 days"]),
    ("your balance is 1 Connects, 3 Connect", ["1 Connects", "3 Connect"]),
    ("0 proposal and 1 billing cycles", ["0 proposal", "1 billing cycles"]),
    ("1 day, 1 Connect, 0 boosts, 2 months, 1.5 days, $1 per Connect, the 1st of May, 10 Connects", []),
])
def test_miscounted_finds_numbers_whose_noun_does_not_agree(text: str, wrong: list[str]) -> None:
    assert miscounted(text) == wrong


@pytest.mark.parametrize(("text", "wrong"), [
    ("you need 1 more Connects", ["1 more Connects"]),  # one adjective between number and noun
    ("with 1 other proposals and 2 spare Connect", ["1 other proposals", "2 spare Connect"]),
    ("1\xa0days and 1&nbsp;weeks", ["1 days", "1 weeks"]),  # any space, a no-break one too
    ("1 Days, 1 connects, 2 DAY", ["1 Days", "1 connects", "2 DAY"]),  # any case
    ("**1** days, _1_ months, **1 hours**", ["**1** days", "_1_ months", "**1 hours"]),  # Markdown emphasis
    ("1 interviews, 2 time, 1 contracts, 1 points, 1 hints, 2 check, 1 skills, 1 quizzes, 1 batches, 2 reply",
     ["1 interviews", "2 time", "1 contracts", "1 points", "1 hints", "2 check", "1 skills", "1 quizzes", "1 batches",
      "2 reply"]),
    ("0.5 day, and 1.0 days", ["0.5 day", "1.0 days"]),  # only exactly 1 is singular, however it is written
    ("a 10 Connect bundle and a 7 day auction", ["10 Connect bundle", "7 day auction"]),  # a compound wants its hyphen
    ("1 days\nand 2\nday", ["1 days", "2 day"]),  # a count may break over a line
])
def test_miscounted_is_not_fooled_by_form(text: str, wrong: list[str]) -> None:
    assert miscounted(text) == wrong


@pytest.mark.parametrize("text", [
    "1.5 days, $1 a Connect, $1 per Connect, 1,000 Connects, 1 Connect, 1.0 day, 0.5 days",
    "version 1 proposals, Lesson 1 Connects, step 2 day, on day 1 Connects refill, question 3 option",  # names, not counts
    "a 10-Connect bundle, a 7-day auction, 3 Connect bundles, 5 job posts, 2 top slot bids",  # hyphenated; noun adjuncts
    "15 required + 7 bid = 22 Connects, 22 Connects = 15 required + 7 bid",  # labels of a sum
    "after 1 month proposals expire; 1 or more Connects; 1-2 days; 1/2 day; 1, 2 or 3 days; 1. Connects",
    "`count(1, 'day')`, count(2, 'day')",
])
def test_miscounted_lets_good_text_through(text: str) -> None:
    assert miscounted(text) == []


def test_a_compound_count_is_told_to_take_its_hyphen(rules: Rules) -> None:
    compiled = compile_quiz(Quiz.from_data({"id": "q", "title": "T", "lesson": "l.md", "questions": [
        {"id": "s", "type": "numeric", "text": "A 7 day auction?", "answer": 1, "explanation": "Why.", "section": "l.md#a"},
    ]}), rules)
    assert [p.message for p in count_problems(compiled)] == [
        ("'7 day auction' reads wrongly: a count that describes a noun is hyphenated, '7-day auction', or say it the "
        "other way round, 'an auction of 7 days'")]


def test_count_gives_every_counted_noun_the_plural_the_check_expects() -> None:
    """`count(n, noun)` is what the check's messages tell authors to write: it must never be flagged itself."""
    for singular, plural in COUNT_NOUNS + COUNT_HEADS:
        assert (count(1, singular), count(2, singular)) == (f"1 {singular}", f"2 {plural}")
        assert miscounted(f"{count(1, singular)}, {count(2, singular)}, {count(0.5, singular)}") == []


def test_a_variant_that_counts_wrongly_fails_check_at_its_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    quiz = _quiz("plans", dedent("""\
          - id: posted
            type: numeric
            text: "A job was posted {{ days }} days ago and you bid {{ bid }} Connects. How many days until its boost auction closes?"
            params:
              days: {range: [1, 6]}
              bid: {range: [2, 5]}
            variants: 20
            answer: {expr: "boost.auction_days - days"}
            feedback: {correct: "Right, the auction lasts a week.", incorrect: "Count from the day it was posted."}
            explanation: "{{ count(boost.auction_days - days, 'day') }} are left."
            section: lessons/plans.md#plans
        """))
    root = write_course(tmp_path, **{"quizzes__plans.yml": quiz})
    code, lines = check(root, capsys)
    assert code == 1
    line = line_of(quiz, "posted {{ days }} days ago")
    assert len(lines) == 1, lines
    assert re.fullmatch(re.escape(f"{root / 'quizzes/plans.yml'}:{line}: '1 days' reads wrongly (with days=1, bid=") + r"\d\): "
                        + re.escape("write the count as {{ count(n, 'day') }}, which gives 1 the singular and other "
                                    "numbers the plural, or keep such values out with 'where'"), lines[0]), lines[0]


def test_count_problems_read_options_feedback_and_explanations_of_every_variant(rules: Rules) -> None:
    compiled = compile_quiz(Quiz.from_data({"id": "q", "title": "T", "lesson": "l.md", "questions": [
        {"id": "s", "type": "single", "text": "Balance {{ count(n, 'Connect') }}?", "explanation": "{{ n }} proposals.",
         "section": "l.md#a", "params": {"n": {"range": [1, 30]}},
         "options": [{"text": "{{ n }} Connects", "correct": True, "feedback": "{{ count(n, 'Connect') }} left."},
                     {"text": "{{ n + 1 }} Connects", "feedback": "No: that leaves {{ n - 1 }} Connects."}]},
    ]}), rules)
    problems = {(p.path, p.message.split(" reads")[0]) for p in count_problems(compiled)}
    assert problems == {(("questions", 0, "explanation"), "'1 proposals'"), (("questions", 0, "options", 0, "text"), "'1 Connects'"),
                        (("questions", 0, "options", 1, "feedback"), "'1 Connects'")}


def test_lessons_prompts_hints_and_messages_count_rightly_once_filled(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """What `quizkit check` reads for typed figures it reads for counts, with its expressions filled in; code is left alone."""
    page = dedent("""\
        # Plans

        Plus gives {{ plan.plus.monthly_connects }} Connects a month.
        With {{ plan.plus.monthly_connects - 99 }} Connects left, you send
        1 more proposals.

        ```python
        print("1 days")
        ```
        """)
    exercise = (EXERCISE_YML.replace("- Look in RULES.", "- Look in RULES, as 1 Connects is not enough.")
                .replace("message: Each plan has its own figure.",
                         "message: Each plan has its own figure, {{ plan.plus.monthly_connects - 98 }} Connect or more."))
    root = write_course(tmp_path / "exercises", **{"plans__allowance__exercise.yml": exercise,
                                                   "plans__allowance__prompt.md": "Write `monthly_connects(plan)`.\n\nIt takes **1** days.\n"})
    (tmp_path / "docs/lessons").mkdir(parents=True)
    (tmp_path / "docs/lessons/plans.md").write_text(page, encoding="utf-8")
    code, lines = check(root, capsys)
    assert code == 1
    yml, prompt, md = root / "plans/allowance/exercise.yml", root / "plans/allowance/prompt.md", tmp_path / "docs/lessons/plans.md"
    assert lines == [
        f"{md}:4: '1 Connects' reads wrongly: write '1 Connect', or {{{{ count(n, 'Connect') }}}} where an expression gives the number",
        (f"{md}:5: '1 more proposals' reads wrongly: write '1 more proposal', or {{{{ count(n, 'more proposal') }}}} where an "
        "expression gives the number"),
        (f"{yml}:{line_of(exercise, '1 Connects is not')}: '1 Connects' reads wrongly: write '1 Connect', or "
        "{{ count(n, 'Connect') }} where an expression gives the number"),
        (f"{yml}:{line_of(exercise, 'Each plan has')}: '2 Connect' reads wrongly: write '2 Connects', or "
        "{{ count(n, 'Connect') }} where an expression gives the number"),
        f"{prompt}:3: '**1** days' reads wrongly: write '1 day', or {{{{ count(n, 'day') }}}} where an expression gives the number",
    ]


def test_the_real_course_counts_rightly(course: Course) -> None:
    assert [p.message for c in course.compiled_quizzes.values() for p in count_problems(c)] == []


def test_the_right_option_is_not_systematically_the_shortest(course: Course) -> None:
    """The other half of `test_the_right_option_is_not_systematically_the_longest`: a bare, short key is a cue too."""
    singles = [v for c in course.compiled_quizzes.values() for q in c["questions"] if q["type"] == "single"
               for v in (q.get("variants") or [q])[:1]]
    shortest = [q for q in singles if min(q["options"], key=lambda o: len(o["text"]))["id"] == q["key"]]
    assert len(shortest) * 4 <= len(singles), [q["text"][:40] for q in shortest]


# ---------------------------------------------------------------- a verdict the key contradicts


def _verdicts(rules: Rules, question: dict[str, object]) -> list[str]:
    compiled = compile_quiz(Quiz.from_data({"id": "q", "title": "T", "lesson": "l.md", "questions": [
        {"id": "v", "text": "Rank {{ rank }}: charged?", "explanation": "Why.", "section": "l.md#a", **question}]}), rules)
    return [p.message for p in verdict_problems(compiled)]


def test_feedback_whose_verdict_follows_a_figure_the_key_does_not_fails_in_the_variant_where_they_part(rules: Rules) -> None:
    """The top-slots item once said "No" to the keyed answer whenever an outbid boost was charged: the check finds it."""
    question = {"type": "true_false", "params": {"rank": {"range": [1, 30]}},
                "answer": {"expr": "boost_charged(top_slot_at_close=rank <= boost.top_slots, client_interacted=rank > 0)"},
                "feedback": {"true": "{{ 'Right' if rank <= boost.top_slots else 'No' }}: because.",
                             "false": "{{ 'Right' if rank > boost.top_slots else 'No' }}: because."}}
    problems = _verdicts(rules, question)
    assert len(problems) == 1, problems  # one message per question, at its first variant that disagrees
    assert re.fullmatch(r"question 'v' \(variant \d+\): the feedback for 'true' opens with 'No: because\.', but the key "
                        r"accepts 'true'; let the feedback's verdict follow the key \(the same expression of the rules\)",
                        problems[0]), problems[0]
    question["feedback"] = {"true": "{{ 'Right' if boost_charged(top_slot_at_close=rank <= boost.top_slots, client_interacted=rank > 0) else 'No' }}: because.",
                            "false": "{{ 'No' if boost_charged(top_slot_at_close=rank <= boost.top_slots, client_interacted=rank > 0) else 'Right' }}: because."}
    assert _verdicts(rules, question) == []


@pytest.mark.parametrize(("right", "wrong", "found"), [
    ("Right: it is.", "No, it is not.", False),
    ("Not every month has that day.", "Check the day again.", False),  # "Not" alone is no verdict
    ("No: it is not.", "Check the day again.", True),
    ("Good.", "Correct, it is.", True),
    ("Yes! It is.", "Wrong: it is not.", False),
])
def test_single_choice_and_numeric_feedback_is_read_for_its_opening_verdict(rules: Rules, right: str, wrong: str,
                                                                            found: bool) -> None:
    single = {"type": "single", "options": [{"text": "A {{ rank }}", "correct": True, "feedback": right},
                                             {"text": "B {{ rank }}", "feedback": wrong}], "params": {"rank": {"range": [1, 30]}}}
    numeric = {"type": "numeric", "answer": {"expr": "rank"}, "tolerance": 0, "params": {"rank": {"range": [1, 30]}},
               "feedback": {"correct": right, "incorrect": wrong}}
    assert bool(_verdicts(rules, single)) is found
    assert bool(_verdicts(rules, numeric)) is found


def test_the_real_course_gives_no_verdict_its_key_contradicts(course: Course) -> None:
    assert [p.message for c in course.compiled_quizzes.values() for p in verdict_problems(c)] == []


# ---------------------------------------------------------------- sentences a second-language reader can hold

LONGEST_SENTENCE = 40
"""Words in a quiz sentence, numbers and sums included: the course's readers often read English as a second language."""


def _quiz_texts(question: dict[str, Any]) -> list[str]:
    """Every text a reader can see of one variant: stem, options, feedback, named mistakes, explanation."""
    texts = [str(question.get("text", "")), str(question.get("explanation", ""))]
    for part in ("options", "items", "mistakes"):
        texts += [str(o.get(key) or "") for o in question.get(part) or [] for key in ("text", "feedback")]
    feedback = question.get("feedback")
    if isinstance(feedback, dict):
        texts += [str(value) for value in feedback.values()]
    return texts


def test_no_quiz_sentence_in_any_variant_is_longer_than_a_reader_can_hold(course: Course) -> None:
    """break-even's feedback ran 41 words in one sentence, triage-posts' explanation 48: split at the verdict."""
    long = set()
    for quiz_id, compiled in course.compiled_quizzes.items():
        for q in compiled["questions"]:
            for variant in q.get("variants") or [{}]:
                for text in _quiz_texts({**q, **variant}):
                    for sentence in re.split(r"(?<=[.?!])\s+(?=[A-Z])", text):
                        if len(sentence.split()) > LONGEST_SENTENCE:
                            long.add((quiz_id, q["id"], len(sentence.split())))
    assert sorted(long) == []


def test_no_parameterised_choice_has_its_key_as_the_shortest_or_the_longest_option_in_every_variant(
        course: Course) -> None:
    """price-per-connect's key ('Buy just the 8 Connects you lack, $1.20, and apply today.') was the shortest of its
    four options in all 24 variants: on every retry, the shortest option was right."""
    found = []
    for quiz_id, compiled in course.compiled_quizzes.items():
        for q in compiled["questions"]:
            if q["type"] != "single" or not q.get("variants"):
                continue
            ranks = set()
            for variant in q["variants"]:
                lengths = sorted(len(o["text"]) for o in variant["options"])
                key = len(next(o["text"] for o in variant["options"] if o["id"] == variant["key"]))
                ranks.add("shortest" if key == lengths[0] else "longest" if key == lengths[-1] else "between")
            if len(ranks) == 1 and ranks != {"between"}:
                found.append((quiz_id, q["id"], *ranks))
    assert found == []
