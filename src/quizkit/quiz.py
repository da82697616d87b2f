# Quizzes: questions as data, keys computed from the rules, attempts graded here.
"""Quizzes in six types: single choice, multiple choice, true/false, numeric, match, order.

A key may be written as a literal or as a rule expression (`{expr: ...}`); texts may
hold `{{ expressions }}`. A question with `params` has variants: each one's texts
and key computed from the rules and its parameter values (`quizkit.variants`).
`compile_quiz` evaluates all of them, giving the data a page embeds; `grade_attempt`
scores answers against it, the same way the page does, so the two can be compared.
A figure a question shows that is not the article's, or not of high confidence, is
listed once in the question's `figures` with its month and confidence (the lessons'
marker, `quizkit.page_markdown`): data beside the text, so the page builds its link.
Options are shown in an order drawn from the reader's seed (`presented`); grading
goes by option ids, so the order never changes a verdict. A wrong option carries its
own feedback; a numeric question names its known mistakes (`mistakes`), each with the
answer it gives in every variant, so a wrong number a mistake explains is told which.
"""

from __future__ import annotations

import ast
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from quizkit import fields
from quizkit.errors import ContentError, at
from quizkit.expressions import TEMPLATE, ExpressionError, figures_read, needs_marker, parsed, render
from quizkit.expressions import count as with_noun
from quizkit.variants import (
    DEFAULT_VARIANTS,
    MIN_VARIANTS,
    fill,
    parameter_sets,
    parse_params,
    reserved_names,
    shuffle_order,
    value_of,
    variant_index,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from quizkit.errors import Path
    from quizkit.model import Figure, Rules

QuestionType = Literal["single", "multiple", "true_false", "numeric", "match", "order"]
QUESTION_TYPES: tuple[str, ...] = ("single", "multiple", "true_false", "numeric", "match", "order")
_QUIZ_FIELDS = ("id", "title", "lesson", "format", "questions", "shuffle")
_QUESTION_FIELDS = ("id", "type", "text", "options", "answer", "tolerance", "unit", "explanation", "section",
                    "about", "assumes", "feedback", "params", "let", "where", "variants", "bounds", "shuffle", "items",
                    "choices", "mistakes")
_OPTION_FIELDS = ("id", "text", "correct", "feedback", "pin")
_ITEM_FIELDS = ("id", "text", "answer", "feedback")
_CHOICE_FIELDS = ("id", "text")
_MISTAKE_FIELDS = ("answer", "feedback")
VARYING = ("text", "explanation", "options", "key", "feedback", "items", "choices", "mistakes")
"""What differs between the variants of a question (the rest is the question's own)."""
ENTRY_TEXTS: Mapping[str, tuple[str, ...]] = {"options": ("text", "feedback"), "items": ("text", "feedback"),
                                              "choices": ("text",), "mistakes": ("feedback",)}
"""The reader texts in each entry of a question's lists: what every reading of a question's texts goes through
(the checks, `question_texts`; Markdown rendering, `plugin.quiz_embed.render_texts`)."""
Place = Literal["question", "answer"]
"""Where a figure's marker goes: after the question (its stem or options show the figure) or after the
explanation (only the explanation or feedback, shown once answered, do)."""


@dataclass(frozen=True, kw_only=True)
class Option:
    """A choice of a single- or multiple-choice question, as authored."""

    id: str
    text: str
    correct: Any
    """True/False, or `{"expr": ...}` computed from the rules."""
    feedback: str = ""
    pin: bool = False
    """Kept in its authored place when the options are shuffled ("None of these")."""


@dataclass(frozen=True, kw_only=True)
class Item:
    """A line of a match question (with the choice it matches) or of an order question."""

    id: str
    text: str
    answer: Any = None
    """match: the id of the right choice, or `{"expr": ...}` giving it."""
    feedback: str = ""
    """match: shown when this line is matched wrongly."""


@dataclass(frozen=True, kw_only=True)
class Mistake:
    """A known mistake of a numeric question: the answer it gives, and feedback that names it.

    A reader who typed that answer is told what they did ("You added Basic's Connects on top of Plus's
    total"), not only how to work it out: feedback aimed at the misconception teaches more than "Not quite".
    """

    answer: Any
    """A number or `{"expr": ...}` over the parameters and the rules, like the key; an expression that gives
    None leaves the mistake out of that variant (`day if refill_day(day) != day else None`)."""
    feedback: str


@dataclass(frozen=True, kw_only=True)
class Question:
    """A question as authored: texts may hold rule expressions, keys may be expressions."""

    id: str
    type: QuestionType
    text: str
    explanation: str
    section: str
    """The lesson section it tests, as a docs-relative link (`lessons/x.md#anchor`)."""
    options: tuple[Option, ...] = ()
    answer: Any = None
    """true_false and numeric: a literal or `{"expr": ...}`."""
    tolerance: float = 0.0
    unit: str = ""
    about: str = ""
    """A figure id the key must agree with (checked by `quizkit check`)."""
    assumes: str | None = None
    """An expression of the rules the question's words take as given (`rollover.cap != 0` where a feedback says
    "unused Connects roll over"): a rule stated in words cannot follow a change, so the question fails to compile,
    at this line, once the rules make it false. Its figures are marked as the feedback's are."""
    feedback: Mapping[str, str] | None = None
    """true_false: feedback per answer (`"true"`, `"false"`); numeric, match, order: `correct` / `incorrect`."""
    params: Mapping[str, Any] | None = None
    """Parameters, as authored (`quizkit.variants.parse_params` reads them against the rules)."""
    let: Mapping[str, str] | None = None
    """Names for values worked out from each variant's parameters and the rules (`charged: "boost_charged(...)"`),
    in order, each usable in the texts and in the next ones: a phrase or a figure written once, not in every text."""
    where: str | None = None
    """An expression over the parameters that every variant must satisfy."""
    variants: int = DEFAULT_VARIANTS
    bounds: tuple[Any, Any] | None = None
    """numeric: the range every variant's key must fall in (literals or `{expr: ...}`)."""
    shuffle: bool | None = None
    """Whether options are shuffled per reader; None: as the quiz says."""
    items: tuple[Item, ...] = ()
    choices: tuple[tuple[str, str], ...] = ()
    """match: (id, text) of the choices every line is matched with."""
    mistakes: tuple[Mistake, ...] = ()
    """numeric: known mistakes, in the order they are tried against a wrong answer."""


@dataclass(frozen=True, kw_only=True)
class Quiz:
    """A quiz as authored."""

    id: str
    title: str
    lesson: str
    questions: tuple[Question, ...]
    format: Literal["text", "markdown"] = "text"
    shuffle: bool = True

    @classmethod
    def from_data(cls, data: object) -> Quiz:
        """Validate plain data (parsed YAML) into a quiz."""
        root = fields.mapping(data, ())
        fields.only(root, _QUIZ_FIELDS, ())
        fmt = fields.optional(root, "format", str, (), "text")
        if fmt not in ("text", "markdown"):
            raise ContentError(f"'format' must be text or markdown, got {fmt!r}", path=("format",))
        raw_questions = fields.required(root, "questions", list, ())
        questions = tuple(_question(raw, ("questions", i)) for i, raw in enumerate(raw_questions))
        if not questions:
            raise ContentError("a quiz needs at least one question", path=("questions",))
        seen: set[str] = set()
        for i, question in enumerate(questions):
            if question.id in seen:
                raise ContentError(f"duplicate question id '{question.id}'", path=("questions", i, "id"))
            seen.add(question.id)
        return cls(id=fields.identifier(root, "id", ()), title=fields.required(root, "title", str, ()),
                   lesson=fields.required(root, "lesson", str, ()), questions=questions, format=fmt,  # type: ignore[arg-type]
                   shuffle=fields.optional(root, "shuffle", bool, (), default=True))


def _is_expr(value: object) -> bool:
    return isinstance(value, dict) and set(value) == {"expr"} and isinstance(value["expr"], str)


def _options(data: Mapping[str, Any], path: Path) -> tuple[Option, ...]:
    options: list[Option] = []
    for i, raw_option in enumerate(fields.required(data, "options", list, path)):
        opath = (*path, "options", i)
        odata = fields.mapping(raw_option, opath)
        fields.only(odata, _OPTION_FIELDS, opath)
        correct = odata.get("correct", False)
        if not isinstance(correct, bool) and not _is_expr(correct):
            raise ContentError("'correct' must be true, false or {expr: ...}", path=(*opath, "correct"))
        option_id = str(odata.get("id", chr(ord("a") + i)))
        if option_id in {o.id for o in options}:
            raise ContentError(f"duplicate option id '{option_id}'", path=(*opath, "id"))
        options.append(Option(id=option_id, text=fields.required(odata, "text", str, opath), correct=correct,
                              feedback=fields.optional(odata, "feedback", str, opath, ""),
                              pin=fields.optional(odata, "pin", bool, opath, default=False)))
    if len(options) < 2:  # noqa: PLR2004
        raise ContentError("a choice question needs at least two options", path=(*path, "options"))
    return tuple(options)


def _items(data: Mapping[str, Any], kind: str, path: Path) -> tuple[Item, ...]:
    items: list[Item] = []
    for i, raw in enumerate(fields.required(data, "items", list, path)):
        ipath = (*path, "items", i)
        idata = fields.mapping(raw, ipath)
        fields.only(idata, _ITEM_FIELDS if kind == "match" else ("id", "text"), ipath)
        item_id = fields.identifier(idata, "id", ipath)
        if item_id in {item.id for item in items}:
            raise ContentError(f"duplicate item id '{item_id}'", path=(*ipath, "id"))
        answer = idata.get("answer")
        if kind == "match" and not (isinstance(answer, str) or _is_expr(answer)):
            raise ContentError("'answer' must be the id of a choice or {expr: ...}", path=(*ipath, "answer"))
        items.append(Item(id=item_id, text=fields.required(idata, "text", str, ipath), answer=answer,
                          feedback=fields.optional(idata, "feedback", str, ipath, "")))
    if len(items) < 2:  # noqa: PLR2004
        raise ContentError(f"a {kind} question needs at least two items", path=(*path, "items"))
    return tuple(items)


def _choices(data: Mapping[str, Any], path: Path) -> tuple[tuple[str, str], ...]:
    choices: list[tuple[str, str]] = []
    for i, raw in enumerate(fields.required(data, "choices", list, path)):
        cpath = (*path, "choices", i)
        cdata = fields.mapping(raw, cpath)
        fields.only(cdata, _CHOICE_FIELDS, cpath)
        choice_id = fields.identifier(cdata, "id", cpath)
        if choice_id in {c for c, _ in choices}:
            raise ContentError(f"duplicate choice id '{choice_id}'", path=(*cpath, "id"))
        choices.append((choice_id, fields.required(cdata, "text", str, cpath)))
    if len(choices) < 2:  # noqa: PLR2004
        raise ContentError("a match question needs at least two choices", path=(*path, "choices"))
    return tuple(choices)


def _mistakes(data: Mapping[str, Any], kind: str, path: Path) -> tuple[Mistake, ...]:
    if "mistakes" not in data:
        return ()
    if kind != "numeric":
        raise ContentError(f"a {kind} question names mistakes in its options' or items' feedback, not in 'mistakes'",
                           path=(*path, "mistakes"))
    mistakes = []
    for i, raw in enumerate(fields.required(data, "mistakes", list, path)):
        mpath = (*path, "mistakes", i)
        mdata = fields.mapping(raw, mpath)
        fields.only(mdata, _MISTAKE_FIELDS, mpath)
        answer = mdata.get("answer")
        if answer is None or not (_is_expr(answer) or fields._matches(answer, (int, float))):  # noqa: SLF001
            raise ContentError("a mistake's 'answer' must be a number or {expr: ...}", path=(*mpath, "answer"))
        mistakes.append(Mistake(answer=answer, feedback=fields.required(mdata, "feedback", str, mpath)))
    return tuple(mistakes)


def _question(raw: object, path: Path) -> Question:
    data = fields.mapping(raw, path)
    fields.only(data, _QUESTION_FIELDS, path)
    kind = fields.required(data, "type", str, path)
    if kind not in QUESTION_TYPES:
        raise ContentError(f"unknown question type '{kind}' (types: {', '.join(QUESTION_TYPES)})", path=(*path, "type"))
    options = _options(data, path) if kind in ("single", "multiple") else ()
    if kind not in ("single", "multiple") and "options" in data:
        raise ContentError(f"a {kind} question has no options", path=(*path, "options"))
    items = _items(data, kind, path) if kind in ("match", "order") else ()
    if kind not in ("match", "order") and "items" in data:
        raise ContentError(f"a {kind} question has no items", path=(*path, "items"))
    choices = _choices(data, path) if kind == "match" else ()
    if kind != "match" and "choices" in data:
        raise ContentError(f"a {kind} question has no choices", path=(*path, "choices"))
    answer = data.get("answer")
    if kind in ("true_false", "numeric"):
        literal = bool if kind == "true_false" else (int, float)
        if answer is None or not (_is_expr(answer) or fields._matches(answer, literal)):  # noqa: SLF001
            expected = "true or false" if kind == "true_false" else "a number"
            raise ContentError(f"'answer' must be {expected} or {{expr: ...}}", path=(*path, "answer"))
    elif answer is not None:
        where = "mark options 'correct'" if kind in ("single", "multiple") else "give the key in their items"
        raise ContentError(f"{kind} questions {where} instead of an 'answer'", path=(*path, "answer"))
    tolerance = fields.optional(data, "tolerance", (int, float), path, 0)
    if tolerance < 0:
        raise ContentError("'tolerance' cannot be negative", path=(*path, "tolerance"))
    feedback = fields.optional(data, "feedback", dict, path, None)  # type: ignore[arg-type]
    params = fields.optional(data, "params", dict, path, None)  # type: ignore[arg-type]
    variants = fields.optional(data, "variants", int, path, DEFAULT_VARIANTS)
    needing = [name for name in ("variants", "where", "let") if name in data]
    if needing and params is None:
        raise ContentError(f"'{needing[0]}' needs 'params'", path=(*path, needing[0]))
    let = fields.optional(data, "let", dict, path, None)  # type: ignore[arg-type]
    for name, expression in (let or {}).items():
        if not isinstance(name, str) or not name.isidentifier() or name in (params or {}):
            raise ContentError(f"'{name}' cannot name a value of 'let': it must be a new name", path=(*path, "let", str(name)))
        if not isinstance(expression, str):
            raise ContentError(f"'let' gives '{name}' as an expression (text)", path=(*path, "let", name))
    if variants < MIN_VARIANTS:
        raise ContentError(f"'variants' must be at least {MIN_VARIANTS}", path=(*path, "variants"))
    bounds = fields.optional(data, "bounds", list, path, None)  # type: ignore[arg-type]
    if bounds is not None and (kind != "numeric" or len(bounds) != 2):  # noqa: PLR2004
        raise ContentError("'bounds' is [lowest, highest] of a numeric question's key", path=(*path, "bounds"))
    return Question(
        id=fields.identifier(data, "id", path), type=kind, text=fields.required(data, "text", str, path),  # type: ignore[arg-type]
        explanation=fields.required(data, "explanation", str, path).strip(),
        section=fields.required(data, "section", str, path), options=options, answer=answer,
        tolerance=float(tolerance), unit=fields.optional(data, "unit", str, path, ""),
        about=fields.optional(data, "about", str, path, ""), assumes=fields.optional(data, "assumes", str, path, None),  # type: ignore[arg-type]
        feedback=feedback, params=params, let=let,
        where=fields.optional(data, "where", str, path, None), variants=variants,  # type: ignore[arg-type]
        bounds=None if bounds is None else (bounds[0], bounds[1]),
        shuffle=fields.optional(data, "shuffle", bool, path, None), items=items, choices=choices,  # type: ignore[arg-type]
        mistakes=_mistakes(data, kind, path),
    )


# ---------------------------------------------------------------- compiling keys


def _reads(expression: str, rules: Rules, let_reads: Mapping[str, list[str]]) -> list[str]:
    """The figures an expression shows: read by name or call, and through the `let` values it uses."""
    found = figures_read(expression, rules)
    try:
        names = [node.id for node in ast.walk(parsed(expression)) if isinstance(node, ast.Name)]
    except ExpressionError:
        return found
    return found + [figure_id for name in names for figure_id in let_reads.get(name, ()) if figure_id not in found]


def _let_reads(q: Question, rules: Rules) -> dict[str, list[str]]:
    """The figures each `let` value of `q` reads, the ones of the `let` values it uses included."""
    reads: dict[str, list[str]] = {}
    for name, expression in (q.let or {}).items():
        reads[name] = list(dict.fromkeys(_reads(expression, rules, reads)))
    return reads


def _with_let(q: Question, rules: Rules, values: Mapping[str, Any]) -> dict[str, Any]:
    """A variant's parameters with the question's `let` values worked out from them, in order."""
    names = dict(values)
    for name, expression in (q.let or {}).items():
        try:
            names[name] = value_of(expression, rules, names)
        except ExpressionError as exc:
            raise ContentError(f"'let' {name}: {exc}", path=("let", name)) from None
    return names


def figure_mark(figure: Figure, place: Place) -> dict[str, str]:
    """A figure's marker as data: the lessons' wording (`Oct 2025 · medium`, its title), its id for the link."""
    return {"id": figure.id, "label": figure.label, "text": figure.mark_text, "title": figure.mark_title, "place": place}


class _Compiler:
    """Texts and keys of one question for one set of parameter values, and the labelled figures they show."""

    def __init__(self, rules: Rules, values: Mapping[str, Any], let_reads: Mapping[str, list[str]] | None = None,
                 reads: dict[str, list[str]] | None = None) -> None:
        self.rules = rules
        self.values = values
        self.let_reads = let_reads or {}
        """The figures each of the question's `let` values reads: a text that shows one shows them."""
        self.reads = {} if reads is None else reads
        """The figures each expression of the question reads, worked out once for all its variants (it depends on the
        expression's text alone): walking each expression's tree again for every variant was most of a build's quiz
        compiling."""
        self.figures: dict[str, Place] = {}
        """Labelled figures the texts show, in order, with the first place that shows them."""
        self.named: set[int] = set()
        """The known mistakes (their index) this variant can name."""

    def value(self, value: Any, path: Path) -> Any:
        if not _is_expr(value):
            return value
        try:
            return value_of(value["expr"], self.rules, self.values)
        except ExpressionError as exc:
            raise ContentError(str(exc), path=path) from None

    def text(self, text: str, path: Path) -> str:
        try:
            filled = fill(text, self.rules, self.values)
            self._mark(text, "question" if path[0] in ("text", "options", "items", "choices") and path[-1] == "text"
                       else "answer")
        except ExpressionError as exc:
            raise ContentError(str(exc), path=path) from None
        return filled

    def _mark(self, text: str, place: Place) -> None:
        """Note the labelled figures `text` shows, as the lessons mark them: a number only where one is shown.

        One figure an expression (its first), like a lesson's marker; a figure the question shows
        moves to "question" however many explanations show it too.
        """
        for match in TEMPLATE.finditer(text):
            shown = render(value_of(match.group(1), self.rules, self.values))
            expression = match.group(1)
            if expression not in self.reads:
                self.reads[expression] = _reads(expression, self.rules, self.let_reads)
            for figure_id in self.reads[expression]:
                known = self.figures.get(figure_id)
                if needs_marker(self.rules.figures[figure_id], shown) and known not in ("question", place):
                    self.figures[figure_id] = place
                    break

    def question(self, q: Question) -> dict[str, Any]:
        item: dict[str, Any] = {"text": self.text(q.text, ("text",)),
                                "explanation": self.text(q.explanation, ("explanation",))}
        if q.type in ("single", "multiple"):
            item["options"] = [
                {"id": o.id, "text": self.text(o.text, ("options", j, "text")),
                 "feedback": self.text(o.feedback, ("options", j, "feedback")), "pin": o.pin}
                for j, o in enumerate(q.options)
            ]
            texts = Counter(" ".join(o["text"].split()).lower() for o in item["options"])
            same = [text for text, n in texts.items() if n > 1]
            if same:
                raise ContentError(f"two options read the same ({same[0]!r}): readers cannot tell which is meant",
                                   path=("options",))
            marks = [bool(self.value(o.correct, ("options", j, "correct"))) for j, o in enumerate(q.options)]
            correct = [o.id for o, mark in zip(q.options, marks, strict=True) if mark]
            if q.type == "single" and len(correct) != 1:
                raise ContentError(f"a single-choice question needs exactly one correct option, found {len(correct)}", path=())
            if q.type == "multiple" and not correct:
                raise ContentError("a multiple-choice question needs at least one correct option", path=())
            item["key"] = correct[0] if q.type == "single" else correct
            return item
        if q.type in ("match", "order"):
            item["items"] = [{"id": it.id, "text": self.text(it.text, ("items", j, "text")),
                              "feedback": self.text(it.feedback, ("items", j, "feedback"))} for j, it in enumerate(q.items)]
            if q.type == "match":
                item["choices"] = [{"id": cid, "text": self.text(text, ("choices", j, "text"))}
                                   for j, (cid, text) in enumerate(q.choices)]
                ids = [cid for cid, _ in q.choices]
                key = {}
                for j, it in enumerate(q.items):
                    choice = self.value(it.answer, ("items", j, "answer"))
                    if choice not in ids:
                        raise ContentError(f"the answer of item '{it.id}' is {choice!r}, not one of the choices "
                                           f"({', '.join(ids)})", path=("items", j, "answer"))
                    key[it.id] = choice
                item["key"] = key
            else:
                item["key"] = [it.id for it in q.items]
            item["feedback"] = self.feedback(q)
            return item
        key = self.value(q.answer, ("answer",))
        if q.type == "true_false":
            if not isinstance(key, bool):
                raise ContentError(f"the answer expression gives {key!r}, not true or false", path=("answer",))
        else:
            if isinstance(key, bool) or not isinstance(key, int | float) or not math.isfinite(key):
                raise ContentError(f"the answer expression gives {key!r}, not a number", path=("answer",))
            if q.bounds is not None:
                low, high = (self.value(b, ("bounds", i)) for i, b in enumerate(q.bounds))
                if not low <= key <= high:
                    raise ContentError(f"the key {render(key)} is outside the question's bounds "
                                       f"[{render(low)}, {render(high)}]", path=("answer",))
        item["key"] = key
        item["feedback"] = self.feedback(q)
        if q.mistakes:
            item["mistakes"] = self.mistakes(q, key)
        return item

    def feedback(self, q: Question) -> dict[str, str]:
        return {k: self.text(v, ("feedback", k)) for k, v in (q.feedback or {}).items()}

    def mistakes(self, q: Question, key: float) -> list[dict[str, Any]]:
        """Each mistake's answer and feedback in this variant; a mistake that gives the key is refused.

        It would tell a reader who made it "Correct": the author keeps such variants out with `where`. Two
        mistakes that give one answer here are both left out of this variant (the reader gets `incorrect`),
        rather than naming one they may not have made: with other figures, two mistakes can meet anywhere.
        """
        values: list[tuple[int, float]] = []
        near = q.tolerance + 1e-9
        for j, mistake in enumerate(q.mistakes):
            value = self.value(mistake.answer, ("mistakes", j, "answer"))
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise ContentError(f"the mistake's answer gives {value!r}, not a number", path=("mistakes", j, "answer"))
            if abs(value - key) <= near:
                raise ContentError(f"this mistake gives {render(value)}, the key: a reader who makes it would be told "
                                   "they are right; keep such variants out with 'where'", path=("mistakes", j, "answer"))
            values.append((j, value))
        found = []
        for j, value in values:
            if any(abs(other - value) <= near for i, other in values if i != j):
                continue
            found.append({"value": value, "feedback": self.text(q.mistakes[j].feedback, ("mistakes", j, "feedback"))})
            self.named.add(j)
        return found


def _assumed(q: Question, rules: Rules) -> dict[str, Place]:
    """The figures a question's `assumes` states in words, to mark after the answer; refused once the rules make it false."""
    if q.assumes is None:
        return {}
    try:
        holds = value_of(q.assumes, rules, {})
    except ExpressionError as exc:
        raise ContentError(f"{exc} ('assumes' reads the rules only, not the parameters)", path=("assumes",)) from None
    if holds is not True:
        raise ContentError(f"the question assumes {q.assumes}, which the rules no longer make true: its words state "
                           "the rule as it was; reword them for the rule as it is, then change 'assumes'", path=("assumes",))
    return {figure_id: "answer" for figure_id in _reads(q.assumes, rules, {})
            if needs_marker(rules.figures[figure_id], "stated in words")}


def _never_named(q: Question, named: set[int]) -> None:
    """Refuse a known mistake that no variant can name: its feedback would never show."""
    for j in range(len(q.mistakes)):
        if j not in named:
            raise ContentError("this mistake is named in no variant (its answer is None, or another mistake's), so its "
                               "feedback never shows",
                               path=("mistakes", j, "answer"))


def _describe(values: Mapping[str, Any]) -> str:
    return ", ".join(f"{name}={render(value)}" for name, value in values.items())


def compile_question(q: Question, rules: Rules) -> dict[str, Any]:
    """One question as a page embeds it; with `params`, its variants under `variants` (the first one also on top).

    Raises:
        ContentError: located inside the question (prefix the question's path).
    """
    base: dict[str, Any] = {"id": q.id, "type": q.type, "section": q.section,
                            "shuffle": q.shuffle if q.shuffle is not None else True}
    if q.type == "numeric":
        base["tolerance"] = q.tolerance
        base["unit"] = q.unit
    assumed = _assumed(q, rules)
    if q.params is None:
        compiler = _Compiler(rules, {})
        compiler.figures.update(assumed)
        item = compiler.question(q)
        _never_named(q, compiler.named)
        return {**base, **item, "figures": _figures(rules, [compiler.figures])}
    params = parse_params(q.params, rules, ("params",))
    reserved = reserved_names(rules)
    for name in q.let or {}:  # in the file's order, as parse_params checks 'params': the first clash is named
        if name in reserved:
            raise ContentError(f"'{name}' cannot name a value of 'let': it must be a new name, not a rule or a function",
                               path=("let", name))
    sets = parameter_sets(params, where=q.where, count=q.variants, question_id=q.id, rules=rules)
    variants = []
    shown = []
    named: set[int] = set()
    let_reads = _let_reads(q, rules)
    reads: dict[str, list[str]] = {}
    for values in sets:
        try:
            compiler = _Compiler(rules, _with_let(q, rules, values), let_reads, reads)
            compiler.figures.update(assumed)
            variant = compiler.question(q)
        except ContentError as exc:
            raise ContentError(f"with {_describe(values)}: {exc.message}", path=exc.path) from None
        variants.append({**variant, "params": values})
        shown.append(compiler.figures)
        named |= compiler.named
    _never_named(q, named)
    return {**base, **{k: v for k, v in variants[0].items() if k != "params"}, "variants": variants,
            "figures": _figures(rules, shown)}


def _figures(rules: Rules, shown: list[dict[str, Place]]) -> list[dict[str, str]]:
    """The markers of a question, once each, over all its variants: after the question where any variant shows it there."""
    places: dict[str, Place] = {}
    for figures in shown:
        for figure_id, place in figures.items():
            if places.get(figure_id) != "question":
                places[figure_id] = place
    return [figure_mark(rules.figures[figure_id], place) for figure_id, place in places.items()]


def compile_quiz(quiz: Quiz, rules: Rules) -> dict[str, Any]:
    """The quiz as a page embeds it: texts filled in, every key (of every variant) computed from the rules."""
    questions = []
    for i, q in enumerate(quiz.questions):
        try:
            item = compile_question(q, rules)
        except ContentError as exc:
            raise at(("questions", i), exc) from None
        if q.shuffle is None:
            item["shuffle"] = quiz.shuffle
        questions.append(item)
    try:
        title = fill(quiz.title, rules, {})
    except ExpressionError as exc:
        raise ContentError(str(exc), path=("title",)) from None
    return {"id": quiz.id, "title": title, "lesson": quiz.lesson, "format": quiz.format, "questions": questions}


# ---------------------------------------------------------------- what a reader with a seed sees


def variant(question: Mapping[str, Any], seed: int | None) -> tuple[int | None, dict[str, Any]]:
    """(variant index or None, the question with that variant's texts and key) for a seed; no seed: the first."""
    variants = question.get("variants")
    if not variants:
        return None, dict(question)
    index = 0 if seed is None else variant_index(seed, question["id"], len(variants))
    chosen = variants[index]
    return index, {**question, **{k: v for k, v in chosen.items() if k in VARYING}}


def start_order(count: int, seed: int, question_id: str) -> list[int]:
    """The order an order question's items start in: shuffled, never already the answer."""
    order = shuffle_order([False] * count, seed, question_id)
    return order[1:] + order[:1] if order == sorted(order) else order


def presented(compiled: Mapping[str, Any], seed: int) -> list[dict[str, Any]]:
    """The questions as the reader with `seed` sees them: variant drawn, options and items in their shown order.

    Each question gains `variant` (index or None); choice options, match items and order
    items are listed in the order the page shows them. The page computes the same.
    """
    shown = []
    for question in compiled["questions"]:
        index, q = variant(question, seed)
        q["variant"] = index
        if q["type"] in ("single", "multiple") and q.get("shuffle", True):
            order = shuffle_order([bool(o.get("pin")) for o in q["options"]], seed, q["id"])
            q["options"] = [q["options"][i] for i in order]
        elif q["type"] == "match" and q.get("shuffle", True):
            q["items"] = [q["items"][i] for i in shuffle_order([False] * len(q["items"]), seed, q["id"])]
        elif q["type"] == "order":
            q["items"] = [q["items"][i] for i in start_order(len(q["items"]), seed, q["id"])]
        shown.append(q)
    return shown


def position_problems(quiz: Quiz, compiled: Mapping[str, Any]) -> list[ContentError]:
    """An unshuffled quiz whose key sits in one position in more than half of its single-choice questions."""
    fixed = [(i, q) for i, q in enumerate(compiled["questions"])
             if q["type"] == "single" and not q.get("shuffle", True)]
    singles = [q for q in compiled["questions"] if q["type"] == "single"]
    if not fixed or len(singles) < 2:  # noqa: PLR2004
        return []
    positions = Counter([o["id"] for o in q["options"]].index(q["key"]) for _, q in fixed)
    position, count = positions.most_common(1)[0]
    if count * 2 <= len(singles):
        return []
    first = next(i for i, q in fixed if [o["id"] for o in q["options"]].index(q["key"]) == position)
    path: Path = ("questions", first) if quiz.shuffle else ("shuffle",)
    return [ContentError(f"options are not shuffled and the key is option {position + 1} in {count} of the quiz's "
                         f"{len(singles)} single-choice questions: answering by position would pass; shuffle the "
                         "options or vary where the key sits", path=path)]


LONGEST_KEY_MIN = 3
"""Single-choice questions a quiz needs before the length of its keys is judged: with two, one is already half."""


def _key_is_longest(question: Mapping[str, Any]) -> bool:
    """Whether the key is the one longest option in most of the question's variants (in itself, without any)."""
    shown = question.get("variants") or [question]
    longest = 0
    for variant in shown:
        lengths = {option["id"]: len(option["text"]) for option in variant.get("options") or question["options"]}
        key = variant.get("key", question.get("key"))
        most = max(lengths.values())
        longest += lengths.get(key) == most and list(lengths.values()).count(most) == 1
    return longest * 2 > len(shown)


def length_problems(compiled: Mapping[str, Any]) -> list[ContentError]:
    """A quiz whose key is the longest option in more than half of its single-choice questions (three or more).

    A reader who always picks the longest option would pass them: writers tend to qualify the right answer
    and leave the others short, so the teaching notes ask that the right option not be systematically the longest.
    """
    singles = [(i, q) for i, q in enumerate(compiled["questions"]) if q["type"] == "single"]
    longest = [(i, q) for i, q in singles if _key_is_longest(q)]
    if len(singles) < LONGEST_KEY_MIN or len(longest) * 2 <= len(singles):
        return []
    ids = ", ".join(str(q["id"]) for _, q in longest)
    return [ContentError(f"the key is the longest option in {len(longest)} of the quiz's {len(singles)} single-choice "
                         f"questions ({ids}): a reader who picks the longest option would pass; shorten those keys or "
                         "give the other options as much to say", path=("questions", longest[0][0]))]


_AFFIRMS = re.compile(r"^(Right|Correct|Yes)\b[:,.!]")
_DENIES = re.compile(r"^(No|Wrong|Incorrect|Not quite)\b[:,.!]")
"""Feedback that opens with a verdict: a reader takes it at its word, so it must agree with the key."""


def _said(feedback: Mapping[str, Any], right: Iterable[str], wrong: Iterable[str]) -> list[str]:
    """Where feedback contradicts the key: `right` names the answers the key accepts, `wrong` the others."""
    found = [f"the feedback for {answer!r} opens with {_opening(feedback[answer])!r}, but the key accepts {answer!r}"
             for answer in right if _DENIES.match(str(feedback.get(answer, "")))]
    found += [f"the feedback for {answer!r} opens with {_opening(feedback[answer])!r}, but the key rejects {answer!r}"
              for answer in wrong if _AFFIRMS.match(str(feedback.get(answer, "")))]
    return found


def _opening(text: str, words: int = 6) -> str:
    """The first words of a feedback, enough to find it."""
    head = text.split()
    return " ".join(head[:words]) + (" ..." if len(head) > words else "")


def _verdicts(question: Mapping[str, Any], shown: Mapping[str, Any]) -> list[str]:
    """What in one variant (`shown`) of `question` opens with a verdict its key contradicts."""
    key = shown.get("key", question.get("key"))
    kind = question["type"]
    if kind == "true_false":
        return _said(shown.get("feedback") or question["feedback"], [str(key).lower()], [str(not key).lower()])
    if kind == "single":
        options = shown.get("options") or question["options"]
        feedback = {option["id"]: option.get("feedback", "") for option in options}
        return _said(feedback, [key], [option["id"] for option in options if option["id"] != key])
    given = shown.get("feedback") or question.get("feedback")
    found = (_said(given, ["correct"], ["incorrect"])
             if isinstance(given, Mapping) and {"correct", "incorrect"} <= given.keys() else [])
    mistakes = shown.get("mistakes") or question.get("mistakes") or []
    named = {f"mistake {j + 1}": mistake["feedback"] for j, mistake in enumerate(mistakes)}
    return found + _said(named, [], named)


def verdict_problems(compiled: Mapping[str, Any]) -> list[ContentError]:
    """Feedback that opens with "Right" for an answer the key marks wrong, or "No" for the keyed one.

    Feedback is often written as an expression of the rules (`'Right' if rank <= boost.top_slots else 'No'`)
    while the key comes from a domain function: when a rule changes, the two can part ways, and the reader
    is told "Right" for the wrong answer. Checked in every variant, under whatever rules the course has.
    """
    problems = []
    for index, question in enumerate(compiled["questions"]):
        variants = question.get("variants")
        first = next(((number, message) for number, shown in enumerate(variants or [question])
                      for message in _verdicts(question, shown)), None)  # one message per question: its first variant
        if first is not None:
            number, message = first
            where = f" (variant {number + 1})" if variants else ""
            problems.append(ContentError(f"question {question['id']!r}{where}: {message}; let the feedback's verdict "
                                         "follow the key (the same expression of the rules)", path=("questions", index)))
    return problems


def fixed_true_false(compiled: Mapping[str, Any]) -> list[tuple[int, bool]]:
    """(index, key) of a compiled quiz's true/false questions whose key never changes.

    Those without variants, and those whose variants all share one key: varying the numbers of a
    statement that is always false hides nothing from a reader who always answers "false".
    """
    fixed = []
    for i, question in enumerate(compiled["questions"]):
        if question["type"] != "true_false":
            continue
        keys = {shown["key"] for shown in question.get("variants") or [question]}
        if len(keys) == 1:
            fixed.append((i, keys.pop()))
    return fixed


TRUE_FALSE_SHARE = 0.7
"""A quiz, or the course, fails when one key holds more than this share of its fixed true/false questions..."""
TRUE_FALSE_MIN = 4
"""...and it has at least this many: with 3, two of one key are already 67%."""


def true_false_key_problems(compiled_quizzes: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, ContentError]]:
    """(quiz id, problem) where a quiz's fixed true/false questions all share one key, or most of the course's do.

    A reader who noticed that "false" always wins would pass them without reading. Checked per quiz (a quiz
    with several is answered in one sitting) and over the course (one reader takes every quiz, and a lesson
    quiz may hold a single one). A question is fixed when its key is the same in every variant.
    """
    problems = [found for quiz_id, compiled in compiled_quizzes.items()
                if (found := _quiz_true_false(quiz_id, compiled)) is not None]
    course = _course_true_false(compiled_quizzes, {quiz_id for quiz_id, _ in problems})
    return problems if course is None else [*problems, course]


