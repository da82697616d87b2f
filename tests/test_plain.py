"""Plain data between learner code and the grader (`quizkit.plain`): budgets, and values that cannot be shown."""

from __future__ import annotations

import json
import time
from datetime import date

import pytest

from quizkit import plain
from quizkit.plain import MAX_ITEMS, DecodeError, Opaque, decode, encode, safe_repr
from quizkit.references import same_value

ALIKE = (1 << 61) - 1
"""Every multiple of this int has the hash 0: a set of them is quadratic to build."""
MAX_ALIKE = 8
"""`plain.MAX_ALIKE`, written out so that these tests run (and fail) on the code before it."""
MAX_INT_DIGITS = 4_300


def test_the_budgets_written_out_here_are_the_modules() -> None:
    assert (plain.MAX_ALIKE, plain.MAX_INT_DIGITS) == (MAX_ALIKE, MAX_INT_DIGITS)


def test_plain_answers_round_trip_exactly() -> None:
    values = [0, -1, 2.5, "Plus", None, True, (1, "a"), [1, [2]], {"a": {1, 2}}, frozenset({3}), date(2026, 2, 28),
              {-1, -2}, 10 ** (MAX_INT_DIGITS - 1), {k * ALIKE for k in range(MAX_ALIKE)}]
    for value in values:
        data = encode(value)
        assert json.loads(json.dumps(data)) == data
        again = decode(data)
        assert again == value
        assert type(again) is type(value)


def test_a_set_of_ints_that_all_hash_alike_decodes_at_once_as_too_slow_to_compare() -> None:
    """Session 17, a09: 8,000 such ints from an honest encode took seconds per call in the grader process."""
    data = encode({k * ALIKE for k in range(8_000)})
    started = time.monotonic()
    value = decode(data)
    assert time.monotonic() - started < 0.5
    assert isinstance(value, Opaque)
    assert repr(value) == "a set of 8,000 items (too slow to compare)"
    assert value != {k * ALIKE for k in range(8_000)}


@pytest.mark.parametrize("tag", ["$set", "$frozenset"])
def test_sets_and_dict_keys_past_the_hash_budget_are_opaque_wherever_they_sit(tag: str) -> None:
    alike = [k * ALIKE for k in range(MAX_ALIKE + 1)]
    inner = decode({"$tuple": [1, {tag: alike}]})
    assert inner[0] == 1
    assert isinstance(inner[1], Opaque)
    keys = decode({"$dict": [[key, 0] for key in alike]})
    assert isinstance(keys, Opaque)
    assert repr(keys) == f"a dict of {MAX_ALIKE + 1} items (too slow to compare)"


def test_forged_data_past_the_item_budget_is_opaque_and_fast() -> None:
    """Session 17, a08: 60,000 alike ints forged on the CLI's channel took 39 s to decode."""
    started = time.monotonic()
    value = decode({"$set": [k * ALIKE for k in range(60_000)]})
    assert time.monotonic() - started < 0.5
    assert isinstance(value, Opaque)
    assert repr(value) == f"a set of more than {MAX_ITEMS:,} values (too large to compare)"
    assert isinstance(decode(list(range(MAX_ITEMS + 1))), Opaque)


def test_decoding_still_refuses_what_encode_cannot_have_made() -> None:
    for data in ({"$set": [[1]]}, {"$dict": [[[1], 2]]}, {"$object": ["x"], "repr": "y"}, {"$object": "x", "repr": 3},
                 {"$nope": []}, {"$float": "1.5"}):
        with pytest.raises(DecodeError):
            decode(data)


@pytest.mark.parametrize(("value", "digits"), [(10 ** 5000, "5,001"), (-(10 ** MAX_INT_DIGITS), "4,301"),
                                               (7 ** 10 ** 6, "about 845,099")], ids=["5001", "-4301", "845099"])
def test_an_int_too_long_to_print_is_opaque_and_says_how_long(value: int, digits: str) -> None:
    """Session 17, a05: the page said 'repr() raised ValueError', the CLI's child could not write its JSON."""
    data = encode(value)
    json.dumps(data)  # the child writes this
    decoded = decode(data)
    assert isinstance(decoded, Opaque)
    assert repr(decoded) == f"an int with {digits} digits (too long to show)"
    assert decoded != value


def test_a_class_name_and_a_repr_are_plain_text_whatever_the_class_says() -> None:
    class Meta(type):
        @property
        def __name__(cls) -> int:  # type: ignore[override]
            return 42

    class Odd(metaclass=Meta):
        pass

    class Text(str):  # noqa: SLOT000 - a learner's class
        def __str__(self) -> str:
            raise SystemExit

    class Shows:
        def __repr__(self) -> str:
            return Text("shown")

    assert type(safe_repr(Shows())) is str
    data = encode(Shows())
    assert type(data["$object"]) is str
    assert type(data["repr"]) is str
    assert decode(data).text == "shown"
    assert encode(Odd())["$object"] == "Odd"
    assert plain.type_name(Odd()) == "Odd"


def test_a_huge_int_is_not_the_same_as_an_expected_amount() -> None:
    """Session 17, a04: math.isclose raised OverflowError, an internal error in all three paths."""
    assert same_value(10 ** 400, 19.99, []) is False
    assert same_value(-(10 ** 400), 0.0, []) is False
    assert same_value(20, 19.999, []) is True
