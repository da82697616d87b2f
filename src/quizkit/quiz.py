# Quizzes: questions as data, keys computed from the rules, attempts graded here.
"""Quizzes in four types: single choice, multiple choice, true/false, numeric.

A key may be written as a literal or as a rule expression (`{expr: ...}`); texts may
hold `{{ expressions }}`. `compile_quiz` evaluates all of them against the rules,
giving the data a page embeds; `grade_attempt` scores answers against it, the same
way the page does, so the two can be compared.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

from quizkit import fields
from quizkit.errors import ContentError
from quizkit.expressions import ExpressionError, evaluate, render, substitute

if TYPE_CHECKING:
    from collections.abc import Mapping

    from quizkit.errors import Path
    from quizkit.model import Rules

QuestionType = Literal["single", "multiple", "true_false", "numeric"]
QUESTION_TYPES: tuple[str, ...] = ("single", "multiple", "true_false", "numeric")
_QUIZ_FIELDS = ("id", "title", "lesson", "format", "questions")
_QUESTION_FIELDS = ("id", "type", "text", "options", "answer", "tolerance", "unit", "explanation", "section",
                    "about", "feedback")
_OPTION_FIELDS = ("id", "text", "correct", "feedback")


@dataclass(frozen=True, kw_only=True)
class Option:
    """A choice of a single- or multiple-choice question, as authored."""

    id: str
    text: str
    correct: Any
    """True/False, or `{"expr": ...}` computed from the rules."""
    feedback: str = ""


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
    feedback: Mapping[str, str] | None = None
    """true_false: feedback per answer (`"true"`, `"false"`); numeric: `correct` / `incorrect`."""


@dataclass(frozen=True, kw_only=True)
class Quiz:
    """A quiz as authored."""

    id: str
    title: str
    lesson: str
    questions: tuple[Question, ...]
    format: Literal["text", "markdown"] = "text"

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
                   lesson=fields.required(root, "lesson", str, ()), questions=questions, format=fmt)  # type: ignore[arg-type]


def _is_expr(value: object) -> bool:
    return isinstance(value, dict) and set(value) == {"expr"} and isinstance(value["expr"], str)


def _question(raw: object, path: Path) -> Question:
    data = fields.mapping(raw, path)
    fields.only(data, _QUESTION_FIELDS, path)
    kind = fields.required(data, "type", str, path)
    if kind not in QUESTION_TYPES:
        raise ContentError(f"unknown question type '{kind}' (types: {', '.join(QUESTION_TYPES)})", path=(*path, "type"))
    options: list[Option] = []
    if kind in ("single", "multiple"):
        for i, raw_option in enumerate(fields.required(data, "options", list, path)):
            opath = (*path, "options", i)
            odata = fields.mapping(raw_option, opath)
            fields.only(odata, _OPTION_FIELDS, opath)
            correct = odata.get("correct", False)
            if not isinstance(correct, bool) and not _is_expr(correct):
                raise ContentError("'correct' must be true, false or {expr: ...}", path=(*opath, "correct"))
            options.append(Option(id=str(odata.get("id", chr(ord("a") + i))), text=fields.required(odata, "text", str, opath),
                                  correct=correct, feedback=fields.optional(odata, "feedback", str, opath, "")))
        if len(options) < 2:  # noqa: PLR2004
            raise ContentError("a choice question needs at least two options", path=(*path, "options"))
    elif "options" in data:
        raise ContentError(f"a {kind} question has no options", path=(*path, "options"))
    answer = data.get("answer")
    if kind in ("true_false", "numeric"):
        literal = bool if kind == "true_false" else (int, float)
        if answer is None or not (_is_expr(answer) or fields._matches(answer, literal)):  # noqa: SLF001
            expected = "true or false" if kind == "true_false" else "a number"
            raise ContentError(f"'answer' must be {expected} or {{expr: ...}}", path=(*path, "answer"))
    elif answer is not None:
        raise ContentError("choice questions mark options 'correct' instead of an 'answer'", path=(*path, "answer"))
    tolerance = fields.optional(data, "tolerance", (int, float), path, 0)
    if tolerance < 0:
        raise ContentError("'tolerance' cannot be negative", path=(*path, "tolerance"))
    feedback = fields.optional(data, "feedback", dict, path, None)  # type: ignore[arg-type]
    return Question(
        id=fields.identifier(data, "id", path), type=kind, text=fields.required(data, "text", str, path),  # type: ignore[arg-type]
        explanation=fields.required(data, "explanation", str, path).strip(),
        section=fields.required(data, "section", str, path), options=tuple(options), answer=answer,
        tolerance=float(tolerance), unit=fields.optional(data, "unit", str, path, ""),
        about=fields.optional(data, "about", str, path, ""), feedback=feedback,
    )


# ---------------------------------------------------------------- compiling keys


def _value(value: Any, rules: Rules, path: Path) -> Any:
    if not _is_expr(value):
        return value
    try:
        return evaluate(value["expr"], rules)
    except ExpressionError as exc:
        raise ContentError(str(exc), path=path) from None


def _text(text: str, rules: Rules, path: Path) -> str:
    try:
        return substitute(text, rules)
    except ExpressionError as exc:
        raise ContentError(str(exc), path=path) from None


def compile_quiz(quiz: Quiz, rules: Rules) -> dict[str, Any]:
    """The quiz as a page embeds it: texts filled in, every key computed from the rules."""
    questions = []
    for i, q in enumerate(quiz.questions):
        path: Path = ("questions", i)
        item: dict[str, Any] = {
            "id": q.id, "type": q.type, "text": _text(q.text, rules, (*path, "text")),
            "explanation": _text(q.explanation, rules, (*path, "explanation")), "section": q.section,
        }
        if q.type in ("single", "multiple"):
            item["options"] = [
                {"id": o.id, "text": _text(o.text, rules, (*path, "options", j, "text")),
                 "feedback": _text(o.feedback, rules, (*path, "options", j, "feedback"))}
                for j, o in enumerate(q.options)
            ]
            marks = [bool(_value(o.correct, rules, (*path, "options", j, "correct"))) for j, o in enumerate(q.options)]
            correct = [o.id for o, mark in zip(q.options, marks, strict=True) if mark]
            if q.type == "single" and len(correct) != 1:
                raise ContentError(f"a single-choice question needs exactly one correct option, found {len(correct)}", path=path)
            if q.type == "multiple" and not correct:
                raise ContentError("a multiple-choice question needs at least one correct option", path=path)
            item["key"] = correct[0] if q.type == "single" else correct
        else:
            key = _value(q.answer, rules, (*path, "answer"))
            if q.type == "true_false":
                if not isinstance(key, bool):
                    raise ContentError(f"the answer expression gives {key!r}, not true or false", path=(*path, "answer"))
                item["key"] = key
            else:
                if isinstance(key, bool) or not isinstance(key, int | float):
                    raise ContentError(f"the answer expression gives {key!r}, not a number", path=(*path, "answer"))
                item["key"] = key
                item["tolerance"] = q.tolerance
                item["unit"] = q.unit
            item["feedback"] = {k: _text(v, rules, (*path, "feedback", k)) for k, v in (q.feedback or {}).items()}
        questions.append(item)
    return {"id": quiz.id, "title": _text(quiz.title, rules, ("title",)), "lesson": quiz.lesson, "format": quiz.format,
            "questions": questions}


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


def _number(answer: object) -> float | None:
    if isinstance(answer, bool):
        return None
    if isinstance(answer, int | float):
        return float(answer) if math.isfinite(answer) else None
    if isinstance(answer, str):
        try:
            value = float(answer.strip().replace(",", ""))
        except ValueError:
            return None
        return value if math.isfinite(value) else None
    return None


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
    value = _number(answer)
    if value is None:
        return False, False, ""
    correct = abs(value - key) <= question.get("tolerance", 0) + 1e-9
    return True, correct, feedback.get("correct" if correct else "incorrect", "")


def grade_attempt(compiled: Mapping[str, Any], answers: Mapping[str, Any]) -> QuizResult:
    """Score `answers` (question id -> answer) against a compiled quiz; never raises on odd answers."""
    results = []
    for question in compiled["questions"]:
        answered, correct, feedback = _judge(question, answers.get(question["id"]) if isinstance(answers, dict) else None)
        results.append(QuestionResult(id=question["id"], answered=answered, correct=correct, feedback=feedback,
                                      explanation=question["explanation"], section=question["section"]))
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
