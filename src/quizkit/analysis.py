# The profile-analysis activity: gaps, Connects budget, projected balance and plan advice.
"""One analysis for the activity page (in Pyodide), `quizkit profile` and the tests.

Input is plain data (the page's form or a YAML file); `read_profile` validates it
and reports every bad field at once, keyed by field name, so the page can show
each message next to its field. `analyse` returns plain data for JSON.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import asdict, dataclass
from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from quizkit import connects, profile
from quizkit.expressions import CONFIDENCE_ORDER, count, figures_used, long_date, marker_for, ordinal, substitute

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from quizkit.model import Plan, Rules

DEFAULT_MONTHS = 6
MAX_MONTHS = 24
MAX_PROPOSALS = 500
MAX_BID = 200
MAX_BALANCE = 100_000
MAX_JOB_CONNECTS = 50
"""The activity's bound on a job's Connects: the course's own, to catch typing mistakes, above the exercises' bound
(`proposal.required_max`). Upwork publishes no maximum and the reported ranges keep growing (1-6 in 2019, 4-16 in a
June 2023 test, users reported 19 in 2024: the rules' note), so a reader's real job must fit with room to spare."""

TYPING_LIMIT = "the course's own limit, to catch typing mistakes"
"""Why most number fields stop where they do: the form's help and the message past the bound say so."""

STATUS_LABELS = {"complete": "Complete", "update": "Needs an update", "missing": "Missing"}
"""How the page and the report name each section status of `quizkit.profile.STATUSES`."""
PLAN_LABEL = "Your plan"
FIELD_LABELS = {
    "balance": "Connects in your balance now",
    "billing_day": "Day of the month your billing cycle started",
    "proposals_per_month": "Proposals you plan to send a month",
    "connects_per_proposal": "Connects a typical job requires",
    "boosts_per_month": "Proposals you would boost a month",
    "boost_bid": "Your typical boost bid, in Connects",
    "months": "Months to project",
}
"""The words of each number field, on the page's form and in the report."""
LOW_CONFIDENCE = "Low confidence: check the current figure before you decide."
GAPS_TITLE = "Sections to work on, the fix that adds most to your score first"
"""The heading of the gaps (the page, `results.js`, says the same)."""


def adds_text(points: float) -> str:
    """What completing a section adds, in the words of the gaps (the page shows this text): "+7.5 to your score"."""
    return f"+{round(points, 1):g} to your score"


class ProfileInputError(ValueError):
    """Some fields of a profile are invalid; `errors` maps each field to its message.

    The page shows each message next to its field; a file's reader gets `problem(name)`, which names
    the field as the form does and by its key in the file.
    """

    def __init__(self, errors: dict[str, str], titles: Mapping[str, str] | None = None) -> None:
        self.errors = errors
        # Field -> its name in a message (`field_title`; "" for the whole profile); any other is named by its key.
        self.titles = dict(titles or {})
        super().__init__(" ".join(self.problem(name) for name in errors))

    def problem(self, name: str) -> str:
        """`Connects in your balance now (“balance”): Cannot be negative.`: the words of the activity's imports too."""
        title = self.titles.get(name, f"“{name}”")
        return f"{title}: {self.errors[name]}" if title else self.errors[name]


def field_title(rules: Rules, name: str) -> str:
    """A field as messages about a file name it: the form's words for it (if any), then its key in the file.

    The activity's import messages (assets/activity/check.js `fieldTitle`) name fields the same way.
    """
    sections = {s.id: s.name for s in rules.profile_sections}
    group, _, key = name.partition(".")
    if name in FIELD_LABELS:
        return f"{FIELD_LABELS[name]} (“{name}”)"
    if name == "plan":
        return f"{PLAN_LABEL} (“plan”)"
    if group == "sections" and key in sections:
        return f"section {sections[key]} (“{key}”)"
    if group == "sections" and key:
        return f"section “{key}”"
    return f"“{name}”"


def one_of(choices: Mapping[str, str]) -> str:
    """`Choose one of Complete (“complete”), … or Missing (“missing”).`: each choice as the form says it, with its key."""
    named = [f"{label} (“{key}”)" for key, label in choices.items()]
    listed = f"{', '.join(named[:-1])} or {named[-1]}" if len(named) > 1 else "".join(named)
    return f"Choose one of {listed}."


@dataclass(frozen=True, kw_only=True)
class Profile:
    """What the learner tells the activity about their profile and workload."""

    sections: Mapping[str, str]
    """Section id -> `complete`, `update` or `missing`."""
    plan: str
    balance: int
    billing_day: int
    proposals_per_month: int
    connects_per_proposal: int
    """The typical Connects the jobs they apply to require."""
    boosts_per_month: int = 0
    boost_bid: int = 0
    """The typical bid, in Connects, on top of the required ones."""
    months: int = DEFAULT_MONTHS
    today: str = ""
    """ISO date the projection starts from; empty means today."""


def missing(name: str, example: object) -> str:
    """What a file that leaves out a required field is told (`Missing: add it to the file, like “billing_day: 14”.`)."""
    return f"Missing: add it to the file, like “{name}: {example}”."


def _whole(data: Mapping[str, Any], field: NumberField, errors: dict[str, str]) -> int:
    name, low, high = field.name, field.low, field.high
    if name not in data and field.default is None:
        errors[name] = missing(name, field.example)
        return 0
    raw = data.get(name, field.default)
    if raw is None or raw == "":
        errors[name] = "Enter a number."
        return 0
    if isinstance(raw, str):
        raw = raw.strip()
        try:
            raw = int(raw) if raw.lstrip("-").isdigit() else float(raw)
        except ValueError:
            errors[name] = "Enter a whole number."
            return 0
    if isinstance(raw, bool) or not isinstance(raw, int | float) or (isinstance(raw, float) and not math.isfinite(raw)):
        errors[name] = "Enter a whole number."
        return 0
    if raw != int(raw):
        errors[name] = "Enter a whole number."
        return 0
    value = int(raw)
    if value < 0 and low == 0:
        errors[name] = "Cannot be negative."
    elif not low <= value <= high:
        errors[name] = range_message(field)
    return value


def range_message(field: NumberField) -> str:
    """What a number out of a field's bounds is told; a bound of the course's own says so (`check.js` writes the same)."""
    return f"Enter a number from {field.low} to {field.high:,}{field.high_why}."


@dataclass(frozen=True, kw_only=True)
class NumberField:
    """A whole-number field of a profile, with the bounds `read_profile` enforces."""

    name: str
    low: int
    high: int
    default: int | None = None
    """The value when the field is left out; None when it is required."""
    example: int = 0
    """A value to show, in the message about a required field a file leaves out."""
    high_note: str = ""
    """Why the upper bound is what it is, where a reader could take it for Upwork's (the course's own bound)."""

    @property
    def high_why(self) -> str:
        """`: 20 is the course's own limit, ...` after the bounds, or nothing: the form's help and its message alike."""
        return f": {self.high:,} is {self.high_note}" if self.high_note else ""


def number_fields(rules: Rules) -> tuple[NumberField, ...]:
    """The number fields of a profile in form order: the page's form and `read_profile` share these bounds."""
    low, usual = int(rules.value("proposal.required_min")), int(rules.value("proposal.required_max"))
    high = max(usual, MAX_JOB_CONNECTS)
    return (
        NumberField(name="balance", low=0, high=MAX_BALANCE, example=40, high_note=TYPING_LIMIT),
        NumberField(name="billing_day", low=1, high=31, example=14),  # the calendar's limit
        NumberField(name="proposals_per_month", low=0, high=MAX_PROPOSALS, example=10, high_note=TYPING_LIMIT),
        NumberField(name="connects_per_proposal", low=low, high=high, example=(low + usual) // 2,
                    high_note=f"{TYPING_LIMIT} (Upwork publishes no maximum)"),
        NumberField(name="boosts_per_month", low=0, high=MAX_PROPOSALS, default=0, high_note=TYPING_LIMIT),
        NumberField(name="boost_bid", low=0, high=MAX_BID, default=0, high_note=TYPING_LIMIT),
        NumberField(name="months", low=1, high=MAX_MONTHS, default=DEFAULT_MONTHS,
                    high_note="the course's own limit, to keep the projection readable"),
    )


FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2999, 12, 31)
"""The days a profile may be analysed on: a projection runs months past `today`, and dates end in 9999."""


