# The final quiz's questions that rest on a rule: keys from the rules in every variant, figures marked, texts in words.
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from quizkit import connects
from quizkit.load import load_quiz
from quizkit.model import Rules
from quizkit.quiz import compile_quiz

FINAL = Path(__file__).resolve().parent.parent / "exercises" / "quizzes" / "final.yml"
OUTBID = "boost.charge_if_outbid_before_interaction"


def question(rules: Rules, question_id: str) -> dict[str, Any]:
    return next(q for q in compile_quiz(load_quiz(FINAL), rules)["questions"] if q["id"] == question_id)


def changed(rules: Rules, figure_id: str, value: object) -> Rules:
    data = copy.deepcopy(dict(rules.to_data()))
    data["figures"][figure_id]["value"] = value
    return Rules.from_data(data)


@pytest.mark.parametrize("charge_outbid", [False, True])
def test_the_boost_total_asks_every_case_of_the_charge_rule_with_keys_from_the_rules(rules: Rules,
                                                                                    charge_outbid: bool) -> None:
    """Messaged, top slot at the close, outbid before any interaction: the last is the known mistake (paying an outbid
    bid), which boost-charged-when alone tested. Each variant's key follows the rule, whatever its value."""
    rules = changed(rules, OUTBID, charge_outbid)
    q = question(rules, "boost-total")
    cases = {"messaged": (True, False), "top": (False, True), "outbid": (False, False)}
    assert {v["params"]["case"] for v in q["variants"]} == set(cases)
    for variant in q["variants"]:
        required, bid, case = (variant["params"][name] for name in ("required", "bid", "case"))
        interacted, top = cases[case]
        key = connects.connects_spent_on_proposal(rules, required=required, bid=bid, client_interacted=interacted,
                                                  top_slot_at_close=top)
        assert variant["key"] == key
        assert f"{key} Connects" in variant["explanation"]
        if case == "outbid":
            assert key == required + (bid if charge_outbid else 0)
    assert [f["id"] for f in q["figures"]] == [OUTBID], "the charge rule (medium confidence) is marked"


def test_the_plus_cost_in_an_explanation_is_marked_with_the_low_confidence_price_it_rests_on(rules: Rules) -> None:
    q = question(rules, "plan-cost-150")
    price = rules.figures["plan.plus.price_usd"]
    assert price.confidence == "low"
    assert {"id": price.id, "text": price.mark_text, "place": "answer"}.items() <= next(
        f for f in q["figures"] if f["id"] == price.id).items()


@pytest.mark.parametrize(("amount", "key"), [(None, False), (5, True)])
def test_the_profile_bonus_question_says_in_words_whether_an_amount_is_documented(rules: Rules, amount: int | None,
                                                                                  key: bool) -> None:
    """No "the amount per section is: not documented": a sentence, which flips with the rule."""
    q = question(changed(rules, "bonus.profile_sections", amount), "profile-bonus-documented")
    assert q["key"] is key
    texts = [q["explanation"], *q["feedback"].values()]
    assert not any("is: " in text or "rules: " in text for text in texts)
    if amount is None:
        assert q["feedback"]["false"].startswith("Right: no Upwork page we found says how many bonus Connects a section")
        assert q["feedback"]["true"].startswith("No: ")
    else:
        assert q["feedback"]["true"] == "Right: the rules give 5 bonus Connects a section."
        assert "The rules give 5 a section." in q["explanation"]
