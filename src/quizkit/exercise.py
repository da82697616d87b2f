# Exercises as data: prompt, starter, solution, checks, hints and known-wrong attempts.
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from quizkit import fields
from quizkit.errors import ContentError
from quizkit.references import REFERENCES

if TYPE_CHECKING:
    from collections.abc import Mapping

    from quizkit.errors import Path

LESSONS = ("plans", "spending", "visibility", "profile")
"""The four lesson areas an exercise can belong to."""

CheckKind = Literal["defines", "function", "output_contains", "reads_rules"]
CHECK_KINDS: tuple[str, ...] = ("defines", "function", "output_contains", "reads_rules")
_CHECK_FIELDS = ("id", "kind", "name", "function", "reference", "cases", "generated", "seed", "text", "figures", "changed",
                 "message")
_EXERCISE_FIELDS = ("id", "title", "lesson", "prompt", "starter", "solution", "hints", "checks", "wrong",
                    "timeout_s", "solution_after_failures")


@dataclass(frozen=True, kw_only=True)
class Check:
    """One check of an exercise; its kind decides which fields matter."""

    id: str
    kind: CheckKind
    name: str = ""
    """`defines`: the name the learner must define."""
    function: str = ""
    """`function`: the learner function to call."""
    reference: str = ""
    """`function`: the entry of `quizkit.references.REFERENCES` it must agree with."""
    cases: tuple[tuple[Any, ...], ...] = ()
    """`function`: fixed argument lists, as written in YAML."""
    generated: int = 0
    """`function`: how many seeded random cases to add."""
    seed: int = 0
    text: str = ""
    """`output_contains`: text the output must contain (may hold `{{ rule expressions }}`)."""
    figures: tuple[str, ...] = ()
    """`reads_rules`: figure ids whose values must not be typed as literals; of those that are lists or yes/no,
    the code must read at least one by name."""
    changed: tuple[tuple[str, Any], ...] = ()
    """`reads_rules`: figures given other values, under which the exercise's function checks run again and must
    give the answers of those rules: code that types today's figures gives today's answers instead."""
    message: str = ""
    """Optional message on failure; `{call}`, `{actual}` and `{expected}` are filled in (and `{changed}`, the
    other figures, in a `reads_rules` check's run under them)."""


@dataclass(frozen=True, kw_only=True)
class WrongAttempt:
    """A known-wrong attempt: code that must fail `fails`, and what it teaches."""

    file: str
    source: str
    fails: str
    """Id of the check it must fail."""
    message: str
    """The misconception message the learner sees when their code behaves like this."""