def _true_false_id(compiled: Mapping[str, Any], index: int) -> str:
    """A question's id, saying so when it has variants: an author may not think of it as fixed."""
    question = compiled["questions"][index]
    return str(question["id"]) + (" (the same key in every variant)" if question.get("variants") else "")


_Item = TypeVar("_Item")


def _leaning(fixed: Sequence[tuple[_Item, bool]]) -> tuple[bool, list[_Item]] | None:
    """The key that holds more than `TRUE_FALSE_SHARE` of `fixed` (`TRUE_FALSE_MIN` or more), and what it keys."""
    if len(fixed) < TRUE_FALSE_MIN:
        return None
    key, most = Counter(key for _, key in fixed).most_common(1)[0]
    if most <= TRUE_FALSE_SHARE * len(fixed):
        return None
    return key, [item for item, k in fixed if k is key]


def _quiz_true_false(quiz_id: str, compiled: Mapping[str, Any]) -> tuple[str, ContentError] | None:
    """The quiz's problem when one key holds its fixed true/false questions.

    All of them (two or more), or more than 70% (four or more: "false" four times in five is a cue too).
    """
    fixed = fixed_true_false(compiled)
    if len(fixed) < 2:  # noqa: PLR2004
        return None
    if len({key for _, key in fixed}) == 1:
        answer = str(fixed[0][1]).lower()
        ids = ", ".join(_true_false_id(compiled, i) for i, _ in fixed)
        return quiz_id, ContentError(
            f"all {len(fixed)} true/false questions with a fixed key in this quiz ({ids}) are keyed {answer}: a reader "
            f"who always answers {answer} passes them; write some of them as statements with the other answer",
            path=("questions", fixed[0][0]))
    leaning = _leaning(fixed)
    if leaning is None:
        return None
    key, keyed = leaning
    most, answer = len(keyed), str(key).lower()
    ids = ", ".join(_true_false_id(compiled, i) for i in keyed)
    return quiz_id, ContentError(
        f"{most} of the {len(fixed)} true/false questions with a fixed key in this quiz are keyed {answer} ({ids}), "
        f"more than {TRUE_FALSE_SHARE:.0%}: a reader who always answers {answer} passes most of them; write some of "
        "them as statements with the other answer", path=("questions", keyed[0]))


