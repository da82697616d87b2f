# Rules stated in words: find a rule written as plain prose where no expression of it stands beside it.
"""Find rules that reader-facing text states in words with nothing to make it follow a change, and idioms.

A figure typed by hand is caught by `typed`; a rule put into words ("unused Connects roll over") is not a
number, so it is found by the phrases its figure lists in the rules file (`stated_as`). Such a phrase is
fine where an expression in the same paragraph (or question) reads the figure: the words then sit in a
sentence that a rule change rewrites or refuses (`{{ "..." if rollover.cap != 0 else "..." }}`,
`{{ given(expiry.spend_oldest_first, "...") }}`, a question's `assumes`).

The same scan finds idioms (`IDIOMS`): words whose meaning their words do not give ("the head start", "outbid
for good"), which a reader of English as a second language may not know, whatever the rules say. Expressions are
read for them too, since a quiz's feedback is often an expression's text. Standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from quizkit.expressions import TEMPLATE, figures_read
from quizkit.fences import fence_lines

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from quizkit.model import Rules

_CODE_SPAN = re.compile(r"`[^`\n]*`")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_GIVEN = re.compile(r"given\s*\(")

IDIOMS = ("head start", "on paper", "for good", "keep up with", "pay off", "pays off", "paid off", "go further",
          "pick up", "steps? back")
"""Phrases (regular expressions) whose meaning their words do not give, as reviews found them in the course."""
_IDIOM = re.compile(r"\b(?:" + "|".join(IDIOMS) + r")\b", re.IGNORECASE)


@dataclass(frozen=True, kw_only=True)
class Stated:
    """A phrase that states a rule in words, with no expression of that rule beside it."""

    line: int
    """1-based line within the text scanned."""
    figure: str | None
    """The rule the words state; None for an idiom, wrong whatever the rules say."""
    phrase: str

    def message(self, *, quiz: bool = False) -> str:
        """What an author reads: the rule, the words, and the ways out."""
        if self.figure is None:
            return (f"'{self.phrase}' is an idiom, which a reader of English as a second language may not know: say "
                    "what it means in plain words")
        also = ", or state the question's `assumes`" if quiz else ""
        return (f"states the rule {self.figure} in words ('{self.phrase}'), and nothing beside them reads it, so a change "
                f"of the rule would leave them as they are: write them as an expression of {self.figure}, or as "
                f'{{{{ given(<a condition on {self.figure}>, "...") }}}} where they need the rule as it is{also}')


def _blank(match: re.Match[str]) -> str:
    """Spaces in place of a span, its newlines kept, so offsets and lines stay the text's own."""
    return re.sub(r"[^\n]", " ", match.group(0))


def reads_in(text: str, rules: Rules) -> set[str]:
    """Figures read by the `{{ }}` expressions in `text`."""
    return {figure for match in TEMPLATE.finditer(text) for figure in figures_read(match.group(1), rules)}


def given_in(text: str, rules: Rules) -> set[str]:
    """Figures read by the `{{ given(...) }}` expressions in `text`: a change of them refuses the whole text's unit.

    An exercise (or a question) whose prompt takes a rule as given is refused as a whole once the rule changes,
    so its hints and messages may state that rule too.
    """
    return {figure for match in TEMPLATE.finditer(text) if _GIVEN.match(match.group(1))
            for figure in figures_read(match.group(1), rules)}


def _paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """(offset, paragraph) of each block between blank lines."""
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        yield start, text[start:match.start()]
        start = match.end()
    yield start, text[start:]


def stated_rules(text: str, rules: Rules, covered: Iterable[str] = ()) -> list[Stated]:
    """Phrases in `text` that state a rule with no expression of it in their paragraph (nor in `covered`), and idioms.

    Fenced code, inline code and the expressions themselves are not prose, so they are not searched for rules;
    idioms are also searched for in expressions, whose texts a reader sees.
    """
    lines = text.split("\n")
    fenced = fence_lines(lines)
    prose = "\n".join(" " * len(line) if i in fenced else line for i, line in enumerate(lines))
    covered = set(covered)
    found: list[Stated] = []
    for offset, paragraph in _paragraphs(prose):
        near = covered | reads_in(paragraph, rules)
        words = _CODE_SPAN.sub(_blank, TEMPLATE.sub(_blank, paragraph))
        for figure in rules.figures.values():
            if figure.id in near:
                continue
            for pattern in figure.stated_as:
                for match in re.finditer(pattern, words, flags=re.IGNORECASE):
                    line = prose.count("\n", 0, offset + match.start()) + 1
                    found.append(Stated(line=line, figure=figure.id, phrase=match.group(0)))
    found += [Stated(line=prose.count("\n", 0, match.start()) + 1, figure=None, phrase=match.group(0))
              for match in _IDIOM.finditer(_CODE_SPAN.sub(_blank, prose))]
    return sorted(found, key=lambda hit: (hit.line, hit.figure or ""))
