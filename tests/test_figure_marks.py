# Figure markers and the primer: what a page adds around the figures and exercises it shows.
"""A figure not from the article, or not of high confidence, carries its month and confidence.

The marker is text linked to the figure's entry on the reference page, once a section; the first
exercise of a page gets a folded primer. A fragment processed without a page gets neither.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

import pytest

from quizkit.expressions import ExpressionError, figures_read
from quizkit.page_markdown import PRIMER, figure_marker, fill_fragment, process
from tests.conftest import EXERCISES

if TYPE_CHECKING:
    from quizkit.model import Rules


def _find(kind: str, item: str) -> str | None:
    del kind
    return None if item == "known" else "unknown"


def _page(markdown: str, rules: Rules, page: str = "lessons/x.md") -> str:
    result = process(markdown, rules, find=_find, nonce="n", page=page)
    assert result.problems == []
    return result.markdown


def test_a_labelled_figure_is_marked_once_a_section_with_its_month_and_confidence(rules: Rules) -> None:
    price = rules.figures["plan.plus.price_usd"]
    assert price.needs_label
    text = _page("## A\n\nPlus costs {{ usd(plan.plus.price_usd) }}, yes {{ usd(plan.plus.price_usd) }}.\n"
                 "## B\n\nAgain {{ usd(plan.plus.price_usd) }}.", rules)
    mark = f"({price.as_of_text} · {price.confidence})"
    assert text.count(price.confidence + "]") == 2  # once in A, once in B
    assert f"[{price.as_of_text} · {price.confidence}](../reference/rules.md#plan.plus.price_usd" in text
    assert mark.strip("()") in figure_marker(price, "../reference/rules.md")


def test_the_articles_high_confidence_figures_carry_no_marker(rules: Rules) -> None:
    assert not rules.figures["plan.plus.monthly_connects"].needs_label
    assert _page("Plus gives {{ plan.plus.monthly_connects }}.", rules) == "Plus gives 100."


@pytest.mark.parametrize(
    "line",
    [
        "## Costs {{ usd(plan.plus.price_usd) }} {#costs}",
        '!!! note "Plus at {{ usd(plan.plus.price_usd) }}"',
        "Code: `{{ plan.plus.price_usd }}`",
        "[Plus gives {{ plan.plus.monthly_connects }}](#plus)",  # the article's figure: no marker needed
        "Plus costs {{ usd(plan.plus.price_usd) }}. [Plus at {{ usd(plan.plus.price_usd) }}](#plus)",  # marked before it
    ],
)
def test_no_marker_in_headings_admonition_titles_link_text_or_code(rules: Rules, line: str) -> None:
    assert _page(line, rules).count("quizkit-figure-mark") == line.count("Plus costs")


def test_a_figure_that_needs_its_month_and_confidence_cannot_hide_in_a_links_text(rules: Rules) -> None:
    """Links do not nest, so no marker can go there: the build says where, rather than show the figure bare."""
    result = process("Fine.\n\nPlus costs [{{ usd(plan.plus.price_usd) }} a month](#plus).", rules, find=_find, nonce="n",
                     page="lessons/x.md")
    assert [(problem.line, problem.message) for problem in result.problems] == [
        (3, ("{{ usd(plan.plus.price_usd) }} shows 'Monthly price of Freelancer Plus' inside a link's text, where its month "
             "and confidence cannot follow it: move the figure out of the link"))]
    fragment = process("[{{ usd(plan.plus.price_usd) }}](#plus)", rules, find=_find, nonce="n")  # no page: no markers
    assert fragment.problems == []


def test_a_number_compared_into_words_is_not_marked_but_a_stated_rule_is(rules: Rules) -> None:
    assert "quizkit-figure-mark" not in _page("{{ 'free' if invites.reply_cost == 0 else 'paid' }}", rules)
    stated = _page("Outbid and charged? {{ boost_charged(top_slot_at_close=False, client_interacted=False) }}", rules)
    assert "#boost.charge_if_outbid_before_interaction" in stated


def test_the_link_is_relative_to_the_page(rules: Rules) -> None:
    assert "](reference/rules.md#plan.plus.price_usd" in _page("{{ plan.plus.price_usd }}", rules, page="index.md")


def test_figures_read_names_figures_and_the_figures_behind_calls(rules: Rules) -> None:
    assert figures_read("plan.plus.monthly_connects - plan.basic.monthly_connects", rules) == [
        "plan.plus.monthly_connects", "plan.basic.monthly_connects"]
    assert figures_read("usd(purchase_cost(15))", rules) == ["purchase.price_per_connect_usd"]
    assert figures_read("scenario(8)", rules) == []


@pytest.mark.parametrize(("as_of", "text"), [("2025-10", "Oct 2025"), ("2019", "2019"), ("~2025", "about 2025")])
def test_as_of_reads_as_a_month(rules: Rules, as_of: str, text: str) -> None:
    from dataclasses import replace

    assert replace(rules.figures["plan.plus.price_usd"], as_of=as_of).as_of_text == text


def test_the_first_exercise_of_a_page_gets_a_folded_primer(rules: Rules) -> None:
    text = _page('Intro\n{{ exercise("known") }}\nMore\n{{ exercise("known") }}', rules)
    assert text.count('??? tip "New to Python?') == 1
    assert text.index("??? tip") < text.index("quizkitembednx0")
    for word in ("`def", "`return", "Indentation", "`print", "RULES", "skipped"):
        assert word in PRIMER


def test_the_primer_explains_the_f_strings_the_exercises_show() -> None:
    """A reader new to Python meets `RULES[f"plan.{plan}..."]` in prompts and hints: the primer says what it is."""
    shown = [path for path in EXERCISES.rglob("*") if path.suffix in (".md", ".yml") and 'f"' in path.read_text(encoding="utf-8")]
    assert shown, "no exercise shows an f-string any more: this test can go"
    assert 'f"' in PRIMER
    assert "replaced by the value" in PRIMER


def test_a_fragment_gets_no_marker_and_no_primer(rules: Rules) -> None:
    result = process('{{ usd(plan.plus.price_usd) }}\n{{ exercise("known") }}', rules, find=_find, nonce="n")
    assert "quizkit-figure-mark" not in result.markdown
    assert "???" not in result.markdown


def test_an_exercise_text_marks_its_figures_once_and_leaves_fenced_code_alone(rules: Rules) -> None:
    """An exercise's prompt or hint (`fill_fragment`): marked as a section of a page is, linked where the plugin says."""
    text = fill_fragment("Plus costs {{ usd(plan.plus.price_usd) }}; again {{ usd(plan.plus.price_usd) }}.\n"
                         "```python\nprice = {{ plan.plus.price_usd }}\n```", rules, "../../reference/rules/")
    assert text.count("quizkit-figure-mark") == 1
    assert "](../../reference/rules/#plan.plus.price_usd " in text
    assert text.endswith("```python\nprice = {{ plan.plus.price_usd }}\n```")


