from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizkit import connects
from quizkit.load import load_rules
from quizkit.model import Rules
from tests.conftest import with_values

RULES = load_rules()
plans = st.sampled_from([p.id for p in RULES.plans])
days = st.integers(min_value=1, max_value=31)
dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
counts = st.integers(min_value=0, max_value=400)


# ---------------------------------------------------------------- plans and refills


@pytest.mark.parametrize(("plan", "expected"), [("basic", 10), ("plus", 100)])
def test_allowance_reads_the_rules(rules: Rules, plan: str, expected: int) -> None:
    assert connects.allowance(rules, plan) == expected


def test_changing_a_rule_changes_the_answer(rules: Rules) -> None:
    assert connects.allowance(with_values(rules, **{"plan.plus.monthly_connects": 80}), "plus") == 80


@pytest.mark.parametrize(("billing_day", "refill"), [(1, 1), (15, 15), (28, 28), (29, 1), (30, 1), (31, 1)])
def test_late_cycles_renew_on_the_first(rules: Rules, billing_day: int, refill: int) -> None:
    assert connects.refill_day(rules, billing_day) == refill


@pytest.mark.parametrize(
    ("billing_day", "today", "expected"),
    [
        (15, date(2026, 3, 10), date(2026, 3, 15)),
        (15, date(2026, 3, 15), date(2026, 4, 15)),  # today's refill already arrived
        (15, date(2026, 12, 20), date(2027, 1, 15)),
        (31, date(2026, 1, 30), date(2026, 2, 1)),
        (30, date(2026, 2, 1), date(2026, 3, 1)),
    ],
)
def test_next_refill(rules: Rules, billing_day: int, today: date, expected: date) -> None:
    assert connects.next_refill(rules, billing_day, today) == expected


@pytest.mark.parametrize("bad", [0, 32, -1, True, 2.5])
def test_billing_day_out_of_range_is_refused(rules: Rules, bad: object) -> None:
    with pytest.raises(ValueError, match="billing day"):
        connects.refill_day(rules, bad)  # type: ignore[arg-type]


@given(day=days, today=dates)
def test_next_refill_is_soon_after_today_on_the_refill_day(day: int, today: date) -> None:
    refill = connects.next_refill(RULES, day, today)
    assert today < refill <= today + timedelta(days=31)
    assert refill.day == connects.refill_day(RULES, day)


# ---------------------------------------------------------------- balance over time


@settings(max_examples=200)
@given(plan=plans, opening=counts, spend=counts, months=st.integers(0, 40), bought=st.integers(0, 100))
def test_balance_is_never_negative_and_adds_up(plan: str, opening: int, spend: int, months: int, bought: int) -> None:
    history = connects.project_balance(RULES, plan=plan, opening_balance=opening, monthly_spend=spend, months=months,
                                       monthly_purchase=bought)
    assert len(history) == months
    before = opening
    for month in history:
        assert month.balance >= 0
        assert month.spent + month.shortfall == spend
        assert month.balance == before + month.granted + month.bought - month.expired - month.spent
        before = month.balance


@given(plan=plans, months=st.integers(13, 40))
def test_unspent_connects_expire_after_the_expiry_period(plan: str, months: int) -> None:
    history = connects.project_balance(RULES, plan=plan, opening_balance=0, monthly_spend=0, months=months)
    # With nothing spent, the balance holds exactly the last `expiry.months` grants.
    assert history[-1].balance == RULES.value("expiry.months") * connects.allowance(RULES, plan)


def test_oldest_connects_are_spent_first(rules: Rules) -> None:
    # 50 opening Connects, 4 spent a month: 6 of the opening lot are left to expire at month 12.
    history = connects.project_balance(rules, plan="basic", opening_balance=50, monthly_spend=4, months=12)
    assert history[-1].expired == 6


def test_a_rollover_cap_drops_the_excess(rules: Rules) -> None:
    capped = with_values(rules, **{"rollover.cap": 200})
    history = connects.project_balance(capped, plan="plus", opening_balance=0, monthly_spend=0, months=5)
    assert [m.balance for m in history] == [100, 200, 300, 300, 300]
    assert history[-1].expired == 100


def test_negative_inputs_are_refused(rules: Rules) -> None:
    with pytest.raises(ValueError, match="monthly_spend"):
        connects.project_balance(rules, plan="basic", opening_balance=0, monthly_spend=-1, months=1)