_KINDS = {list: "a list", str: "a line of text", bool: "yes or no", int: "a number", float: "a number"}
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def not_a_profile(rules: Rules, data: object) -> str:
    """What data that is no profile at all is told (an empty file, a list): how a profile is written."""
    example = f"like “plan: {rules.plans[0].id}” (exercises/profiles/example.yml shows every field)"
    if data is None:
        return f"The profile is empty: write one field per line, {example}."
    return f"Write the profile as one field per line, {example}, not as {_KINDS.get(type(data), 'a single value')}."


def _in_file_order(errors: dict[str, str], data: Mapping[str, Any]) -> dict[str, str]:
    """`errors` in the order their fields appear in `data` (a file's order), fields it leaves out first (line 1)."""
    keys = list(data)
    sections = data.get("sections")
    inner = list(sections) if isinstance(sections, dict) else []

    def place(name: str) -> tuple[int, int]:
        top, _, key = name.partition(".")
        return (keys.index(top) if top in keys else -1, inner.index(key) if key in inner else -1)

    return {name: errors[name] for name in sorted(errors, key=place)}


def read_profile(rules: Rules, data: object) -> Profile:
    """Validate form or file data into a `Profile`; every bad field is reported at once, in the data's order."""
    if not isinstance(data, dict):
        raise ProfileInputError({"profile": not_a_profile(rules, data)}, {"profile": ""})
    errors: dict[str, str] = {}
    known = set(Profile.__dataclass_fields__)
    for name in data:
        if name not in known:  # a file's key may be a number or null (`1: x`, `~: x`): named as written
            errors[str(name)] = f"Unknown field (known: {', '.join(sorted(known))})."
    plans = {p.id: p.name for p in rules.plans}
    plan = data.get("plan")
    if "plan" not in data:
        errors["plan"] = missing("plan", rules.plans[0].id)
    elif not isinstance(plan, str) or plan not in plans:  # a list or mapping cannot be looked up
        errors["plan"] = one_of(plans)
    sections = data.get("sections", {})
    if not isinstance(sections, dict):
        errors["sections"] = "Expected each section with its status."
        sections = {}
    else:
        ids = [s.id for s in rules.profile_sections]
        for section_id, status in sections.items():
            if section_id not in ids:
                errors[f"sections.{section_id}"] = f"Unknown profile section (known: {', '.join(ids)})."
            elif status not in profile.STATUSES:
                errors[f"sections.{section_id}"] = one_of({status: STATUS_LABELS[status] for status in profile.STATUSES})
    values = {field.name: _whole(data, field, errors) for field in number_fields(rules)}
    if "boosts_per_month" not in errors and "proposals_per_month" not in errors \
            and values["boosts_per_month"] > values["proposals_per_month"]:
        errors["boosts_per_month"] = "You cannot boost more proposals than you send."
    today = data.get("today", "") or ""
    if today:
        try:
            day = date.fromisoformat(str(today))
        except ValueError:
            errors["today"] = ("No such day in the calendar: enter a real date as YYYY-MM-DD."
                               if _ISO_DAY.fullmatch(str(today).strip()) else "Enter a date as YYYY-MM-DD.")
        else:
            if not FIRST_DAY <= day <= LAST_DAY:
                errors["today"] = f"Enter a date from {FIRST_DAY.year} to {LAST_DAY.year}."
    if errors:
        errors = _in_file_order(errors, data)
        raise ProfileInputError(errors, {name: field_title(rules, name) for name in errors})
    return Profile(sections=dict(sections), plan=str(plan), today=str(today), **values)


