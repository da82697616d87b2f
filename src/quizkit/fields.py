# Reading plain dicts (parsed YAML or JSON) into models, with located errors.
from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from quizkit.errors import ContentError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from quizkit.errors import Path

T = TypeVar("T")

_TYPE_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false", list: "a list", dict: "a mapping"}


def _describe(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(_TYPE_NAMES.get(k, k.__name__) for k in kinds)


def _matches(value: object, kind: type | tuple[type, ...]) -> bool:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        return False  # YAML `yes` is not a number
    return isinstance(value, kinds)


def mapping(value: object, path: Path) -> Mapping[str, Any]:
    """`value` as a mapping, or a located error."""
    if not isinstance(value, dict):
        raise ContentError(f"expected a mapping, got {type(value).__name__}", path=path)
    return value


def sequence(value: object, path: Path) -> list[Any]:
    """`value` as a list, or a located error."""
    if not isinstance(value, list):
        raise ContentError(f"expected a list, got {type(value).__name__}", path=path)
    return value


def only(data: Mapping[str, Any], allowed: Iterable[str], path: Path) -> None:
    """Refuse keys outside `allowed`: a typo in content must not pass silently."""
    allowed_set = set(allowed)
    for key in data:
        if key not in allowed_set:
            known = ", ".join(sorted(allowed_set))
            raise ContentError(f"unknown field '{key}' (known fields: {known})", path=(*path, key))


def required(data: Mapping[str, Any], key: str, kind: type[T] | tuple[type, ...], path: Path) -> T:
    """The value of a required field, checked against `kind`."""
    if key not in data or data[key] is None:
        raise ContentError(f"missing required field '{key}'", path=path)
    value = data[key]
    if not _matches(value, kind):
        raise ContentError(f"'{key}' must be {_describe(kind)}, got {value!r}", path=(*path, key))
    return value  # type: ignore[no-any-return]


def optional(data: Mapping[str, Any], key: str, kind: type[T] | tuple[type, ...], path: Path, default: T) -> T:
    """The value of an optional field, or `default` when absent."""
    if key not in data or data[key] is None:
        return default
    return required(data, key, kind, path)


def identifier(data: Mapping[str, Any], key: str, path: Path) -> str:
    """A required id: lowercase letters, digits, `-`, `_` and `.`."""
    value = required(data, key, str, path)
    if not value or not all(c.islower() or c.isdigit() or c in "-_." for c in value):
        raise ContentError(f"'{key}' must use lowercase letters, digits, '-', '_' or '.', got {value!r}", path=(*path, key))
    return value
