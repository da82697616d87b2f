# The tables of a page, each in a wrapper of its own before Material's script re-inserts it (plugin/tables.py).
"""`wrap_tables` wraps exactly the tables Material re-inserts: those without a class attribute."""

from __future__ import annotations

import doctest

import pytest

from quizkit.plugin import tables
from quizkit.plugin.tables import wrap_tables

W, E = tables.WRAPPER_OPEN, tables.WRAPPER_CLOSE


def test_the_docstring_examples_hold() -> None:
    assert doctest.testmod(tables).failed == 0


@pytest.mark.parametrize(("html", "expected"), [
    ("<table><tr><td>1</td></tr></table>", f"{W}<table><tr><td>1</td></tr></table>{E}"),
    ('<table id="plans" style="width:1px"></table>', f'{W}<table id="plans" style="width:1px"></table>{E}'),
    ('<TABLE data-class="x"></TABLE>', f'{W}<TABLE data-class="x"></TABLE>{E}'),
    ('<table class="quizkit-progress__table"></table>', '<table class="quizkit-progress__table"></table>'),
    ("<table\nclass='a'></table>", "<table\nclass='a'></table>"),
    ("<p>no table here: &lt;table&gt;</p>", "<p>no table here: &lt;table&gt;</p>"),
    ("<tablex></tablex><tbody></tbody>", "<tablex></tablex><tbody></tbody>"),
], ids=["plain", "attributes", "upper-case", "class", "class-on-next-line", "escaped", "other-tags"])
def test_only_tables_without_a_class_are_wrapped(html: str, expected: str) -> None:
    assert wrap_tables(html) == expected


def test_nested_tables_each_get_their_own_wrapper_and_classed_ones_none() -> None:
    html = '<table><tr><td><table class="a"><tr><td><table></table></td></tr></table></td></tr></table><p>after</p>'
    assert wrap_tables(html) == (f'{W}<table><tr><td><table class="a"><tr><td>{W}<table></table>{E}'
                                 f"</td></tr></table></td></tr></table>{E}<p>after</p>")


@pytest.mark.parametrize(("html", "expected"), [
    ("<p>a</p><table><tr><td>never closed", "<p>a</p><table><tr><td>never closed"),
    ("</table><p>a closing tag alone</p>", "</table><p>a closing tag alone</p>"),
    ("<table></table></table>", f"{W}<table></table>{E}</table>"),
], ids=["left-open", "closing-only", "one-closing-too-many"])
def test_tables_that_do_not_balance_get_no_wrapper_they_cannot_close(html: str, expected: str) -> None:
    assert wrap_tables(html) == expected
