# Learner values as plain data: what crosses from learner code to the grader, and nothing else.
"""Encode what a learner's function returned as JSON-able data, and decode it.

The grader never compares the learner's objects themselves: an object can define
`__eq__` to equal anything, or raise from `__repr__`. Every value is first encoded
here (inside the child process in the CLI and notebooks, in the same interpreter in
the page) and the grader judges the decoded copy, built from exact built-in types
only. Anything else (a subclass of `int`, an instance of the learner's own class,
a value too big or too deep, an int too long to print) becomes an `Opaque` value that
equals nothing but still shows what it was. Decoding has budgets too (`decode`): what it
reads may come from another process that learner code controls.

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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

MAX_DEPTH = 20
MAX_ITEMS = 20_000
"""Containers and scalars in one value, in all: a bigger value is `Opaque`."""
MAX_TEXT = 100_000
"""Characters of one string kept; a longer string is `Opaque`."""
MAX_INT_DIGITS = 4_300
"""Digits of one int kept: Python's default limit for turning an int into text (JSON included); a longer
int is `Opaque`, whatever limit learner code set with `sys.set_int_max_str_digits`."""
MAX_ALIKE = 8
"""Items of one set (keys of one dict) that may share a hash when decoding. Python compares each new item
with every earlier one of the same hash, so a set of ints that all hash alike (`k * (2**61 - 1)`) takes
quadratic time to build: 8,000 of them take about a second. Far more than chance gives; more is `Opaque`."""
_EXACT_DIGITS = 100_000
"""Up to this many digits an int's length is counted exactly (`10 ** n` takes about 30 ms at 100,000)."""
_INT_BITS = 14_284
"""The most bits of an int that never has more than `MAX_INT_DIGITS` digits (2**14284 < 10**4300)."""

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


_class_name = type.__dict__["__name__"].__get__
_MAX_SHOWN = 1_000
"""Characters kept of a repr that learner code returned as a `str` subclass (reprlib cannot shorten it)."""
_MAX_NAME = 200
"""Characters kept of a class name (a metaclass can make it anything)."""


def real_text(value: object) -> str | None:
    """A plain `str` copy of `value` when it is text (a `str` subclass included), else None; runs no learner code.

    A learner's `str` subclass can override every method: copied, it is only characters.
    """
    return str.__str__(value) if issubclass(type(value), str) else None  # type: ignore[arg-type]


def one_line(text: str) -> str:
    r"""Learner-made text for a message, on one line: its line breaks written as `\n`.

    A message shows it between words of ours; a line break in it could start a line of its own that reads
    like a verdict (`passed: 3 of 3 checks passed`) above the real one.
    """
    return text.replace("\r", "\\r").replace("\n", "\\n")


def type_name(value: object) -> str:
    """The name of `value`'s class as a plain one-line `str`, whatever its metaclass claims; runs no learner code."""
    name = real_text(_class_name(type(value))) or "object"
    return one_line(name if len(name) <= _MAX_NAME else name[: _MAX_NAME - 3] + "...")


def safe_repr(value: object) -> str:
    """`repr` for messages, shortened, a plain one-line `str`; never raises (learner `__repr__` may)."""
    try:
        text = _REPR.repr(value)
    except BaseException as exc:  # noqa: BLE001 - a learner's __repr__ may raise anything, SystemExit included
        return f"<{type_name(value)} object whose repr() raised {type_name(exc)}>"
    if type(text) is str:
        return one_line(text)
    shown = real_text(text)
    if shown is None:
        return f"<{type_name(value)} object>"
    return one_line(shown if len(shown) <= _MAX_SHOWN else shown[: _MAX_SHOWN - 3] + "...")


def _too_long(value: int) -> str | None:
    """How many digits `value` has, in words, when it has more than `MAX_INT_DIGITS`; else None.

    Counted without turning it into text (Python refuses past its limit): exact up to `_EXACT_DIGITS`, then
    to within one.
    """
    if value.bit_length() <= _INT_BITS:
        return None
    size = abs(value)
    digits = int(math.log10(size)) + 1
    if digits > _EXACT_DIGITS:
        return f"about {digits:,}"
    if size < 10 ** (digits - 1):
        digits -= 1
    elif size >= 10**digits:
        digits += 1
    return f"{digits:,}" if digits > MAX_INT_DIGITS else None


