# The boost questions ask for the arithmetic: no one number of the story (the contract, the bid, the gain in chance)
# gives the verdict away, and the balance never decides it.
"""Whether a boost is worth its bid must be worked out: the gain (extra chance times the contract) against the bid's price.

A review found "small contract means no, big means yes" scored about 20 of 24 variants of the two boost questions
(every $20 and $40 variant of boost-worth-it was "not worth it", every $800 one of boost-worth-bid "worth it"). A
reader who guesses from one number should do little better than a coin: each value of the contract, the bid and the
points of chance gets both answers, and the best guess from the contract alone is right in at most 70% of variants.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import pytest

from quizkit import connects
from quizkit.course import Course
from quizkit.model import Rules
from quizkit.quiz import _with_let
from tests.conftest import EXERCISES

BOOSTS = [("visibility", "boost-worth-it"), ("final", "boost-worth-bid")]
CONTRACT_GUESS_AT_MOST = 0.7
"""The share of variants the best guess from the contract alone may get right (a coin gets about half)."""
OTHER_GUESS_AT_MOST = 0.75
"""The same for the bid alone and the points of chance alone."""


@pytest.fixture(scope="module")
def course() -> Course:
    return Course.load(EXERCISES)


def _question(course: Course, quiz_id: str, question_id: str) -> tuple[Any, dict[str, Any]]:
    authored = next(q for q in course.quiz(quiz_id).questions if q.id == question_id)
    compiled = next(q for q in course.compiled_quizzes[quiz_id]["questions"] if q["id"] == question_id)
    return authored, compiled


def _worth(variant: dict[str, Any], rules: Rules) -> bool:
    """The verdict, worked out here from the variant's numbers: is the gain more than the bid's price?"""
    p = variant["params"]
    return p["points"] / 100 * p["contract"] > connects.purchase_cost(rules, p["bid"])


def guessed(variants: list[dict[str, Any]], name: str, verdict: Any) -> float:
    """The share of `variants` a reader gets right who answers from parameter `name` alone, as well as it can be done."""
    seen: dict[Any, Counter[Any]] = defaultdict(Counter)
    for variant in variants:
        seen[variant["params"][name]][verdict(variant)] += 1
    return sum(max(answers.values()) for answers in seen.values()) / len(variants)


def one_sided(variants: list[dict[str, Any]], name: str, verdict: Any) -> list[Any]:
    """The values of parameter `name` whose variants all share one answer."""
    seen: dict[Any, set[Any]] = defaultdict(set)
    for variant in variants:
        seen[variant["params"][name]].add(verdict(variant))
    return sorted(value for value, answers in seen.items() if len(answers) < 2)


def _says_yes(variant: dict[str, Any]) -> bool:
    """The keyed answer: true, or the option that opens with "Yes"."""
    if isinstance(variant["key"], bool):
        return variant["key"]
    return next(o for o in variant["options"] if o["id"] == variant["key"])["text"].startswith("Yes")


@pytest.mark.parametrize(("quiz_id", "question_id"), BOOSTS)
def test_no_one_number_of_the_story_gives_the_verdict_away(course: Course, quiz_id: str, question_id: str) -> None:
    _, compiled = _question(course, quiz_id, question_id)
    variants = compiled["variants"]
    assert [_says_yes(v) for v in variants] == [_worth(v, course.rules) for v in variants], "the key is the verdict"
    assert 0.4 <= sum(map(_says_yes, variants)) / len(variants) <= 0.6, "about as many variants are worth it as not"
    for name in ("contract", "bid", "points"):
        assert one_sided(variants, name, _says_yes) == [], f"every {name} gets both answers"
    assert guessed(variants, "contract", _says_yes) <= CONTRACT_GUESS_AT_MOST
    assert guessed(variants, "bid", _says_yes) <= OTHER_GUESS_AT_MOST
    assert guessed(variants, "points", _says_yes) <= OTHER_GUESS_AT_MOST


@pytest.mark.parametrize(("quiz_id", "question_id"), BOOSTS)
def test_the_stories_are_realistic_and_the_balance_never_decides(course: Course, quiz_id: str, question_id: str) -> None:
    """No contract under $40, no bid that costs more than a tenth of the contract, never a close call. The balance
    covers this proposal and the planned ones in every variant; whether it covers the bid too varies within each
    verdict, so a reader cannot answer from it."""
    authored, compiled = _question(course, quiz_id, question_id)
    rules = course.rules
    covers: set[tuple[bool, bool]] = set()
    for variant in compiled["variants"]:
        p = _with_let(authored, rules, variant["params"])
        gain, price = p["points"] / 100 * p["contract"], connects.purchase_cost(rules, p["bid"])
        assert p["contract"] >= 40
        assert price <= p["contract"] / 10, p
        assert max(gain, price) >= 1.5 * min(gain, price), f"a close call: {p}"
        assert connects.connects_to_buy(balance=p["balance"], required=p["required"], planned=p["planned"]) == 0
        lack = connects.connects_to_buy(balance=p["balance"], required=p["required"], planned=p["planned"], bid=p["bid"])
        if quiz_id == "final":  # each option that names a mistake gives that mistake's verdict
            assert lack < p["bid"], p
            assert connects.purchase_cost(rules, lack) < gain < p["bid"], p
            assert p["points"] < p["bid"], p
        covers.add((gain > price, lack == 0))
    assert covers == {(True, True), (True, False), (False, True), (False, False)}
