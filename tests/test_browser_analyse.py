# `quizkit.browser.analyse_json`, the activity page's entry point, in CPython: the same analysis as the API and the CLI.
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from quizkit import analysis, browser
from quizkit.analysis import ProfileInputError, analyse, read_profile, report_markdown
from quizkit.load import read_yaml

if TYPE_CHECKING:
    from quizkit.model import Rules

EXAMPLE = Path(__file__).resolve().parent.parent / "exercises" / "profiles" / "example.yml"


@pytest.fixture(autouse=True)
def loaded(rules: Rules) -> None:
    browser.load_rules(json.dumps(rules.to_data()))


def example() -> dict[str, Any]:
    data = read_yaml(EXAMPLE).data
    assert isinstance(data, dict)
    return data


def call(data: object) -> dict[str, Any]:
    answer = json.loads(browser.analyse_json(json.dumps(data)))
    assert isinstance(answer, dict)
    return answer


def test_the_example_gives_the_apis_analysis_and_report(rules: Rules) -> None:
    profile = read_profile(rules, example())
    expected = analyse(rules, profile)
    answer = call(example())
    assert answer == {"ok": True, "result": json.loads(json.dumps(expected)), "report": report_markdown(rules, profile, expected)}


def test_form_text_is_read_like_numbers(rules: Rules) -> None:
    as_text = {**example(), **{name: str(example()[name]) for name in ("balance", "billing_day", "months")}}
    assert call(as_text)["result"] == call(example())["result"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"balance": -1}, "balance", "Cannot be negative."),
        ({"billing_day": 0}, "billing_day", "Enter a number from 1 to 31."),
        ({"billing_day": 32}, "billing_day", "Enter a number from 1 to 31."),
        ({"proposals_per_month": ""}, "proposals_per_month", "Enter a number."),
        ({"boost_bid": "7.5"}, "boost_bid", "Enter a whole number."),
        ({"plan": ""}, "plan", "Choose one of Freelancer Basic (“basic”) or Freelancer Plus (“plus”)."),
        ({"sections": {"photo": "almost"}}, "sections.photo",
         "Choose one of Complete (“complete”), Needs an update (“update”) or Missing (“missing”)."),
    ],
)
def test_bad_fields_are_refused_with_read_profiles_messages(rules: Rules, change: dict[str, Any], field: str,
                                                            message: str) -> None:
    data = {**example(), **change}
    answer = call(data)
    with pytest.raises(ProfileInputError) as raised:
        read_profile(rules, data)
    assert answer == {"ok": False, "errors": raised.value.errors}
    assert answer["errors"][field] == message


def test_every_bad_field_is_reported_at_once() -> None:
    answer = call({**example(), "balance": -3, "billing_day": 32, "months": ""})
    assert set(answer["errors"]) == {"balance", "billing_day", "months"}


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", "null", '"profile"'])
def test_what_is_not_a_profile_is_one_clear_error(text: str) -> None:
    answer = json.loads(browser.analyse_json(text))
    assert answer["ok"] is False
    assert set(answer["errors"]) == {"profile"}


def test_a_fault_of_ours_raises_under_tests_and_is_an_internal_answer_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise ZeroDivisionError("oops")

    monkeypatch.setattr(analysis, "analyse", broken)  # looked up when analyse_json runs
    with pytest.raises(ZeroDivisionError):
        browser.analyse_json(json.dumps(example()))
    monkeypatch.setenv("QUIZKIT_RAISE_INTERNAL", "0")
    answer = json.loads(browser.analyse_json(json.dumps(example())))
    assert answer["ok"] is False
    assert answer["errors"] == {}
    assert "ZeroDivisionError: oops" in answer["internal"]


def test_the_bounds_the_form_gets_are_the_ones_read_profile_enforces(rules: Rules) -> None:
    from quizkit.analysis import number_fields

    base = {**example(), "proposals_per_month": 500, "boosts_per_month": 0}  # boosts may not exceed proposals
    for field in number_fields(rules):
        for value in (field.low, field.high):
            read_profile(rules, {**base, field.name: value})
        for value in (field.low - 1, field.high + 1):
            with pytest.raises(ProfileInputError) as raised:
                read_profile(rules, {**base, field.name: value})
            assert set(raised.value.errors) == {field.name}
        data = {k: v for k, v in base.items() if k != field.name}
        if field.default is None:
            with pytest.raises(ProfileInputError):
                read_profile(rules, data)
        else:
            assert getattr(read_profile(rules, data), field.name) == field.default