PLAIN_TYPES: tuple[type, ...] = (type(None), bool, int, str, float, list, tuple, dict, set, frozenset, date, datetime)
"""The exact types `encode` keeps (and `decode` gives back); a value of any other type becomes an `Opaque`."""


def encode(value: object) -> Any:
    """`value` as JSON-able data (see the module docstring); never raises."""
    budget = [MAX_ITEMS]
    try:
        return _encode(value, 0, budget)
    except _TooBigError:
        return {"$object": type_name(value), "repr": safe_repr(value) + " (too big to compare)"}


def _encode(value: object, depth: int, budget: list[int]) -> Any:  # noqa: PLR0911 - one return per kind
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_DEPTH:
        raise _TooBigError
    kind = type(value)
    if value is None or kind is bool:
        return value
    if kind is int:
        digits = _too_long(value)  # type: ignore[arg-type]
        return value if digits is None else {"$object": "int", "repr": f"an int with {digits} digits (too long to show)"}
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
    return {"$object": type_name(value), "repr": safe_repr(value)}


class DecodeError(ValueError):
    """Data that `encode` cannot have produced."""


def decode(data: Any) -> Any:
    """A fresh value of exact built-in types from `encode`'s data; `DecodeError` if malformed.

    Within budgets, so that decoding stays linear in the data whatever sent it: a value of more than
    `MAX_ITEMS` parts in all, or a set or dict with more than `MAX_ALIKE` items of one hash (quadratic to
    build), becomes an `Opaque` value that says so, as `encode` does for a learner's value too big to compare.
    """
    try:
        return _decode(data, 0, [MAX_ITEMS])
    except _TooBigError:
        kind = next(iter(data))[1:] if type(data) is dict and data else type(data).__name__
        return Opaque(type=kind, text=f"a {kind} of more than {MAX_ITEMS:,} values (too large to compare)")


def _decode(data: Any, depth: int, budget: list[int]) -> Any:  # noqa: PLR0911 - one return per tag
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooBigError
    if depth > MAX_DEPTH + 1:
        raise DecodeError("nested too deeply")
    kind = type(data)
    if data is None or kind in (bool, int, str, float):
        return data
    if kind is list:
        return [_decode(item, depth + 1, budget) for item in data]
    if kind is not dict or len(data) not in (1, 2):
        raise DecodeError(f"unexpected {kind.__name__}")
    tag = next(iter(data))
    if tag not in _TAGS:
        raise DecodeError(f"unknown tag {tag!r}")
    body = data[tag]
    if tag == "$object":
        shown = data.get("repr", "")
        if type(body) is not str or type(shown) is not str:
            raise DecodeError("$object needs a type name and a repr")
        return Opaque(type=one_line(body), text=one_line(shown))  # another process's text may hold line breaks
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
        pairs = [(_decode(k, depth + 1, budget), _decode(v, depth + 1, budget)) for k, v in body]
        if _alike(key for key, _ in pairs):
            return Opaque(type="dict", text=f"a dict of {len(pairs):,} items (too slow to compare)")
        return dict(pairs)
    items = [_decode(item, depth + 1, budget) for item in body]
    if tag == "$tuple":
        return tuple(items)
    if _alike(items):
        return Opaque(type=tag[1:], text=f"a {tag[1:]} of {len(items):,} items (too slow to compare)")
    return (set if tag == "$set" else frozenset)(items)


def _alike(items: Iterable[Any]) -> bool:
    """Whether more than `MAX_ALIKE` of `items` share a hash; `DecodeError` for an unhashable one.

    Linear: the counts are keyed by the hashes themselves, distinct ints that do not collide.
    """
    counts: dict[int, int] = {}
    try:
        for item in items:
            key = hash(item)
            count = counts[key] = counts.get(key, 0) + 1
            if count > MAX_ALIKE:
                return True
    except TypeError as exc:  # an unhashable item or key
        raise DecodeError(str(exc)) from None
    return False
