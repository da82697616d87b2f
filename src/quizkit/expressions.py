# Rule expressions: `plan.plus.monthly_connects - plan.basic.monthly_connects` in content.
"""A small, safe evaluator for the expressions authors write in lessons and quiz keys.

Hand-written rather than a dependency: it has to run in Pyodide with the standard
library only, and it needs one unusual rule, dotted figure ids as names
(`plan.plus.monthly_connects`). Only literals, figure ids, arithmetic, comparisons
and calls of the functions below are allowed; anything else is a content error.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any

from quizkit import connects, profile

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from quizkit.model import Figure, ProfileSection, Rules


class ExpressionError(ValueError):
    """An expression is invalid or refers to something unknown."""


_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Is: operator.is_, ast.IsNot: operator.is_not,
    ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
}


def usd(amount: float) -> str:
    """Dollars as text: `usd(0.15)` is `$0.15`."""
    return f"${amount:,.2f}"


def scenario(value: float) -> float:
    """A scenario number that merely equals a figure: shown as written, marked for reviewers (see `typed`)."""
    return value


def given(condition: object, text: str) -> str:
    """`text`, words that take a rule as given (`given(expiry.spend_oldest_first, "...")`); refused once it is not.

    For prose with no sensible other branch: an exercise built on the rule. The build fails at the expression
    when the rules make `condition` false, rather than keep words that state the rule as it was.
    """
    if condition is not True:
        msg = "the words take the rule as given, and the rules no longer make it true: reword them for the rule as it is"
        raise ExpressionError(msg)
    return text


def ordinal(day: int) -> str:
    """`ordinal(29)` is `29th`: days of the month in prose."""
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")  # noqa: PLR2004
    return f"{day}{suffix}"


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def count(number: float, noun: str, plural: str | None = None) -> str:
    """A number with its noun agreeing: `count(1, "day")` is `1 day`, `count(3, "Connect")` is `3 Connects`.

    Only exactly 1 takes the singular (`0 days`, `0.5 days`). The plural is the regular English one of the
    last word unless given: `batches`, `replies`, `quizzes`, `billing cycles`; `count(2, "person", "people")`.
    """
    return f"{render(number)} {noun if number == 1 else plural or _plural(noun)}"


def _plural(noun: str) -> str:
    """The regular plural of a noun's last word, so a count written `count(n, "batch")` never reads `2 batchs`."""
    lower = noun.lower()
    if lower.endswith("quiz"):
        return noun + "zes"
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    if lower.endswith("y") and lower[-2:-1] not in ("", *"aeiou"):
        return noun[:-1] + "ies"
    return noun + "s"


def long_date(day: str | date) -> str:
    """`long_date("2026-06-20")` is `20 June 2026`: dates in prose."""
    value = day if isinstance(day, date) else date.fromisoformat(day)
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def day_of(day: str | date) -> int:
    """The day of the month of a date: `day_of("2026-06-20")` is 20."""
    return (day if isinstance(day, date) else date.fromisoformat(day)).day


OUTCOME_WORDS = {
    "client_cancelled_before_contract": "the client cancels the job before any contract",
    "removed_by_upwork": "Upwork removes the job post for breaking its terms",
    "declined": "the client declines your proposal",
    "other_freelancer_hired": "another freelancer is hired",
    "job_expired": "the job post expires",
    "withdrawn": "you withdraw your proposal",
}
"""Words for the outcome ids of `returns.*`: exercise code compares with the ids, readers need words."""


def outcome_words(outcome: str) -> str:
    """An outcome id in words; an id not listed reads as its words (`job_expired` as "job expired")."""
    return OUTCOME_WORDS.get(outcome, outcome.replace("_", " "))


def outcomes(ids: Sequence[str], conjunction: str = "or") -> str:
    """Outcome ids in words, as one phrase: lesson text that follows `returns.*` when the rule changes.

    >>> outcomes(["declined"])
    'the client declines your proposal'
    >>> outcomes(["declined", "withdrawn"])
    'the client declines your proposal or you withdraw your proposal'
    >>> outcomes(["job_expired", "declined", "withdrawn"], "and")
    'the job post expires, the client declines your proposal, and you withdraw your proposal'
    """
    if not ids:
        msg = "no outcome to name: the rule lists none, so the sentence around it needs rewording"
        raise ValueError(msg)
    *head, last = [outcome_words(outcome) for outcome in ids]
    if not head:
        return last
    return f"{', '.join(head)}{',' if len(head) > 1 else ''} {conjunction} {last}"


