# Shared fixtures: the course's rules, its content folder, and rules with changed figures; one MkDocs build at a time.
from __future__ import annotations

import dataclasses
import fcntl
import functools
import json
import os
import re
from pathlib import Path
from typing import Any

import mkdocs.commands.build
import pytest
from hypothesis import settings

from quizkit.load import load_rules
from quizkit.model import Rules

os.environ.setdefault("QUIZKIT_RAISE_INTERNAL", "1")  # a fault of ours must fail the test, not become a verdict

# Hypothesis fails an example that takes longer than 200 ms by default: a wall-clock assertion, which a
# busy 2-core machine broke (335 ms once, 0.6 ms on the rerun). Speed is measured by `make bench`.
settings.register_profile("quizkit", deadline=None)
settings.load_profile("quizkit")

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"
BUILD_LOCK = ROOT / ".cache" / "tests-build.lock"


def _one_build_at_a_time(build: Any) -> Any:
    """`mkdocs.commands.build.build`, holding a lock on `BUILD_LOCK` while it runs.

    Every build shares the repository's `.cache/` whatever its site folder: quizkit writes the
    workbooks' notebooks and its build cache there (plain writes, on a fresh clone) and removes the
    cache entries its own build replaced. Under pytest-xdist (`make test`) two workers may build at
    once; the lock keeps one from reading what the other is writing or deleting.
    """

    @functools.wraps(build)
    def locked(*args: Any, **kwargs: Any) -> Any:
        BUILD_LOCK.parent.mkdir(parents=True, exist_ok=True)
        with BUILD_LOCK.open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            return build(*args, **kwargs)

    return locked


# Before any test module imports it (`from mkdocs.commands.build import build`).
mkdocs.commands.build.build = _one_build_at_a_time(mkdocs.commands.build.build)


@pytest.fixture(scope="session")
def rules() -> Rules:
    return load_rules()


def with_values(rules: Rules, **values: Any) -> Rules:
    """The rules with some figures changed: `with_values(rules, **{"plan.plus.price_usd": 5})`."""
    figures = dict(rules.figures)
    for figure_id, value in values.items():
        figures[figure_id] = dataclasses.replace(figures[figure_id], value=value)
    return dataclasses.replace(rules, figures=figures)


@pytest.fixture(autouse=True)
def _grouped_by_xdist(request: pytest.FixtureRequest) -> None:
    """Fail a test marked `xdist_group` that pytest-xdist did not group (`--dist loadgroup`).

    Tests of a group share one page and its Python; split between processes, each process starts its own
    and the group's order is lost. pytest-xdist 3.8 stops grouping under pytest 9.2 without a word
    (pytest-dev/pytest-xdist#1386; it marks grouped tests by adding `@group` to their ids): for two sessions
    every group here was split so.
    """
    if getattr(request.config.option, "loadgroup", False) and request.node.get_closest_marker("xdist_group") \
            and "@" not in request.node.nodeid:
        pytest.fail("pytest-xdist did not group this test with the others of its xdist_group: "
                    "check the versions of pytest and pytest-xdist (pyproject.toml)")


_DAY_OUT_OF_RANGE = re.compile(r"day is out of range for month|day \d+ must be in range 1\.\.\d+ for month \d+ in year \d+")
"""`datetime`'s own words for a day a month lacks: CPython 3.11's and 3.14's (Pyodide's) differ."""

_MONTH_OUT_OF_RANGE = re.compile(r"month must be in 1\.\.12, not -?\d+")
"""`datetime`'s words for a month that does not exist: CPython 3.14 (Pyodide) adds the month to 3.11's."""


def python_s_words_aside(data: Any) -> Any:
    """`data` (JSON-able) with the standard library's own error words set aside where two Python versions word them
    apart, for comparing a grade in CPython with the same grade in Pyodide."""
    text = _DAY_OUT_OF_RANGE.sub("<a day the month lacks>", json.dumps(data))
    return json.loads(_MONTH_OUT_OF_RANGE.sub("month must be in 1..12", text))