@pytest.mark.parametrize(("billing_day", "today", "left", "cycle"), [
    (20, date(2026, 6, 20), 30, 30),  # the refill day: its Connects arrived, the whole cycle is ahead
    (20, date(2026, 7, 19), 1, 30),
    (3, date(2026, 3, 5), 29, 31),
    (31, date(2026, 1, 31), 1, 31),  # a late start renews on the 1st
    (15, date(2026, 12, 20), 26, 31),  # into the next year
])
def test_the_days_left_of_the_billing_cycle(rules: Rules, billing_day: int, today: date, left: int, cycle: int) -> None:
    assert connects.cycle_days_left(rules, billing_day, today) == (left, cycle)


@pytest.mark.parametrize(("today", "spend"), [(date(2026, 6, 20), 50), (date(2026, 7, 19), 2), (date(2026, 7, 5), 25)])
def test_the_spending_before_the_refill_is_the_days_share_of_the_need_rounded_up(rules: Rules, today: date,
                                                                                  spend: int) -> None:
    assert connects.spend_before_refill(rules, 20, today, 50) == spend


def test_the_refill_dates_follow_the_next_refill_month_by_month(rules: Rules) -> None:
    assert connects.refill_dates(rules, 31, date(2026, 12, 31), 3) == [date(2027, 1, 1), date(2027, 2, 1), date(2027, 3, 1)]
    assert connects.refill_dates(rules, 28, date(2026, 1, 28), 2) == [date(2026, 2, 28), date(2026, 3, 28)]


def test_a_projection_from_today_spends_the_rest_of_this_cycle_before_the_first_refill(rules: Rules) -> None:
    """The review's case: Basic, 400 Connects, 5 proposals of 10 a month, on the billing day. Spending from today, the
    balance runs short in the cycle that starts 9 refills later, not after 10 (as when nothing is spent until then)."""
    history = connects.project_from_today(rules, plan="basic", opening_balance=400, monthly_spend=50, months=12,
                                          billing_day=20, today=date(2026, 6, 20))
    assert [m.month for m in history] == list(range(13))
    assert (history[0].granted, history[0].spent, history[0].balance) == (0, 50, 350)
    assert next(m.month for m in history if m.shortfall) == 9
    assert connects.refill_dates(rules, 20, date(2026, 6, 20), 9)[-1] == date(2027, 3, 20)


@settings(max_examples=200)
@given(plan=plans, opening=counts, spend=counts, months=st.integers(0, 30), day=days, today=dates)
def test_a_projection_from_today_is_project_balance_after_the_rest_of_this_cycle(
        plan: str, opening: int, spend: int, months: int, day: int, today: date) -> None:
    history = connects.project_from_today(RULES, plan=plan, opening_balance=opening, monthly_spend=spend, months=months,
                                          billing_day=day, today=today)
    first = connects.spend_before_refill(RULES, day, today, spend)
    assert 0 <= first <= spend
    assert (history[0].spent + history[0].shortfall, history[0].balance) == (first, max(0, opening - first))
    assert history[1:] == connects.project_balance(RULES, plan=plan, opening_balance=history[0].balance,
                                                   monthly_spend=spend, months=months)


# ---------------------------------------------------------------- affordability and job choice


@given(balance=counts, extra=st.integers(0, 50), required=st.integers(1, 20))
def test_affordability_is_monotonic(balance: int, extra: int, required: int) -> None:
    assert connects.proposals_affordable(balance + extra, required) >= connects.proposals_affordable(balance, required)
    assert connects.proposals_affordable(balance, required + 1) <= connects.proposals_affordable(balance, required)
    assert connects.proposals_affordable(balance, required) * required <= balance


def test_free_jobs_and_negative_balances_are_refused() -> None:
    with pytest.raises(ValueError, match="without limit"):
        connects.proposals_affordable(10, 0)
    with pytest.raises(ValueError, match="negative"):
        connects.proposals_affordable(-1, 4)


POST = {"connects": 8, "skills_asked": 4, "skills_matched": 4, "budget_usd": 800.0, "payment_verified": True,
        "client_hires": 3}


