# Reference answers for exercise checks: the rules engine behind a learner-shaped signature.
"""Each exercise asks the learner to write a function; its reference is here.

A `Reference` wraps a domain function of `quizkit.connects` (or `quizkit.profile`)
with the signature the learner writes, knows how to turn case arguments written in
YAML into Python values, how to generate valid random inputs (seeded), and how to
decide whether the learner's answer is the same as the expected one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from quizkit import connects, profile

if TYPE_CHECKING:
    import random
    from collections.abc import Callable

    from quizkit.model import Rules

Args = list[Any]


def same_value(actual: object, expected: object, args: Args) -> bool:
    """Equality; floats to the cent; a bool is not a number, nor an int past a float's range (`10**400`)."""
    del args
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual is expected
    if isinstance(expected, float) and isinstance(actual, int | float):
        try:
            return math.isclose(actual, expected, abs_tol=0.005)
        except OverflowError:  # an int too big for a float is no amount of money
            return False
    if isinstance(expected, tuple) and isinstance(actual, list | tuple):
        return tuple(actual) == expected
    return type(actual) is type(expected) and actual == expected


@dataclass(frozen=True, kw_only=True)
class Reference:
    """What a learner function must compute."""

    name: str
    params: tuple[str, ...]
    """Parameter names, for messages: `monthly_connects(plan='plus')`."""
    compute: Callable[..., Any]
    """`compute(rules, *args)`: the expected value."""
    generate: Callable[[random.Random, Rules], Args]
    """Valid random arguments, from a seeded generator."""
    convert: Callable[[Args], Args] = list
    """YAML case arguments to Python values (dates from text, jobs from mappings)."""
    same: Callable[[object, object, Args], bool] = same_value
    shown: Callable[[object, Args], str | None] = lambda expected, args: None
    """The answer in words where its value alone would mislead or say too little (None: the value's repr)."""

    def expected(self, rules: Rules, args: Args) -> Any:
        """The reference answer for these arguments."""
        return self.compute(rules, *args)


def _dates(*positions: int) -> Callable[[Args], Args]:
    def convert(args: Args) -> Args:
        return [date.fromisoformat(a) if i in positions and isinstance(a, str) else a for i, a in enumerate(args)]
    return convert


def _plan(rng: random.Random, rules: Rules) -> str:
    return rng.choice([plan.id for plan in rules.plans])


def _required(rng: random.Random, rules: Rules) -> int:
    return rng.randint(max(1, int(rules.value("proposal.required_min"))), int(rules.value("proposal.required_max")))


def _coin(rng: random.Random) -> bool:
    """True or False, as likely."""
    return rng.random() < 0.5  # noqa: PLR2004 - a fair coin


def _day(rng: random.Random) -> date:
    return date(2026, 1, 1) + timedelta(days=rng.randrange(730))


# ---------------------------------------------------------------- triage


def _random_post(rng: random.Random, rules: Rules) -> Args:
    asked = rng.randint(1, 6)
    job = {
        "connects": _required(rng, rules),
        "skills_asked": asked,
        "skills_matched": rng.choice([asked, asked, rng.randint(0, asked)]),
        "budget_usd": float(rng.choice([40, 150, 300, 800, 2500])),
        "payment_verified": rng.random() < 0.7,  # noqa: PLR2004 - most clients verify
        "client_hires": rng.choice([0, 0, 1, 3, 12]),
    }
    return [job, rng.randint(0, 60), float(rng.choice([50, 100, 250]))]


def _same_triage(actual: object, expected: object, args: Args) -> bool:
    """A clear-cut case needs the course's answer; a judgement call accepts either bool."""
    del args
    if expected is None:
        return isinstance(actual, bool)
    return actual is expected


def _shown_triage(expected: object, args: Args) -> str:
    """The course's answer with its reason: a judgement call is None there, but the learner's must be a bool.

    "returned None, but the answer is None" would contradict itself, and "the answer is False" alone leaves a
    beginner to find which of four rules says no.
    """
    if expected is None:
        return "`True` or `False` (a judgement call: either passes, but it must be a bool)"
    return f"{expected} ({connects.triage_reason(*args)})"


def _refill_args(rng: random.Random, rules: Rules) -> Args:
    """Billing days around the late-start day half of the time: the boundary is where mistakes hide."""
    late = int(rules.value("refill.late_start_day"))
    day = rng.choice([late - 1, late, late + 1]) if _coin(rng) else rng.randint(1, 31)
    return [max(1, min(31, day)), _day(rng)]


# ---------------------------------------------------------------- the registry


_OUTCOMES = ("client_cancelled_before_contract", "removed_by_upwork", "declined", "other_freelancer_hired",
             "job_expired", "withdrawn")


def _random_proposals(rng: random.Random, rules: Rules) -> Args:
    proposals = [
        {"job": f"job-{i + 1}", "connects": _required(rng, rules),
         "outcome": rng.choice(_OUTCOMES)}
        for i in range(rng.randint(0, 8))
    ]
    return [proposals]


def _returned_total(rules: Rules, proposals: list[dict[str, Any]]) -> int:
    return connects.connects_returned_total(rules, ((int(p["connects"]), str(p["outcome"])) for p in proposals))


def _clear_of_ties(gain: float, bid: int, prices: set[float]) -> bool:
    """Whether `gain` is at least a cent from the bid's price at each of `prices`."""
    return all(abs(gain - bid * price) >= 0.01 for price in prices)  # noqa: PLR2004 - a cent