@dataclass(frozen=True, kw_only=True)
class PlanOption:
    """What one plan would cost for the learner's monthly need."""

    plan: str
    name: str
    monthly_usd: float
    included: int
    to_buy: int
    mark: str = ""
    """The month and confidence of the least sure figure the cost rests on (`Jan 2026 · low`), or ""."""


def monthly_need(profile_: Profile) -> int:
    """Connects a month: every proposal's required Connects plus every boost bid (assuming each bid is charged)."""
    return profile_.proposals_per_month * profile_.connects_per_proposal + profile_.boosts_per_month * profile_.boost_bid


BOOST_RULE = "boost.charge_if_outbid_before_interaction"
"""The rule behind "a boost outbid before the client interacts costs no bid": the need counts every bid anyway."""


def analysis_figures(rules: Rules, profile_: Profile) -> tuple[str, ...]:
    """The figures an analysis of `profile_` uses, as its list of figures shows them.

    Prices, allowances, expiry and the late-start day; the boost rule too when the reader boosts.
    """
    boosts = profile_.boosts_per_month > 0 and profile_.boost_bid > 0
    return ("purchase.price_per_connect_usd", *(f"plan.{p.id}.price_usd" for p in rules.plans),
            *(f"plan.{p.id}.monthly_connects" for p in rules.plans), "expiry.months", "refill.late_start_day",
            *((BOOST_RULE,) if boosts else ()))