@pytest.mark.parametrize(
    ("changes", "balance", "decision"),
    [
        ({}, 30, True),
        ({}, 7, False),  # the balance does not cover the proposal
        ({"skills_matched": 1}, 30, False),  # not a fit
        ({"budget_usd": 50.0}, 30, False),  # below the freelancer's floor
        ({"payment_verified": False, "client_hires": 0}, 30, False),  # an unproven client
        ({"skills_matched": 3}, 30, None),  # a judgement call
        ({"client_hires": 0}, 30, None),
    ],
)
def test_triage_is_clear_only_where_the_article_is(changes: dict[str, object], balance: int, decision: bool | None) -> None:
    assert connects.triage({**POST, **changes}, balance, 100) is decision


def test_triage_refuses_impossible_skill_counts() -> None:
    with pytest.raises(ValueError, match="skills_matched"):
        connects.triage({**POST, "skills_matched": 5}, 30, 100)


@given(bid=st.integers(0, 60), balance=st.integers(0, 150), required=st.integers(0, 20), planned=st.integers(0, 8))
def test_connects_to_buy_is_what_the_balance_does_not_cover(bid: int, balance: int, required: int, planned: int) -> None:
    to_buy = connects.connects_to_buy(balance=balance, required=required, planned=planned, bid=bid)
    needed = required * (1 + planned) + bid
    assert to_buy >= 0
    assert balance + to_buy >= needed, "enough for this proposal, its bid and the planned ones"
    assert to_buy == 0 or balance + to_buy == needed, "and not one Connect more"


def test_connects_to_buy_refuses_negative_counts() -> None:
    with pytest.raises(ValueError, match="negative"):
        connects.connects_to_buy(balance=10, required=5, planned=-1, bid=3)
    with pytest.raises(ValueError, match="negative"):
        connects.boost_worth_it(RULES, bid=-1, contract_usd=100, win_chance=0.1, boosted_win_chance=0.2)


# ---------------------------------------------------------------- boosts, returns, invites


@pytest.mark.parametrize(
    ("top_slot", "interacted", "charged"),
    [(True, False, True), (False, True, True), (True, True, True), (False, False, False)],
)
def test_a_boost_is_charged_only_when_it_did_something(rules: Rules, top_slot: bool, interacted: bool, charged: bool) -> None:
    assert connects.boost_charged(rules, top_slot_at_close=top_slot, client_interacted=interacted) is charged
    spent = connects.connects_spent_on_proposal(rules, required=8, bid=20, top_slot_at_close=top_slot,
                                                client_interacted=interacted)
    assert spent == (28 if charged else 8)


@given(required=st.integers(0, 20), bid=st.integers(0, 60), top=st.booleans(), interacted=st.booleans())
def test_a_proposal_costs_at_least_its_required_connects(required: int, bid: int, top: bool, interacted: bool) -> None:
    spent = connects.connects_spent_on_proposal(RULES, required=required, bid=bid, top_slot_at_close=top,
                                                client_interacted=interacted)
    assert required <= spent <= required + bid


def test_boost_worth_it_compares_gain_with_the_price_of_the_bid(rules: Rules) -> None:
    # 10 Connects cost $1.50; +1 point of chance on a $500 contract is worth $5.
    assert connects.boost_worth_it(rules, bid=10, contract_usd=500, win_chance=0.10, boosted_win_chance=0.11)
    assert not connects.boost_worth_it(rules, bid=10, contract_usd=100, win_chance=0.10, boosted_win_chance=0.11)


def test_the_lessons_boost_is_worth_it_on_basic_where_the_bid_must_be_bought(rules: Rules) -> None:
    """The lesson's example: a 15-Connect bid on a $600 job, 10% -> 30%, a 9-Connect job and 2 proposals planned.

    With 27 Connects the bid must be bought (15 Connects, $2.25, against a $120 gain); with 55 it need not.
    """
    assert connects.boost_worth_it(rules, bid=15, contract_usd=600, win_chance=0.10, boosted_win_chance=0.30)
    assert connects.connects_to_buy(balance=27, required=9, planned=2, bid=15) == 15
    assert connects.purchase_cost(rules, 15) == 2.25
    assert connects.connects_to_buy(balance=55, required=9, planned=2, bid=15) == 0
    # Connects in the balance are not free: a bid that fits is still weighed at the price of a Connect.
    assert not connects.boost_worth_it(rules, bid=15, contract_usd=60, win_chance=0.10, boosted_win_chance=0.12)


def test_a_shortfall_that_costs_less_than_the_gain_does_not_stop_a_boost(rules: Rules) -> None:
    """The reviewer's case: balance 25, a 5-Connect job, 2 planned, bid 15, $800, 5% -> 12%: buy 5 Connects."""
    assert connects.connects_to_buy(balance=25, required=5, planned=2, bid=15) == 5
    assert connects.boost_worth_it(rules, bid=15, contract_usd=800, win_chance=0.05, boosted_win_chance=0.12)


