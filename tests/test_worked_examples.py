# Worked examples in the lessons: the numbers they show agree with the rule they teach, under any figures.
"""A worked example that rounds its result can state the opposite of its own rule.

Lesson 3 said a 15-Connect bid on a $600 contract is worth it "if it raises your chance of winning by more than
0.38 percentage points": the bid costs $2.25, 0.375 points of $600, so a rise of 0.38 points is worth it too, and
the sentence said otherwise. The threshold is now shown exactly, under today's price and others, and with an
example of what a percentage point is (from 10% to 10.375%).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from quizkit.page_markdown import process
from tests.conftest import ROOT, with_values

if TYPE_CHECKING:
    from quizkit.model import Rules

LESSON_3 = ROOT / "docs" / "lessons" / "03-proposal-visibility.md"


def _paragraph(text: str, start: str) -> str:
    """The paragraph of `text` that begins with `start`."""
    return next(p for p in text.split("\n\n") if p.startswith(start))


@pytest.mark.parametrize("price", [None, 0.13, 0.19, 1.0])
def test_the_boost_threshold_of_lesson_3_is_the_bid_price_as_a_share_of_the_contract(rules: Rules,
                                                                                      price: float | None) -> None:
    if price is not None:
        rules = with_values(rules, **{"purchase.price_per_connect_usd": price})
    paragraph = _paragraph(LESSON_3.read_text(encoding="utf-8"), "At {{ usd(purchase.price_per_connect_usd) }} a Connect")
    result = process(paragraph, rules, find=lambda kind, item: None, nonce="n", page="lessons/03-proposal-visibility.md")
    assert result.problems == []
    said = re.search(r"a (\d+)-Connect bid .* on a \$(\d+) contract, .* by more than ([\d.]+) percentage points",
                     result.markdown, re.DOTALL)
    assert said, result.markdown
    bid, contract, threshold = int(said[1]), int(said[2]), float(said[3])
    assert threshold / 100 * contract == pytest.approx(bid * rules.value("purchase.price_per_connect_usd"), abs=1e-9)
    said = re.search(r"percentage points \(from 10% to more than ([\d.]+)%", result.markdown)
    assert said, "a percentage point is shown as a move from one percent to another"
    assert float(said[1]) == pytest.approx(10 + threshold)
