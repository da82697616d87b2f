# The guard's quick look: a flat snapshot of many objects must see every change the one-by-one comparison sees.
"""`integrity._Flat` tells "nothing changed" for a part of the baseline in a few calls that run in C.

A wrong "untouched" would let a program's change to the standard library or to quizkit's state through
(the sequence in `test_tampering.py` shows what that costs); these tests hold the flat comparison to the
one-by-one one, object kind by object kind, including the changes a concatenation alone cannot see.
"""

from __future__ import annotations

import sys
from types import SimpleNamespace

from quizkit import integrity
from quizkit.integrity import _Flat, _watch


def _flat(*containers: object, namespace: bool = False, namespace_keys: bool = False) -> _Flat:
    return _Flat.of([_watch(f"item {index}", container, namespace=namespace)  # type: ignore[arg-type]
                     for index, container in enumerate(containers)], namespace_keys=namespace_keys)


def test_nothing_changed_reads_untouched_even_for_large_objects() -> None:
    big = list(range(1000))  # sizes above 256 are not one int object each time: compared by value
    table = {str(number): object() for number in range(300)}
    assert _flat(big, table, {1, 2, 3}).untouched()


def test_an_item_moved_to_the_next_object_is_seen_though_the_sequence_is_the_same() -> None:
    first, second = ["a", "b"], ["c"]
    flat = _flat(first, second)
    second.insert(0, first.pop())
    assert first + second == ["a", "b", "c"]
    assert not flat.untouched()


def test_a_value_replaced_by_an_equal_one_is_seen() -> None:
    class Equal:
        def __eq__(self, other: object) -> bool:
            raise AssertionError("never compared with ==")

        __hash__ = object.__hash__

    table = {"key": Equal()}
    flat = _flat(table)
    table["key"] = Equal()
    assert not flat.untouched()


def test_a_table_whose_key_changed_is_seen_a_namespace_only_where_its_names_are_compared() -> None:
    value = object()
    table, namespace = {"old": value}, {"old": value}
    table_flat, names_flat, names_compared = _flat(table), _flat(namespace, namespace=True), \
        _flat(namespace, namespace=True, namespace_keys=True)
    for changed in (table, namespace):
        del changed["old"]
        changed["new"] = value
    assert not table_flat.untouched()
    assert names_flat.untouched(), "a standard-library namespace is checked by its values, as before"
    assert not names_compared.untouched()


def test_a_functions_code_defaults_and_keyword_defaults_are_seen() -> None:
    def function(a: int = 1, *, b: int = 2) -> int:
        return a + b

    def other() -> int:
        return 0

    for change in ("__code__", "__defaults__", "__kwdefaults__"):
        saved = getattr(function, change)
        flat = _flat(function)
        setattr(function, change, {"__code__": other.__code__, "__defaults__": (5,), "__kwdefaults__": {"b": 7}}[change])
        assert not flat.untouched(), change
        setattr(function, change, saved)
        assert _flat(function).untouched()


def test_a_closure_cell_and_a_set_are_seen() -> None:
    def outer() -> object:
        kept = [1]

        def inner() -> object:
            return kept

        return inner

    cell = outer().__closure__[0]  # type: ignore[index]
    items = {1, 2}
    flat = _flat(cell, items)
    items.add(3)
    assert not flat.untouched()
    items.discard(3)
    assert flat.untouched()
    cell.cell_contents = [2]
    assert not flat.untouched()


def test_restore_puts_back_a_change_in_any_part_and_a_programs_source() -> None:
    """In a real baseline: a table, a module's namespace, and `linecache.cache` (the runner puts each program there)."""
    import copy
    import linecache

    guard = integrity.capture()
    try:
        assert len(guard.flat_standard or ()) > 3, "the baseline is cut into parts"
        copy._deepcopy_dispatch[SimpleNamespace] = lambda value, memo: value  # type: ignore[attr-defined]
        linecache.cache["<a program of this test>"] = (1, None, ["x = 1\n"], "<a program of this test>")
        saved_version = sys.modules["json"].__version__
        sys.modules["json"].__version__ = "tampered"
        integrity.restore(guard)
        assert SimpleNamespace not in copy._deepcopy_dispatch  # type: ignore[attr-defined]
        assert "<a program of this test>" not in linecache.cache
        assert sys.modules["json"].__version__ == saved_version
        assert all(part.untouched() for part in guard.flat_standard or ())
        assert integrity.changes(guard) == []
    finally:
        integrity.forget()


def test_restore_puts_back_the_int_size_limit_and_the_interrupt_handler() -> None:
    """A program that lowers the limit breaks a later program's big ints; one that ignores SIGINT, the page's Stop."""
    import signal

    guard = integrity.capture()
    try:
        sys.set_int_max_str_digits(640)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        assert integrity.restore(guard) == []
        assert sys.get_int_max_str_digits() == guard.int_max_str_digits
        assert signal.getsignal(signal.SIGINT) is guard.interrupt_handler
    finally:
        integrity.forget()
        signal.signal(signal.SIGINT, signal.default_int_handler)


def test_restore_names_what_it_cannot_put_back() -> None:
    """A type Python does not let code write (`datetime.date`, changed through `gc`): said, for a `tamper` error."""
    import datetime as dt
    import gc

    guard = integrity.capture()
    table = gc.get_referents(dt.date.__dict__)[0]
    real = table["replace"]
    try:
        table["replace"] = lambda self, *args, **kwargs: self
        sys._clear_type_cache()
        assert integrity.restore(guard) == ["datetime.date"]
    finally:
        table["replace"] = real
        sys._clear_type_cache()
        integrity.forget()
    assert dt.date(2026, 1, 1).replace(day=2) == dt.date(2026, 1, 2)
