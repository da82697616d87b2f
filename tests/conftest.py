# Shared fixtures: the course's rules, its content folder, and rules with changed figures.
from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

import pytest

from quizkit.load import load_rules
from quizkit.model import Rules

os.environ.setdefault("QUIZKIT_RAISE_INTERNAL", "1")  # a fault of ours must fail the test, not become a verdict

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"


@pytest.fixture(scope="session")
def rules() -> Rules:
    return load_rules()


def with_values(rules: Rules, **values: Any) -> Rules:
    """The rules with some figures changed: `with_values(rules, **{"plan.plus.price_usd": 5})`."""
    figures = dict(rules.figures)
    for figure_id, value in values.items():
        figures[figure_id] = dataclasses.replace(figures[figure_id], value=value)
    return dataclasses.replace(rules, figures=figures)
