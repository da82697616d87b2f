from __future__ import annotations

import doctest

import pytest

from quizkit import expressions
from quizkit.expressions import ExpressionError, evaluate, render, substitute
from quizkit.model import Rules


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plan.plus.monthly_connects", 100),
        ("plan.plus.monthly_connects - plan.basic.monthly_connects", 90),
        ("allowance('plus') // allowance('basic')", 10),
        ("usd(purchase.price_per_connect_usd)", "$0.15"),
        ("usd(monthly_cost('basic', 150))", "$21.00"),
        ("next_refill(30, date('2026-01-30'))", __import__("datetime").date(2026, 2, 1)),
        ("invites.reply_cost == 0", True),
        ("'never' if break_even_need() is None else break_even_need()", "never"),
        ("text(purchase.bundles)", "10, 20, 40, 60, 80"),
        ("len(returns.returned_reasons)", 2),
        ("connects_returned('withdrawn')", False),
        ("not boost.charge_if_outbid_before_interaction", True),
        ("plan_name('plus')", "Freelancer Plus"),
        ("outcomes(returns.returned_reasons)",
         "the client cancels the job before any contract or Upwork removes the job post for breaking its terms"),
        ("outcomes(returns.kept_reasons, 'and')", ("the client declines your proposal, another freelancer is hired, "
                                                     "the job post expires, and you withdraw your proposal")),
    ],
)
def test_expressions_read_rules_and_domain_functions(rules: Rules, text: str, expected: object) -> None:
    assert evaluate(text, rules) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("plan.gold.monthly_connects", "unknown rule 'plan.gold.monthly_connects'"),
        ("plan.plus", "did you mean one of: plan.basic.monthly_connects"),
        ("__import__('os')", "unknown function '__import__'"),
        ("(1).__class__", "is not allowed"),
        ("[x for x in purchase.bundles]", "is not allowed"),
        ("lambda: 1", "is not allowed"),
        ("allowance('gold')", "failed: unknown plan 'gold'"),
        ("label_of('boost.slots')", "failed: unknown rule 'boost.slots'"),
        ("1 +", "invalid expression"),
    ],
)
def test_bad_expressions_are_refused_with_a_reason(rules: Rules, text: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        evaluate(text, rules)


@pytest.mark.parametrize(("value", "text"), [(100, "100"), (13.0, "13"), (0.15, "0.15"), (None, "not documented"),
                                             (True, "yes"), ([10, 20], "10, 20")])
def test_render(value: object, text: str) -> None:
    assert render(value) == text


def test_substitute_fills_every_expression(rules: Rules) -> None:
    text = "Basic gives {{ plan.basic.monthly_connects }}, Plus {{plan.plus.monthly_connects}}."
    assert substitute(text, rules) == "Basic gives 10, Plus 100."


def test_labelled_text_gives_a_figures_month_and_confidence_once(rules: Rules) -> None:
    """A Check's message or a workbook's prompt: plain text, so the marker is words without a link."""
    price = rules.figures["plan.plus.price_usd"]
    mark = f"({price.as_of_text} · {price.confidence})"
    text = "Plus costs {{ usd(plan.plus.price_usd) }} ({{ usd(plan.plus.price_usd) }}) and gives {{ plan.plus.monthly_connects }}."
    assert substitute(text, rules, labelled=True) == f"Plus costs $19.99 {mark} ($19.99) and gives 100."
    assert substitute(text, rules) == "Plus costs $19.99 ($19.99) and gives 100."


def test_a_page_explains_the_label_with_a_real_figures(rules: Rules) -> None:
    """The home page and lesson 1 show what a label looks like: it follows the figure's date and confidence."""
    figure = rules.figures["boost.charge_if_outbid_before_interaction"]
    assert evaluate("label_of('boost.charge_if_outbid_before_interaction')", rules) == f"({figure.mark_text})"
    assert figure.mark_text == f"{figure.as_of_text} · {figure.confidence}"


@pytest.mark.parametrize(("text", "expected"), [
    ("count(1, 'day')", "1 day"), ("count(2, 'day')", "2 days"), ("count(0, 'proposal')", "0 proposals"),
    ("count(1, 'Connect')", "1 Connect"), ("count(plan.plus.monthly_connects, 'Connect')", "100 Connects"),
    ("count(1.0, 'month')", "1 month"), ("count(2, 'batch', 'batches')", "2 batches"), ("count(1, 'batch', 'batches')", "1 batch"),
])
def test_count_gives_a_number_its_noun_in_the_right_number(rules: Rules, text: str, expected: str) -> None:
    """Quiz and lesson texts write counts that can be 1 as `{{ count(n, "day") }}`: never `1 days`."""
    assert evaluate(text, rules) == expected
    assert substitute("{{ " + text + " }}", rules) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("count(2, 'batch')", "2 batches"), ("count(3, 'box')", "3 boxes"), ("count(2, 'wish')", "2 wishes"),
    ("count(2, 'reply')", "2 replies"), ("count(2, 'day')", "2 days"), ("count(4, 'quiz')", "4 quizzes"),
    ("count(2, 'billing cycle')", "2 billing cycles"), ("count(0.5, 'day')", "0.5 days"), ("count(1, 'batch')", "1 batch"),
    ("count(2, 'person', 'people')", "2 people"), ("count(1, 'person', 'people')", "1 person"),
])
def test_count_gives_the_english_plural(rules: Rules, text: str, expected: str) -> None:
    """`count(n, "batch")` must not read `2 batchs`; an irregular plural is still given by hand."""
    assert evaluate(text, rules) == expected


def test_the_examples_in_the_expressions_docstrings_hold() -> None:
    assert doctest.testmod(expressions).failed == 0


def test_an_outcome_the_words_do_not_know_reads_as_its_id_in_words() -> None:
    assert expressions.outcomes(["client_ghosted", "withdrawn"]) == "client ghosted or you withdraw your proposal"


def test_a_rule_that_lists_no_outcome_fails_loudly_rather_than_leave_a_sentence_half_said() -> None:
    with pytest.raises(ValueError, match="the rule lists none, so the sentence around it needs rewording"):
        expressions.outcomes([])


def test_a_profile_fix_adds_what_the_activity_says_it_adds(rules: Rules) -> None:
    """Lesson 4's table and example read the points a fix adds from the same function as the activity."""
    from quizkit import profile

    for section in rules.profile_sections:
        for status in ("missing", "update"):
            assert evaluate(f"fix_adds({section.id!r}, {status!r})", rules) == round(
                profile.gain(rules, {section.id: status}, section.id), 1)
    assert evaluate("fix_adds('overview', 'update')", rules) == evaluate("fix_adds('overview')", rules) / 2
    with pytest.raises(ExpressionError, match="unknown profile section"):
        evaluate("fix_adds('nope')", rules)


@pytest.mark.parametrize(("fraction", "words"), [(0.5, "half"), (0.25, "a quarter"), (0.75, "three quarters"), (0.4, "40 %")])
def test_a_share_is_said_in_words_where_it_has_plain_ones(rules: Rules, fraction: float, words: str) -> None:
    assert evaluate(f"share({fraction})", rules) == words
    assert evaluate("share(update_share())", rules) == "half"
