from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING

import pytest

from quizkit.errors import ContentError
from quizkit.load import DEFAULT_RULES, load_rules, read_yaml
from quizkit.model import Rules

if TYPE_CHECKING:
    from pathlib import Path


def test_the_article_figures_are_marked_as_from_the_article(rules: Rules) -> None:
    for figure_id in ("plan.basic.monthly_connects", "plan.plus.monthly_connects", "refill.day_of_cycle"):
        figure = rules.figures[figure_id]
        assert figure.in_article
        assert figure.source == "article"
    assert rules.value("plan.basic.monthly_connects") == 10
    assert rules.value("plan.plus.monthly_connects") == 100


def test_every_figure_is_sourced_and_dated(rules: Rules) -> None:
    for figure in rules.figures.values():
        assert figure.source in rules.sources
        year, month = figure.confirmed
        assert 2000 < year < 2100
        assert 1 <= month <= 12
        for entry in figure.history:
            assert entry.source in rules.sources


def test_undocumented_bonus_is_none_not_an_invented_amount(rules: Rules) -> None:
    assert rules.value("bonus.profile_sections") is None
    assert "no" in rules.figures["bonus.profile_sections"].note.lower()


def test_plus_allowance_keeps_its_history(rules: Rules) -> None:
    assert [h.value for h in rules.figures["plan.plus.monthly_connects"].history] == [70, 80, 70, 100]


def test_json_round_trip_gives_the_same_rules(rules: Rules) -> None:
    again = Rules.from_data(json.loads(json.dumps(rules.to_data())))
    assert again.figures == rules.figures
    assert again.plans == rules.plans
    assert again.profile_sections == rules.profile_sections


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["figures"]["expiry.months"].update(colour="red"), "unknown field 'colour'"),
        (lambda d: d["figures"]["expiry.months"].update(as_of="2025-13"), "'as_of' must be YYYY-MM"),
        (lambda d: d["figures"]["expiry.months"].update(source="blog"), "unknown source 'blog'"),
        (lambda d: d["figures"]["expiry.months"].pop("value"), "missing required field 'value'"),
        (lambda d: d["figures"].pop("plan.plus.price_usd"), "needs a numeric figure 'plan.plus.price_usd'"),
        (lambda d: d["plans"].append(dict(d["plans"][0])), "duplicate id 'basic'"),
        (lambda d: d["sources"]["article"].update(url="http://example.com"), "must start with https://"),
        (lambda d: d["sources"]["article"].update(url=""), "must start with https://"),
        (lambda d: d["figures"]["expiry.months"].update(confidence="sure"), "'confidence' must be"),
        # A news item of Aug 2024 cannot confirm the invite rule as of Oct 2025 (invites.reply_cost cited one).
        (lambda d: d["figures"]["invites.reply_cost"].update(source="invites-2024"),
         r"'as_of' 2025-10 is later than its source 'invites-2024' \(Freelancer Files: .*\(Aug 2024\)\)"),
        (lambda d: d["figures"]["purchase.bundles"].update(as_of="2020"), r"'as_of' 2020 is later than its source 'rollout-2019'"),
    ],
)
def test_invalid_rules_are_refused_with_a_path(rules: Rules, change, message: str) -> None:
    data = copy.deepcopy(dict(rules.to_data()))
    change(data)
    with pytest.raises(ContentError, match=message) as caught:
        Rules.from_data(data)
    assert caught.value.path


def test_a_rules_file_error_names_file_and_line(tmp_path: Path) -> None:
    text = DEFAULT_RULES.read_text(encoding="utf-8").replace("    unit: months\n", "    unit: months\n    colour: red\n", 1)
    broken = tmp_path / "rules.yml"
    broken.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    colour: red") + 1
    with pytest.raises(ContentError) as caught:
        load_rules(broken)
    assert str(caught.value).startswith(f"{broken}:{line}: unknown field 'colour'")


def test_yaml_syntax_errors_name_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "bad.yml"
    broken.write_text("a: 1\nb: [1, 2\nc: 3\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"bad\.yml:\d+: YAML error"):
        read_yaml(broken)


def test_a_source_dated_in_its_title_confirms_its_year_or_month_and_no_later(rules: Rules) -> None:
    """`(2026)` confirms any month of 2026, `(Aug 2024)` up to August 2024; a title without a date, any month."""
    data = copy.deepcopy(dict(rules.to_data()))
    data["figures"]["plan.plus.price_usd"]["as_of"] = "2026-12"  # GoLance: Upwork fees explained (2026)
    data["figures"]["invites.reply_cost"].update(source="invites-2024", as_of="2024-08")
    data["figures"]["proposal.required_max"]["as_of"] = "2030-01"  # the course's own bound: no date in its title
    Rules.from_data(data)


def test_dates_stay_text_so_json_gets_what_was_written(tmp_path: Path) -> None:
    path = tmp_path / "d.yml"
    path.write_text("when: 2025-10-01\n", encoding="utf-8")
    assert read_yaml(path).data == {"when": "2025-10-01"}


def test_unknown_rule_and_plan_are_explained(rules: Rules) -> None:
    with pytest.raises(KeyError, match=r"unknown rule 'plan\.gold\.monthly_connects'"):
        rules.value("plan.gold.monthly_connects")
    with pytest.raises(ValueError, match="plans: basic, plus"):
        rules.plan("gold")


def test_load_rules_defaults_to_the_package_file() -> None:
    assert load_rules().figures == load_rules(DEFAULT_RULES).figures


def test_article_figures_are_not_dated_more_precisely_than_the_undated_article(rules: Rules) -> None:
    for figure in rules.figures.values():
        if figure.source == "article":
            assert figure.as_of.startswith("~"), figure.id


def test_figures_a_reader_must_see_labelled(rules: Rules) -> None:
    assert rules.figures["plan.plus.price_usd"].needs_label
    assert rules.figures["purchase.bundles"].needs_label
    assert rules.figures["boost.charge_if_outbid_before_interaction"].needs_label
    assert not rules.figures["plan.plus.monthly_connects"].needs_label


def test_stale_figures_are_the_ones_not_confirmed_within_the_window(rules: Rules) -> None:
    from datetime import date

    from quizkit.model import stale_figures

    assert [f.id for f in stale_figures(rules, date(2026, 1, 15), months=90)] == []
    old = stale_figures(rules, date(2026, 1, 15), months=12)
    assert old[0].id == "purchase.bundles"  # confirmed 2019: the oldest first
    assert "plan.plus.price_usd" not in [f.id for f in old]  # confirmed 2026-01