def figures_dated(rules: Rules, figure_ids: Sequence[str]) -> tuple[str, str]:
    """When the oldest and the newest of these figures were confirmed, in readers' words.

    Figures differ in age: one date would mislead.
    """
    used = [rules.figures[figure_id] for figure_id in figure_ids]
    confirmed = attrgetter("confirmed")
    return min(used, key=confirmed).as_of_text, max(used, key=confirmed).as_of_text


def rules_version(rules: Rules) -> str:
    """A short fingerprint of every figure (value, date, confidence): two reports with the same one used the same rules."""
    figures = {fid: [f.value, f.as_of, f.confidence] for fid, f in sorted(rules.figures.items())}
    return hashlib.sha256(json.dumps(figures, sort_keys=True, default=str).encode()).hexdigest()[:8]


PROJECTION_NOTE = (
    "Each month your plan's Connects arrive, Connects expire {{ count(expiry.months, 'month') }} after they arrived, and "
    "{{ 'your proposals spend the oldest first' if expiry.spend_oldest_first else 'the projection spends the oldest first, "
    "though Upwork does not say in which order Connects are spent' }}. Your balance today counts as newly arrived: if some "
    "of it is older, it expires sooner than shown (your Connects history on Upwork says when).")
"""How the projection works, in the words of the page and the report; the rules fill in the figures and the order of
spending (`connects.project_balance` spends the oldest first whatever the rules say: it needs some order)."""

BOOST_NOTE = ("{{ 'A boost outbid before the client interacts costs no bid' "
              "if not boost.charge_if_outbid_before_interaction else '' }}")
"""Why the need is the most a month can cost when the reader boosts; empty when every bid is charged."""


def projection_title(months: int) -> str:
    """The projection's heading, on the page and in the report: `Your balance now and over the next month` for one."""
    return f"Your balance now and over the next {'month' if months == 1 else count(months, 'month')}"


def month_label(month: int, starts: date) -> str:
    """A row of the projection as the table names it: `Now` (today to the next refill), `3 (20 September 2026)`."""
    return "Now" if month == 0 else f"{month} ({long_date(starts)})"


def when_short(month: int, starts: date, refill: date) -> str:
    """When a projection's first short month falls, in words: `in month 9 (from 20 March 2027)`."""
    return f"before your next refill ({long_date(refill)})" if month == 0 else f"in month {month} (from {long_date(starts)})"


def _until_refill_note(rules: Rules, profile_: Profile, today: date, refill: date, need: int) -> str:
    """What the projection's row `Now` assumes: the reader keeps sending proposals until the refill (on `refill`)."""
    left, cycle = connects.cycle_days_left(rules, profile_.billing_day, today)
    spend = connects.spend_before_refill(rules, profile_.billing_day, today, need)
    cycle_text = (f"“Now” is the rest of this billing cycle, from today to your next refill on {long_date(refill)} "
                  f"({left} of its {count(cycle, 'day')})")
    if not need:
        return f"{cycle_text}."
    return (f"{cycle_text}: your balance already holds this cycle's Connects, and the projection spends that share of "
            f"your monthly need, {spend:,} of {need:,} {'Connect' if need == 1 else 'Connects'} (rounded up), as if you "
            "keep sending proposals at the same pace.")


def _need_notes(rules: Rules, profile_: Profile) -> tuple[str, str]:
    """What the need counts, and (when the reader boosts) why it may be less: the page's and the report's words."""
    counted = f"for {count(profile_.proposals_per_month, 'proposal')} and {count(profile_.boosts_per_month, 'boost')}"
    if not (profile_.boosts_per_month and profile_.boost_bid):
        return counted, ""
    # No cache of quizkit's filled: a page with exercises too shares this interpreter, and its guard compares them.
    outbid = substitute(BOOST_NOTE, rules, labelled=True, cached=False)
    return f"{counted}, counting every boost bid", f"{outbid}, so you may need fewer." if outbid else ""


