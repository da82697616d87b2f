"""Rules stated in words: `quizkit check` refuses words that state a rule where nothing beside them reads it."""

from __future__ import annotations

import copy
from pathlib import Path
from textwrap import dedent

import pytest

from quizkit.errors import ContentError
from quizkit.expressions import ExpressionError, substitute
from quizkit.load import load_rules
from quizkit.model import Rules
from quizkit.stated import stated_rules
from tests.test_check import FILES, check, line_of, write_course

RULES = load_rules()


def _found(text: str, covered: tuple[str, ...] = ()) -> list[tuple[int, str, str]]:
    return [(hit.line, hit.figure, hit.phrase) for hit in stated_rules(text, RULES, covered)]


def test_words_that_state_a_rule_are_found_with_their_line() -> None:
    text = "# Expiry\n\nYour Connects last a year.\nUnused Connects roll over, and the oldest are spent first.\n"
    assert _found(text) == [(4, "expiry.spend_oldest_first", "oldest are spent first"), (4, "rollover.cap", "roll over")]


@pytest.mark.parametrize("text", [
    # The sentence is an expression of the rule: a change rewrites it.
    '{{ "Unused Connects roll over." if rollover.cap != 0 else "Unused Connects are lost." }}',
    # The words sit in a paragraph that reads the rule.
    "Unused Connects roll over; the most you carry over is {{ rollover.cap }}.",
    # Code and fenced code are not prose.
    "The flag `roll over` is a name.\n\n```\n# unused Connects roll over\n```\n",
    # Words beside a rule that is not theirs are no statement of it.
    "Boosts are auctions; you roll the dice.",
])
def test_words_that_follow_a_change_or_state_no_rule_pass(text: str) -> None:
    assert _found(text) == []


def test_an_expression_reads_the_rule_only_in_its_own_paragraph() -> None:
    text = "The cap is {{ rollover.cap }}.\n\nUnused Connects roll over.\n"
    assert _found(text) == [(3, "rollover.cap", "roll over")]
    assert _found(text, covered=("rollover.cap",)) == []


def test_given_keeps_words_while_the_rule_holds_and_refuses_them_after() -> None:
    words = '{{ given(expiry.spend_oldest_first, "Upwork spends the oldest Connects first") }}.'
    assert substitute(words, RULES) == "Upwork spends the oldest Connects first."
    with pytest.raises(ExpressionError, match="no longer make it true"):
        substitute(words, RULES.changed({"expiry.spend_oldest_first": False}))


def test_a_phrase_that_is_no_regular_expression_fails_at_its_rules_line() -> None:
    data = copy.deepcopy(dict(RULES.to_data()))
    data["figures"]["rollover.cap"]["stated_as"] = ["roll(s over"]
    with pytest.raises(ContentError, match="not a regular expression") as caught:
        Rules.from_data(data)
    assert caught.value.path == ("figures", "rollover.cap", "stated_as", 0)


LESSON = dedent("""\
    # Plans

    Unused Connects roll over from one month to the next.

    {{ "Spent oldest first." if expiry.spend_oldest_first else "" }}
    """)


def _course_saying(tmp_path: Path, explanation: str, prompt_line: str, lesson_text: str) -> tuple[str, str, Path, Path]:
    """A course whose plans quiz explanation starts with `explanation`, whose exercise prompt says `prompt_line`, and a
    lesson page beside it: the quiz's text, the prompt's, the content folder and the lesson's path."""
    quiz = FILES["quizzes/plans.yml"].replace("explanation: Plus gives", f"explanation: {explanation} Plus gives")
    prompt = f"Write `monthly_connects(plan)`.\n\n{prompt_line}\n"
    content = write_course(tmp_path / "exercises", **{"quizzes__plans.yml": quiz, "plans__allowance__prompt.md": prompt})
    lesson = tmp_path / "docs" / "lessons" / "plans.md"
    lesson.parent.mkdir(parents=True)
    lesson.write_text(lesson_text, encoding="utf-8")
    return quiz, prompt, content, lesson


