# Quiz questions that ask for a decision: the key is worked out from the reader's numbers, and varies with them.
"""Properties over every variant of the questions a content review reworked from recall into decisions.

Each key is computed here again from the domain functions (not from the question's own expressions), and each
question must keep asking for the arithmetic under today's figures and under changed ones: a question whose answer
is the same in every variant is recall of a sentence in the lesson, not practice.
"""

from __future__ import annotations

from typing import Any

import pytest

from quizkit import connects
from quizkit.course import Course
from quizkit.load import load_quiz
from quizkit.model import Rules
from quizkit.quiz import compile_quiz
from tests.conftest import EXERCISES, with_values

QUIZZES = EXERCISES / "quizzes"


def question(rules: Rules, quiz_id: str, question_id: str) -> dict[str, Any]:
    compiled = compile_quiz(load_quiz(QUIZZES / f"{quiz_id}.yml"), rules)
    return next(q for q in compiled["questions"] if q["id"] == question_id)


def option(variant: dict[str, Any], option_id: str) -> dict[str, Any]:
    return next(o for o in variant["options"] if o["id"] == option_id)


def _dollars(text: str, after: str) -> float:
    """The dollar amount that follows `after` in `text`: `$12.00`."""
    return float(text.split(after, 1)[1].split("$", 1)[1].split(" ", 1)[0].rstrip(".,"))


PLAN_CHANGES = [
    pytest.param({}, id="today"),
    pytest.param({"plan.plus.price_usd": 15.99}, id="plus-cheaper"),
    pytest.param({"purchase.price_per_connect_usd": 0.19}, id="connects-dearer"),
    pytest.param({"plan.plus.monthly_connects": 80, "plan.plus.price_usd": 14.99,
                  "purchase.price_per_connect_usd": 0.19}, id="several"),
]