def _plan_option(rules: Rules, plan: Plan, need: int) -> PlanOption:
    """What `need` Connects a month cost on `plan`, with the month and confidence of the least sure figure behind it."""
    def cost(rules_: Rules) -> float:
        return connects.monthly_cost(rules_, plan.id, need)

    monthly, included = cost(rules), connects.allowance(rules, plan.id)
    figure = marker_for(rules, cost, str(monthly))
    return PlanOption(plan=plan.id, name=plan.name, monthly_usd=monthly, included=included, to_buy=max(0, need - included),
                      mark=figure.mark_text if figure else "")


def _mark(rules: Rules, compute: Callable[[Rules], object], text: str, shown: set[str]) -> str:
    """` (Jan 2026 · low)`: the month and confidence of the least sure figure `compute` reads to give `text`.

    Once a text: nothing when `shown` already holds that figure (it is added).
    """
    figure = marker_for(rules, compute, text)
    if figure is None or figure.id in shown:
        return ""
    shown.add(figure.id)
    return f" ({figure.mark_text})"


def _claim_mark(rules: Rules, compute: Callable[[Rules], object], shown: set[str]) -> str:
    """` (Jan 2026 · low)` after a statement `compute`'s answer decides (`never pays for itself`), not a number.

    The least sure of the figures it reads that need a label, whatever the answer's text; once a text, as `_mark`.
    """
    labelled = [rules.figures[fid] for fid in figures_used(rules, compute) if rules.figures[fid].needs_label]
    figure = min(labelled, key=lambda used: CONFIDENCE_ORDER.index(used.confidence), default=None)
    if figure is None or figure.id in shown:
        return ""
    shown.add(figure.id)
    return f" ({figure.mark_text})"


def _figure_use(rules: Rules, figure_id: str) -> dict[str, Any]:
    figure = rules.figures[figure_id]
    when = (f"{'stated in the source article' if figure.in_article else 'not stated in the source article'}, "
            f"last confirmed {figure.as_of_text}, {figure.confidence} confidence")
    return {"id": figure_id, "label": figure.label, "value": figure.value, "as_of": figure.as_of,
            "source": rules.sources[figure.source].title, "url": rules.sources[figure.source].url,
            "confidence": figure.confidence, "value_text": _figure_value(rules, figure_id),
            "when": when if figure.needs_label else f"as of {figure.as_of_text}", "note": figure.note,
            # Once: a note that already tells the reader to check the figure (Plus's price) needs no second warning.
            "warning": LOW_CONFIDENCE if figure.confidence == "low" and "check" not in figure.note.lower() else ""}


def _inputs(rules: Rules, profile_: Profile) -> list[dict[str, str]]:
    """The reader's answers, labelled as on the page's form: what the report and the page list."""
    rows = [{"label": s.name, "value": STATUS_LABELS[profile_.sections.get(s.id, "missing")]} for s in rules.profile_sections]
    rows.append({"label": PLAN_LABEL, "value": rules.plan(profile_.plan).name})
    rows += [{"label": FIELD_LABELS[field.name], "value": f"{getattr(profile_, field.name):,}"} for field in number_fields(rules)]
    return rows


