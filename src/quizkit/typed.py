# Typed figures: find a plan figure (current or former) written by hand in reader-facing text.
"""Find literals in text that equal a plan figure, today's or a former one.

Lessons, prompts, hints, messages and quiz text must write figures as rule
expressions (`{{ plan.plus.monthly_connects }}`) so they follow the rules file. A
number in a scenario that merely coincides with a figure (a job requiring 8 Connects
while 8 was once the most a job required) is marked as such: `{{ scenario(8) }}`
renders as 8 and tells a reviewer the coincidence was seen. A figure spelled in words
counts too when it counts the figure's own unit ("ten Connects", "twelve months", "a
year" for 12 months, "fifteen cents", "the twenty-ninth"), as do cents and `US$`.
Standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from quizkit.expressions import TEMPLATE
from quizkit.quiz import COUNT_ADJECTIVES

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

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

    spelled: bool = False
    """Whether the literal is in words ("ten Connects", "a year") or in cents: the scenario mark takes its digits."""

    def message(self) -> str:
        """What an author reads: the figure, and the two ways out."""
        fid = self.literal.figure
        what = f"the figure {fid}" if not self.literal.when else f"a former value of {fid} ({self.literal.when})"
        digits = (f"{self.literal.value:g}" if self.spelled
                  else self.text.removeprefix("US").lstrip("$").rstrip("stndrh").replace(",", ""))
        return (f"'{self.text}' is {what}: write {{{{ {fid} }}}} (or an expression of it) so the text follows the rules, "
                f"or {{{{ scenario({digits}) }}}}{' (in digits)' if self.spelled else ''} "
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


_NUMBER = re.compile(r"(?<![\w.$/#-])(?P<usd>(?:US)?\$)?(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?"
                     r"(?P<suffix>st|nd|rd|th|%)?(?![\w%])(?!\s+(?:minutes?|hours?|seconds?|percent|per\s?cent)\b)")
_SKIP = (
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"\{\s*#[^}]*\}"),  # heading anchors
    re.compile(r"https?://\S+"),
    re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b"),  # dates
    re.compile(r"\b(?:19|20)\d{2}\b"),  # years
    re.compile(r"\b(?:Lesson|lesson|Step|step|[Mm]onth|Exercise|exercise|[Ss]ection)\s+\d+\b"),  # ordinals of the course
    re.compile(r"^\s*\d+\.\s"),  # ordered-list markers
)


def _match(known: list[FigureValue], value: float, *, money: bool, day: bool,
           unit: str | None = None) -> FigureValue | None:
    """Today's figure before a former one; `$12` only matches money, `12th` only days, `unit` only that unit."""
    def fits(lit: FigureValue) -> bool:
        if unit is not None:
            return lit.unit.startswith(unit)
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
            cents = _CENTS.match(clean, match.end())
            if cents and not match.group("usd"):
                hit = _match(known, value / 100, money=True, day=False)
                if hit is not None:
                    found.append(Typed(line=number, text=match.group(0) + cents.group(0), literal=hit, spelled=True))
                continue
            if value in (0, 1) and not match.group("usd"):
                continue
            hit = _match(known, value, money=bool(match.group("usd")), day=bool(match.group("suffix")))
            if hit is not None:
                found.append(Typed(line=number, text=match.group(0), literal=hit))
        found.extend(Typed(line=number, text=text, literal=hit, spelled=True) for text, hit in _spelled(clean, known))
    return found


# ---------------------------------------------------------------- figures in words

_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_ORDINAL_UNITS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                  "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
                  "eighteenth", "nineteenth")
_WORD_VALUES: dict[str, int] = {
    **{word: n for n, word in enumerate(_UNITS)},
    **{tens: 20 + 10 * i for i, tens in enumerate(_TENS)},
    **{f"{tens}-{unit}": 20 + 10 * i + n for i, tens in enumerate(_TENS) for n, unit in enumerate(_UNITS[1:10], 1)},
    "hundred": 100, "a hundred": 100, "one hundred": 100, "dozen": 12, "a dozen": 12,
}
_ORDINAL_VALUES: dict[str, int] = {
    **{word: n for n, word in enumerate(_ORDINAL_UNITS, 1)},
    "twentieth": 20, "thirtieth": 30,
    **{f"{tens}-{unit}": 20 + 10 * i + n for i, tens in enumerate(_TENS[:2])
       for n, unit in enumerate(_ORDINAL_UNITS[:9], 1)},
}


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(re.escape(word).replace("\\ ", r"\s+").replace("\\-", "[- ]")
                    for word in sorted(words, key=len, reverse=True))


_NOUNS = {"connect": "connects", "connects": "connects", "month": "months", "months": "months", "day": "days",
          "days": "days", "slot": "slots", "slots": "slots", "dollar": "usd", "dollars": "usd", "cent": "cents",
          "cents": "cents"}
"""The nouns that count a figure's unit (cents count dollars)."""
_BETWEEN = (*COUNT_ADJECTIVES, "top", "full", "whole", "monthly", "calendar")
"""Words that may stand between a number in words and the unit it counts: "ten free Connects", "four top slots"."""
_SPELLED = re.compile(
    rf"(?<![\w-])(?P<word>{_alternatives(_WORD_VALUES)})[*_]{{0,3}}(?:\s+(?:{_alternatives(_BETWEEN)})){{0,2}}"
    rf"\s+(?P<noun>{_alternatives(_NOUNS)})\b", re.IGNORECASE)
"""A number in words counting a figure's unit, with at most two of `_BETWEEN` between them."""
_SPELLED_DAY = re.compile(rf"(?<![\w-])(?P<word>{_alternatives(_ORDINAL_VALUES)})(?![\w-])", re.IGNORECASE)
"""A day of the month in words ("the twenty-ninth"): only day figures can match it."""
_A_YEAR = re.compile(r"(?<![\w-])(?:an?|one|1)\s+(?:full\s+)?year\b", re.IGNORECASE)
"""A year, as long as twelve months: it matches a figure of 12 months ("expire after a year")."""
_CENTS = re.compile(r"\s*(?:cents?\b|\u00a2)", re.IGNORECASE)
"""Cents after a number: `15 cents` is $0.15."""


def _word_value(word: str, table: dict[str, int]) -> int:
    """The value of a number in words, however it is spaced or hyphenated: "Twenty nine" is 29."""
    joined = " ".join(word.lower().split())
    return table[joined] if joined in table else table["-".join(joined.replace("-", " ").split())]


def _spelled(clean: str, known: list[FigureValue]) -> Iterator[tuple[str, FigureValue]]:
    """(text, figure) for each figure in `clean` (one line, expressions blanked) written in words."""
    for match in _SPELLED.finditer(clean):
        value: float = _word_value(match.group("word"), _WORD_VALUES)
        unit = _NOUNS[match.group("noun").lower()]
        if unit == "cents":
            value, unit = value / 100, "usd"
        if value in (0, 1) and unit != "usd":
            continue
        hit = _match(known, value, money=False, day=False, unit=unit)
        if hit is not None:
            yield match.group(0), hit
    for match in _SPELLED_DAY.finditer(clean):
        value = _word_value(match.group("word"), _ORDINAL_VALUES)
        hit = None if value == 1 else _match(known, value, money=False, day=True)
        if hit is not None:
            yield match.group(0), hit
    for match in _A_YEAR.finditer(clean):
        hit = _match(known, 12, money=False, day=False, unit="months")
        if hit is not None:
            yield match.group(0), hit