@pytest.mark.parametrize("changes", PLAN_CHANGES)
def test_the_plan_question_weighs_what_plus_costs_you_against_what_its_features_are_worth(
        rules: Rules, changes: dict[str, Any]) -> None:
    """break-even asked "which plan costs you less?", and Basic won at every need: recall of lesson 4's bold sentence.
    Now the reader prices Plus over Basic for their need and weighs it against what its features are worth to them."""
    rules = with_values(rules, **changes)
    q = question(rules, "profile", "break-even")
    plus = next(o["id"] for o in q["options"] if o["text"].startswith("Freelancer Plus: its features"))
    basic = next(o["id"] for o in q["options"] if o["text"].startswith("Freelancer Basic: Plus costs more"))
    keys = {}
    for variant in q["variants"]:
        need = variant["params"]["need"]
        premium = connects.plan_premium(rules, need)
        worth = _dollars(variant["text"], "are worth about")
        assert connects.allowance(rules, "basic") < need < connects.allowance(rules, "plus")
        assert worth < rules.value("plan.plus.price_usd"), "a value above Plus's whole price decides without arithmetic"
        assert max(worth, premium) >= 1.15 * min(worth, premium), f"a close call: {need} Connects, ${worth}"
        assert variant["key"] == (plus if worth > premium else basic)
        keys.setdefault(variant["key"], set()).add(need)
    assert set(keys) == {plus, basic}, "both plans are the better deal in some variants"
    needs = sorted(v["params"]["need"] for v in q["variants"])
    low, high = needs[: len(needs) // 2], needs[len(needs) // 2:]
    assert all(set(keys[key]) & set(low) and set(keys[key]) & set(high) for key in keys), \
        "low and high needs alike get both answers: the need alone does not decide"


def test_the_plan_question_names_each_mistake_in_its_feedback(rules: Rules) -> None:
    q = question(rules, "profile", "break-even")
    for variant in q["variants"]:
        full_price = next(o for o in variant["options"] if "its full" in o["text"])
        all_connects = next(o for o in variant["options"] if "extra Connects are worth" in o["text"])
        assert full_price["feedback"].startswith("Plus does not cost you its full price more")
        assert all_connects["feedback"].startswith("Extra Connects save you money only if you would otherwise buy them")
        feedbacks = {o["feedback"] for o in variant["options"]}
        assert len(feedbacks) == len(variant["options"]), "each option says why it is right or wrong, in its own words"


@pytest.mark.parametrize("custom", [True, False])
@pytest.mark.parametrize("bundles", [None, [8, 16, 32, 48, 64], [12, 25, 50, 75, 100]])
@pytest.mark.parametrize(("quiz_id", "question_id", "gap"), [
    ("plans", "largest-bundle", lambda p: p["required"] - p["balance"]),
    ("final", "price-per-connect", lambda p: p["short"]),
])
def test_buying_the_gap_tells_a_custom_amount_from_a_bundle_in_every_variant(
        rules: Rules, custom: bool, bundles: list[int] | None, quiz_id: str, question_id: str, gap: Any) -> None:
    """A gap the size of a bundle (10 Connects) cost the same bought either way, so those variants asked nothing about
    how Upwork sells Connects: no gap equals a bundle size, whatever the rules list."""
    changes: dict[str, Any] = {"purchase.custom_amount": custom}
    if bundles is not None:
        changes["purchase.bundles"] = bundles
    rules = with_values(rules, **changes)
    q = question(rules, quiz_id, question_id)
    for variant in q["variants"]:
        missing = gap(variant["params"])
        bundle = connects.smallest_bundle(rules, missing)
        assert bundle is not None
        assert missing not in rules.value("purchase.bundles")
        exact, whole = connects.purchase_cost(rules, missing), connects.purchase_cost(rules, bundle)
        assert exact < whole
        if q["type"] == "numeric":
            assert variant["key"] == (exact if custom else whole)
            assert (whole if custom else exact) in [m["value"] for m in variant["mistakes"]]


@pytest.mark.parametrize("custom", [True, False])
def test_the_gap_question_asks_whether_to_buy_now_or_wait(rules: Rules, custom: bool) -> None:
    """price-per-connect asked what a purchase costs once the stem had decided to buy: recall of the price. Now the
    reader decides between buying the gap today, waiting for the refill and a cheaper post, with the price in the stem
    and the cost of each purchase worked out in the options."""
    rules = with_values(rules, **{"purchase.custom_amount": custom})
    q = question(rules, "final", "price-per-connect")
    price = rules.value("purchase.price_per_connect_usd")
    for variant in q["variants"]:
        short, wait = variant["params"]["short"], variant["params"]["wait"]
        assert f"One Connect costs ${price:.2f}." in variant["text"]
        key = option(variant, variant["key"])
        cost = connects.purchase_cost(rules, short if custom else connects.smallest_bundle(rules, short))
        assert key["text"].startswith("Buy")
        assert f"${cost:.2f}" in key["text"]
        assert key["text"].endswith("apply today.")
        assert key["feedback"].startswith("Right: ")
        waiting = next(o for o in variant["options"] if o["text"].startswith("Wait"))
        assert f"{wait} days" in waiting["text"]
        assert f"${cost:.2f}" in waiting["feedback"], "what waiting saves, against what it loses"
        assert not any(o["feedback"].startswith("Right") for o in variant["options"] if o is not key)


def test_the_lasting_balance_says_nothing_expires(rules: Rules) -> None:
    """Balances up to several hundred Connects (on Basic, a year of free Connects) may hold Connects about to expire:
    the stem says none do, as its sibling questions do, and the key assumes it."""
    q = question(rules, "plans", "lasting-balance")
    for variant in q["variants"]:
        assert "none of your Connects expire in that time" in variant["text"]
        p = variant["params"]
        history = connects.project_balance(rules, plan=p["membership"], opening_balance=p["balance"],
                                           monthly_spend=connects.allowance(rules, p["membership"]) + p["extra"],
                                           months=p["months"])
        assert sum(month.expired for month in history) == 0
        assert variant["key"] == p["balance"] - p["months"] * p["extra"]


@pytest.mark.parametrize("outbid_pays", [False, True])
def test_whether_a_boost_is_charged_yet_follows_the_auction_close_and_the_charge_rule(rules: Rules,
                                                                                     outbid_pays: bool) -> None:
    """auction-close asked "can others still outbid you?" on day D: recall of the auction's length. Now the reader
    combines it with the top slots and the charge rule: still open, closed with a top slot, or closed without one."""
    rules = with_values(rules, **{"boost.charge_if_outbid_before_interaction": outbid_pays})
    q = question(rules, "visibility", "auction-close")
    days, slots = rules.value("boost.auction_days"), rules.value("boost.top_slots")
    seen = set()
    for variant in q["variants"]:
        day, rank = variant["params"]["day"], variant["params"]["rank"]
        assert day != days, "on the closing day itself the answer would hang on the hour"
        assert f"{days} days" not in variant["text"], "the reader brings the auction's length"
        key = option(variant, variant["key"])["text"]
        if day < days:
            assert key.startswith("Not yet"), variant["params"]
        elif rank <= slots:
            assert key.startswith("Yes: you held a top slot"), variant["params"]
        else:
            charged = connects.boost_charged(rules, top_slot_at_close=False, client_interacted=False)
            assert key.startswith("Yes" if charged else "No"), variant["params"]
        seen.add(key)
        assert not key.startswith("Yes: a bid is charged as soon as"), "that option is the mistake, never the key"
    assert len(seen) == 3, "open, closed with a top slot and closed without it all come up"


SAME_KEY_BY_DESIGN = {
    ("plans", "refill-day"): "an upgrade on day 29 or later would change the key, but no source says whether the "
                             "first cycle then ends on the next 1st, two days later, or on the 1st after it",
    ("final", "price-per-connect"): "waiting for the refill could be the better choice on some numbers, but no source "
                                    "says what a day's delay costs a proposal; a bundle key needs another figure",
}
"""Parameterised choice questions whose key is the same in every variant, each with why no variant can change it."""


def test_a_parameterised_choice_changes_its_key_across_variants_unless_the_sources_cannot_support_another() -> None:
    """generic-proposals asked the same "false" in all 24 variants: a reader who saw the key once could answer every
    retry without working anything out. Variants exist so that the numbers, not the memory, decide."""
    course = Course.load(EXERCISES)
    same = {(quiz_id, q["id"]) for quiz_id, compiled in course.compiled_quizzes.items() for q in compiled["questions"]
            if q["type"] in ("single", "multiple", "true_false") and q.get("variants")
            and len({repr(variant["key"]) for variant in q["variants"]}) == 1}
    assert same == set(SAME_KEY_BY_DESIGN)


def test_the_oldest_first_question_asks_whether_the_proposal_reaches_the_newer_connects(rules: Rules) -> None:
    """The reader spends the oldest Connects first and works out whether the proposal needs any newer ones."""
    q = question(rules, "final", "generic-proposals")
    keys = []
    for variant in q["variants"]:
        p = variant["params"]
        assert variant["key"] is (p["required"] <= p["old"]), p
        kept = p["newer"] - max(0, p["required"] - p["old"])
        assert f"{kept} newer" in variant["feedback"]["true"] or kept == p["newer"], (p, variant["feedback"]["true"])
        keys.append(variant["key"])
    assert 0.35 <= keys.count(True) / len(keys) <= 0.65, keys


def test_the_invitation_question_asks_whether_the_balance_covers_a_reply_and_a_proposal(rules: Rules) -> None:
    """invite-costs asked whether a reply is free: a figure to recall. Now the reader prices a reply and a proposal
    of their own against a balance, and in some variants the balance covers both only because the reply is free."""
    for cost in (0, 2):
        q = question(with_values(rules, **{"invites.reply_cost": cost}), "final", "invite-costs")
        free_only = []
        for variant in q["variants"]:
            p = variant["params"]
            assert variant["key"] is (p["balance"] >= cost + p["other"]), p
            free_only.append(p["other"] <= p["balance"] < p["invited"] + p["other"])
        keys = [v["key"] for v in q["variants"]]
        assert True in keys
        assert False in keys
        assert cost or 0.35 <= keys.count(True) / len(keys) <= 0.65, "today, true and false about as often"
        assert sum(free_only) * 3 >= len(free_only), "a third of the variants trap a reader who pays for the reply"


def test_the_cancelled_proposal_question_varies_whether_its_connects_come_back(rules: Rules) -> None:
    """balance-after always had the second client cancel before hiring, so the key always gave the Connects back:
    a reader who learnt "add them back" passed every variant. The outcome now varies, from the returns rule."""
    q = question(rules, "spending", "balance-after")
    back = set()
    for variant in q["variants"]:
        p = variant["params"]
        returned = connects.connects_returned(rules, p["outcome"])
        assert variant["key"] == p["balance"] - p["first"] - (0 if returned else p["second"]), p
        back.add(returned)
    assert back == {True, False}
