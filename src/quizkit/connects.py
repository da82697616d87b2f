# The domain functions on the plan rules: what exercise checks and quiz keys compute.
"""Connects arithmetic, read from the rules.

Every function takes the `Rules` first and reads figures from it, so changing the
rules file changes every answer key and check that uses these functions. Money is
computed in whole cents and returned in dollars rounded to the cent.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from quizkit.model import Rules


# ---------------------------------------------------------------- plans and refills


def allowance(rules: Rules, plan: str) -> int:
    """Connects a plan credits every billing cycle."""
    rules.plan(plan)
    return int(rules.value(f"plan.{plan}.monthly_connects"))


def refill_day(rules: Rules, billing_day: int) -> int:
    """Day of the month on which Connects arrive for a cycle that started on `billing_day`.

    Cycles that start late in the month (on `refill.late_start_day` or after) renew
    on the 1st, because not every month has a 29th, 30th or 31st.
    """
    _check_day(billing_day)
    return 1 if billing_day >= int(rules.value("refill.late_start_day")) else billing_day


def next_refill(rules: Rules, billing_day: int, today: date) -> date:
    """The first refill date strictly after `today` (today's refill has already arrived)."""
    day = refill_day(rules, billing_day)
    this_month = today.replace(day=day)
    if this_month > today:
        return this_month
    return _add_months(today.replace(day=day), 1)


def days_until_refill(rules: Rules, billing_day: int, today: date) -> int:
    """Whole days from `today` to the next refill."""
    return (next_refill(rules, billing_day, today) - today).days


_LAST_DAY = 31


def _check_day(billing_day: int) -> None:
    if isinstance(billing_day, bool) or not isinstance(billing_day, int) or not 1 <= billing_day <= _LAST_DAY:
        msg = f"billing day must be a whole number from 1 to 31, got {billing_day!r}"
        raise ValueError(msg)


# ---------------------------------------------------------------- balance over time


@dataclass(frozen=True, kw_only=True)
class Month:
    """One billing cycle of a projected balance."""

    month: int
    """1 for the first refill after the start, 2 for the next, ...; 0 for the days before it (`project_from_today`)."""
    granted: int
    bought: int
    expired: int
    spent: int
    shortfall: int
    """Connects wanted this month that the balance could not cover."""
    balance: int
    """Balance at the end of the cycle, after spending."""


def project_balance(
    rules: Rules,
    *,
    plan: str,
    opening_balance: int,
    monthly_spend: int,
    months: int,
    monthly_purchase: int = 0,
) -> list[Month]:
    """Simulate `months` billing cycles: expire, refill, buy, then spend oldest first.

    The opening balance counts as issued at the start. Connects expire
    `expiry.months` cycles after they were issued; a rollover cap, when the rules
    have one, drops the oldest Connects above it at each refill. Spending never
    takes the balance below zero: what it cannot cover is the month's shortfall.
    Nothing is spent before the first refill (`project_from_today` spends the rest of the current cycle too).
    """
    return _project(rules, plan=plan, opening_balance=opening_balance, monthly_spend=monthly_spend, months=months,
                    monthly_purchase=monthly_purchase, spend_first=None)


def spend_before_refill(rules: Rules, billing_day: int, today: date, monthly_spend: int) -> int:
    """What `monthly_spend` Connects a month come to from `today` to the next refill, rounded up.

    The share of the current billing cycle's days still to come (all of them on the refill day
    itself, whose Connects have already arrived): `cycle_days_left` says how many of how many.
    """
    if isinstance(monthly_spend, bool) or not isinstance(monthly_spend, int) or monthly_spend < 0:
        msg = f"monthly_spend must be a whole number of 0 or more, got {monthly_spend!r}"
        raise ValueError(msg)
    left, cycle = cycle_days_left(rules, billing_day, today)
    return -(-monthly_spend * left // cycle)


def cycle_days_left(rules: Rules, billing_day: int, today: date) -> tuple[int, int]:
    """Days from `today` to the next refill, and the days of the billing cycle `today` falls in: `(5, 31)`."""
    refill = next_refill(rules, billing_day, today)
    return (refill - today).days, (refill - _add_months(refill, -1)).days


def refill_dates(rules: Rules, billing_day: int, today: date, months: int) -> list[date]:
    """The next `months` refill dates after `today`: the days months 1, 2, ... of a projection start."""
    first = next_refill(rules, billing_day, today)
    return [_add_months(first, month) for month in range(months)]


def project_from_today(
    rules: Rules,
    *,
    plan: str,
    opening_balance: int,
    monthly_spend: int,
    months: int,
    billing_day: int,
    today: date,
    monthly_purchase: int = 0,
) -> list[Month]:
    """`project_balance` for a freelancer who keeps sending proposals from `today`: the rest of this cycle first.

    Month 0 runs from `today` to the next refill: nothing is credited (Connects that arrived today
    are in the opening balance) and it spends `spend_before_refill`. Months 1 to `months` are
    `project_balance`'s, from a balance that much lower.
    """
    first = spend_before_refill(rules, billing_day, today, monthly_spend)
    return _project(rules, plan=plan, opening_balance=opening_balance, monthly_spend=monthly_spend, months=months,
                    monthly_purchase=monthly_purchase, spend_first=first)


def _project(rules: Rules, *, plan: str, opening_balance: int, monthly_spend: int, months: int,
             monthly_purchase: int, spend_first: int | None) -> list[Month]:
    """The simulation of `project_balance`; with `spend_first`, a month 0 that spends it before the first refill."""
    for name, number in (("opening_balance", opening_balance), ("monthly_spend", monthly_spend),
                         ("months", months), ("monthly_purchase", monthly_purchase)):
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            msg = f"{name} must be a whole number of 0 or more, got {number!r}"
            raise ValueError(msg)
    grant = allowance(rules, plan)
    life = int(rules.value("expiry.months"))
    cap = rules.value("rollover.cap")
    lots: list[list[int]] = [[0, opening_balance]] if opening_balance else []  # [issued month, amount], oldest first
    history: list[Month] = []
    if spend_first is not None:
        spent = _take_oldest(lots, spend_first)
        history.append(Month(month=0, granted=0, bought=0, expired=0, spent=spent, shortfall=spend_first - spent,
                             balance=_total(lots)))
    for month in range(1, months + 1):
        expired = sum(amount for issued, amount in lots if issued <= month - life)
        lots = [lot for lot in lots if lot[0] > month - life]
        if cap is not None:
            expired += _take_oldest(lots, max(0, _total(lots) - int(cap)))
        for amount in (grant, monthly_purchase):
            if amount:
                lots.append([month, amount])
        spent = _take_oldest(lots, monthly_spend)
        history.append(Month(month=month, granted=grant, bought=monthly_purchase, expired=expired,
                             spent=spent, shortfall=monthly_spend - spent, balance=_total(lots)))
    return history


def balance_after(rules: Rules, plan: str, opening_balance: int, monthly_spend: int, months: int) -> int:
    """The balance after `months` billing cycles of `project_balance` (the opening balance for none)."""
    history = project_balance(rules, plan=plan, opening_balance=opening_balance, monthly_spend=monthly_spend, months=months)
    return history[-1].balance if history else opening_balance


def _total(lots: list[list[int]]) -> int:
    return sum(amount for _, amount in lots)


def _take_oldest(lots: list[list[int]], wanted: int) -> int:
    """Remove up to `wanted` Connects from the oldest lots; return how many were taken."""
    taken = 0
    while lots and taken < wanted:
        use = min(lots[0][1], wanted - taken)
        lots[0][1] -= use
        taken += use
        if lots[0][1] == 0:
            lots.pop(0)
    return taken


def expiring_within(rules: Rules, lots: Iterable[tuple[date, int]], today: date, days: int = 30) -> int:
    """Connects of `(issued, amount)` lots that expire in the next `days` days, as Settings shows."""
    life = int(rules.value("expiry.months"))
    horizon = today + timedelta(days=days)
    return sum(amount for issued, amount in lots if today < _add_months(issued, life) <= horizon)


def _add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# ---------------------------------------------------------------- spending wisely


def proposals_affordable(balance: int, required: int) -> int:
    """How many proposals at `required` Connects each a balance pays for."""
    if balance < 0:
        msg = f"balance cannot be negative, got {balance}"
        raise ValueError(msg)
    if required <= 0:
        msg = "a job that requires no Connects can be applied to without limit"
        raise ValueError(msg)
    return balance // required


def proposals_per_month(rules: Rules, plan: str, required: int) -> int:
    """Proposals at `required` Connects each that a plan's monthly allowance alone pays for."""
    return proposals_affordable(allowance(rules, plan), required)


# The course's triage of a job post. Not an Upwork rule: the article's advice ("don't waste
# Connects on proposals for projects you're not a perfect fit for") made concrete enough to
# check, with a narrow middle where either answer is sensible (one skill of four or five missing).
CLEAR_MISFIT = 0.75
"""Below this share of the skills asked, a job is clearly not a fit: texts read it as `share(clear_misfit())`."""

SHARES = {0.5: "half", 0.25: "a quarter", 0.75: "three quarters", 1.0: "all"}


def share(fraction: float) -> str:
    """A fraction in words where it has a plain one (`half`), else a percentage: `share(0.4)` is "40 %"."""
    return SHARES.get(round(fraction, 4), f"{round(100 * fraction)} %")


def triage(job: Mapping[str, Any], balance: int, min_budget_usd: float) -> bool | None:
    """Whether a job post deserves a proposal: True or False when clear-cut, None when it is a judgement call.

    Clearly no: the balance does not cover the Connects required, less than `CLEAR_MISFIT`
    of the skills asked are yours, the budget is below what you would accept, or the client has
    neither a verified payment method nor a single hire. Clearly yes: every skill asked is
    yours, the budget is acceptable and the client has verified payment and has hired
    before. Anything else is a judgement call.
    """
    return _triaged(job, balance, min_budget_usd)[0]


def triage_reason(job: Mapping[str, Any], balance: int, min_budget_usd: float) -> str:
    """Why `triage` is clear-cut for this post, in words for a failing check ("" for a judgement call)."""
    return _triaged(job, balance, min_budget_usd)[1]


def _triaged(job: Mapping[str, Any], balance: int, min_budget_usd: float) -> tuple[bool | None, str]:
    asked, matched = int(job["skills_asked"]), int(job["skills_matched"])
    if not 0 <= matched <= asked or asked == 0:
        msg = f"skills_matched must be from 0 to skills_asked (at least 1), got {matched} of {asked}"
        raise ValueError(msg)
    verified, hires = bool(job["payment_verified"]), int(job["client_hires"])
    if int(job["connects"]) > balance:
        return False, f"clearly no: your balance of {balance} does not cover the {int(job['connects'])} Connects it requires"
    if matched < CLEAR_MISFIT * asked:
        return False, f"clearly no: you have fewer than {share(CLEAR_MISFIT)} of the skills asked ({matched} of {asked})"
    if float(job["budget_usd"]) < min_budget_usd:
        return False, f"clearly no: its budget is under the least you accept ({job['budget_usd']:g} < {min_budget_usd:g})"
    if not verified and hires == 0:
        return False, "clearly no: the client has neither verified payment nor a single hire"
    if matched == asked and verified and hires > 0:
        return True, ("clearly yes: every skill asked is yours, the budget is enough, and the client has verified payment "
                      "and has hired before")
    return None, ""


# ---------------------------------------------------------------- boosts and returns


def boost_charged(rules: Rules, *, top_slot_at_close: bool, client_interacted: bool) -> bool:
    """Whether a boost bid is taken: with a top slot at the close, or a client who interacted while you were boosted."""
    if top_slot_at_close or client_interacted:
        return True
    return bool(rules.value("boost.charge_if_outbid_before_interaction"))


def connects_spent_on_proposal(
    rules: Rules, *, required: int, bid: int = 0, top_slot_at_close: bool = False, client_interacted: bool = False,
) -> int:
    """Connects a proposal finally costs: the required ones plus the bid if it is charged."""
    if required < 0 or bid < 0:
        msg = "Connects cannot be negative"
        raise ValueError(msg)
    charged = bid > 0 and boost_charged(rules, top_slot_at_close=top_slot_at_close, client_interacted=client_interacted)
    return required + (bid if charged else 0)


def boost_worth_it(rules: Rules, *, bid: int, contract_usd: float, win_chance: float, boosted_win_chance: float) -> bool:
    """Whether a boost bid is worth it: the extra chance of winning, times the contract, is more than the bid's price.

    The bid is priced at the price of a Connect whichever Connects pay for it: what your
    balance lacks is bought at that price (`connects_to_buy` says how many), and one taken from
    your balance costs as much if you ever buy Connects (less only if it would expire unused,
    so the price is the most a bid costs). So the balance never changes the answer.
    The whole bid counts: it is charged exactly when you held a top slot or the client interacted.
    """
    if bid < 0:
        msg = f"a bid cannot be negative, got {bid}"
        raise ValueError(msg)
    gain = (boosted_win_chance - win_chance) * contract_usd
    return gain > purchase_cost(rules, bid)


def connects_to_buy(*, balance: int, required: int, planned: int, bid: int = 0) -> int:
    """Connects to buy now to send this proposal with its `bid` and keep the `planned` others at `required` each.

    What the balance does not cover: this proposal's required Connects, the bid (all of it, as
    if charged) and the planned proposals'; 0 when the balance covers them.
    """
    if min(balance, required, planned, bid) < 0:
        msg = "Connects and proposals cannot be negative"
        raise ValueError(msg)
    return max(0, required * (1 + planned) + bid - balance)


def connects_returned(rules: Rules, outcome: str) -> bool:
    """Whether Connects spent on a proposal come back, for a named outcome."""
    if outcome in rules.value("returns.returned_reasons"):
        return True
    if outcome in rules.value("returns.kept_reasons"):
        return False
    known = [*rules.value("returns.returned_reasons"), *rules.value("returns.kept_reasons")]
    msg = f"unknown outcome {outcome!r} (known: {', '.join(known)})"
    raise ValueError(msg)


def connects_returned_total(rules: Rules, proposals: Iterable[tuple[int, str]]) -> int:
    """Connects that come back for `(spent, outcome)` proposals: the sum over returned outcomes."""
    total = 0
    for spent, outcome in proposals:
        if spent < 0:
            msg = f"Connects spent cannot be negative, got {spent}"
            raise ValueError(msg)
        if connects_returned(rules, outcome):
            total += spent
    return total


def reply_cost(rules: Rules, *, invited: bool, required: int) -> int:
    """Connects to answer a job: free when the client invited you."""
    return int(rules.value("invites.reply_cost")) if invited else required


# ---------------------------------------------------------------- buying and plan choice


def _cents(usd: float) -> int:
    return round(usd * 100)


def purchase_cost(rules: Rules, connects: int) -> float:
    """Dollars to buy `connects` Connects at the current price."""
    if connects < 0:
        msg = f"cannot buy a negative number of Connects, got {connects}"
        raise ValueError(msg)
    return connects * _cents(rules.value("purchase.price_per_connect_usd")) / 100


def smallest_bundle(rules: Rules, connects: int) -> int | None:
    """The smallest bundle that covers `connects`, or None when none is large enough."""
    fitting = [size for size in rules.value("purchase.bundles") if size >= connects]
    return min(fitting) if fitting else None


def monthly_cost(rules: Rules, plan: str, need: int) -> float:
    """Dollars a month for `need` Connects on `plan`: the plan's price plus what it must buy.

    Bought Connects count at the price of one Connect even where only bundles are sold: what is
    left of a bundle stays for the next month, so over the months that is what each one costs
    (lesson 4 says so in words that follow `purchase.custom_amount`).
    """
    if need < 0:
        msg = f"need cannot be negative, got {need}"
        raise ValueError(msg)
    extra = max(0, need - allowance(rules, plan))
    cents = _cents(rules.value(f"plan.{plan}.price_usd")) + extra * _cents(rules.value("purchase.price_per_connect_usd"))
    return cents / 100


def cheapest_plan(rules: Rules, need: int) -> str:
    """The plan that meets `need` for the fewest dollars; the first listed wins a tie."""
    return min((p.id for p in rules.plans), key=lambda plan: _cents(monthly_cost(rules, plan, need)))


def plan_premium(rules: Rules, need: int, cheaper: str = "basic", richer: str = "plus") -> float:
    """Dollars a month `richer` costs more than `cheaper` for `need` Connects (negative when it costs less).

    What the richer plan's other features must be worth to you for it to be the right choice.
    """
    return (_cents(monthly_cost(rules, richer, need)) - _cents(monthly_cost(rules, cheaper, need))) / 100


def break_even_need(rules: Rules, cheaper: str = "basic", richer: str = "plus") -> int | None:
    """The fewest Connects a month at which `richer` costs strictly less than `cheaper`.

    None when it never does: beyond the richer plan's allowance both plans buy at the
    same price, so the gap stops changing and checking up to there is enough.
    """
    limit = max(allowance(rules, cheaper), allowance(rules, richer))
    for need in range(limit + 1):
        if _cents(monthly_cost(rules, richer, need)) < _cents(monthly_cost(rules, cheaper, need)):
            return need
    return None