def _course_true_false(compiled_quizzes: Mapping[str, Mapping[str, Any]],
                       reported: set[str]) -> tuple[str, ContentError] | None:
    """The course's problem when one key holds more than 70% of its fixed true/false questions (four or more).

    Not when every one of them is in a quiz already reported: fixing those quizzes is the fix.
    """
    course = [((quiz_id, i), key) for quiz_id, compiled in compiled_quizzes.items() for i, key in fixed_true_false(compiled)]
    leaning = _leaning(course)
    if leaning is None or {quiz_id for (quiz_id, _), _ in course} <= reported:
        return None
    key, keyed = leaning
    most, answer = len(keyed), str(key).lower()
    ids = ", ".join(f"{quiz_id}:{_true_false_id(compiled_quizzes[quiz_id], i)}" for quiz_id, i in keyed)
    return keyed[0][0], ContentError(
        f"{most} of the course's {len(course)} true/false questions with a fixed key are keyed {answer} ({ids}), "
        f"more than {TRUE_FALSE_SHARE:.0%}: a reader who always answers {answer} passes most of them; write "
        "some of them as statements with the other answer", path=("questions", keyed[0][1]))


COUNT_NOUNS: tuple[tuple[str, str], ...] = (
    ("Connect", "Connects"), ("proposal", "proposals"), ("boost", "boosts"), ("bid", "bids"), ("day", "days"),
    ("week", "weeks"), ("month", "months"), ("year", "years"), ("hour", "hours"), ("minute", "minutes"),
    ("second", "seconds"), ("billing cycle", "billing cycles"), ("cycle", "cycles"), ("batch", "batches"),
    ("bundle", "bundles"), ("job", "jobs"), ("job post", "job posts"), ("post", "posts"), ("client", "clients"),
    ("freelancer", "freelancers"), ("slot", "slots"), ("top slot", "top slots"), ("refill", "refills"),
    ("section", "sections"), ("percentage point", "percentage points"), ("point", "points"),
    ("interview", "interviews"), ("time", "times"), ("contract", "contracts"), ("hint", "hints"), ("check", "checks"),
    ("hire", "hires"), ("invite", "invites"), ("invitation", "invitations"), ("skill", "skills"),
    ("question", "questions"), ("lesson", "lessons"), ("exercise", "exercises"), ("quiz", "quizzes"),
    ("attempt", "attempts"), ("credit", "credits"), ("dollar", "dollars"), ("cent", "cents"), ("reply", "replies"),
    ("message", "messages"), ("view", "views"), ("step", "steps"), ("option", "options"), ("answer", "answers"),
)
"""The nouns the course counts, singular and plural (`count` gives the same plurals): `quizkit check` reads
the number before each."""
COUNT_HEADS: tuple[tuple[str, str], ...] = (
    ("auction", "auctions"), ("window", "windows"), ("period", "periods"), ("limit", "limits"), ("test", "tests"),
    ("pack", "packs"), ("fee", "fees"), ("price", "prices"), ("cap", "caps"), ("trial", "trials"),
    ("plan", "plans"), ("budget", "budgets"),
)
"""Nouns that, besides the counted ones, a count may describe: `a 7-day auction`, `3 Connect bundles`."""
COUNT_ADJECTIVES = ("more", "other", "free", "extra", "bought", "new", "planned", "spare", "unused", "required",
                    "boosted", "additional", "remaining")
