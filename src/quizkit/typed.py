# Typed figures: find a plan figure (current or former) written by hand in reader-facing text.
"""Find literals in text that equal a plan figure, today's or a former one.

Lessons, prompts, hints, messages and quiz text must write figures as rule
expressions (`{{ plan.plus.monthly_connects }}`) so they follow the rules file. A
number in a scenario that merely coincides with a figure (a job requiring 8 Connects
while 8 was once the most a job required) is marked as such: `{{ scenario(8) }}`
renders as 8 and tells a reviewer the coincidence was seen. Standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from quizkit.expressions import TEMPLATE

if TYPE_CHECKING:
    from quizkit.model import Rules


@dataclass(frozen=True, kw_only=True)
class FigureValue:
    """A value a figure has or had."""

    value: float
    figure: str
    unit: str
    when: str = ""
    """Empty for today's value; else when the figure had this value."""


@dataclass(frozen=True, kw_only=True)
class Typed:
    """A literal in text that equals a figure."""

    line: int
    """1-based line within the text scanned."""
    text: str
    """The literal as written, `$14.99` or `29th`."""
    literal: FigureValue

    def message(self) -> str:
        """What an author reads: the figure, and the two ways out."""
        fid = self.literal.figure
        what = f"the figure {fid}" if not self.literal.when else f"a former value of {fid} ({self.literal.when})"
        return (f"'{self.text}' is {what}: write {{{{ {fid} }}}} (or an expression of it) so the text follows the rules, "
                f"or {{{{ scenario({self.text.lstrip('$').rstrip('stndrh').replace(',', '')}) }}}} "
                "if it is a scenario number that merely coincides")


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def literals(rules: Rules) -> list[FigureValue]:
    """Every current and former numeric value of the figures (list figures count each item)."""
    found: list[FigureValue] = []
    for fid, figure in rules.figures.items():
        values = figure.value if isinstance(figure.value, list) else [figure.value]
        found.extend(FigureValue(value=n, figure=fid, unit=figure.unit) for v in values if (n := _number(v)) is not None)
        for entry in figure.history:
            old = entry.value if isinstance(entry.value, list) else [entry.value]
            found.extend(FigureValue(value=n, figure=fid, unit=figure.unit, when=entry.when) for v in old
                         if (n := _number(v)) is not None and n not in [_number(c) for c in values])
    return found


_NUMBER = re.compile(r"(?<![\w.$/#-])(?P<usd>\$)?(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?(?P<suffix>st|nd|rd|th|%)?(?![\w%])"
                     r"(?!\s+(?:minutes?|hours?|seconds?|percent|per\s?cent)\b)")
_SKIP = (
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"\{\s*#[^}]*\}"),  # heading anchors
    re.compile(r"https?://\S+"),
    re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b"),  # dates
    re.compile(r"\b(?:19|20)\d{2}\b"),  # years
    re.compile(r"\b(?:Lesson|lesson|Step|step|[Mm]onth|Exercise|exercise|[Ss]ection)\s+\d+\b"),  # ordinals of the course
    re.compile(r"^\s*\d+\.\s"),  # ordered-list markers
)


def _match(known: list[FigureValue], value: float, *, money: bool, day: bool) -> FigureValue | None:
    """Today's figure before a former one; `$12` only matches money, `12th` only days."""
    def fits(lit: FigureValue) -> bool:
        if money:
            return lit.unit.startswith("usd")
        if day:
            return lit.unit.startswith("day")
        return True
    same = [lit for lit in known if lit.value == value and fits(lit)]
    return next((lit for lit in same if not lit.when), same[0] if same else None)


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


FIGURE_MARK = re.compile(r"\((?:about )?(?:[A-Z][a-z]{2} )?(?:19|20)\d{2} · (?:high|medium|low)\)")
"""A figure's month and confidence as pages, quizzes and messages show them: `(Oct 2025 · medium)`."""


def typed_marks(text: str) -> list[tuple[int, str]]:
    """Month-and-confidence markers written by hand in `text`, outside `{{ expressions }}`: (line, marker).

    The marker belongs to a figure read from the rules, which adds it; typed, it stays when the figure's
    date or confidence changes, and it says the claim beside it is a figure when none is read.
    """
    return [(number, match.group(0)) for number, line in enumerate(text.split("\n"), 1)
            for match in FIGURE_MARK.finditer(_blank(line, TEMPLATE))]


def scan(text: str, rules: Rules, known: list[FigureValue] | None = None) -> list[Typed]:
    """Literals in `text` equal to a current or former figure, outside `{{ expressions }}`.

    0 and 1 count only as dollars (`$1` was the price of a Connect); a percentage is
    never a figure here (no figure is a percentage); dates, years, link targets,
    anchors and "Lesson 2"-style ordinals are skipped.
    """
    known = literals(rules) if known is None else known
    found: list[Typed] = []
    for number, line in enumerate(text.split("\n"), 1):
        clean = _blank(line, TEMPLATE)
        for pattern in _SKIP:
            clean = _blank(clean, pattern)
        for match in _NUMBER.finditer(clean):
            if match.group("suffix") == "%":
                continue
            value = float(match.group("n").replace(",", "") + (match.group("frac") or ""))
            if value in (0, 1) and not match.group("usd"):
                continue
            hit = _match(known, value, money=bool(match.group("usd")), day=bool(match.group("suffix")))
            if hit is not None:
                found.append(Typed(line=number, text=match.group(0), literal=hit))
    return found
