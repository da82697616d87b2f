# Figure markers in quizzes: the lessons' month-and-confidence marker, carried as data beside a question's texts.
"""A quiz showing a figure not from the article, or not of high confidence, lists it once per question.

The marker's words are the lessons' (`quizkit.page_markdown.figure_marker`); the page links it
to the figure's entry on the reference page (`quiz_payload` gives the href), and builds it as text.
"""

from __future__ import annotations

from textwrap import dedent
from typing import TYPE_CHECKING, Any

import pytest

from quizkit.errors import ContentError
from quizkit.page_markdown import REFERENCE_PAGE, figure_marker
from quizkit.plugin.quiz_embed import SectionLink, quiz_payload
from quizkit.quiz import Quiz, compile_quiz, grade_attempt
from tests.test_check import check, line_of, write_course

if TYPE_CHECKING:
    from pathlib import Path

    from quizkit.model import Rules

SECTION = "lessons/01-connects-and-plans.md#monthly-connects"


def _quiz(*questions: dict[str, Any]) -> dict[str, Any]:
    return {"id": "q", "title": "Q", "lesson": "lessons/01-connects-and-plans.md", "questions": list(questions)}


def _numeric(qid: str, text: str, explanation: str, **more: Any) -> dict[str, Any]:
    return {"id": qid, "type": "numeric", "text": text, "answer": 1, "explanation": explanation, "section": SECTION,
            **more}


def _figures(rules: Rules, *questions: dict[str, Any]) -> list[list[dict[str, str]]]:
    return [q["figures"] for q in compile_quiz(Quiz.from_data(_quiz(*questions)), rules)["questions"]]


def test_a_labelled_figure_in_the_stem_is_marked_once_after_the_question_in_the_lessons_words(rules: Rules) -> None:
    price = rules.figures["plan.plus.price_usd"]
    assert price.needs_label
    [marks] = _figures(rules, _numeric("p", "Plus costs {{ usd(plan.plus.price_usd) }}. How many?",
                                       "At {{ usd(plan.plus.price_usd) }}, again {{ usd(plan.plus.price_usd) }}."))
    assert marks == [{"id": "plan.plus.price_usd", "label": price.label, "text": f"{price.as_of_text} · {price.confidence}",
                      "title": marks[0]["title"], "place": "question"}]
    lesson = figure_marker(price, "ref.md")
    assert f"[{marks[0]['text']}](ref.md#plan.plus.price_usd \"{marks[0]['title']}\")" in lesson


def test_a_figure_only_the_explanation_or_feedback_shows_is_marked_after_the_answer(rules: Rules) -> None:
    [explained, fed_back] = _figures(
        rules,
        _numeric("e", "How many?", "One costs {{ usd(purchase.price_per_connect_usd) }}."),
        _numeric("f", "How many?", "Count.", feedback={"incorrect": "Plus costs {{ usd(plan.plus.price_usd) }}."}),
    )
    assert [(m["id"], m["place"]) for m in explained] == [("purchase.price_per_connect_usd", "answer")]
    assert [(m["id"], m["place"]) for m in fed_back] == [("plan.plus.price_usd", "answer")]


def test_the_articles_sure_figures_and_numbers_turned_into_words_carry_no_marker(rules: Rules) -> None:
    assert not rules.figures["plan.plus.monthly_connects"].needs_label
    assert _figures(rules, _numeric("a", "Plus gives {{ plan.plus.monthly_connects }}?", "Yes."),
                    _numeric("b", "Free?", "{{ 'free' if invites.reply_cost == 0 else 'paid' }}")) == [[], []]


def test_a_question_with_variants_lists_its_figures_once(rules: Rules) -> None:
    question = _numeric("v", "Buy {{ n }} Connects?", "They cost {{ usd(purchase_cost(n)) }}.",
                        answer={"expr": "n"}, params={"n": {"range": [1, 40]}})
    compiled = compile_quiz(Quiz.from_data(_quiz(question)), rules)["questions"][0]
    assert len(compiled["variants"]) >= 20
    assert [m["id"] for m in compiled["figures"]] == ["purchase.price_per_connect_usd"]
    assert all("figures" not in v for v in compiled["variants"])


def test_the_page_links_each_marker_to_the_reference_entry_and_grading_ignores_markers(rules: Rules) -> None:
    compiled = compile_quiz(Quiz.from_data(_quiz(_numeric("p", "Plus at {{ usd(plan.plus.price_usd) }}?", "Yes."))), rules)
    payload = quiz_payload(compiled, lambda target: SectionLink(href=f"../{target}".replace(".md", "/"), title="T"))
    assert payload["questions"][0]["figures"][0]["href"] == f"../{REFERENCE_PAGE.replace('.md', '/')}#plan.plus.price_usd"
    assert "href" not in compiled["questions"][0]["figures"][0]
    assert payload["questions"][0]["section"] == {"href": "../lessons/01-connects-and-plans/#monthly-connects", "title": "T"}
    assert isinstance(compiled["questions"][0]["section"], str), "the compiled quiz is left as it was, for the next page"
    bare = {**compiled, "questions": [{**q, "figures": []} for q in compiled["questions"]]}
    assert grade_attempt(compiled, {"p": 1}) == grade_attempt(bare, {"p": 1})


def test_a_rule_the_feedback_states_in_words_is_named_by_assumes_and_marked_after_the_answer(rules: Rules) -> None:
    stated = _numeric("roll", "How many?", "Add them up.", assumes="rollover.cap != 0",
                      feedback={"correct": "Right: unused Connects roll over.", "incorrect": "They roll over."})
    [marks] = _figures(rules, stated)
    assert [(m["id"], m["place"]) for m in marks] == [("rollover.cap", "answer")]
    shown = _numeric("cap", "With a cap of {{ 'none' if rollover.cap is None else rollover.cap }}, how many?", "Why.",
                     assumes="rollover.cap != 0")
    [marks] = _figures(rules, shown)
    assert [(m["id"], m["place"]) for m in marks] == [("rollover.cap", "question")]  # the stem shows it: marked there


def test_a_question_whose_assumption_the_rules_break_fails_at_its_assumes_line(tmp_path: Path,
                                                                               capsys: pytest.CaptureFixture[str]) -> None:
    quiz = dedent("""\
        id: plans
        title: T
        lesson: lessons/plans.md
        questions:
          - id: stated
            type: true_false
            assumes: "invites.reply_cost > 0"
            text: Replying to an invitation costs Connects.
            answer: {expr: "invites.reply_cost > 0"}
            feedback: {"true": "Because it costs.", "false": "It costs."}
            explanation: Why.
            section: lessons/plans.md#plans
        """)
    root = write_course(tmp_path, **{"quizzes__plans.yml": quiz})
    code, lines = check(root, capsys)
    assert code == 1
    where = f"{root / 'quizzes/plans.yml'}:{line_of(quiz, 'assumes:')}"
    message = ("the question assumes invites.reply_cost > 0, which the rules no longer make true: its words state the "
               "rule as it was; reword them for the rule as it is, then change 'assumes'")
    assert lines == [f"{where}: {message}"]


def test_assumes_reads_the_rules_only(rules: Rules) -> None:
    with pytest.raises(ContentError, match=r"'assumes' reads the rules only, not the parameters"):
        compile_quiz(Quiz.from_data(_quiz(_numeric("p", "{{ n }}?", "Why.", assumes="n > 0",
                                                   params={"n": {"range": [1, 30]}}))), rules)