@given(price=st.sampled_from([0.12, 0.15, 0.19, 1.0]), bid=st.integers(0, 60),
       points=st.integers(0, 40), contract=st.integers(0, 5000))
def test_boost_worth_it_follows_the_price_of_a_connect(price: float, bid: int, points: int, contract: int) -> None:
    rules = with_values(RULES, **{"purchase.price_per_connect_usd": price})
    worth = connects.boost_worth_it(rules, bid=bid, contract_usd=contract, win_chance=0.1, boosted_win_chance=0.1 + points / 100)
    gain_cents, cost_cents = points * contract, bid * round(price * 100)
    if abs(gain_cents - cost_cents) >= 1:  # away from a tie, where float rounding decides
        assert worth is (gain_cents > cost_cents)


@pytest.mark.parametrize(
    ("outcome", "returned"),
    [("client_cancelled_before_contract", True), ("removed_by_upwork", True), ("declined", False),
     ("other_freelancer_hired", False), ("job_expired", False), ("withdrawn", False)],
)
def test_which_outcomes_return_connects(rules: Rules, outcome: str, returned: bool) -> None:
    assert connects.connects_returned(rules, outcome) is returned


def test_unknown_outcome_lists_the_known_ones(rules: Rules) -> None:
    with pytest.raises(ValueError, match="known: client_cancelled_before_contract"):
        connects.connects_returned(rules, "ghosted")


def test_invites_are_free(rules: Rules) -> None:
    assert connects.reply_cost(rules, invited=True, required=12) == 0
    assert connects.reply_cost(rules, invited=False, required=12) == 12


# ---------------------------------------------------------------- buying and plan choice


@pytest.mark.parametrize(("n", "usd"), [(0, 0.0), (1, 0.15), (10, 1.5), (80, 12.0), (133, 19.95)])
def test_purchase_cost(rules: Rules, n: int, usd: float) -> None:
    assert connects.purchase_cost(rules, n) == usd


@pytest.mark.parametrize(("n", "bundle"), [(1, 10), (10, 10), (11, 20), (75, 80), (81, None)])
def test_smallest_bundle(rules: Rules, n: int, bundle: int | None) -> None:
    assert connects.smallest_bundle(rules, n) == bundle


@given(plan=plans, need=counts, more=st.integers(0, 50))
def test_monthly_cost_never_falls_as_need_grows(plan: str, need: int, more: int) -> None:
    assert connects.monthly_cost(RULES, plan, need + more) >= connects.monthly_cost(RULES, plan, need)


@given(need=counts)
def test_cheapest_plan_costs_no_more_than_any_plan(need: int) -> None:
    best = connects.monthly_cost(RULES, connects.cheapest_plan(RULES, need), need)
    assert all(best <= connects.monthly_cost(RULES, p.id, need) for p in RULES.plans)


def test_at_current_prices_plus_never_pays_for_itself_in_connects(rules: Rules) -> None:
    # 90 extra Connects cost 90 x $0.15 = $13.50, less than the Plus price: Plus pays off through its other perks.
    assert connects.break_even_need(rules) is None
    assert connects.cheapest_plan(rules, 1000) == "basic"


def test_break_even_follows_the_prices(rules: Rules) -> None:
    cheap_plus = with_values(rules, **{"plan.plus.price_usd": 9.99})
    need = connects.break_even_need(cheap_plus)
    # 10 + 9.99 / 0.15 = 76.6: from 77 Connects a month Plus costs less.
    assert need == 77
    assert connects.monthly_cost(cheap_plus, "plus", need) < connects.monthly_cost(cheap_plus, "basic", need)
    assert connects.monthly_cost(cheap_plus, "plus", need - 1) >= connects.monthly_cost(cheap_plus, "basic", need - 1)


def test_expiring_within_counts_lots_that_expire_in_the_window(rules: Rules) -> None:
    lots = [(date(2025, 1, 10), 10), (date(2025, 2, 20), 10), (date(2025, 6, 1), 100)]
    assert connects.expiring_within(rules, lots, date(2026, 1, 1), days=30) == 10
    assert connects.expiring_within(rules, lots, date(2026, 1, 1), days=60) == 20
