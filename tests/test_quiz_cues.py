# Stem cues: `quizkit check` refuses a key that alone repeats the stem's words.
"""A key picked by its words: the only option that repeats a phrase of the stem (a clang association).

The visibility quiz's review-month item had it: the stem said "your few proposals to jobs you fit closely
brought two interviews" and the key "apply only to jobs you fit closely". A phrase a distractor repeats too
is no cue, nor one the key shares with the stem in only some variants while a distractor does in others.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from quizkit.course import Course
from quizkit.cues import echo_problems, phrases
from quizkit.quiz import Quiz, compile_quiz
from tests.test_check import QUIZ_YML, check, line_of, write_course

if TYPE_CHECKING:
    from quizkit.model import Rules

ROOT = Path(__file__).resolve().parent.parent
STEM = "Your few proposals to jobs you fit closely brought two interviews. What do you change first?"


def _problems(rules: Rules, options: list[dict[str, Any]], text: str = STEM, **extra: Any) -> list[str]:
    question = {"id": "q", "type": "single", "text": text, "options": options, "explanation": "Why.",
                "section": "l.md#a", **extra}
    compiled = compile_quiz(Quiz.from_data({"id": "q", "title": "T", "lesson": "l.md", "questions": [question]}), rules)
    return [error.message for error in echo_problems(compiled)]


def _option(text: str, *, correct: object = False) -> dict[str, Any]:
    return {"text": text, "correct": correct, "feedback": "Because."}


def test_phrases_are_three_words_in_a_row_not_all_little_and_not_numbers() -> None:
    assert phrases("Apply to jobs you fit.") == {("apply", "to", "jobs"), ("to", "jobs", "you"), ("jobs", "you", "fit")}
    assert phrases("and you are the one") == {("are", "the", "one")}
    assert phrases("On the 17th of April") == {("the", "of", "april")}


def test_a_key_that_alone_repeats_the_stem_fails(rules: Rules) -> None:
    assert _problems(rules, [
        _option("Apply only to jobs you fit closely, and boost only those.", correct=True),
        _option("Buy more Connects, so that you do not run out."),
        _option("Stop boosting, and keep applying to the same kinds of jobs."),
    ]) == [("the key is the only option that repeats the stem's words ('jobs you fit'): a reader could pick it by its "
            "words alone; reword the key, or let a distractor use the same words")]


def test_a_phrase_a_distractor_repeats_too_is_no_cue(rules: Rules) -> None:
    assert _problems(rules, [
        _option("Apply only to jobs you fit closely.", correct=True),
        _option("Send more proposals to jobs you fit closely, and boost them all."),
        _option("Buy more Connects, so that you do not run out."),
    ]) == []


def test_a_key_in_other_words_passes(rules: Rules) -> None:
    assert _problems(rules, [
        _option("Apply only where you have every skill asked, and boost only there.", correct=True),
        _option("Buy more Connects, so that you do not run out."),
        _option("Stop boosting, and keep applying to the same kinds of jobs."),
    ]) == []


def test_an_echo_that_follows_the_key_in_some_variants_and_a_distractor_in_others_is_no_cue(rules: Rules) -> None:
    """The break-even item: the option that repeats 'are worth to you' is the key in about half of its variants."""
    assert _problems(rules, [
        _option("Plus: its features are worth more to you.", correct={"expr": "worth > 20"}),
        _option("Basic: Plus costs more than its features are worth to you.", correct={"expr": "worth <= 20"}),
        _option("Basic: Plus costs its whole price."),
    ], text="Plus's features are worth {{ worth }} dollars to you. Which plan is the better deal for what they are worth to you?",
       params={"worth": {"range": [1, 40]}}, variants=40) == []


def test_a_key_echo_fails_check_at_its_question(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    question = (
        "  - id: change\n    type: single\n    text: Your few proposals to jobs you fit closely brought interviews. What now?\n"
        "    options:\n"
        "      - {text: Apply only to jobs you fit closely., correct: true, feedback: Right.}\n"
        "      - {text: Buy more Connects., feedback: No.}\n"
        "      - {text: Stop boosting., feedback: No.}\n"
        "    explanation: Fit first.\n    section: lessons/plans.md#plans\n")
    root = write_course(tmp_path, **{"quizzes__plans.yml": QUIZ_YML + question})
    code, lines = check(root, capsys)
    assert code == 1
    line = line_of((root / "quizzes/plans.yml").read_text(encoding="utf-8"), "- id: change")
    assert lines == [(f"{root / 'quizzes/plans.yml'}:{line}: the key is the only option that repeats the stem's words "
                      "('jobs you fit'): a reader could pick it by its words alone; reword the key, or let a distractor "
                      "use the same words")]


def test_the_real_course_has_no_key_that_alone_repeats_its_stem() -> None:
    course = Course.load(ROOT / "exercises")
    assert [(quiz_id, error.message) for quiz_id, compiled in course.compiled_quizzes.items()
            for error in echo_problems(compiled)] == []