def analyse(rules: Rules, profile_: Profile) -> dict[str, Any]:
    """The whole analysis as plain data: score, gaps, budget, projection, plan advice."""
    today = date.fromisoformat(profile_.today) if profile_.today else date.today()  # noqa: DTZ011 - the learner's day
    need = monthly_need(profile_)
    allowance = connects.allowance(rules, profile_.plan)
    projection = connects.project_from_today(rules, plan=profile_.plan, opening_balance=profile_.balance,
                                             monthly_spend=need, months=profile_.months,
                                             billing_day=profile_.billing_day, today=today)
    starts = [today, *connects.refill_dates(rules, profile_.billing_day, today, profile_.months)]
    refill = connects.next_refill(rules, profile_.billing_day, today)
    options = [_plan_option(rules, p, need) for p in rules.plans]
    cheapest = connects.cheapest_plan(rules, need)
    break_even = connects.break_even_need(rules)
    bonus = rules.figures["bonus.profile_sections"]
    gaps = [
        {"id": s.id, "name": s.name, "status": profile_.sections.get(s.id, "missing"), "why": s.why, "weight": s.weight,
         "adds_text": adds_text(profile.gain(rules, profile_.sections, s.id)),
         "bonus_connects": rules.value(s.bonus) if s.bonus else None}
        for s in profile.gaps(rules, profile_.sections)
    ]
    used = analysis_figures(rules, profile_)
    oldest, newest = figures_dated(rules, used)
    dated = oldest if oldest == newest else f"{oldest} to {newest}"
    version = rules_version(rules)
    need_note, boost_note = _need_notes(rules, profile_)
    late = int(rules.value("refill.late_start_day"))
    # A date moved by the late-start rule rests on a figure the article does not state: say so, with its marker.
    refill_note = "" if profile_.billing_day < late else (
        f"A cycle that starts on the {ordinal(late)} or later renews on the "
        f"{ordinal(connects.refill_day(rules, profile_.billing_day))}"
        f"{_mark(rules, lambda r: connects.next_refill(r, profile_.billing_day, today), refill.isoformat(), set())}.")
    return {
        "about": {"date": today.isoformat(), "rules": rules.title, "rules_version": version,
                  "figures_from": oldest, "figures_to": newest,
                  "text": f"Analysed on {long_date(today)} (figures dated {dated}; the rules reference gives each "
                          "figure's date).",
                  "version_text": f"Plan rules version {version}: two analyses with the same version used the same "
                                  "figures."},
        "inputs": _inputs(rules, profile_),
        "completeness": profile.completeness(rules, profile_.sections),
        "gaps": gaps,
        "bonus_note": bonus.note,
        "budget": {
            "need": need,
            "need_note": need_note,
            "boost_note": boost_note,
            "allowance": allowance,
            # Basic's allowance is conditional on one Upwork page: the reader reads it where the 10 are counted.
            "allowance_note": rules.figures[f"plan.{profile_.plan}.monthly_connects"].note,
            "shortfall": max(0, need - allowance),
            "proposals_affordable_now": (connects.proposals_affordable(profile_.balance, profile_.connects_per_proposal)
                                         if profile_.connects_per_proposal else None),
            "next_refill": refill.isoformat(),
            "next_refill_text": long_date(refill),
            "next_refill_note": refill_note,
        },
        "projection": [{**asdict(month), "starts": day.isoformat(), "starts_text": long_date(day),
                        "label": month_label(month.month, day)}
                       for month, day in zip(projection, starts, strict=True)],
        "projection_title": projection_title(profile_.months),
        "projection_note": f"{substitute(PROJECTION_NOTE, rules, labelled=True, cached=False)} "
                           f"{_until_refill_note(rules, profile_, today, refill, need)}",
        "advice": {
            "current": profile_.plan,
            "cheapest": cheapest,
            "options": [asdict(option) for option in options],
            "break_even_need": break_even,
            "summary": _advice_text(rules, profile_, need, cheapest, break_even, projection, starts, refill),
            "boost_note": boost_advice(profile_),
            "boost_link_text": BOOST_LESSON_TITLE,
            "figures": [_figure_use(rules, fid) for fid in used],
        },
    }


def _advice_text(rules: Rules, profile_: Profile, need: int, cheapest: str, break_even: int | None,  # noqa: PLR0917
                 projection: list[connects.Month], starts: list[date], refill: date) -> str:
    name = rules.plan(cheapest).name
    shown: set[str] = set()
    cost = connects.monthly_cost(rules, cheapest, need)
    cost_mark = _mark(rules, lambda r: connects.monthly_cost(r, cheapest, need), str(cost), shown)
    to_buy = max(0, need - connects.allowance(rules, cheapest))
    today = starts[0]  # the row "Now" starts today
    buying = (f", buying about {to_buy:,} Connects a month{_buying_from(rules, profile_, need, cheapest, today, refill)}"
              if to_buy else "")
    costs = f"For {need:,} Connects a month, {name} costs least: ${cost:,.2f} a month{cost_mark}{buying}."
    text = _profile_first(rules, profile_) + costs
    if cheapest != profile_.plan:
        current = rules.plan(profile_.plan).name
        # plan_premium counts in cents, as cheapest_plan compares: the saving is exact, never off by a rounding.
        saving = connects.plan_premium(rules, need, cheaper=cheapest, richer=profile_.plan)
        if saving > 0:
            cost_now = connects.monthly_cost(rules, profile_.plan, need)
            now_mark = _mark(rules, lambda r: connects.monthly_cost(r, profile_.plan, need), str(cost_now), shown)
            saving_mark = _mark(rules, lambda r: connects.plan_premium(r, need, cheaper=cheapest, richer=profile_.plan),
                                str(saving), shown)
            text += (f" You are on {current} now: it costs ${cost_now:,.2f} a month{now_mark} for the same Connects, so"
                     f" switching to {name} saves ${saving:,.2f} a month{saving_mark}.")
        else:  # a tie: cheapest_plan names the first plan listed
            text += f" You are on {current} now, which costs the same."
    # After the reader's own plan's cost, whose mark (Plus's unsure price) is then shown once, where the cost is.
    if break_even is None:
        # A claim, not a number: it rests on every price and allowance, and the reader sees how sure the least sure is.
        never_mark = _claim_mark(rules, connects.break_even_need, shown)
        text += (f" At these prices a paid plan never pays for itself in Connects alone{never_mark}: if you consider it,"
                 " decide whether its other features are worth the price to you.")
    else:
        even_mark = _mark(rules, connects.break_even_need, str(break_even), shown)
        text += f" A paid plan costs less from {break_even:,} Connects a month{even_mark}."
    shortfall = next((m for m in projection if m.shortfall), None)
    if shortfall is not None and not (to_buy and cheapest == profile_.plan):  # else the buying clause said when
        text += (f" On your current plan you run short {when_short(shortfall.month, starts[shortfall.month], refill)}"
                 " unless you buy Connects.")
    return text


