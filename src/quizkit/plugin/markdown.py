# Rule values and embed markers in a page's Markdown, with the line of every problem.
"""What the plugin does to a page's Markdown before MkDocs converts it.

- `{{ expression }}` becomes the rendered value of a rule expression;
- a line holding only `{{ quiz("id") }}`, `{{ exercise("id") }}`, `{{ activity() }}` or
  `{{ progress() }}` becomes a token in a paragraph of its own, which the plugin later
  swaps for the widget's HTML (the activity and the progress table take no id: there is
  one of each, and a page holds it once);
- fenced code blocks are left exactly as written.

Problems are collected with their line, never raised, so a page reports all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from quizkit.expressions import TEMPLATE, ExpressionError, evaluate, render

if TYPE_CHECKING:
    from collections.abc import Callable

    from quizkit.model import Rules

EmbedKind = Literal["quiz", "exercise", "activity", "progress"]

SINGLE_KINDS: tuple[EmbedKind, ...] = ("activity", "progress")
"""Embeds that take no id and appear at most once in a page."""

_EMBED = re.compile(
    r"""^(?P<indent>[ \t]*)\{\{\s*(?P<kind>quiz|exercise|activity|progress)\(\s*"""
    r"""(?:(?P<quote>["'])(?P<id>[^"']*)(?P=quote))?\s*\)\s*\}\}\s*$""",
)
_EMBED_CALL = re.compile(r"^(quiz|exercise|activity|progress)\s*\(")
_FENCE_OPEN = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})")
_FENCE_CLOSE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})[ \t]*$")


@dataclass(frozen=True, kw_only=True)
class Embed:
    """A quiz, exercise, activity or progress marker found in a page."""

    kind: EmbedKind
    id: str
    """The quiz's or exercise's id; empty for the activity and the progress table."""
    line: int
    """Line of the marker in the Markdown given to `process` (1-based)."""
    token: str
    """The text that stands in for the widget until the HTML is ready."""


@dataclass(frozen=True)
class LineProblem:
    """Something wrong on one line of a page."""

    line: int
    message: str


@dataclass(kw_only=True)
class Processed:
    """A page's Markdown after substitution, with its embeds and problems."""

    markdown: str
    embeds: list[Embed] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)


def embed_token(index: int, nonce: str) -> str:
    """A word Markdown leaves alone (no punctuation, no underscores) that marks embed `index`."""
    return f"quizkitembed{nonce}x{index}"


def _fence_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines inside fenced code blocks, fences included."""
    inside: set[int] = set()
    opening: str | None = None
    for index, line in enumerate(lines):
        if opening is None:
            match = _FENCE_OPEN.match(line)
            if match:
                opening = match.group("fence")
                inside.add(index)
            continue
        inside.add(index)
        match = _FENCE_CLOSE.match(line)
        if match and match.group("fence")[0] == opening[0] and len(match.group("fence")) >= len(opening):
            opening = None
    return inside


def process(
    markdown: str,
    rules: Rules,
    *,
    find: Callable[[EmbedKind, str], str | None],
    nonce: str,
) -> Processed:
    """Substitute rule expressions and replace embed markers by tokens.

    Parameters:
        markdown: The page's Markdown (front matter already removed).
        rules: The rules expressions are evaluated against.
        find: Returns None when a quiz or exercise id exists, else the error message.
        nonce: Makes the tokens of this page unlikely to appear in its text.

    Returns:
        The new Markdown, the embeds in page order and every problem with its line.
    """
    lines = markdown.split("\n")
    fenced = _fence_lines(lines)
    result = Processed(markdown="")
    out: list[str] = []
    for index, line in enumerate(lines):
        number = index + 1
        if index in fenced:
            out.append(line)
            continue
        embed = _EMBED.match(line)
        if embed:
            kind = _KINDS[embed.group("kind")]
            item_id = embed.group("id") or ""
            error = _embed_error(kind, embed.group("quote") is not None, result.embeds) or find(kind, item_id)
            if error:
                result.problems.append(LineProblem(number, error))
                out.append(line)
                continue
            token = embed_token(len(result.embeds), nonce)
            result.embeds.append(Embed(kind=kind, id=item_id, line=number, token=token))
            out.extend(("", embed.group("indent") + token, ""))
            continue
        out.append(_substitute(line, number, rules, result.problems))
    result.markdown = "\n".join(out)
    return result


_KINDS: dict[str, EmbedKind] = {"quiz": "quiz", "exercise": "exercise", "activity": "activity", "progress": "progress"}


def _embed_error(kind: EmbedKind, has_id: bool, before: list[Embed]) -> str | None:
    """What is wrong with the form of an embed marker, before its id is looked up."""
    if kind in SINGLE_KINDS:
        if has_id:
            return f"{{{{ {kind}() }}}} takes no id"
        if any(item.kind == kind for item in before):
            return f"{{{{ {kind}() }}}} can appear only once in a page"
    elif not has_id:
        return f'{{{{ {kind}("id") }}}} needs the id of the {kind} in quotes'
    return None


def _substitute(line: str, number: int, rules: Rules, problems: list[LineProblem]) -> str:
    def replace(match: re.Match[str]) -> str:
        expression = match.group(1)
        if _EMBED_CALL.match(expression):
            problems.append(LineProblem(number, f"{{{{ {expression} }}}} must stand alone on its own line"))
            return match.group(0)
        try:
            return render(evaluate(expression, rules))
        except (ExpressionError, ArithmeticError, TypeError) as exc:
            problems.append(LineProblem(number, f"in {{{{ {expression} }}}}: {exc}"))
            return match.group(0)

    return TEMPLATE.sub(replace, line)
