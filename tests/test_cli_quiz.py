"""`quizkit quiz` in the terminal, as a reader answers it: what each prompt says, and answers that cannot be read."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pytest

from tests.test_check import write_course
from tests.test_cli import run
from tests.test_cli_input import KINDS_QUIZ

if TYPE_CHECKING:
    from pathlib import Path

SEED = 7


@pytest.fixture
def kinds(tmp_path: Path) -> Path:
    return write_course(tmp_path / "course", **{"quizzes__kinds.yml": KINDS_QUIZ})


def take(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, root: Path, typed: str,
         ) -> tuple[int, str, str]:
    """The kinds quiz with `SEED`, `typed` given as the reader's keys."""
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    return run(capsys, "quiz", "kinds", "--seed", str(SEED), "--content", str(root))


def prompt_of(out: str, stem: str) -> str:
    """The prompt line that follows a question's options."""
    lines = out.splitlines()
    start = lines.index(stem)
    return next(line for line in lines[start + 1:] if not line.startswith("  "))


def test_a_select_all_question_says_so_without_saying_how_many(kinds: Path, capsys: pytest.CaptureFixture[str],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The page says "Select all that apply."; the terminal asked only for "letters, comma-separated"."""
    _, out, _ = take(capsys, monkeypatch, kinds, "a\n" * 12)
    many, one = prompt_of(out, "Which are plans?"), prompt_of(out, "Which plan has more Connects?")
    assert "select all that apply" in many.lower()
    assert not any(char.isdigit() for char in many), "how many are right is not told"
    assert "all that apply" not in one.lower()