"""One of these may stand between a number and its noun: `1 more Connect`, `2 other proposals`."""
NOT_A_COUNT_AFTER = ("version", "lesson", "step", "question", "day", "week", "month", "level", "chapter", "part",
                     "section", "exercise", "quiz", "page", "figure", "table", "item", "option", "number", "no.",
                     "round", "tier", "line")
"""A number after one of these names something (`version 1 proposals`, `day 1 Connects`): it counts nothing."""


def _words(words: Iterable[str]) -> str:
    """A regex alternation of `words`, longest first, any whitespace (a no-break space too) between their parts."""
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in sorted(words, key=len, reverse=True))


_COUNTED = re.compile(
    r"(?<![\w$.,/#-])[*_]{0,3}(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)[*_]{0,3}\s+"
    rf"(?:(?P<adjective>{_words(COUNT_ADJECTIVES)})\s+)?(?P<noun>{_words(w for pair in COUNT_NOUNS for w in pair)})"
    r"(?![\w-])", re.IGNORECASE)
_NEXT_NOUN = re.compile(rf"\s+(?P<noun>{_words(w for pair in COUNT_NOUNS + COUNT_HEADS for w in pair)})(?![\w-])",
                        re.IGNORECASE)
_NAMING = re.compile(rf"\b(?:{_words(NOT_A_COUNT_AFTER)})\s*[*_]{{0,3}}$", re.IGNORECASE)
_SINGULAR_OF = {word.lower(): singular for singular, plural in COUNT_NOUNS + COUNT_HEADS for word in (singular, plural)}
_PLURALS = {plural.lower() for _, plural in COUNT_NOUNS + COUNT_HEADS}


