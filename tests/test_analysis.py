from __future__ import annotations

import copy
import json
import re
from dataclasses import replace
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizkit import connects, profile
from quizkit.analysis import (
    BOOST_LESSON_TITLE,
    FIELD_LABELS,
    PLAN_LABEL,
    ProfileInputError,
    adds_text,
    analyse,
    analysis_figures,
    monthly_need,
    number_fields,
    read_profile,
    report_markdown,
    rules_version,
)
from quizkit.cli import main
from quizkit.load import load_rules, read_yaml
from quizkit.model import Rules
from quizkit.plugin.activity import BOOST_SECTION

RULES = load_rules()
EXAMPLE = Path(__file__).resolve().parent.parent / "exercises" / "profiles" / "example.yml"
SECTION_IDS = [s.id for s in RULES.profile_sections]
statuses = st.dictionaries(st.sampled_from(SECTION_IDS), st.sampled_from(profile.STATUSES))

MARK = re.compile(r" \((?:about )?(?:[A-Z][a-z]{2} )?\d{4} · (?:high|medium|low)\)")
"""A figure's month and confidence after it, as the analysis writes it: ` (Jan 2026 · low)`."""

BASE: dict[str, Any] = {"sections": {}, "plan": "basic", "balance": 20, "billing_day": 15, "proposals_per_month": 5,
                        "connects_per_proposal": 6, "today": "2026-11-26"}


@given(sections=statuses, section=st.sampled_from(SECTION_IDS))
def test_completing_a_section_never_lowers_the_score(sections: dict[str, str], section: str) -> None:
    before = profile.completeness(RULES, sections)
    assert profile.completeness(RULES, {**sections, section: "complete"}) >= before
    assert 0 <= before <= 100


@given(sections=statuses)
def test_gaps_are_the_incomplete_sections_the_fix_that_adds_most_first(sections: dict[str, str]) -> None:
    """The lesson's order: by what each fix adds to the score (a whole weight missing, half of it to update)."""
    gaps = profile.gaps(RULES, sections)
    assert {g.id for g in gaps} == {s for s in SECTION_IDS if sections.get(s, "missing") != "complete"}
    missing_weight = [g.weight * (1 if sections.get(g.id, "missing") == "missing" else 0.5) for g in gaps]
    assert missing_weight == sorted(missing_weight, reverse=True)
    adds = [profile.gain(RULES, sections, g.id) for g in gaps]
    assert all(earlier >= later for earlier, later in pairwise(adds)), adds
    for g, added in zip(gaps, adds, strict=True):  # what the score becomes, give or take its rounding
        after = profile.completeness(RULES, {**sections, g.id: "complete"})
        assert abs(after - (profile.completeness(RULES, sections) + added)) <= 1


def test_an_overview_to_update_comes_before_missing_certifications() -> None:
    """The case the old order (every missing section first) got wrong: 10 points against 5."""
    sections = dict.fromkeys(SECTION_IDS, "complete") | {"overview": "update", "certifications": "missing"}
    assert [g.id for g in profile.gaps(RULES, sections)] == ["overview", "certifications"]
    assert [profile.gain(RULES, sections, s) for s in ("overview", "certifications")] == [10, 5]
    assert [adds_text(profile.gain(RULES, {"title": "update"}, s)) for s in ("title", "rate")] == [
        "+7.5 to your score", "+5 to your score"]


def test_a_complete_profile_scores_100_and_an_empty_one_0(rules: Rules) -> None:
    assert profile.completeness(rules, dict.fromkeys(SECTION_IDS, "complete")) == 100
    assert profile.completeness(rules, {}) == 0


@given(proposals=st.integers(0, 100), more=st.integers(0, 50), per=st.integers(0, 20), boosts=st.integers(0, 10),
       bid=st.integers(0, 50))
def test_more_proposals_never_lower_the_connects_needed(proposals: int, more: int, per: int, boosts: int, bid: int) -> None:
    def need(n: int) -> int:
        data = {**BASE, "proposals_per_month": n, "connects_per_proposal": per, "boosts_per_month": min(boosts, n),
                "boost_bid": bid}
        return monthly_need(read_profile(RULES, data))
    assert need(proposals + more) >= need(proposals)


