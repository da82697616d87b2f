# Learner values as plain data: what crosses from learner code to the grader, and nothing else.
"""Encode what a learner's function returned as JSON-able data, and decode it.

The grader never compares the learner's objects themselves: an object can define
`__eq__` to equal anything, or raise from `__repr__`. Every value is first encoded
here (inside the child process in the CLI and notebooks, in the same interpreter in
the page) and the grader judges the decoded copy, built from exact built-in types
only. Anything else (a subclass of `int`, an instance of the learner's own class,
a value too big or too deep) becomes an `Opaque` value that equals nothing but
still shows what it was.

>>> decode(encode([1, 2.5, ("a", None)]))
[1, 2.5, ('a', None)]
>>> decode(encode({"plan": {1, 2}}))
{'plan': {1, 2}}
>>> class Sneaky(int):
...     def __eq__(self, other): return True
>>> opaque = decode(encode(Sneaky(3)))
>>> opaque.type, opaque == 3
('Sneaky', False)
"""

from __future__ import annotations

import math
import reprlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

MAX_DEPTH = 20
MAX_ITEMS = 20_000
"""Containers and scalars in one value, in all: a bigger value is `Opaque`."""
MAX_TEXT = 100_000
"""Characters of one string kept; a longer string is `Opaque`."""

_REPR = reprlib.Repr()
_REPR.maxstring, _REPR.maxother, _REPR.maxlist, _REPR.maxdict, _REPR.maxlevel = 60, 80, 8, 8, 3

_TAGS = ("$tuple", "$dict", "$set", "$frozenset", "$float", "$date", "$datetime", "$object")


@dataclass(frozen=True)
class Opaque:
    """A value the grader cannot compare: only its type name and how it printed."""

    type: str
    text: str

    def __eq__(self, other: object) -> bool:
        return False

    def __repr__(self) -> str:
        return self.text

    def __hash__(self) -> int:
        return hash((self.type, self.text))


class _TooBigError(Exception):
    """The value exceeds MAX_DEPTH or MAX_ITEMS."""


def safe_repr(value: object) -> str:
    """`repr` for messages, shortened; never raises (learner `__repr__` may)."""
    try:
        return _REPR.repr(value)
    except BaseException as exc:  # noqa: BLE001 - a learner's __repr__ may raise anything, SystemExit included
        return f"<{type(value).__name__} object whose repr() raised {type(exc).__name__}>"


def encode(value: object) -> Any:
    """`value` as JSON-able data (see the module docstring); never raises."""
    budget = [MAX_ITEMS]
    try:
        return _encode(value, 0, budget)
    except _TooBigError:
        return {"$object": type(value).__name__, "repr": safe_repr(value) + " (too big to compare)"}


def _encode(value: object, depth: int, budget: list[int]) -> Any:  # noqa: PLR0911 - one return per kind
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_DEPTH:
        raise _TooBigError
    kind = type(value)
    if value is None or kind is bool or kind is int:
        return value
    if kind is str:
        if len(value) > MAX_TEXT:  # type: ignore[arg-type]
            raise _TooBigError
        return value
    if kind is float:
        return value if math.isfinite(value) else {"$float": repr(value)}  # type: ignore[arg-type]
    if kind is list:
        return [_encode(item, depth + 1, budget) for item in value]  # type: ignore[attr-defined]
    if kind is tuple:
        return {"$tuple": [_encode(item, depth + 1, budget) for item in value]}  # type: ignore[attr-defined]
    if kind is dict:
        return {"$dict": [[_encode(k, depth + 1, budget), _encode(v, depth + 1, budget)]
                          for k, v in value.items()]}  # type: ignore[attr-defined]
    if kind is set or kind is frozenset:
        tag = "$set" if kind is set else "$frozenset"
        return {tag: [_encode(item, depth + 1, budget) for item in value]}  # type: ignore[attr-defined]
    if kind is date:
        return {"$date": value.isoformat()}  # type: ignore[attr-defined]
    if kind is datetime:
        return {"$datetime": value.isoformat()}  # type: ignore[attr-defined]
    return {"$object": kind.__name__, "repr": safe_repr(value)}


class DecodeError(ValueError):
    """Data that `encode` cannot have produced."""


def decode(data: Any, depth: int = 0) -> Any:  # noqa: PLR0911 - one return per tag
    """A fresh value of exact built-in types from `encode`'s data; `DecodeError` if malformed."""
    if depth > MAX_DEPTH + 1:
        raise DecodeError("nested too deeply")
    kind = type(data)
    if data is None or kind in (bool, int, str, float):
        return data
    if kind is list:
        return [decode(item, depth + 1) for item in data]
    if kind is not dict or len(data) not in (1, 2):
        raise DecodeError(f"unexpected {kind.__name__}")
    tag = next(iter(data))
    if tag not in _TAGS:
        raise DecodeError(f"unknown tag {tag!r}")
    body = data[tag]
    if tag == "$object":
        return Opaque(type=str(body), text=str(data.get("repr", "")))
    if tag == "$float":
        if body not in ("nan", "inf", "-inf"):
            raise DecodeError(f"bad float {body!r}")
        return float(body)
    if tag in ("$date", "$datetime"):
        try:
            return (date if tag == "$date" else datetime).fromisoformat(str(body))
        except ValueError as exc:
            raise DecodeError(str(exc)) from None
    if type(body) is not list:
        raise DecodeError(f"{tag} needs a list")
    if tag == "$dict":
        if not all(type(pair) is list and len(pair) == 2 for pair in body):  # noqa: PLR2004 - key and value
            raise DecodeError("$dict needs [key, value] pairs")
        try:
            return {decode(k, depth + 1): decode(v, depth + 1) for k, v in body}
        except TypeError as exc:  # an unhashable key
            raise DecodeError(str(exc)) from None
    items = [decode(item, depth + 1) for item in body]
    try:
        return {"$tuple": tuple, "$set": set, "$frozenset": frozenset}[tag](items)
    except TypeError as exc:
        raise DecodeError(str(exc)) from None