@dataclass(frozen=True, kw_only=True)
class Miscount:
    """A number whose noun does not agree with it, in a text."""

    phrase: str
    """As written, its whitespace made plain spaces: `1 days`, `**1** more Connects`, `7 day auction`."""
    number: float
    written: str
    """The number as written: `1,000`."""
    noun: str
    """The singular to count with, with its adjective: `day`, `more Connect`."""
    line: int
    """1-based line of the text it starts on."""
    head: str = ""
    """The noun a count with a singular noun describes (`auction` in `a 7 day auction`); empty for a plain count."""

    def right(self) -> str:
        """The count as it should read, its number as written: `1,000 Connects`."""
        return f"{self.written} {with_noun(self.number, self.noun).split(' ', 1)[1]}"

    def advice(self) -> str:
        """What a writer of prose should write instead."""
        if self.head:
            article = "an" if self.head[0].lower() in "aeiou" else "a"
            return (f"'{self.phrase}' reads wrongly: a count that describes a noun is hyphenated, "
                    f"'{self.written}-{self.noun} {self.head}', or say it the other way round, "
                    f"'{article} {self.head} of {self.right()}'")
        return (f"'{self.phrase}' reads wrongly: write '{self.right()}', or "
                f"{{{{ count(n, '{self.noun}') }}}} where an expression gives the number")


