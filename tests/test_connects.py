from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizkit import connects
from quizkit.connects import Job
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


job_lists = st.lists(
    st.builds(Job, id=st.uuids().map(str), connects=st.integers(1, 16), fit=st.sampled_from([0.3, 0.6, 0.7, 0.8, 1.0]),
              value_usd=st.sampled_from([100.0, 250.0, 800.0, 2000.0])),
    max_size=7, unique_by=lambda job: job.id,
)


@settings(max_examples=150)
@given(jobs=job_lists, budget=st.integers(0, 40))
def test_choose_jobs_is_the_best_fit_choice_within_budget(jobs: list[Job], budget: int) -> None:
    chosen = connects.choose_jobs(jobs, budget)
    by_id = {job.id: job for job in jobs}
    assert sum(by_id[i].connects for i in chosen) <= budget
    assert all(by_id[i].fit >= 0.7 for i in chosen)
    fit = [job for job in jobs if job.fit >= 0.7]
    best = max(
        (sum(j.expected_usd for j in combo) for r in range(len(fit) + 1) for combo in itertools.combinations(fit, r)
         if sum(j.connects for j in combo) <= budget),
        default=0.0,
    )
    assert connects.total_expected_usd(jobs, chosen) == pytest.approx(best, abs=0.01)


@given(jobs=job_lists, budget=st.integers(0, 40))
def test_a_bigger_budget_never_lowers_the_expected_value(jobs: list[Job], budget: int) -> None:
    assert connects.total_expected_usd(jobs, connects.choose_jobs(jobs, budget + 5)) >= connects.total_expected_usd(
        jobs, connects.choose_jobs(jobs, budget))


def test_a_poor_fit_is_never_chosen_even_when_lucrative() -> None:
    jobs = [Job(id="dream", connects=2, fit=0.3, value_usd=9000), Job(id="fit", connects=6, fit=0.9, value_usd=400)]
    assert connects.choose_jobs(jobs, 10) == ("fit",)


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
