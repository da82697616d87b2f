# The reference page of the plan rules, generated from the rules file at every build.
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from quizkit.expressions import outcome_words, render

if TYPE_CHECKING:
    from quizkit.model import Figure, Rules

_UNITS = {
    "connects": "Connects",
    "usd": "US dollars",
    "usd_per_month": "US dollars a month",
    "day": "day of the billing cycle",
    "day_of_month": "day of the month",
    "flag": "yes or no",
}


_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")
"""A list item that is an id (`removed_by_upwork`), not words: exercise code compares with it, readers need words."""


def _cell(text: str) -> str:
    """Text safe in a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def value_text(value: object, unit: str, none_means: str) -> str:
    """A figure value as the page shows it: dollars for money, words then code for ids, null in the figure's words."""
    if unit in ("usd", "usd_per_month") and isinstance(value, int | float) and not isinstance(value, bool):
        return f"${value:,.2f}"
    if value is None:
        return none_means
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "; ".join(f"{outcome_words(item)} (`{item}`)" if _IDENTIFIER.fullmatch(item)
                         else item for item in value)
    return render(value)


def _source(rules: Rules, source_id: str) -> str:
    source = rules.sources[source_id]
    title = source.title.replace("[", "\\[").replace("]", "\\]")
    return f"[{title}]({source.url})" if source.url else title


def _group(rules: Rules, figure_id: str) -> str:
    parts = figure_id.split(".")
    if parts[0] == "plan" and len(parts) > 2:  # noqa: PLR2004 - plan.<id>.<figure>
        return rules.plan(parts[1]).name
    return parts[0].replace("_", " ").capitalize()


def _figure(rules: Rules, figure: Figure, *, attr_list: bool) -> list[str]:
    anchor = f" {{ #{figure.id} }}" if attr_list else ""
    lines = [
        f"### {figure.label}{anchor}",
        "",
        f"- **Value:** {value_text(figure.value, figure.unit, figure.none_means)}",
        f"- **Unit:** {_UNITS.get(figure.unit, figure.unit.replace('_', ' '))}",
        f"- **Source:** {_source(rules, figure.source)}",
        f"- **As of:** {figure.as_of_text}",
        f"- **Confidence:** {figure.confidence}",
        f"- **Stated in the source article:** {'yes' if figure.in_article else 'no'}",
        f"- **Rule id:** `{figure.id}`",
        "",
    ]
    if figure.note:
        lines += [figure.note, ""]
    if figure.history:
        lines += [
            "| When | Value | Source | Note |",
            "| --- | --- | --- | --- |",
            *(
                f"| {_cell(entry.when)} | {_cell(value_text(entry.value, figure.unit, figure.none_means))} | "
                f"{_cell(_source(rules, entry.source))} | {_cell(entry.note) or '-'} |"
                for entry in figure.history
            ),
            "",
        ]
    return lines


def reference_markdown(rules: Rules, *, admonition: bool = True, attr_list: bool = True) -> str:
    """The Markdown of the reference page: every figure with its provenance and history.

    Parameters:
        rules: The rules to describe.
        admonition: Whether the `admonition` extension is on (for the disclaimer box).
        attr_list: Whether `attr_list` is on (headings then get the figure id as anchor).

    Returns:
        The page's Markdown.
    """
    lines = [f"# {rules.title}", ""]
    if admonition:
        lines += ['!!! warning "Not affiliated with Upwork"', "", f"    {rules.disclaimer}", ""]
    else:
        lines += [f"> **Not affiliated with Upwork.** {rules.disclaimer}", ""]
    lines += [
        (
            "Every figure the course uses is on this page, generated from the course's rules file. "
            "Lessons and quiz keys read these values, so when a figure changes here it changes everywhere. "
            "*As of* is the month the value was last confirmed; *history* lists the values it had before."
        ),
        "",
    ]
    group = None
    for figure_id, figure in rules.figures.items():
        heading = _group(rules, figure_id)
        if heading != group:
            lines += [f"## {heading}", ""]
            group = heading
        lines += _figure(rules, figure, attr_list=attr_list)
    lines += ["## Sources", ""]
    lines += [f"- {_source(rules, source_id)}" for source_id in rules.sources]
    return "\n".join(lines) + "\n"