def _figure_text(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _figure(rules: Rules, figure_id: str) -> Figure:
    """A figure by id, for a page that explains its label with a real one: `label_of("boost.top_slots")`."""
    if figure_id not in rules.figures:
        msg = f"unknown rule {figure_id!r}"
        raise ValueError(msg)
    return rules.figures[figure_id]


def _section(rules: Rules, section_id: str) -> ProfileSection:
    for section in rules.profile_sections:
        if section.id == section_id:
            return section
    msg = f"unknown profile section {section_id!r} (sections: {', '.join(s.id for s in rules.profile_sections)})"
    raise ValueError(msg)


def _fix_adds(rules: Rules, section_id: str, status: str) -> float:
    """Points a section adds to the course's profile score once complete, from `status` (as the activity says)."""
    return round(profile.gain(rules, {section_id: status}, section_id), 1)


def functions(rules: Rules) -> dict[str, Callable[..., Any]]:
    """The functions an expression may call, bound to `rules`."""
    bound = {
        name: partial(getattr(connects, name), rules)
        for name in (
            "allowance", "refill_day", "next_refill", "days_until_refill", "monthly_cost", "cheapest_plan",
            "break_even_need", "purchase_cost", "smallest_bundle", "connects_returned", "reply_cost",
            "boost_charged", "connects_spent_on_proposal", "boost_worth_it", "proposals_per_month", "balance_after",
        )
    }
    return {
        **bound,
        "proposals_affordable": connects.proposals_affordable,
        "connects_to_buy": connects.connects_to_buy,
        "plan_name": lambda plan: rules.plan(plan).name,
        "label_of": lambda figure_id: f"({_figure(rules, figure_id).mark_text})",
        "section_weight": lambda section: _section(rules, section).weight,
        "fix_adds": lambda section, status="missing": _fix_adds(rules, section, status),
        "update_share": lambda: 1 - profile.CREDIT["update"],
        "clear_misfit": lambda: connects.CLEAR_MISFIT,
        "share": connects.share,
        "usd": usd,
        "scenario": scenario,
        "given": given,
        "ordinal": ordinal,
        "count": count,
        "long_date": long_date,
        "day_of": day_of,
        "date": date.fromisoformat,
        "text": _figure_text,
        "outcomes": outcomes,
        "len": len,
        "min": min,
        "max": max,
        "round": round,
    }


def _dotted(node: ast.expr) -> str | None:
    """`a.b.c` as text, or None when the node is not a plain dotted name."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr}" if head else None
    return None


class _Evaluator:
    def __init__(self, rules: Rules, extra: Mapping[str, Callable[..., Any]] | None,
                 values: Mapping[str, Any] | None = None, *, cached: bool = True) -> None:
        self.rules = rules
        self.functions = {**(_functions_of(rules) if cached else functions(rules)), **(extra or {})}
        self.values = values or {}

    def eval(self, node: ast.expr) -> Any:  # noqa: PLR0911 - one branch per node kind
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float | str | bool | type(None)):
            return node.value
        if isinstance(node, ast.Name | ast.Attribute):
            return self.name(node)
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return _BINARY[type(node.op)](self.eval(node.left), self.eval(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd | ast.Not):
            value = self.eval(node.operand)
            return -value if isinstance(node.op, ast.USub) else (not value if isinstance(node.op, ast.Not) else value)
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.BoolOp):
            values = [self.eval(v) for v in node.values]
            return all(values) if isinstance(node.op, ast.And) else any(values)
        if isinstance(node, ast.IfExp):
            return self.eval(node.body) if self.eval(node.test) else self.eval(node.orelse)
        if isinstance(node, ast.List | ast.Tuple):
            return [self.eval(item) for item in node.elts]
        if isinstance(node, ast.Call):
            return self.call(node)
        msg = f"'{ast.unparse(node)}' is not allowed in a rule expression"
        raise ExpressionError(msg)

    def name(self, node: ast.Name | ast.Attribute) -> Any:
        if isinstance(node, ast.Name) and node.id in self.values:
            return self.values[node.id]
        dotted = _dotted(node)
        if dotted is None:
            msg = f"'{ast.unparse(node)}' is not allowed in a rule expression"
            raise ExpressionError(msg)
        if dotted in self.rules.figures:
            return self.rules.value(dotted)
        prefix = dotted + "."
        near = sorted(fid for fid in self.rules.figures if fid.startswith((prefix, dotted.split(".")[0])))
        hint = f" (did you mean one of: {', '.join(near[:5])}?)" if near else ""
        msg = f"unknown rule '{dotted}'{hint}"
        raise ExpressionError(msg)

    def compare(self, node: ast.Compare) -> bool:
        left = self.eval(node.left)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.eval(right_node)
            if type(op) not in _COMPARE or not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True

    def call(self, node: ast.Call) -> Any:
        if not isinstance(node.func, ast.Name) or node.func.id not in self.functions:
            name = ast.unparse(node.func)
            msg = f"unknown function '{name}' (known: {', '.join(sorted(self.functions))})"
            raise ExpressionError(msg)
        args = [self.eval(arg) for arg in node.args]
        kwargs = {kw.arg: self.eval(kw.value) for kw in node.keywords if kw.arg is not None}
        try:
            return self.functions[node.func.id](*args, **kwargs)
        except (TypeError, ValueError, KeyError) as exc:
            msg = f"{ast.unparse(node)} failed: {exc}"
            raise ExpressionError(msg) from None


@lru_cache(maxsize=4096)
def parsed(text: str) -> ast.expr:
    """An expression's syntax tree, parsed once per text and never changed after.

    A course evaluates a few hundred expressions tens of thousands of times: once per variant of each question.
    """
    return _parsed_afresh(text)


def _parsed_afresh(text: str) -> ast.expr:
    """`parsed` without its cache: a tree no one else holds."""
    try:
        return ast.parse(text.strip(), mode="eval").body
    except SyntaxError as exc:
        msg = f"invalid expression {text.strip()!r}: {exc.msg}"
        raise ExpressionError(msg) from None


_last_functions: list[tuple[Rules, dict[str, Callable[..., Any]]]] = []


def _functions_of(rules: Rules) -> dict[str, Callable[..., Any]]:
    """`functions(rules)`, made again only when the rules change (a course loads under one set of rules)."""
    if not _last_functions or _last_functions[0][0] is not rules:
        _last_functions[:] = [(rules, functions(rules))]
    return _last_functions[0][1]


def evaluate(text: str, rules: Rules, extra: Mapping[str, Callable[..., Any]] | None = None,
             values: Mapping[str, Any] | None = None, *, cached: bool = True) -> Any:
    """The value of a rule expression; `ExpressionError` says what is wrong.

    Names in `values` (a question's parameters) stand for their values. `cached=False` reads and fills none of
    this module's caches (`parsed`'s trees, `_last_functions`): what the grader uses once learner code has run
    in its interpreter (the page), where a program can reach a cached tree and change it, and where a cache
    filled after the guard's baseline reads as a change to the grader (`quizkit.integrity`).
    """
    return _Evaluator(rules, extra, values, cached=cached).eval(parsed(text) if cached else _parsed_afresh(text))


FUNCTION_READS: dict[str, tuple[str, ...]] = {
    "boost_charged": ("boost.charge_if_outbid_before_interaction",),
    "connects_spent_on_proposal": ("boost.charge_if_outbid_before_interaction",),
    "connects_returned": ("returns.returned_reasons", "returns.kept_reasons"),
    "reply_cost": ("invites.reply_cost",),
    "purchase_cost": ("purchase.price_per_connect_usd",),
    "smallest_bundle": ("purchase.bundles",),
}
"""Figures a function's result stands for, so a page can label a figure shown through a call."""


def figures_read(text: str, rules: Rules, *, cached: bool = True) -> list[str]:
    """Ids of the figures an expression shows: read by name, or through a call of `FUNCTION_READS`, each once.

    `cached`: as `evaluate`'s.
    """
    try:
        tree = parsed(text) if cached else _parsed_afresh(text)
    except ExpressionError:
        return []
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            names: tuple[str | None, ...] = FUNCTION_READS.get(node.func.id, ())
        else:
            names = (_dotted(node),) if isinstance(node, ast.Name | ast.Attribute) else ()
        found += [name for name in names if name is not None and name in rules.figures and name not in found]
    return found


def render(value: object) -> str:
    """An expression's value as text in a page: lists joined, no trailing `.0`."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "not documented"
    return _figure_text(value)


TEMPLATE = re.compile(r"\{\{\s*(.+?)\s*\}\}")
"""A rule expression inside text: `{{ plan.plus.monthly_connects }}`."""


def substitute(text: str, rules: Rules, extra: Mapping[str, Callable[..., Any]] | None = None, *,
               labelled: bool = False, cached: bool = True) -> str:
    """`text` with every `{{ expression }}` replaced by its rendered value.

    `labelled`: plain text a reader sees (a Check's message, a workbook's prompt), where a figure not from
    the article or not of high confidence is followed by its month and confidence the first time the
    text shows it: `(Oct 2025 · medium)`. Pages link the same marker (page_markdown.py).
    `cached`: as `evaluate`'s.
    """
    shown: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        text = render(evaluate(match.group(1), rules, extra, cached=cached))
        figure = figure_to_mark(match.group(1), text, rules, shown, cached=cached) if labelled else None
        return f"{text} ({figure.mark_text})" if figure else text

    return TEMPLATE.sub(replace, text)


def figure_to_mark(expression: str, text: str, rules: Rules, shown: set[str], *, cached: bool = True) -> Figure | None:
    """The figure whose month and confidence should follow `text`, the value `expression` rendered to; or None.

    The first figure the expression shows that `needs_marker` and is not in `shown` yet (it is added). `cached`: as
    `evaluate`'s.
    """
    for figure_id in figures_read(expression, rules, cached=cached):
        figure = rules.figures[figure_id]
        if figure_id not in shown and needs_marker(figure, text):
            shown.add(figure_id)
            return figure
    return None


def needs_marker(figure: Figure, text: str) -> bool:
    """Whether `text`, a value read from `figure`, shows it so that its month and confidence must follow.

    Only a figure that needs a label; a numeric one only where a number is shown (not after "returns"
    chosen by comparing it), a yes/no or listed rule wherever the text states it.
    """
    return figure.needs_label and bool(text.strip()) and (any(ch.isdigit() for ch in text) or not _numeric(figure.value))


CONFIDENCE_ORDER = ("low", "medium", "high")
"""Least sure first: of several figures behind one answer, the reader is warned of the least sure."""


def figures_used(rules: Rules, compute: Callable[[Rules], object]) -> list[str]:
    """Ids of the figures `compute` looks up in `rules` as it runs, in order, each once: what its answer rests on."""
    used: list[str] = []
    compute(replace(rules, figures=_Noted(rules.figures, used)))
    return used


def marker_for(rules: Rules, compute: Callable[[Rules], object], text: str) -> Figure | None:
    """The figure whose month and confidence must follow `text`, an answer `compute` works out from `rules`.

    The least sure of the figures it reads that need a marker (a Check's right answer, a cost in the activity).
    """
    return least_sure(rules, figures_used(rules, compute), text)


def least_sure(rules: Rules, figure_ids: Sequence[str], text: str) -> Figure | None:
    """Of the figures behind `text` whose month and confidence must follow it, the least sure (the first, on a tie)."""
    marked = [rules.figures[fid] for fid in figure_ids if needs_marker(rules.figures[fid], text)]
    return min(marked, key=lambda figure: CONFIDENCE_ORDER.index(figure.confidence), default=None)


class _Noted(Mapping[str, "Figure"]):
    """Figures that note, in `used`, each id looked up (not iteration: nothing in the rules engine walks them all)."""

    def __init__(self, figures: Mapping[str, Figure], used: list[str]) -> None:
        self._figures, self._used = figures, used

    def __getitem__(self, figure_id: str) -> Figure:
        figure = self._figures[figure_id]
        if figure_id not in self._used:
            self._used.append(figure_id)
        return figure

    def __iter__(self) -> Iterator[str]:
        return iter(self._figures)

    def __len__(self) -> int:
        return len(self._figures)


def _numeric(value: object) -> bool:
    items = value if isinstance(value, list) else [value]
    return all(isinstance(item, int | float) and not isinstance(item, bool) for item in items)
