# Seeded choices shared with the quiz page (option order, variant drawn) and the parameters of questions.
"""Seeds, option order and parameterised questions ("variants").

The page (`assets/quiz.js`) repeats `fnv1a`, `mulberry32`, `stream`, `shuffle_order`
and `variant_index` with the same 32-bit arithmetic, so one seed gives the same option
order and the same variant in CPython, in Pyodide and in the browser (a browser test
holds them together). A reader's seed is drawn once per attempt and kept with their
answers; "Try again" draws a new one.

A question with `params` is expanded at build time: quizkit draws at least
`MIN_VARIANTS` distinct parameter sets (deterministically, from the question's id),
and for each one computes the texts, the key and the explanation from the rules.
The page only picks one by the seed and compares: no Python runs there.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from quizkit.errors import ContentError
from quizkit.expressions import TEMPLATE, ExpressionError, evaluate, functions, render

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from quizkit.errors import Path
    from quizkit.model import Rules

MIN_VARIANTS = 20
"""The fewest variants a parameterised question may have: fewer, and "Try again" soon repeats."""
DEFAULT_VARIANTS = 24
_ENUMERATE_UP_TO = 5000
"""Parameter spaces this small are listed whole (then shuffled); larger ones are sampled."""
_DRAWS_PER_VARIANT = 60
_MASK = 0xFFFFFFFF


# ---------------------------------------------------------------- seeded numbers (mirrored in quiz.js)


def fnv1a(text: str) -> int:
    """32-bit FNV-1a hash of `text` (ASCII: seeds and ids), as quiz.js computes it."""
    value = 0x811C9DC5
    for char in text:
        value ^= ord(char) & 0xFF
        value = (value * 0x01000193) & _MASK
    return value


def mulberry32(seed: int) -> Callable[[], float]:
    """A small seeded generator of floats in [0, 1); the page runs the same one."""
    state = seed & _MASK

    def draw() -> float:
        nonlocal state
        state = (state + 0x6D2B79F5) & _MASK
        t = ((state ^ (state >> 15)) * (state | 1)) & _MASK
        t = ((t + (((t ^ (t >> 7)) * (t | 61)) & _MASK)) & _MASK) ^ t
        return ((t ^ (t >> 14)) & _MASK) / 4294967296

    return draw


def stream(seed: int, *labels: str) -> Callable[[], float]:
    """The generator for one use of a seed (`"order"` of question `x`, ...): uses never share numbers."""
    return mulberry32(fnv1a("|".join((str(seed & _MASK), *labels))))


def shuffle_order(pinned: Sequence[bool], seed: int, question_id: str) -> list[int]:
    """Authored option indexes in the order a reader sees them; pinned options keep their place."""
    draw = stream(seed, question_id, "order")
    free = [i for i, pin in enumerate(pinned) if not pin]
    for i in range(len(free) - 1, 0, -1):
        j = math.floor(draw() * (i + 1))
        free[i], free[j] = free[j], free[i]
    rest = iter(free)
    return [i if pin else next(rest) for i, pin in enumerate(pinned)]


def variant_index(seed: int, question_id: str, count: int) -> int:
    """Which of `count` variants a seed draws for a question."""
    return math.floor(stream(seed, question_id, "variant")() * count) if count > 1 else 0




# ---------------------------------------------------------------- parameters


@dataclass(frozen=True, kw_only=True)
class Param:
    """A question parameter and the values it may take."""

    name: str
    values: tuple[Any, ...]


def _bound(value: object, rules: Rules, path: Path) -> Any:
    if isinstance(value, dict) and set(value) == {"expr"}:
        try:
            return evaluate(str(value["expr"]), rules)
        except ExpressionError as exc:
            raise ContentError(str(exc), path=path) from None
    return value


def _iso(value: object, path: Path) -> dt.date:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ContentError(f"expected a date (YYYY-MM-DD), got {value!r}", path=path)


def reserved_names(rules: Rules) -> set[str]:
    """Names a question's own values (`params`, `let`) cannot take: the rules' first parts and the functions."""
    return {fid.split(".")[0] for fid in rules.figures} | set(functions(rules))


def parse_params(raw: object, rules: Rules, path: Path) -> tuple[Param, ...]:
    """`params:` of a question: `name: {range: [lo, hi], step: n}`, `{values: [...]}` or `{dates: [from, to]}`.

    Bounds may be rule expressions (`{expr: proposal.required_max}`), so a range follows the rules.
    """
    if not isinstance(raw, dict) or not raw:
        raise ContentError("'params' must map parameter names to {range: ...}, {values: ...} or {dates: ...}", path=path)
    reserved = reserved_names(rules)
    params = []
    for name, spec in raw.items():
        where: Path = (*path, name)
        if not isinstance(name, str) or not name.isidentifier() or name in reserved:
            raise ContentError(f"'{name}' cannot name a parameter: it must be a new name, not a rule or a function",
                               path=where)
        if not isinstance(spec, dict) or len(set(spec) & {"range", "values", "dates"}) != 1 or set(spec) - {
                "range", "values", "dates", "step"}:
            raise ContentError(f"parameter '{name}' needs exactly one of range, values or dates (and step with range)",
                               path=where)
        if "values" in spec:
            values = spec["values"]
            if not isinstance(values, list) or not values or not all(
                    isinstance(v, int | float | str) and not isinstance(v, bool) for v in values):
                raise ContentError(f"'values' of '{name}' must be a list of numbers or texts", path=(*where, "values"))
            params.append(Param(name=name, values=tuple(dict.fromkeys(values))))
            continue
        key = "range" if "range" in spec else "dates"
        pair = spec[key]
        if not isinstance(pair, list) or len(pair) != 2:  # noqa: PLR2004
            raise ContentError(f"'{key}' of '{name}' must be [first, last]", path=(*where, key))
        if key == "dates":
            first, last = (_iso(v, (*where, key, i)) for i, v in enumerate(pair))
            span = range((last - first).days + 1)
            params.append(Param(name=name, values=tuple((first + dt.timedelta(days=d)).isoformat() for d in span)))
        else:
            low, high = (_bound(v, rules, (*where, key, i)) for i, v in enumerate(pair))
            step = spec.get("step", 1)
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high, step)) or step <= 0:
                raise ContentError(f"'range' of '{name}' takes whole numbers and a positive whole step", path=(*where, key))
            params.append(Param(name=name, values=tuple(range(low, high + 1, step))))
        if not params[-1].values:
            raise ContentError(f"parameter '{name}' has no values", path=(*where, key))
    return tuple(params)


def value_of(expression: str, rules: Rules, values: Mapping[str, Any]) -> Any:
    """An expression over the rules and the parameters' `values`."""
    return evaluate(expression, rules, None, values)