def test_check_refuses_a_rule_in_words_in_a_lesson_an_exercise_and_a_quiz(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    quiz, prompt, content, lesson = _course_saying(tmp_path, "Unused Connects roll over.",
                                                   "What you do not spend rolls over.", LESSON)
    code, lines = check(content, capsys)
    assert code == 1
    said = "states the rule rollover.cap in words"
    assert [line.split(": ", 1)[0] for line in lines] == [
        f"{lesson}:{line_of(LESSON, 'roll over')}",
        f"{content / 'plans/allowance/prompt.md'}:{line_of(prompt, 'rolls over')}",
        f"{content / 'quizzes/plans.yml'}:{line_of(quiz, 'explanation:')}",
    ]
    assert all(said in line for line in lines), lines
    assert "`assumes`" in lines[2]
    assert "`assumes`" not in lines[0]


def test_a_question_that_assumes_the_rule_and_an_exercise_that_takes_it_as_given_pass(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    quiz = FILES["quizzes/plans.yml"].replace(
        "explanation: Plus gives", 'assumes: "rollover.cap != 0"\n    explanation: Unused Connects roll over. Plus gives')
    prompt = ('Write `monthly_connects(plan)`. {{ given(rollover.cap != 0, "Unused Connects roll over") }}.\n\n'
              "So what you do not spend rolls over.\n")
    content = write_course(tmp_path, **{"quizzes__plans.yml": quiz, "plans__allowance__prompt.md": prompt})
    assert check(content, capsys) == (0, [])


def test_words_given_a_rule_the_rules_no_longer_hold_fail_at_their_line(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    prompt = 'Write `monthly_connects(plan)`.\n\n{{ given(rollover.cap == 0, "Nothing rolls over") }}.\n'
    content = write_course(tmp_path, **{"plans__allowance__prompt.md": prompt})
    code, lines = check(content, capsys)
    assert code == 1
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{content / 'plans/allowance/prompt.md'}:3: in {{{{ given(rollover.cap == 0")
    assert "the rules no longer make it true" in lines[0]


def test_the_activitys_own_words_state_no_rule_that_a_change_would_leave_behind() -> None:
    """The activity's notes and field help are templates in code, not content files: `quizkit check` does not read
    them, so this test does, with the same scan."""
    from quizkit.analysis import BOOST_NOTE, PROJECTION_NOTE
    from quizkit.plugin.activity import FIELD_TEXT

    texts = [PROJECTION_NOTE, BOOST_NOTE, *(help_text for _, help_text in FIELD_TEXT.values())]
    assert [(text, _found(text)) for text in texts if _found(text)] == []
    assert _found(PROJECTION_NOTE + " Unused Connects roll over."), "the scan reads these texts as it reads a lesson's"


# ---------------------------------------------------------------- idioms


def test_idioms_are_found_in_prose_and_in_expressions_but_not_in_code() -> None:
    """A quiz's feedback is often an expression's text: "gives away the head start" was one, in the final quiz."""
    text = ("Being early is a head start.\n\n"
            "{{ 'No: nobody is outbid for good.' if rollover.cap != 0 else '' }}\n\n"
            "The name `pay off` is code.\n\n```\n# on paper\n```\n\nA good fit, for goodwill.\n")
    assert _found(text) == [(1, None, "head start"), (3, None, "for good")]


def test_check_refuses_an_idiom_in_a_lesson_an_exercise_and_a_quiz(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    quiz, _, content, lesson = _course_saying(tmp_path, "Being early is a head start.",
                                              "A perfect fit on paper is not enough.", "# Plans\n\nThis lesson steps back.\n")
    code, lines = check(content, capsys)
    assert code == 1
    said = "is an idiom, which a reader of English as a second language may not know: say what it means in plain words"
    assert lines == [
        f"{lesson}:3: 'steps back' {said}",
        f"{content / 'plans/allowance/prompt.md'}:3: 'on paper' {said}",
        f"{content / 'quizzes/plans.yml'}:{line_of(quiz, 'explanation:')}: 'head start' {said}",
    ]