@dataclass(frozen=True, kw_only=True)
class Exercise:
    """An exercise with everything the grader and the page need."""

    id: str
    title: str
    lesson: str
    prompt: str
    starter: str
    solution: str
    hints: tuple[str, ...]
    checks: tuple[Check, ...]
    wrong: tuple[WrongAttempt, ...] = ()
    timeout_s: float = 3.0
    solution_after_failures: int = 3
    """Failed Checks after which the Solution button is offered (it is always offered once passed)."""
    source_dir: str = ""

    def check(self, check_id: str) -> Check:
        """The check with this id."""
        for check in self.checks:
            if check.id == check_id:
                return check
        raise KeyError(check_id)

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON; `Exercise.from_data` reads it back (files already inlined)."""
        return {
            "id": self.id, "title": self.title, "lesson": self.lesson, "prompt": self.prompt,
            "starter": self.starter, "solution": self.solution, "hints": list(self.hints),
            "timeout_s": self.timeout_s, "solution_after_failures": self.solution_after_failures,
            "checks": [_check_data(c) for c in self.checks],
            "wrong": [{"file": w.file, "source": w.source, "fails": w.fails, "message": w.message} for w in self.wrong],
        }

    @classmethod
    def from_data(cls, data: object, files: Mapping[str, str] | None = None, source_dir: str = "") -> Exercise:
        """Validate plain data into an exercise.

        `prompt`, `starter`, `solution` and each wrong attempt's `file` name files;
        `files` maps those names to their text. Without `files` the data must carry
        the text inline (as `to_data` writes it).
        """
        root = fields.mapping(data, ())
        fields.only(root, _EXERCISE_FIELDS, ())

        def text(key: str, path: Path) -> str:
            value = fields.required(root, key, str, ())
            if files is None:
                return value
            if value not in files:
                raise ContentError(f"file '{value}' not found beside the exercise", path=path)
            return files[value]

        checks = tuple(_check(raw, ("checks", i)) for i, raw in enumerate(fields.required(root, "checks", list, ())))
        if not checks:
            raise ContentError("an exercise needs at least one check", path=("checks",))
        ids = [c.id for c in checks]
        for i, cid in enumerate(ids):
            if cid in ids[:i]:
                raise ContentError(f"duplicate check id '{cid}'", path=("checks", i, "id"))
        wrong = tuple(_wrong(raw, ("wrong", i), ids, files) for i, raw in enumerate(fields.optional(root, "wrong", list, (), [])))
        hints = fields.required(root, "hints", list, ())
        for i, hint in enumerate(hints):
            if not isinstance(hint, str) or not hint.strip():
                raise ContentError("a hint must be non-empty text", path=("hints", i))
        lesson = fields.required(root, "lesson", str, ())
        if lesson not in LESSONS:
            raise ContentError(f"'lesson' must be one of {', '.join(LESSONS)}, got {lesson!r}", path=("lesson",))
        timeout = fields.optional(root, "timeout_s", (int, float), (), 3.0)
        if not 0.5 <= timeout <= 30:  # noqa: PLR2004
            raise ContentError("'timeout_s' must be between 0.5 and 30 seconds", path=("timeout_s",))
        return cls(
            id=fields.identifier(root, "id", ()),
            title=fields.required(root, "title", str, ()),
            lesson=lesson,
            prompt=text("prompt", ("prompt",)),
            starter=text("starter", ("starter",)),
            solution=text("solution", ("solution",)),
            hints=tuple(hints),
            checks=checks,
            wrong=wrong,
            timeout_s=float(timeout),
            solution_after_failures=fields.optional(root, "solution_after_failures", int, (), 3),
            source_dir=source_dir,
        )


def _check_data(check: Check) -> dict[str, Any]:
    data: dict[str, Any] = {"id": check.id, "kind": check.kind}
    for key in ("name", "function", "reference", "text", "message"):
        if getattr(check, key):
            data[key] = getattr(check, key)
    if check.cases:
        data["cases"] = [list(case) for case in check.cases]
    if check.generated:
        data["generated"], data["seed"] = check.generated, check.seed
    if check.figures or check.kind == "reads_rules":  # required there, even empty (only `changed` figures)
        data["figures"] = list(check.figures)
    if check.changed:
        data["changed"] = dict(check.changed)
    return data


def _check(raw: object, path: Path) -> Check:
    data = fields.mapping(raw, path)
    fields.only(data, _CHECK_FIELDS, path)
    kind = fields.required(data, "kind", str, path)
    if kind not in CHECK_KINDS:
        raise ContentError(f"unknown check kind '{kind}' (kinds: {', '.join(CHECK_KINDS)})", path=(*path, "kind"))
    needs = {"defines": ("name",), "function": ("function", "reference"), "output_contains": ("text",),
             "reads_rules": ("figures",)}[kind]
    for key in needs:
        if key not in data:
            raise ContentError(f"a '{kind}' check needs '{key}'", path=path)
    reference = fields.optional(data, "reference", str, path, "")
    if reference and reference not in REFERENCES:
        known = ", ".join(sorted(REFERENCES))
        raise ContentError(f"unknown reference '{reference}' (known: {known})", path=(*path, "reference"))
    cases = fields.optional(data, "cases", list, path, [])
    for i, case in enumerate(cases):
        if not isinstance(case, list):
            raise ContentError("each case is a list of arguments", path=(*path, "cases", i))
        if reference and len(case) != len(REFERENCES[reference].params):
            params = ", ".join(REFERENCES[reference].params)
            raise ContentError(f"case has {len(case)} arguments, '{reference}' takes {params}", path=(*path, "cases", i))
    if data.get("changed") is not None and kind != "reads_rules":
        raise ContentError("only a 'reads_rules' check runs the code again under 'changed' figures", path=(*path, "changed"))
    if kind == "function" and not cases and not data.get("generated"):
        raise ContentError("a 'function' check needs 'cases' or 'generated'", path=path)
    return Check(
        id=fields.identifier(data, "id", path),
        kind=kind,  # type: ignore[arg-type]
        name=fields.optional(data, "name", str, path, ""),
        function=fields.optional(data, "function", str, path, ""),
        reference=reference,
        cases=tuple(tuple(case) for case in cases),
        generated=fields.optional(data, "generated", int, path, 0),
        seed=fields.optional(data, "seed", int, path, 0),
        text=fields.optional(data, "text", str, path, ""),
        figures=tuple(fields.optional(data, "figures", list, path, [])),
        changed=tuple(fields.optional(data, "changed", dict, path, {}).items()),
        message=fields.optional(data, "message", str, path, ""),
    )


def _wrong(raw: object, path: Path, check_ids: list[str], files: Mapping[str, str] | None) -> WrongAttempt:
    data = fields.mapping(raw, path)
    fields.only(data, ("file", "source", "fails", "message"), path)
    fails = fields.required(data, "fails", str, path)
    if fails not in check_ids:
        raise ContentError(f"'fails' names unknown check '{fails}' (checks: {', '.join(check_ids)})", path=(*path, "fails"))
    file = fields.required(data, "file", str, path)
    if files is None:
        source = fields.required(data, "source", str, path)
    elif file in files:
        source = files[file]
    else:
        raise ContentError(f"file '{file}' not found beside the exercise", path=(*path, "file"))
    return WrongAttempt(file=file, source=source, fails=fails, message=fields.required(data, "message", str, path).strip())
