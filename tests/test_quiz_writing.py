"""Item-writing cues `quizkit check` refuses: one key for every fixed true/false item, counts that do not agree."""

from __future__ import annotations

import re
from pathlib import Path
from textwrap import dedent
from typing import TYPE_CHECKING

import pytest

from quizkit.course import Course
from quizkit.quiz import Quiz, compile_quiz, count_problems, miscounted, true_false_key_problems
from tests.test_check import check, line_of, write_course

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
    assert lines == [(f"{root / 'quizzes/plans.yml'}:{line}: all 2 true/false questions without variants of this quiz "
                      "(first, second) are keyed false: a reader who always answers false passes them; write some of "
                      "them as statements with the other answer")]


def test_the_course_whose_fixed_true_false_items_are_all_true_fails_check(tmp_path: Path,
                                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """One item per quiz, each alone in its quiz: the reader who takes both still learns that "true" wins."""
    root = write_course(tmp_path, **{"quizzes__plans.yml": _quiz("plans", _true_false("a", "true")),
                                     "quizzes__spending.yml": _quiz("spending", _true_false("b", "true"))})
    code, lines = check(root, capsys)
    assert code == 1
    assert len(lines) == 1, lines
    assert re.fullmatch(rf"{re.escape(str(root / 'quizzes'))}/\w+\.yml:5: all 2 true/false questions without variants "
                        r"of the course \((plans:a, spending:b|spending:b, plans:a)\) are keyed true: .*", lines[0]), lines[0]


def test_mixed_keys_and_items_with_variants_pass(rules: Rules) -> None:
    mixed = {"plans": compile_quiz(Quiz.from_data({"id": "plans", "title": "T", "lesson": "l.md", "questions": [
        {"id": "a", "type": "true_false", "text": "A.", "answer": False, "explanation": "A.", "section": "l.md#a"},
        {"id": "b", "type": "true_false", "text": "B.", "answer": True, "explanation": "B.", "section": "l.md#a"},
    ]}), rules)}
    assert true_false_key_problems(mixed) == []
    varied = {"plans": compile_quiz(Quiz.from_data({"id": "plans", "title": "T", "lesson": "l.md", "questions": [
        {"id": "a", "type": "true_false", "text": "A.", "answer": False, "explanation": "A.", "section": "l.md#a"},
        {"id": "b", "type": "true_false", "text": "{{ n }} days?", "answer": {"expr": "n > 1000"}, "params": {"n": {"range": [2, 40]}},
         "explanation": "B.", "section": "l.md#a"},
    ]}), rules)}
    assert true_false_key_problems(varied) == [], "a question with variants is not a fixed item, even if all its keys agree"


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


def test_the_real_course_counts_rightly(course: Course) -> None:
    assert [p.message for c in course.compiled_quizzes.values() for p in count_problems(c)] == []


def test_the_right_option_is_not_systematically_the_shortest(course: Course) -> None:
    """The other half of `test_the_right_option_is_not_systematically_the_longest`: a bare, short key is a cue too."""
    singles = [v for c in course.compiled_quizzes.values() for q in c["questions"] if q["type"] == "single"
               for v in (q.get("variants") or [q])[:1]]
    shortest = [q for q in singles if min(q["options"], key=lambda o: len(o["text"]))["id"] == q["key"]]
    assert len(shortest) * 4 <= len(singles), [q["text"][:40] for q in shortest]
