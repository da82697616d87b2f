# Typed figures: a plan figure written by hand, in digits or in words, is found; a scenario number is not.
"""`quizkit.typed.scan`: the literals `quizkit check` refuses in what a reader sees.

Digits were always read; a figure spelled in words is read when it counts the figure's own unit
("ten Connects", "twelve months", "a year", "fifteen cents", "the twenty-ninth"), as are cents and `US$`,
so that the course's one source of truth cannot be bypassed by spelling a figure out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from quizkit.typed import scan

if TYPE_CHECKING:
    from quizkit.model import Rules


@pytest.mark.parametrize(("text", "literal", "figure"), [
    ("Basic gives you 10 Connects.", "10", "plan.basic.monthly_connects"),
    ("Basic gives you ten Connects.", "ten Connects", "plan.basic.monthly_connects"),
    ("Basic gives you ten free Connects a month.", "ten free Connects", "plan.basic.monthly_connects"),
    ("Basic gives you **ten** Connects.", "ten** Connects", "plan.basic.monthly_connects"),
    ("Plus gives a hundred Connects in total.", "a hundred Connects", "plan.plus.monthly_connects"),
    ("Plus gives One Hundred Connects.", "One Hundred Connects", "plan.plus.monthly_connects"),
    ("Connects expire after twelve months.", "twelve months", "expiry.months"),
    ("Connects expire after a year.", "a year", "expiry.months"),
    ("Connects last one full year.", "one full year", "expiry.months"),
    ("The auction closes after seven days.", "seven days", "boost.auction_days"),
    ("The four top slots go to the highest bids.", "four top slots", "boost.top_slots"),
    ("A Connect costs fifteen cents.", "fifteen cents", "purchase.price_per_connect_usd"),
    ("A Connect costs 15 cents.", "15 cents", "purchase.price_per_connect_usd"),
    ("A Connect costs US$0.15.", "US$0.15", "purchase.price_per_connect_usd"),
    ("Cycles from the twenty-ninth renew on the 1st.", "twenty-ninth", "refill.late_start_day"),
    ("Cycles from the twenty ninth renew on the 1st.", "twenty ninth", "refill.late_start_day"),
    ("Plus once gave seventy Connects.", "seventy Connects", "plan.plus.monthly_connects"),
    ("A Connect once cost one dollar.", "one dollar", "purchase.price_per_connect_usd"),
])
def test_a_figure_in_digits_or_in_words_is_found(rules: Rules, text: str, literal: str, figure: str) -> None:
    found = scan(text, rules)
    assert [(hit.text, hit.literal.figure) for hit in found] == [(literal, figure)]


@pytest.mark.parametrize("text", [
    "Your last ten proposals brought no reply.",  # counts proposals, not a figure's unit
    "A post went up ten minutes ago.",
    "Buy Connects so you can apply to all twelve posts.",
    "You applied to a dozen jobs this month.",  # a dozen jobs, then a month: not twelve months
    "You can afford about four proposals at 9 Connects.",
    "Two days later, the client cancels.",
    "Four weeks after you upgraded.",
    "The second question asks for a number.",
    "Buying it costs a dollar or two.",  # 'a dollar': too loose to be a price
    "Twenty-nine days later.",  # 29 is a day of the month, not a number of days
    "The client picked you first.",  # 1 counts only as dollars
    "Replying costs {{ invites.reply_cost }} Connects, ten minutes of your time.",
])
def test_a_scenario_number_that_counts_something_else_is_not_a_figure(rules: Rules, text: str) -> None:
    assert scan(text, rules) == []


def test_a_figure_in_words_is_told_to_take_its_digits_when_it_merely_coincides(rules: Rules) -> None:
    [hit] = scan("Connects expire after a year.", rules)
    assert hit.message() == ("'a year' is the figure expiry.months: write {{ expiry.months }} (or an expression of it) so "
                             "the text follows the rules, or {{ scenario(12) }} (in digits) if it is a scenario number "
                             "that merely coincides")
    [cents] = scan("It costs 15 cents.", rules)
    assert "{{ scenario(0.15) }} (in digits)" in cents.message()
    [dollars] = scan("It costs US$0.15.", rules)
    assert "{{ scenario(0.15) }} if" in dollars.message()


def test_a_figure_in_words_is_found_at_its_line(rules: Rules) -> None:
    assert [(hit.line, hit.text) for hit in scan("One line.\nThe auction closes after seven days.\n", rules)] == [
        (2, "seven days")]