BOOST_SHARE = 0.5
"""Boost bids above this share of the monthly need (or a boost on every proposal) get the note of `boost_advice`."""
BOOST_LESSON_TITLE = "Is a boost worth it?"
"""The heading of Lesson 3's section on weighing a bid (`#boost-worth-it`): the page links these words to it."""


def boost_advice(profile_: Profile) -> str:
    """A note when boosts are much of the need, or every proposal is boosted: a boost pays only where you stand out."""
    need, bids = monthly_need(profile_), profile_.boosts_per_month * profile_.boost_bid
    large = bids > BOOST_SHARE * need
    every = bids > 0 and profile_.boosts_per_month == profile_.proposals_per_month
    if not (large or every):
        return ""
    if large:
        lead = f"Boost bids are {bids:,} of the {need:,} Connects you need a month"
        lead += ", and you boost every proposal" if every else f", more than {connects.share(BOOST_SHARE)}"
    else:
        lead = "You boost every proposal you send"
    return (f"{lead}. A boost pays only on jobs where you stand out: the article keeps boosts “for high-value projects "
            f"where you stand out as the ideal candidate”. “{BOOST_LESSON_TITLE}” in Lesson 3 shows how to weigh a bid "
            "against what the job pays.")


def _profile_first(rules: Rules, profile_: Profile) -> str:
    """The advice's opening when most sections are missing, or "": build the profile before spending Connects.

    As Lesson 4 says, and the article, which suggests Upwork's Profile setup learning path to a freelancer who has not
    started a profile.
    """
    sections = rules.profile_sections
    missing = sum(profile_.sections.get(s.id, "missing") == "missing" for s in sections)
    if 2 * missing <= len(sections):
        return ""
    return (f"Most of your profile is still missing ({missing} of {count(len(sections), 'section')}): build it before "
            "you spend any Connects, since a client weighing your proposal can look at it. If you have not started "
            "your profile yet, the article suggests the Profile setup learning path on Upwork's Learning Hub. ")


def _buying_from(rules: Rules, profile_: Profile, need: int, plan: str, today: date, refill: date) -> str:  # noqa: PLR0917
    """When buying starts on `plan`, from the reader's balance today: `, once your balance runs out, in month 9 (...)`.

    The plan's costs are for a month once the balance is spent; until then the balance pays for what the plan's
    allowance does not. Projected from today, as the table is, for up to `MAX_MONTHS` (expiry ends a balance sooner).
    """
    ahead = connects.project_from_today(rules, plan=plan, opening_balance=profile_.balance, monthly_spend=need,
                                        months=MAX_MONTHS, billing_day=profile_.billing_day, today=today)
    short = next((m for m in ahead if m.shortfall), None)
    if short is None:
        return f" once your balance runs out (not within the next {count(MAX_MONTHS, 'month')})"
    if short.month == 0:
        return f", starting now: your balance does not last until your next refill ({long_date(refill)})"
    starts = connects.refill_dates(rules, profile_.billing_day, today, short.month)[-1]
    on_plan = "" if plan == profile_.plan else f", which on {rules.plan(plan).name} is"
    return f" once your balance runs out{on_plan} {when_short(short.month, starts, refill)}"