@given(balance=st.integers(0, 500), proposals=st.integers(0, 60), per=st.integers(1, 20), plan=st.sampled_from(["basic", "plus"]))
def test_the_projection_never_goes_negative_and_advice_is_the_cheapest(balance: int, proposals: int, per: int, plan: str) -> None:
    result = analyse(RULES, read_profile(RULES, {**BASE, "balance": balance, "proposals_per_month": proposals,
                                                 "connects_per_proposal": per, "plan": plan}))
    assert all(month["balance"] >= 0 for month in result["projection"])
    costs = {o["plan"]: o["monthly_usd"] for o in result["advice"]["options"]}
    assert costs[result["advice"]["cheapest"]] == min(costs.values())


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"balance": -5}, "balance", "Cannot be negative."),
        ({"billing_day": 0}, "billing_day", "Enter a number from 1 to 31."),
        ({"billing_day": 32}, "billing_day", "Enter a number from 1 to 31."),
        ({"proposals_per_month": ""}, "proposals_per_month", "Enter a number."),
        ({"proposals_per_month": None}, "proposals_per_month", "Enter a number."),
        ({"connects_per_proposal": 2.5}, "connects_per_proposal", "Enter a whole number."),
        ({"connects_per_proposal": 500}, "connects_per_proposal",
         "Enter a number from 0 to 50: 50 is the course's own limit, to catch typing mistakes (Upwork publishes no maximum)."),
        ({"boost_bid": 250}, "boost_bid", "Enter a number from 0 to 200: 200 is the course's own limit, to catch typing mistakes."),
        ({"balance": 100_001}, "balance",
         "Enter a number from 0 to 100,000: 100,000 is the course's own limit, to catch typing mistakes."),
        ({"proposals_per_month": 501}, "proposals_per_month",
         "Enter a number from 0 to 500: 500 is the course's own limit, to catch typing mistakes."),
        ({"months": 25}, "months", "Enter a number from 1 to 24: 24 is the course's own limit, to keep the projection readable."),
        ({"plan": "gold"}, "plan", "Choose one of Freelancer Basic (“basic”) or Freelancer Plus (“plus”)."),
        ({"boosts_per_month": 9}, "boosts_per_month", "You cannot boost more proposals than you send."),
        ({"sections": {"photo": "great"}}, "sections.photo",
         "Choose one of Complete (“complete”), Needs an update (“update”) or Missing (“missing”)."),
        ({"sections": {"tattoos": "complete"}}, "sections.tattoos",
         f"Unknown profile section (known: {', '.join(SECTION_IDS)})."),
        ({"today": "yesterday"}, "today", "Enter a date as YYYY-MM-DD."),
        ({"today": "2026-02-30"}, "today", "No such day in the calendar: enter a real date as YYYY-MM-DD."),
        ({"today": "9999-12-20"}, "today", "Enter a date from 2000 to 2999."),  # a projection past 9999 cannot be dated
        ({"colour": "red"}, "colour", "Unknown field"),
    ],
)
def test_bad_input_is_refused_field_by_field(change: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(ProfileInputError) as caught:
        read_profile(RULES, {**BASE, **change})
    assert caught.value.errors[field].startswith(message)


def test_text_numbers_from_a_form_are_accepted() -> None:
    assert read_profile(RULES, {**BASE, "balance": " 40 ", "billing_day": "3"}).balance == 40


def test_advice_uses_dated_prices_and_says_when_plus_never_pays_off() -> None:
    result = analyse(RULES, read_profile(RULES, {**BASE, "proposals_per_month": 20, "connects_per_proposal": 8}))
    advice = result["advice"]
    assert advice["break_even_need"] is None
    assert "never pays for itself" in advice["summary"]
    assert {f["id"] for f in advice["figures"]} >= {"purchase.price_per_connect_usd", "plan.plus.price_usd"}
    assert all(f["as_of"] for f in advice["figures"])


def test_the_projection_says_when_connects_expire_from_the_rules_with_the_figures_it_used() -> None:
    """Expiry and the late-start day shape the projection and the next refill: both listed, dated, and the note reads the rule."""
    data = copy.deepcopy(dict(RULES.to_data()))
    data["figures"]["expiry.months"]["value"] = 6
    rules = Rules.from_data(data)
    result = analyse(rules, read_profile(rules, BASE))
    expiry = rules.figures["expiry.months"]
    assert f"Connects expire 6 months ({expiry.as_of_text} · {expiry.confidence}) after they arrived" in result["projection_note"]
    assert {"expiry.months", "refill.late_start_day"} <= {f["id"] for f in result["advice"]["figures"]}
    assert result["projection_note"] in report_markdown(rules, read_profile(rules, BASE), result)


def test_the_projection_says_in_which_order_connects_are_spent_as_the_rules_do() -> None:
    """Oldest first is an Upwork rule, dated like a figure; where the rules no longer say so, the note says the order
    is the projection's own."""
    said = {}
    for oldest_first in (True, False):
        data = copy.deepcopy(dict(RULES.to_data()))
        data["figures"]["expiry.spend_oldest_first"]["value"] = oldest_first
        rules = Rules.from_data(data)
        said[oldest_first] = analyse(rules, read_profile(rules, BASE))["projection_note"]
    rule = RULES.figures["expiry.spend_oldest_first"]
    assert f"your proposals spend the oldest first ({rule.as_of_text} · {rule.confidence})." in said[True]
    assert "the projection spends the oldest first, though Upwork does not say in which order" in said[False]


def test_no_bonus_amount_is_invented() -> None:
    result = analyse(RULES, read_profile(RULES, BASE))
    assert all(gap["bonus_connects"] is None for gap in result["gaps"])
    assert "no Upwork page we found says" in result["bonus_note"]
    assert result["bonus_note"].endswith("the course counts none: treat any bonus as an extra."), "words for the reader"
    assert "invents" not in result["bonus_note"]


def test_the_cli_gives_the_same_analysis_as_the_api(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile", str(EXAMPLE), "--json"]) == 0
    from_cli = json.loads(capsys.readouterr().out)
    assert from_cli == json.loads(json.dumps(analyse(RULES, read_profile(RULES, read_yaml(EXAMPLE).data))))


def test_the_cli_report_is_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    prof = read_profile(RULES, read_yaml(EXAMPLE).data)
    assert out == report_markdown(RULES, prof, analyse(RULES, prof))
    assert out.startswith("# Profile and Connects analysis")


def test_the_cli_refuses_bad_fields_with_their_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("plan: basic\nbalance: -1\nbilling_day: 32\nproposals_per_month: 3\nconnects_per_proposal: 4\n",
                   encoding="utf-8")
    assert main(["profile", str(bad)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{bad}:2: {FIELD_LABELS['balance']} (“balance”): Cannot be negative.",
        f"{bad}:3: {FIELD_LABELS['billing_day']} (“billing_day”): Enter a number from 1 to 31."]


def test_the_report_holds_the_inputs_the_date_and_the_rules_version() -> None:
    prof = read_profile(RULES, {**BASE, "sections": {"photo": "update"}, "plan": "plus"})
    result = analyse(RULES, prof)
    report = report_markdown(RULES, prof, result)
    about = result["about"]
    assert about["date"] == "2026-11-26"
    assert about["rules_version"] == rules_version(RULES)
    assert about["text"] in report
    assert about["text"].startswith("Analysed on 26 November 2026 (figures dated "), "a date as the lessons write one"
    assert about["rules_version"] not in about["text"], "the version is for comparing reports: at the end, not first"
    assert about["version_text"] == f"Plan rules version {about['rules_version']}: two analyses with the same version used the same figures."
    assert report.index(about["version_text"]) > report.index("Prices and figures used:")
    photo = next(s.name for s in RULES.profile_sections if s.id == "photo")
    assert f"- {photo}: Needs an update" in report
    assert f"- {PLAN_LABEL}: {RULES.plan('plus').name}" in report
    for name, label in FIELD_LABELS.items():
        assert f"- {label}: {getattr(prof, name):,}" in report
    assert "(update)" not in report
    assert "(needs an update, +5 to your score)" in report, "gaps name the status as the page does, and what fixing adds"


def test_the_rules_version_follows_the_figures() -> None:
    figure = RULES.figures["purchase.price_per_connect_usd"]
    changed = Rules(title=RULES.title, disclaimer=RULES.disclaimer, sources=RULES.sources, plans=RULES.plans,
                    figures={**RULES.figures, figure.id: replace(figure, value=figure.value + 0.01)},
                    profile_sections=RULES.profile_sections)
    assert rules_version(changed) != rules_version(RULES)
    assert rules_version(RULES) == rules_version(RULES)


def test_report_money_has_a_dollar_sign_and_each_unsure_figure_its_month_and_confidence() -> None:
    prof = read_profile(RULES, BASE)
    result = analyse(RULES, prof)
    report = report_markdown(RULES, prof, result)
    figures = {f["id"]: f for f in result["advice"]["figures"]}
    for figure_id, used in figures.items():
        figure = RULES.figures[figure_id]
        [line] = [li for li in report.splitlines() if li.startswith(f"- {figure.label}: ")]
        assert f"**{used['value_text']}**" in line
        if figure.unit.startswith("usd"):
            assert used["value_text"] == f"${figure.value:,.2f}"
        if figure.needs_label:
            assert figure.as_of_text in line
            assert f"{figure.confidence} confidence" in line
            assert ("not stated in the source article" in line) == (not figure.in_article)
        if figure.confidence == "low":  # the warning, or a note that says as much
            assert re.search(r"\b[Cc]heck the current (figure|price)\b", line), line
    for option in result["advice"]["options"]:
        assert f"${option['monthly_usd']:,.2f}" in report
    assert not re.search(r"(?<![$\d.,])\d+\.\d\d\b", report), "every amount with cents is money with $"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"balance": -5}, f"{FIELD_LABELS['balance']} (“balance”): Cannot be negative."),
        ({"plan": "gold"}, f"{PLAN_LABEL} (“plan”): Choose one of Freelancer Basic (“basic”) or Freelancer Plus (“plus”)."),
        ({"sections": {"portfolio": "done"}},
         "section Portfolio (“portfolio”): Choose one of Complete (“complete”), Needs an update (“update”) or Missing (“missing”)."),
        ({"sections": {"tattoos": "complete"}}, "section “tattoos”: Unknown profile section (known: photo, "),
        ({"colour": "red"}, "“colour”: Unknown field (known: "),
    ],
)
def test_a_files_problems_name_each_field_as_the_form_does_and_by_its_key(change: dict[str, Any], problem: str) -> None:
    """Readers know the form's words, someone editing the file its keys: `quizkit profile` and the page's imports say both."""
    with pytest.raises(ProfileInputError) as caught:
        read_profile(RULES, {**BASE, **change})
    [name] = caught.value.errors
    assert caught.value.problem(name).startswith(problem)
    assert str(caught.value) == caught.value.problem(name)


