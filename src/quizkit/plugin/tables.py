"""Each table Material's script re-inserts gets a wrapper of its own first, so the re-insertion restyles only it.

As it starts, Material's script takes every table without a class (`table:not([class])`) out of the
page and puts it back inside a scroll wrapper. When that table is a child of the article, Chromium
restyles the whole article for it: a change to the article's own children may change what its rules
with positional and sibling selectors match (lesson 1, traced: 624 elements, in the middle of Material's
`DOMContentLoaded` handler). Inside a `<div>` of ours, only that `<div>` is restyled: 38 elements, and
the handler took 33 ms where it took 39 (lesson 3: 24 elements, 25 ms where it took 41; medians of six
visits on a phone-sized page). The wrapper has no style: the margins of Material's scroll wrapper pass
through it as before.
"""

from __future__ import annotations

import re

WRAPPER_OPEN = '<div class="quizkit-table">'
WRAPPER_CLOSE = "</div>"
_TAG = re.compile(r"<(/?)table\b([^>]*)>", re.IGNORECASE)
_CLASS = re.compile(r"""(?:^|\s)class\s*=""", re.IGNORECASE)


def wrap_tables(html: str) -> str:
    """`html` with each table that has no class attribute inside a `<div class="quizkit-table">`.

    Tables with a class are left alone, as Material leaves them. Nested tables (raw HTML) each get
    their own wrapper. HTML whose tables do not close is returned as it is.

    >>> wrap_tables('<p>a</p><table><tr><td>1</td></tr></table>')
    '<p>a</p><div class="quizkit-table"><table><tr><td>1</td></tr></table></div>'
    >>> wrap_tables('<table class="x"></table>')
    '<table class="x"></table>'
    """
    out: list[str] = []
    wrapped: list[bool] = []  # for each table open at this point: whether it got a wrapper
    last = 0
    for tag in _TAG.finditer(html):
        out.append(html[last:tag.start()])
        last = tag.end()
        if not tag.group(1):
            wrap = not _CLASS.search(tag.group(2))
            wrapped.append(wrap)
            out.append((WRAPPER_OPEN if wrap else "") + tag.group(0))
        elif wrapped:
            out.append(tag.group(0) + (WRAPPER_CLOSE if wrapped.pop() else ""))
        else:
            out.append(tag.group(0))
    if wrapped:  # a table left open: not ours to mend
        return html
    out.append(html[last:])
    return "".join(out)