def test_an_exercise_text_with_a_bad_expression_says_which_line(rules: Rules) -> None:
    with pytest.raises(ExpressionError, match=r"^line 2: in \{\{ plan.nope \}\}"):
        fill_fragment("Fine.\nBroken {{ plan.nope }}.", rules, "../reference/rules/")


def test_the_courses_own_bound_carries_no_month_and_confidence_where_a_sourced_figure_would(rules: Rules) -> None:

    from quizkit.model import Rules as RulesType

    bound = rules.figures["proposal.required_max"]
    assert rules.sources[bound.source].url is None, "the course's own choice: a source with no page"
    markdown = "## A\n\nJobs of up to {{ proposal.required_max }} Connects."
    assert "·" not in _page(markdown, rules)  # a month and confidence would dress it as a dated Upwork figure
    # The same figure read from a page would be marked: the rules, with that source given a page.
    data = dict(rules.to_data())
    data["sources"] = {**data["sources"], bound.source: {**data["sources"][bound.source], "url": "https://example.com/"}}
    sourced = RulesType.from_data(data)
    assert sourced.figures["proposal.required_max"].needs_label
    assert f"{bound.as_of_text} · {bound.confidence}" in _page(markdown, sourced)


def test_the_primer_or_the_exercise_explains_what_each_solution_uses() -> None:
    """The home page promises that the primer explains the basics and each exercise's hints the rest: every
    function or method a solution calls (its own functions aside), `if`, `for` and `//` are shown, as code,
    in the primer or in that exercise's prompt or hints."""
    from quizkit.course import Course

    for exercise in Course.load(EXERCISES).exercises.values():
        tree = ast.parse(exercise.solution)
        own = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        shown = {"`if " if isinstance(node, ast.If) else "`for " if isinstance(node, ast.For) else "//"
                 for node in ast.walk(tree)
                 if isinstance(node, ast.If | ast.For) or (isinstance(node, ast.BinOp) and isinstance(node.op, ast.FloorDiv))}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute):
                name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
                if name not in own:
                    shown.add(f"{name}(")
        text = PRIMER + exercise.prompt + "".join(exercise.hints)
        assert [code for code in sorted(shown) if code not in text] == [], exercise.id