@pytest.mark.parametrize(("data", "problem"), [
    (None, ("The profile is empty: write one field per line, like “plan: basic” (exercises/profiles/example.yml shows "
           "every field).")),
    (["not", "a", "profile"], ("Write the profile as one field per line, like “plan: basic” (exercises/profiles/example.yml "
                              "shows every field), not as a list.")),
    ("plan basic", ("Write the profile as one field per line, like “plan: basic” (exercises/profiles/example.yml shows "
                   "every field), not as a line of text.")),
])
def test_what_is_not_a_profile_says_how_one_is_written(data: object, problem: str) -> None:
    """An empty file or a list is no profile: the reader is shown what one looks like, not "a mapping of fields"."""
    with pytest.raises(ProfileInputError) as caught:
        read_profile(RULES, data)
    assert caught.value.problem("profile") == problem


@pytest.mark.parametrize(("name", "example"), [("balance", 40), ("billing_day", 14), ("proposals_per_month", 10),
                                               ("connects_per_proposal", 10), ("plan", "basic")])
def test_a_required_field_left_out_of_a_file_says_to_add_it(name: str, example: object) -> None:
    """Left out, not left empty: "Enter a number." names no key to add; an empty value still gets the form's words."""
    with pytest.raises(ProfileInputError) as caught:
        read_profile(RULES, {key: value for key, value in BASE.items() if key != name})
    assert caught.value.errors == {name: f"Missing: add it to the file, like “{name}: {example}”."}
    read_profile(RULES, {**BASE, name: example})  # the example it gives is a valid value


