# Markup of the profile-analysis activity: one template, the course data it needs embedded as JSON.
"""Contract between the plugin (which calls `activity_html`) and the activity widget.

The page gets a plain HTML form, rendered here from `assets/activity/activity.html`
with the sections, statuses, plans and field bounds of the rules, so it reads
(and is labelled) before any script runs. The same data goes into the JSON script
`.quizkit-activity-data` for the widget (`assets/quizkit/activity.js`, an ES
module): it validates the form, imported files and saved answers against it and
asks the Python worker for the analysis. Nothing about sections or bounds is
written in the JavaScript.

Element ids start with `qk-activity-`: a page holds at most one activity. The
markup names the runtime's build (`data-quizkit-build`), so a copy of
`activity.js` from an earlier build, still in the browser's cache, hands over to
the page's own build rather than load that build's worker.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from quizkit import profile
from quizkit.analysis import FIELD_LABELS, PLAN_LABEL, STATUS_LABELS, number_fields
from quizkit.expressions import substitute
from quizkit.plugin.quiz_embed import script_json
from quizkit.plugin.runtime import build_id

if TYPE_CHECKING:
    from collections.abc import Mapping

    from quizkit.model import Rules

ACTIVITY_SCRIPTS = ("assets/quizkit/activity.js",)
"""Scripts (site-relative) of the activity page, as ES modules."""
ACTIVITY_STYLES = ("assets/quizkit/activity.css",)
"""Stylesheets (site-relative) of the activity page."""
STORAGE_KEY = "activity"
"""The name of the reader's answers among the course's entries in localStorage: the key is
`quizkit:v1:<site path>:activity` (the site's path keeps two courses on one origin apart)."""

TEMPLATE = Path(__file__).resolve().parent.parent / "assets" / "activity" / "activity.html"

FIELD_TEXT: dict[str, tuple[str, str]] = {
    "balance": ("plan", "The balance Upwork shows you today."),
    "billing_day": ("plan", ("The day of the month you signed up or upgraded. Your monthly Connects arrive on it, "
                             "or on the 1st when it is the {{ ordinal(refill.late_start_day) }} or later.")),
    "proposals_per_month": ("workload", ""),
    "connects_per_proposal": ("workload", "Look at the jobs you usually apply to."),
    "boosts_per_month": ("workload", "Enter 0 if you never boost."),
    "boost_bid": ("workload", "On top of the Connects the job requires."),
    "months": ("projection", ""),
}
"""Number field -> (group, help) in the form; the help may read the rules (`{{ expressions }}`). Labels
(`quizkit.analysis.FIELD_LABELS`, also the report's words) and bounds (`quizkit.analysis.number_fields`) come
from the analysis."""

GROUPS = (
    ("plan", "Your plan and balance"),
    ("workload", "Your workload"),
    ("projection", "The projection"),
)
"""Fieldsets of the form after the profile sections, in order."""


BOOST_SECTION = "lessons/03-proposal-visibility.md#boost-worth-it"
"""Lesson 3's section on weighing a boost bid: the analysis's boost note names it (`analysis.BOOST_LESSON_TITLE`),
the page links it."""


def activity_data(rules: Rules, links: Mapping[str, str] | None = None) -> dict[str, Any]:
    """What the widget needs to know about the course: sections, statuses, plans, fields and their bounds.

    `links`: URLs, relative to the page, the results link to (`boost_worth_it`: `BOOST_SECTION`); none when left out.
    """
    fields = []
    for field in number_fields(rules):
        if field.name not in FIELD_TEXT:  # pragma: no cover - a new field of the analysis needs its label here
            raise KeyError(f"the activity form has no label for the profile field '{field.name}'")
        group, help_text = FIELD_TEXT[field.name]
        help_text = substitute(help_text, rules, labelled=True)
        label = FIELD_LABELS[field.name]
        bounds = f"From {field.low:,} to {field.high:,}{field.high_why}."
        fields.append({"name": field.name, "group": group, "label": label, "low": field.low, "high": field.high,
                       "high_note": field.high_note, "default": field.default, "example": field.example,
                       "help": f"{help_text} {bounds}".strip()})
    return {
        "storage_key": STORAGE_KEY,
        "sections": [{"id": s.id, "name": s.name, "why": s.why, "weight": s.weight,
                      "bonus_connects": rules.value(s.bonus) if s.bonus else None} for s in rules.profile_sections],
        "statuses": [{"id": status, "label": STATUS_LABELS[status]} for status in profile.STATUSES],
        "plans": [{"id": p.id, "name": p.name, "monthly_connects": rules.value(f"plan.{p.id}.monthly_connects"),
                   "note": rules.figures[f"plan.{p.id}.monthly_connects"].note,
                   "price_usd": rules.value(f"plan.{p.id}.price_usd")} for p in rules.plans],
        "fields": fields,
        "plan_label": PLAN_LABEL,
        "groups": [{"id": group, "legend": legend} for group, legend in GROUPS],
        "bonus_note": rules.figures["bonus.profile_sections"].note if "bonus.profile_sections" in rules.figures else "",
        "links": dict(links or {}),
    }


def _environment() -> jinja2.Environment:
    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=False)


def activity_html(rules: Rules, build: str | None = None, links: Mapping[str, str] | None = None) -> str:
    """The activity's markup: the form, the places the widget fills, and the course data as JSON.

    Args:
        rules: The plan rules the sections, plans and bounds come from.
        build: The runtime's build id (default: `build_id(rules)`, a site with Pyodide of its own).
        links: URLs relative to the page that the results link to (see `activity_data`).

    Returns:
        HTML for `on_post_page` to put in the activity's slot.
    """
    data = activity_data(rules, links)
    template = _environment().from_string(TEMPLATE.read_text(encoding="utf-8"))
    safe_json = Markup(script_json(data))  # noqa: S704 - script_json leaves no `<` that could end the script
    return template.render(data=data, data_json=safe_json, build=build or build_id(rules))
