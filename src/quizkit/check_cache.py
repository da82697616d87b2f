# Content-check results kept on disk by the hash of what they depend on: a warm build skips re-grading.
"""A cache for `quizkit.course.check_course`'s slow part: grading every solution, starter and wrong attempt.

An entry is keyed by everything the result depends on: the exercise's data and the
text of its file (lines move when it is edited), the rules, and the source of the
quizkit package itself (a change to the grader re-checks everything). Entries are
small JSON files, written atomically; a damaged or unreadable one is recomputed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizkit.errors import ContentProblem

if TYPE_CHECKING:
    from collections.abc import Callable

PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def code_version() -> str:
    """A digest of quizkit's Python sources: results computed by other code are not reused."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(str(path.relative_to(PACKAGE_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cached_problems(folder: Path | None, key: Any, compute: Callable[[], list[ContentProblem]]) -> list[ContentProblem]:
    """`compute()`, or its result stored under `folder` for the same `key` (JSON-able) and the same code."""
    if folder is None:
        return compute()
    name = hashlib.sha256(json.dumps([key, code_version()], sort_keys=True, default=str).encode()).hexdigest()[:32]
    entry = folder / f"check-{name}.json"
    try:
        return [ContentProblem(str(m), str(f), int(n)) for m, f, n in json.loads(entry.read_text(encoding="utf-8"))]
    except (OSError, ValueError, TypeError):
        pass
    problems = compute()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".check-")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump([[p.message, p.file, p.line] for p in problems], out)
        Path(temporary).replace(entry)
    except OSError:
        pass  # a read-only cache only costs time
    return problems