ROUNDING_PROBES = 0.25
"""The share of generated boosts whose gain is 10 cents above the bid's price, and below it once rounded to dollars."""


def _boost_args(rng: random.Random, rules: Rules) -> Args:
    """A boost to weigh (`to_buy` is 0 half the time), never one whose gain is within a cent of the bid's price.

    Neither at today's price nor at a former one (what a check's `changed` run uses): on a tie, two right
    ways of computing the gain, `(b - w) * c` and `b * c - w * c`, can round to different answers.
    Some (ROUNDING_PROBES) are made from today's price so that a gain rounded to whole dollars gives the other
    answer: a bid whose price has 5 to 35 cents over whole dollars, and a gain 10 cents above that price.
    """
    figure = rules.figures["purchase.price_per_connect_usd"]
    prices = {figure.value, *(entry.value for entry in figure.history)}
    if rng.random() < ROUNDING_PROBES:
        for bid in rng.sample(range(1, 41), 40):
            cost = bid * figure.value
            contract = round(10 * (cost + 0.1), 2)  # the gain, a tenth of it, is the price and 10 cents
            if 0.05 <= cost % 1 <= 0.35 and _clear_of_ties(0.1 * contract, bid, prices):  # noqa: PLR2004
                return [bid, rng.choice([0, rng.randint(1, 40)]), contract, 0.1, 0.2]
    while True:
        bid, to_buy = rng.randint(1, 40), rng.choice([0, rng.randint(1, 40)])
        contract = float(rng.choice([40, 60, 200, 500, 1500]))
        chance = rng.choice([0.05, 0.1, 0.2])
        boosted = round(chance + rng.choice([0.0, 0.02, 0.05, 0.1, 0.2]), 2)
        gain = (boosted - chance) * contract
        if _clear_of_ties(gain, bid, prices):
            return [bid, to_buy, contract, chance, boosted]


REFERENCES: dict[str, Reference] = {
    ref.name: ref
    for ref in (
        Reference(name="monthly_connects", params=("plan",), compute=connects.allowance,
                  generate=lambda rng, rules: [_plan(rng, rules)]),
        Reference(name="proposals_per_month", params=("plan", "required"), compute=connects.proposals_per_month,
                  generate=lambda rng, rules: [_plan(rng, rules), _required(rng, rules)]),
        Reference(name="next_refill", params=("billing_day", "today"), compute=connects.next_refill,
                  generate=_refill_args, convert=_dates(1)),
        Reference(name="balance_after", params=("plan", "opening_balance", "monthly_spend", "months"),
                  compute=connects.balance_after,
                  generate=lambda rng, rules: [_plan(rng, rules), rng.randint(0, 150), rng.randint(0, 120), rng.randint(0, 30)]),
        Reference(name="worth_applying", params=("job", "balance", "min_budget_usd"),
                  compute=lambda rules, job, balance, floor: connects.triage(job, balance, floor),
                  generate=_random_post, same=_same_triage, shown=_shown_triage),
        Reference(name="connects_spent", params=("required", "bid", "top_slot_at_close", "client_interacted"),
                  compute=lambda rules, required, bid, top, interacted: connects.connects_spent_on_proposal(
                      rules, required=required, bid=bid, top_slot_at_close=top, client_interacted=interacted),
                  generate=lambda rng, rules: [_required(rng, rules), rng.randint(0, 50), _coin(rng), _coin(rng)]),
        Reference(name="connects_to_buy", params=("balance", "required", "planned", "bid"),
                  compute=lambda rules, balance, required, planned, bid: connects.connects_to_buy(
                      balance=balance, required=required, planned=planned, bid=bid),
                  generate=lambda rng, rules: [rng.randint(0, 120), _required(rng, rules), rng.randint(0, 6),
                                               rng.choice([0, rng.randint(1, 40)])]),
        Reference(name="boost_worth_it", params=("bid", "to_buy", "contract_usd", "win_chance", "boosted_win_chance"),
                  compute=lambda rules, bid, to_buy, usd, chance, boosted: connects.boost_worth_it(
                      rules, bid=bid, contract_usd=usd, win_chance=chance, boosted_win_chance=boosted),
                  generate=_boost_args),
        Reference(name="connects_returned", params=("outcome",), compute=connects.connects_returned,
                  generate=lambda rng, rules: [rng.choice(_OUTCOMES)]),
        Reference(name="connects_back", params=("proposals",), compute=_returned_total, generate=_random_proposals),
        Reference(name="completeness", params=("statuses",), compute=profile.completeness,
                  generate=lambda rng, rules: [profile.random_statuses(rng, rules)]),
        Reference(name="monthly_cost", params=("plan", "need"), compute=connects.monthly_cost,
                  generate=lambda rng, rules: [_plan(rng, rules), rng.randint(0, 300)]),
        Reference(name="cheapest_plan", params=("need",), compute=connects.cheapest_plan,
                  generate=lambda rng, rules: [rng.randint(0, 400)]),
        Reference(name="plus_premium", params=("need",), compute=connects.plan_premium,
                  generate=lambda rng, rules: [rng.randint(0, 250)]),
    )
}


def reference(name: str) -> Reference:
    """The reference with this name; KeyError lists the known ones."""
    try:
        return REFERENCES[name]
    except KeyError:
        raise KeyError(f"unknown reference '{name}' (known: {', '.join(sorted(REFERENCES))})") from None