def fill(text: str, rules: Rules, values: Mapping[str, Any]) -> str:
    """`text` with each `{{ expression }}` filled in; anything left looking like `{{` or `}}` is an error."""
    filled = TEMPLATE.sub(lambda match: render(value_of(match.group(1), rules, values)), text)
    if "{{" in filled or "}}" in filled:
        raise ExpressionError(f"unfilled '{{{{ }}}}' left in the text: {filled!r}")
    return filled


def parameter_sets(params: Sequence[Param], *, where: str | None, count: int, question_id: str,
                   rules: Rules) -> list[dict[str, Any]]:
    """`count` distinct parameter sets that satisfy `where`, the same at every build.

    Raises:
        ContentError: fewer than `MIN_VARIANTS` distinct sets satisfy `where`.
    """
    names = [p.name for p in params]
    space = math.prod(len(p.values) for p in params)
    draw = stream(0, question_id, "params")

    def accepted(values: dict[str, Any]) -> bool:
        if where is None:
            return True
        try:
            return bool(value_of(where, rules, values))
        except ExpressionError as exc:
            raise ContentError(str(exc), path=("where",)) from None

    found: list[dict[str, Any]] = []
    if space <= _ENUMERATE_UP_TO:
        combos = list(itertools.product(*(p.values for p in params)))
        for i in range(len(combos) - 1, 0, -1):
            j = math.floor(draw() * (i + 1))
            combos[i], combos[j] = combos[j], combos[i]
        for combo in combos:
            values = dict(zip(names, combo, strict=True))
            if accepted(values):
                found.append(values)
                if len(found) == count:
                    break
    else:
        seen: set[tuple[Any, ...]] = set()
        for _ in range(count * _DRAWS_PER_VARIANT):
            combo = tuple(p.values[math.floor(draw() * len(p.values))] for p in params)
            if combo in seen:
                continue
            seen.add(combo)
            values = dict(zip(names, combo, strict=True))
            if accepted(values):
                found.append(values)
                if len(found) == count:
                    break
    if len(found) < min(count, MIN_VARIANTS):
        raise ContentError(f"the parameters give only {len(found)} distinct variants{' that satisfy where' if where else ''}; "
                           f"a parameterised question needs at least {MIN_VARIANTS}", path=("params",))
    return found