def miscounts(text: str) -> list[Miscount]:
    """The counts in `text` whose noun does not agree with the number: `1 days`, `0 day`, `3 Connect`, `1 more Connects`.

    Case, Markdown emphasis (`**1** days`) and the kind of space do not hide one. Only exactly 1 is singular
    (`0.5 days`, `1.5 days`; `1.0 day`, as `count` writes it). A number after a naming word (`version 1
    proposals`) counts nothing; a singular noun before a plural one is a noun adjunct (`3 Connect bundles`).
    """
    text = text.replace("&nbsp;", "\xa0")
    return [found for match in _COUNTED.finditer(text)
            if not _NAMING.search(text, max(0, match.start() - 20), match.start())
            and (found := _miscount(text, match)) is not None]


def _plain(words: str) -> str:
    return " ".join(words.split())


def _miscount(text: str, match: re.Match[str]) -> Miscount | None:
    """The count `match` found, when its noun does not agree with its number.

    A singular noun after another number is fine before a plural noun (`3 Connect bundles`: the count
    is of bundles); before a singular one (`a 7 day auction`) it is a compound that wants its hyphen.
    """
    number = float(match["number"].replace(",", ""))
    noun = _plain(match["noun"]).lower()
    head = None if number == 1 or noun in _PLURALS else _NEXT_NOUN.match(text, match.end())
    if (number == 1) != (noun in _PLURALS) or (head and _plain(head["noun"]).lower() in _PLURALS):
        return None
    if number != 1 and _in_a_sum(text, match):
        return None
    return Miscount(phrase=_plain(match[0] + (head[0] if head else "")), number=number, written=match["number"],
                    noun=_plain(f"{match['adjective'] or ''} {_SINGULAR_OF[noun]}"),
                    line=text.count("\n", 0, match.start()) + 1, head=_plain(head["noun"]) if head else "")


