# Which lines of Markdown are fenced code: the page builder and `quizkit check` both leave them as written.
"""Fenced code blocks in Markdown, found line by line (stdlib only, so core checks can use it too)."""

from __future__ import annotations

import re

_FENCE_OPEN = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})")
_FENCE_CLOSE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})[ \t]*$")


def fence_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines inside fenced code blocks, fences included."""
    inside: set[int] = set()
    opening: str | None = None
    for index, line in enumerate(lines):
        if opening is None:
            match = _FENCE_OPEN.match(line)
            if match:
                opening = match.group("fence")
                inside.add(index)
            continue
        inside.add(index)
        match = _FENCE_CLOSE.match(line)
        if match and match.group("fence")[0] == opening[0] and len(match.group("fence")) >= len(opening):
            opening = None
    return inside