def test_the_cli_lists_a_files_problems_in_line_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("today: 26/11/2026\nsections:\n  tagline: complete\n  photo: done\nbalance: -1\nplan: gold\n"
                   "billing_day: 3\nproposals_per_month: 3\nconnects_per_proposal: 4\ncolour: red\n", encoding="utf-8")
    assert main(["profile", str(bad)]) == 1
    lines = [int(line.removeprefix(f"{bad}:").split(":")[0]) for line in capsys.readouterr().err.splitlines()]
    assert lines == [1, 3, 4, 5, 6, 10]


def _not_cheapest(need: int) -> tuple[str, str]:
    """The cheapest plan for `need` and another plan that costs more, as the rules say today."""
    cheapest = connects.cheapest_plan(RULES, need)
    dearer = [p.id for p in RULES.plans if connects.monthly_cost(RULES, p.id, need) > connects.monthly_cost(RULES, cheapest, need)]
    assert dearer, "the rules give every plan the same cost: no saving to test"
    return cheapest, dearer[0]


@pytest.mark.parametrize("proposals", [0, 5, 40])
def test_advice_says_what_the_current_plan_costs_and_what_switching_saves(proposals: int, tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    data = {**BASE, "proposals_per_month": proposals}
    need = monthly_need(read_profile(RULES, data))
    cheapest, current = _not_cheapest(need)
    prof = read_profile(RULES, {**data, "plan": current})
    result = analyse(RULES, prof)
    summary = result["advice"]["summary"]
    words = MARK.sub("", summary)
    cost_now = connects.monthly_cost(RULES, current, need)
    saving = round(cost_now - connects.monthly_cost(RULES, cheapest, need), 2)
    assert saving > 0
    assert (f"You are on {RULES.plan(current).name} now: it costs ${cost_now:,.2f} a month for the same Connects, so "
            f"switching to {RULES.plan(cheapest).name} saves ${saving:,.2f} a month.") in words
    assert summary in report_markdown(RULES, prof, result)
    profile_file = tmp_path / "profile.yml"
    profile_file.write_text(json.dumps({**data, "plan": current}), encoding="utf-8")
    assert main(["profile", str(profile_file)]) == 0
    assert summary in capsys.readouterr().out


@pytest.mark.parametrize("proposals", [0, 5, 40])
def test_advice_names_no_saving_on_the_cheapest_plan(proposals: int) -> None:
    need = monthly_need(read_profile(RULES, {**BASE, "proposals_per_month": proposals}))
    cheapest, _ = _not_cheapest(need)
    summary = analyse(RULES, read_profile(RULES, {**BASE, "proposals_per_month": proposals, "plan": cheapest}))["advice"]["summary"]
    assert "You are on" not in summary
    assert "saves" not in summary


def test_advice_on_a_plan_that_costs_the_same_as_the_cheapest_names_no_saving() -> None:
    """A tie (cheapest_plan names the first plan listed): the reader's plan is no dearer, so nothing to save."""
    data = copy.deepcopy(dict(RULES.to_data()))
    first, other = (p.id for p in RULES.plans[:2])
    data["figures"][f"plan.{other}.price_usd"]["value"] = RULES.value(f"plan.{first}.price_usd")
    rules = Rules.from_data(data)
    need = 0
    assert connects.monthly_cost(rules, other, need) == connects.monthly_cost(rules, first, need)
    summary = analyse(rules, read_profile(rules, {**BASE, "proposals_per_month": need, "plan": other}))["advice"]["summary"]
    assert f"You are on {rules.plan(other).name} now, which costs the same." in summary
    assert "saves" not in summary


def test_the_analysis_dates_its_figures_from_the_oldest_to_the_newest() -> None:
    """Figures differ in age: one date ("last confirmed up to") would read as if all were confirmed then.

    Only the figures the analysis uses and lists, not every figure of the rules (the 2019 bundles are not used).
    """
    prof = read_profile(RULES, BASE)
    result = analyse(RULES, prof)
    about = result["about"]
    used = analysis_figures(RULES, prof)
    assert [f["id"] for f in result["advice"]["figures"]] == list(used)
    by_date = sorted((RULES.figures[fid] for fid in used), key=lambda f: f.confirmed)
    oldest, newest = by_date[0].as_of_text, by_date[-1].as_of_text
    assert oldest != newest, "the course's figures span several dates"
    assert (about["figures_from"], about["figures_to"]) == (oldest, newest)
    assert f"(figures dated {oldest} to {newest}; the rules reference gives each figure's date)" in about["text"]
    assert "confirmed up to" not in about["text"]


def test_every_cost_shows_the_month_and_confidence_of_the_least_sure_figure_it_rests_on() -> None:
    """Plus's cost rests on its price (low confidence, third-party pages): the advice and the table say so where the
    cost is shown, not only in the list of figures below them."""
    data = {**BASE, "plan": "plus", "proposals_per_month": 12, "connects_per_proposal": 8}
    prof = read_profile(RULES, data)
    need = monthly_need(prof)
    result = analyse(RULES, prof)
    price = RULES.figures["plan.plus.price_usd"]
    plus_cost = connects.monthly_cost(RULES, "plus", need)
    assert price.confidence == "low"
    assert f"${plus_cost:,.2f} a month ({price.mark_text})" in result["advice"]["summary"]
    assert result["advice"]["summary"].count(f"({price.mark_text})") == 1, "once, like a lesson's marker"
    options = {o["plan"]: o for o in result["advice"]["options"]}
    assert options["plus"]["mark"] == price.mark_text
    report = report_markdown(RULES, prof, result)
    assert f"| ${plus_cost:,.2f} ({price.mark_text}) |" in report


def test_the_need_says_it_counts_every_boost_bid_and_that_an_outbid_one_costs_nothing() -> None:
    """The need is the most a month costs: an outbid boost costs no bid, by a rule of medium confidence (marked)."""
    rule = RULES.figures["boost.charge_if_outbid_before_interaction"]
    prof = read_profile(RULES, {**BASE, "proposals_per_month": 12, "boosts_per_month": 2, "boost_bid": 10})
    result = analyse(RULES, prof)
    budget = result["budget"]
    assert budget["need_note"] == "for 12 proposals and 2 boosts, counting every boost bid"
    assert budget["boost_note"] == (f"A boost outbid before the client interacts costs no bid ({rule.mark_text}), "
                                    "so you may need fewer.")
    report = report_markdown(RULES, prof, result)
    assert f"- Connects you need a month: **{budget['need']}** ({budget['need_note']}). {budget['boost_note']}" in report
    assert rule.id in {f["id"] for f in result["advice"]["figures"]}, "the rule is listed with the figures used"
    without = analyse(RULES, read_profile(RULES, BASE))["budget"]
    assert (without["need_note"], without["boost_note"]) == ("for 5 proposals and 0 boosts", "")
    data = copy.deepcopy(dict(RULES.to_data()))
    data["figures"][rule.id]["value"] = True
    charged = Rules.from_data(data)
    assert analyse(charged, read_profile(charged, {**BASE, "boosts_per_month": 2, "boost_bid": 10}))["budget"]["boost_note"] == ""


def test_the_report_reads_in_plain_words() -> None:
    """Dates as the lessons write them, the shortfall's way out in a sentence, the gaps' order without weights."""
    prof = read_profile(RULES, {**BASE, "proposals_per_month": 12, "connects_per_proposal": 8, "billing_day": 30})
    result = analyse(RULES, prof)
    report = report_markdown(RULES, prof, result)
    assert result["budget"]["next_refill"] == "2026-12-01"
    assert result["budget"]["next_refill_text"] == "1 December 2026"
    late = RULES.figures["refill.late_start_day"]
    assert ("- Next monthly Connects: **1 December 2026** (the first day of your next billing cycle). A cycle that "
            f"starts on the 29th or later renews on the 1st ({late.mark_text}).") in report, "a date the rule moved says so"
    on_15 = analyse(RULES, read_profile(RULES, {**BASE, "billing_day": 15}))["budget"]
    assert on_15["next_refill_note"] == "", "a cycle's own day rests on the article alone"
    assert "then buy Connects or send fewer proposals" in report
    assert "## Sections to work on, the fix that adds most to your score first" in report
    assert "heaviest" not in report
    assert "(missing, +15 to your score): " in report  # the portfolio, missing in BASE


def test_each_figure_used_comes_with_its_note() -> None:
    """Basic's 10 Connects a month come with a condition on one Upwork page: the figures used say so."""
    prof = read_profile(RULES, BASE)
    result = analyse(RULES, prof)
    basic = RULES.figures["plan.basic.monthly_connects"]
    assert basic.note
    used = {f["id"]: f for f in result["advice"]["figures"]}
    assert used[basic.id]["note"] == basic.note
    [line] = [li for li in report_markdown(RULES, prof, result).splitlines() if li.startswith(f"- {basic.label}: ")]
    assert line.endswith(f") {basic.note}")


@pytest.mark.parametrize(("months", "title"), [(1, "Your balance now and over the next month"),
                                               (12, "Your balance now and over the next 12 months")])
def test_the_projections_heading_agrees_with_its_number_of_months(months: int, title: str) -> None:
    prof = read_profile(RULES, {**BASE, "months": months})
    result = analyse(RULES, prof)
    assert result["projection_title"] == title
    assert f"\n## {title}\n" in report_markdown(RULES, prof, result)


RICH_BASIC = {**BASE, "sections": dict.fromkeys(SECTION_IDS, "complete"), "balance": 400, "billing_day": 20,
              "proposals_per_month": 5, "connects_per_proposal": 10, "months": 12, "today": "2026-06-20"}
"""The review's freelancer on Basic with a large balance, analysed on the day their billing cycle starts."""


def test_the_projection_spends_from_today_and_dates_each_row() -> None:
    """Nothing spent until the next refill made a balance last a month too long, and rows without dates hid it."""
    prof = read_profile(RULES, RICH_BASIC)
    result = analyse(RULES, prof)
    rows = result["projection"]
    assert [(r["label"], r["spent"], r["balance"]) for r in rows[:3]] == [
        ("Now", 50, 350), ("1 (20 July 2026)", 50, 310), ("2 (20 August 2026)", 50, 270)]
    assert rows[-1]["label"] == "12 (20 June 2027)"
    assert "from today to your next refill on 20 July 2026 (30 of its 30 days)" in result["projection_note"]
    assert "50 of 50 Connects (rounded up)" in result["projection_note"]
    assert "once your balance runs out in month 9 (from 20 March 2027)" in result["advice"]["summary"]
    report = report_markdown(RULES, prof, result)
    assert "| Now | 0 | 0 | 50 | 0 | 350 |" in report
    assert "| 9 (20 March 2027) | 10 | 0 | 40 | 10 | 0 |" in report


def test_a_balance_short_before_the_refill_says_so() -> None:
    result = analyse(RULES, read_profile(RULES, {**BASE, "balance": 0, "billing_day": 3, "today": "2026-03-05"}))
    assert result["projection"][0]["shortfall"] > 0
    assert "your balance does not last until your next refill (3 April 2026)" in result["advice"]["summary"]


def test_the_advice_writes_large_numbers_as_the_rest_of_the_report_does() -> None:
    result = analyse(RULES, read_profile(RULES, {**BASE, "proposals_per_month": 20, "connects_per_proposal": 10,
                                                 "boosts_per_month": 20, "boost_bid": 50}))
    summary = result["advice"]["summary"]
    assert "For 1,200 Connects a month" in summary
    assert "buying about 1,190 Connects a month" in summary
    assert not re.search(r"\d{4}", re.sub(r"\b20\d\d\b", "", summary)), "only years go without a separator"


@pytest.mark.parametrize("plan", ["basic", "plus"])
def test_never_pays_for_itself_shows_how_sure_the_prices_it_rests_on_are(plan: str) -> None:
    """The claim rests on Plus's price, of low confidence: its mark is in the advice, once, whichever plan the reader is
    on (after the claim on Basic; after Plus's own cost, the sentence before, on Plus)."""
    price = RULES.figures["plan.plus.price_usd"]
    assert price.confidence == "low"
    summary = analyse(RULES, read_profile(RULES, {**BASE, "plan": plan}))["advice"]["summary"]
    assert "never pays for itself" in summary
    assert summary.count(f"({price.mark_text})") == 1
    claim = summary.index("never pays for itself")
    assert summary.index(f"({price.mark_text})") < summary.index(":", claim), "shown by the time the claim is made"
    if plan == "basic":
        assert f"never pays for itself in Connects alone ({price.mark_text}):" in summary


def test_the_advice_says_when_buying_starts_on_the_plan_that_costs_least() -> None:
    """The costs are for a month once the balance is spent: with Connects in hand, buying starts later, and the advice
    says when, from the balance today as the table does (the review's two cases)."""
    on_basic = analyse(RULES, read_profile(RULES, RICH_BASIC))["advice"]["summary"]
    assert ("For 50 Connects a month, Freelancer Basic costs least: $6.00 a month (Oct 2025 · high), buying about 40 "
            "Connects a month once your balance runs out in month 9 (from 20 March 2027).") in on_basic
    assert "On your current plan you run short" not in on_basic, "said once"
    plus = {**RICH_BASIC, "plan": "plus", "balance": 600, "billing_day": 10, "proposals_per_month": 6,
            "connects_per_proposal": 12, "today": "2026-03-05"}
    on_plus = analyse(RULES, read_profile(RULES, plus))
    summary = on_plus["advice"]["summary"]
    basic = connects.project_from_today(RULES, plan="basic", opening_balance=600, monthly_spend=72, months=24,
                                        billing_day=10, today=date(2026, 3, 5))
    assert next(m.month for m in basic if m.shortfall) == 10
    assert ("buying about 62 Connects a month once your balance runs out, which on Freelancer Basic is in month 10 "
            "(from 10 December 2026).") in summary
    assert not any(m["shortfall"] for m in on_plus["projection"])
    assert "run short" not in summary


def test_the_advice_names_no_time_to_buy_when_the_plan_covers_the_need() -> None:
    summary = analyse(RULES, read_profile(RULES, {**BASE, "proposals_per_month": 1}))["advice"]["summary"]
    assert "buying" not in summary
    assert "balance runs out" not in summary


@pytest.mark.parametrize(("missing", "first"), [(len(SECTION_IDS), True), (len(SECTION_IDS) // 2 + 1, True),
                                                (len(SECTION_IDS) // 2, False), (0, False)])
def test_the_advice_opens_with_the_profile_when_most_of_it_is_missing(missing: int, first: bool) -> None:
    """Lesson 4 and the article: build the profile before spending Connects (the Profile setup learning path)."""
    sections = {sid: "missing" if i < missing else "update" for i, sid in enumerate(SECTION_IDS)}
    summary = analyse(RULES, read_profile(RULES, {**BASE, "sections": sections}))["advice"]["summary"]
    opening = f"Most of your profile is still missing ({missing} of {len(SECTION_IDS)} sections): build it before you spend"
    assert summary.startswith(opening) == first
    assert ("Profile setup learning path" in summary) == first
    if first:
        assert summary.index("Profile setup") < summary.index("Connects a month"), "before the spending plan"


@pytest.mark.parametrize(("proposals", "boosts", "bid", "lead"), [
    (20, 20, 50, "Boost bids are 1,000 of the 1,200 Connects you need a month, and you boost every proposal."),
    (10, 5, 30, "Boost bids are 150 of the 250 Connects you need a month, more than half."),
    (4, 4, 2, "You boost every proposal you send."),
    (10, 5, 20, None),  # 100 of 200: half, not more
    (10, 0, 50, None),
    (4, 4, 0, None),  # boosted at no bid
])
def test_heavy_boosting_gets_a_note_that_points_to_lesson_3(proposals: int, boosts: int, bid: int, lead: str | None) -> None:
    prof = read_profile(RULES, {**BASE, "proposals_per_month": proposals, "connects_per_proposal": 10,
                                "boosts_per_month": boosts, "boost_bid": bid})
    result = analyse(RULES, prof)
    note = result["advice"]["boost_note"]
    if lead is None:
        assert note == ""
        assert "Boost" not in report_markdown(RULES, prof, result).split("## Plan advice")[1].split("| Plan |")[0]
        return
    assert note.startswith(lead)
    assert "stand out as the ideal candidate" in note, "the article's case for a boost"
    assert f"“{result['advice']['boost_link_text']}” in Lesson 3" in note
    assert f"{result['advice']['summary']}\n\n{note}\n\n| Plan |" in report_markdown(RULES, prof, result)


def test_the_boost_note_names_lesson_3s_section_by_its_heading() -> None:
    """The page links the note's words to `BOOST_SECTION`: a heading of that anchor, in those words."""
    path, _, anchor = BOOST_SECTION.partition("#")
    lesson = (Path(__file__).resolve().parent.parent / "docs" / path).read_text(encoding="utf-8")
    assert f"## {BOOST_LESSON_TITLE} {{#{anchor}}}" in lesson.splitlines()


@pytest.mark.parametrize("plan", ["basic", "plus"])
def test_the_allowance_line_carries_the_rules_note_on_it(plan: str) -> None:
    """Basic's 10 a month may not arrive (one Upwork page says "may"): said where the 10 are counted, not only at the end."""
    prof = read_profile(RULES, {**BASE, "plan": plan})
    result = analyse(RULES, prof)
    figure = RULES.figures[f"plan.{plan}.monthly_connects"]
    assert figure.note
    assert result["budget"]["allowance_note"] == figure.note
    line = (f"- Included in {RULES.plan(plan).name}: **{figure.value:,}** (credited each month). {figure.note}")
    assert f"\n{line}\n" in report_markdown(RULES, prof, result)
    if plan == "basic":
        assert "“may”" in figure.note or '"may"' in figure.note


def test_a_job_asking_more_than_the_exercises_bound_is_accepted() -> None:
    """Users reported jobs asking 19 Connects and more (2024): the activity's own bound leaves room above the exercises'."""
    usual = int(RULES.value("proposal.required_max"))
    assert read_profile(RULES, {**BASE, "connects_per_proposal": usual + 5}).connects_per_proposal == usual + 5


@pytest.mark.parametrize("name", ["balance", "proposals_per_month", "connects_per_proposal", "boosts_per_month",
                                  "boost_bid", "months"])
def test_every_bound_of_the_courses_own_says_so(name: str) -> None:
    """Only the billing day's 31 is the calendar's: every other upper bound is the course's, and its message says so."""
    [field] = [f for f in number_fields(RULES) if f.name == name]
    with pytest.raises(ProfileInputError) as caught:
        read_profile(RULES, {**BASE, "boosts_per_month": 0, name: field.high + 1})
    assert caught.value.errors[name].startswith(f"Enter a number from {field.low} to {field.high:,}: {field.high:,} is "
                                                "the course's own limit")


def test_a_low_confidence_figure_says_to_check_it_once() -> None:
    """Plus's price said 'Check the current price before you subscribe.' (its note) and then 'Low confidence: check
    the current figure before you decide.': the same advice twice in one line. A note that already says to check
    is enough; a low-confidence figure whose note does not still gets the warning."""
    data = {**BASE, "plan": "plus", "proposals_per_month": 12, "connects_per_proposal": 8}
    price = RULES.figures["plan.plus.price_usd"]
    assert price.confidence == "low"
    assert "check" in price.note.lower()
    used = {f["id"]: f for f in analyse(RULES, read_profile(RULES, data))["advice"]["figures"]}
    assert used["plan.plus.price_usd"]["warning"] == ""
    line = next(line for line in report_markdown(RULES, read_profile(RULES, data), analyse(RULES, read_profile(RULES, data)))
                .splitlines() if price.label in line)
    assert line.lower().count("check the current") == 1, line
    silent = replace(RULES, figures={**RULES.figures, price.id: replace(price, note="From third-party pages.")})
    used = {f["id"]: f for f in analyse(silent, read_profile(silent, data))["advice"]["figures"]}
    assert used["plan.plus.price_usd"]["warning"].startswith("Low confidence: check")