_SUM_SIGN = "[+=\u00d7\u00f7\u2212]"
"""Plus, equals, times, divided by, minus: not a hyphen or a dash, which start list items and join ranges."""
_OPERATOR_BEFORE = re.compile(_SUM_SIGN + r"\s*$")
_OPERATOR_AFTER = re.compile(r"\s*" + _SUM_SIGN)


def _in_a_sum(text: str, match: re.Match[str]) -> bool:
    """Whether the count is a term of a written sum, `15 required + 7 bid = 22 Connects`: its noun is a label."""
    return bool(_OPERATOR_BEFORE.search(text, max(0, match.start() - 5), match.start())
                or _OPERATOR_AFTER.match(text, match.end()))


def miscounted(text: str) -> list[str]:
    """The phrases of `miscounts`: what an author reads."""
    return [found.phrase for found in miscounts(text)]


def prose_count_problems(text: str) -> list[tuple[int, str]]:
    """(line, message) of the counts that do not agree in prose with its expressions filled in: a page, a prompt.

    Lessons, prompts, hints and messages are read by many who read English as a second language:
    `1 Connects` costs them a second look, as it does in a quiz.
    """
    return [(found.line, found.advice()) for found in miscounts(text)]


def question_texts(question: object) -> list[tuple[Path, str]]:
    """(path inside the question, text) of everything a reader sees: stem, explanation, options, items, feedback.

    For a question as written (`quizkit check` reads it before it compiles, so any part may be malformed:
    what is not text is left out) and for one compiled variant alike.
    """
    if not isinstance(question, Mapping):
        return []
    texts: list[tuple[Path, object]] = [(("text",), question.get("text")), (("explanation",), question.get("explanation"))]
    for part, keys in ENTRY_TEXTS.items():
        entries = question.get(part)
        for j, entry in enumerate(entries if isinstance(entries, list) else ()):
            if isinstance(entry, Mapping):
                texts += [((part, j, key), entry.get(key)) for key in keys]
    feedback = question.get("feedback")
    texts += [(("feedback", key), text) for key, text in (feedback.items() if isinstance(feedback, Mapping) else ())]
    return [(where, text) for where, text in texts if isinstance(text, str) and text]


def _quiz_advice(found: Miscount, shown: Mapping[str, Any]) -> str:
    """What the author of a question should write: a count from a parameter needs `count`."""
    if found.head:
        return found.advice()
    values = f" (with {_describe(shown['params'])})" if "params" in shown else ""
    return (f"'{found.phrase}' reads wrongly{values}: write the count as {{{{ count(n, '{found.noun}') }}}}, which "
            "gives 1 the singular and other numbers the plural, or keep such values out with 'where'")


def count_problems(compiled: Mapping[str, Any]) -> list[ContentError]:
    """Texts of any variant that count wrongly (`1 days`, `0 day`): write the count as `{{ count(n, "day") }}`.

    Many readers read English as a second language; `1 Connects` costs them a second look. One problem per
    text, with the first variant that shows it.
    """
    problems = []
    for i, question in enumerate(compiled["questions"]):
        seen: set[Path] = set()
        for shown in question.get("variants") or [question]:
            for where, text in question_texts(shown):
                wrong = miscounts(text)
                if wrong and where not in seen:
                    seen.add(where)
                    problems.append(ContentError(_quiz_advice(wrong[0], shown), path=("questions", i, *where)))
    return problems


# ---------------------------------------------------------------- grading attempts


@dataclass(frozen=True, kw_only=True)
class QuestionResult:
    """How one answer fared."""

    id: str
    answered: bool
    correct: bool
    feedback: str
    explanation: str
    section: str
    variant: int | None = None