def _figure_value(rules: Rules, figure_id: str) -> str:
    """A figure as a reader reads it: money with `$` and cents."""
    figure = rules.figures[figure_id]
    if isinstance(figure.value, bool):
        return "yes" if figure.value else "no"
    if figure.unit.startswith("usd") and figure.is_number:
        return f"${figure.value:,.2f}"
    if figure.unit == "connects" and figure.is_number:
        return f"{figure.value:,} Connects"
    return str(figure.value)


def _marked(mark: str) -> str:
    return f" ({mark})" if mark else ""


def report_markdown(rules: Rules, profile_: Profile, result: Mapping[str, Any]) -> str:
    """The analysis as a Markdown report, for export and for `quizkit profile`: the page's words, the reader's answers."""
    budget, advice = result["budget"], result["advice"]
    lines = ["# Profile and Connects analysis", "", "## Your answers", "", result["about"]["text"], ""]
    lines += [f"- {row['label']}: {row['value']}" for row in result["inputs"]]
    lines += ["", "## Profile completeness", "",
              (f"**{result['completeness']}%** of a complete profile, weighting each section by the course's advice "
              "on what matters most to a profile (the course's own score: Upwork publishes no such weights)."),
              "", f"## {GAPS_TITLE}", ""]
    lines += [f"{i}. **{g['name']}** ({STATUS_LABELS[g['status']].lower()}, {g['adds_text']}): {g['why']}"
              + (f" Completing it is documented to earn {g['bonus_connects']:,} bonus Connects."
                 if g["bonus_connects"] is not None else "")
              for i, g in enumerate(result["gaps"], 1)] or ["Every section is complete: keep them current."]
    lines += ["", f"Bonus Connects: {result['bonus_note']}", "", "## Connects needed against your allowance", "",
              (f"- Connects you need a month: **{budget['need']:,}** ({budget['need_note']})"
               + (f". {budget['boost_note']}" if budget["boost_note"] else "")),
              (f"- Included in {rules.plan(profile_.plan).name}: **{budget['allowance']:,}** (credited each month)"
               + (f". {budget['allowance_note']}" if budget["allowance_note"] else "")),
              (f"- Beyond your plan's allowance each month: **{budget['shortfall']:,}** ("
               + ("from your balance while it lasts, then buy Connects or send fewer proposals" if budget["shortfall"]
                  else "none: your plan covers it") + ")")]
    if budget["proposals_affordable_now"] is not None:
        lines.append(f"- Proposals your balance pays for now: **{budget['proposals_affordable_now']:,}** "
                     f"(at {profile_.connects_per_proposal:,} Connects each)")
    lines += [f"- Next monthly Connects: **{budget['next_refill_text']}** (the first day of your next billing cycle)"
              + (f". {budget['next_refill_note']}" if budget["next_refill_note"] else ""), "",
              f"## {result['projection_title']}", "",
              result["projection_note"], "",
              f"Balance now: {profile_.balance:,} Connects.", "",
              "| Month (starts) | Connects credited | Expired | Spent | Short | Balance at the end |",
              "|---|---|---|---|---|---|"]
    lines += [f"| {m['label']} | {m['granted']:,} | {m['expired']:,} | {m['spent']:,} | {m['shortfall']:,} | {m['balance']:,} |"
              for m in result["projection"]]
    lines += ["", "## Plan advice", "", advice["summary"], "", *([advice["boost_note"], ""] if advice["boost_note"] else []),
              "| Plan | Connects included | Connects to buy | Cost a month |",
              "|---|---|---|---|"]
    lines += [f"| {o['name']}{' (costs least)' if o['plan'] == advice['cheapest'] else ''} | {o['included']:,} | "
              f"{o['to_buy']:,} | ${o['monthly_usd']:,.2f}{_marked(o['mark'])} |"
              for o in advice["options"]]
    lines += ["", "Prices and figures used:", ""]
    lines += [f"- {f['label']}: **{f['value_text']}** ({f['when']}; [{f['source']}]({f['url']}))"
              + (f" {f['note']}" if f["note"] else "") + (f" {f['warning']}" if f["warning"] else "")
              for f in advice["figures"]]
    lines += ["", result["about"]["version_text"], "", f"_{rules.disclaimer}_", ""]
    return "\n".join(lines)