@dataclass(frozen=True, kw_only=True)
class QuizResult:
    """An attempt's score with per-question feedback."""

    quiz: str
    score: int
    total: int
    questions: tuple[QuestionResult, ...]

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON."""
        data = asdict(self)
        data["questions"] = list(data["questions"])
        return data


_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
"""What a typed number may look like, as the page reads it (quiz.js NUMBER)."""
_UNITS = re.compile(r"^(?:US)?\$\s*|^USD\s*|\s*(?:US\$|USD|\$|dollars?|connects?|%)$", re.IGNORECASE)
"""A currency sign or unit a reader may type around the number: `$13.50`, `USD 13.50`, `120 Connects`."""
_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d*)?")
"""Commas that group thousands (`1,200.50`)."""
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d{1,2}")
"""One comma before one or two digits is a decimal comma (`13,50`): a phone's decimal key in many languages types it.
Three digits after it (`1,500`) group thousands, and any other comma is not read."""


_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$", re.IGNORECASE)
"""A whole number written as an ordinal (`1st`, `29th`): the stems of day questions say days that way."""


def _unit_words(unit: str) -> re.Pattern[str] | None:
    """The question's own unit typed after the number: `20 days` or `1 day` for "days", `2 proposals`.

    The whole unit (`day of the month`) or its first word, singular or plural. quiz.js `unitWords` is the same.
    """
    words = unit.strip().lower().split()
    if not words:
        return None
    stem = words[0].removesuffix("s")
    return re.compile(rf"\s*(?:{re.escape(' '.join(words))}|{re.escape(stem)}s?)$", re.IGNORECASE)


def _number(answer: object, unit: str = "") -> float | None:
    """A numeric answer as a finite number, or None: the page's `toNumber` (quiz.js) reads text the same way.

    Besides a currency sign or "Connects", the question's own unit may follow the number, and a whole
    number may be an ordinal (`1st`).
    """
    if isinstance(answer, bool):
        return None
    if isinstance(answer, int | float):
        return float(answer) if math.isfinite(answer) else None
    if isinstance(answer, str):
        text = _UNITS.sub("", answer.strip())
        words = _unit_words(unit)
        if words is not None:
            text = words.sub("", text)
        text = _ORDINAL.sub(r"\1", text)
        if _DECIMAL_COMMA.fullmatch(text):
            text = text.replace(",", ".")
        elif "," in text:
            if not _GROUPED.fullmatch(text):
                return None
            text = text.replace(",", "")
        if not _NUMBER.fullmatch(text):
            return None
        value = float(text)
        return value if math.isfinite(value) else None
    return None


def _notes(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _judge(question: Mapping[str, Any], answer: object) -> tuple[bool, bool, str]:  # noqa: PLR0911 - one return per type
    """(answered, correct, feedback) for one answer; odd answers count as not answered."""
    kind, key = question["type"], question["key"]
    feedback: Mapping[str, str] = question.get("feedback", {})
    if kind == "single":
        options = {o["id"]: o for o in question["options"]}
        if not isinstance(answer, str) or answer not in options:
            return False, False, ""
        return True, answer == key, options[answer]["feedback"]
    if kind == "multiple":
        options = {o["id"]: o for o in question["options"]}
        if not isinstance(answer, list) or not answer or not all(isinstance(a, str) and a in options for a in answer):
            return False, False, ""
        chosen = sorted(set(answer), key=[o["id"] for o in question["options"]].index)
        notes = [options[a]["feedback"] for a in chosen if options[a]["feedback"]]
        return True, set(chosen) == set(key), " ".join(notes)
    if kind == "true_false":
        if not isinstance(answer, bool):
            return False, False, ""
        return True, answer is key, feedback.get(str(answer).lower(), "")
    if kind == "match":
        choices = {c["id"] for c in question["choices"]}
        items = question["items"]
        if (not isinstance(answer, dict) or not answer
                or not all(a in key and isinstance(c, str) and c in choices for a, c in answer.items())):
            return False, False, ""
        wrong = [it for it in items if answer.get(it["id"]) != key[it["id"]]]
        if not wrong:
            return True, True, feedback.get("correct", "")
        count = f"{len(items) - len(wrong)} of {len(items)} matched rightly."
        return True, False, _notes(count, *(it["feedback"] for it in wrong), feedback.get("incorrect", ""))
    if kind == "order":
        if not isinstance(answer, list) or not all(isinstance(a, str) for a in answer) or sorted(answer) != sorted(key):
            return False, False, ""
        placed = sum(a == k for a, k in zip(answer, key, strict=True))
        if placed == len(key):
            return True, True, feedback.get("correct", "")
        return True, False, _notes(f"{placed} of {len(key)} in the right place.", feedback.get("incorrect", ""))
    value = _number(answer, question.get("unit", ""))
    if value is None:
        return False, False, ""
    near = question.get("tolerance", 0) + 1e-9
    if abs(value - key) <= near:
        return True, True, feedback.get("correct", "")
    named = next((m["feedback"] for m in question.get("mistakes", ()) if abs(value - m["value"]) <= near), None)
    return True, False, feedback.get("incorrect", "") if named is None else named


def grade_attempt(compiled: Mapping[str, Any], answers: Mapping[str, Any], *, seed: int | None = None) -> QuizResult:
    """Score `answers` (question id -> answer) against a compiled quiz; never raises on odd answers.

    `seed` decides which variant of a parameterised question was asked (None: the first);
    the order options were shown in does not matter, answers name option ids.
    """
    results = []
    for question in compiled["questions"]:
        index, asked = variant(question, seed)
        answered, correct, feedback = _judge(asked, answers.get(question["id"]) if isinstance(answers, dict) else None)
        results.append(QuestionResult(id=question["id"], answered=answered, correct=correct, feedback=feedback,
                                      explanation=asked["explanation"], section=question["section"], variant=index))
    return QuizResult(quiz=compiled["id"], score=sum(r.correct for r in results), total=len(results), questions=tuple(results))


def key_problems(quiz: Quiz, rules: Rules) -> list[ContentError]:
    """Literal keys that write a plan figure by hand or contradict the rules."""
    problems = []
    numbers = {fid: fig for fid, fig in rules.figures.items() if fig.is_number}
    for i, q in enumerate(quiz.questions):
        path: Path = ("questions", i, "answer")
        if q.about and q.about not in rules.figures:
            problems.append(ContentError(f"'about' names unknown rule '{q.about}'", path=("questions", i, "about")))
            continue
        if q.type != "numeric" or _is_expr(q.answer):
            continue
        if q.about and rules.figures[q.about].is_number and not math.isclose(q.answer, rules.value(q.about)):
            problems.append(ContentError(
                f"literal key {q.answer} contradicts rule {q.about} = {render(rules.value(q.about))}; "
                f"write it as {{expr: {q.about}}}", path=path))
            continue
        for fid, fig in numbers.items():
            if q.answer == fig.value and q.answer not in (0, 1):
                problems.append(ContentError(
                    f"literal key {q.answer} is the plan figure {fid}; write it as {{expr: {fid}}} so it follows the rules",
                    path=path))
                break
            old = [h for h in fig.history if h.value == q.answer and h.value != fig.value]
            if old and q.answer not in (0, 1):
                problems.append(ContentError(
                    f"literal key {q.answer} is the former value of {fid} ({old[0].when}); the rules now say "
                    f"{render(fig.value)}", path=path))
                break
    return problems
