"""`quizkit quiz` in the terminal, as a reader answers it: what each prompt says, and answers that cannot be read."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pytest

from quizkit.course import Course
from quizkit.quiz import presented
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


def right_keys(root: Path) -> str:
    """The lines a reader who knows every answer types, question by question, in the order shown with `SEED`."""

    typed = []
    for question in presented(Course.load(root).compiled_quizzes["kinds"], SEED):
        key = question["key"]
        if question["type"] in ("single", "multiple"):
            letter = {option["id"]: chr(97 + index) for index, option in enumerate(question["options"])}
            typed.append(letter[key] if question["type"] == "single" else ",".join(letter[k] for k in key))
        elif question["type"] == "match":
            letter = {choice["id"]: chr(97 + index) for index, choice in enumerate(question["choices"])}
            typed.extend(letter[key[item["id"]]] for item in question["items"])
        elif question["type"] == "order":
            letter = {item["id"]: chr(97 + index) for index, item in enumerate(question["items"])}
            typed.append(",".join(letter[k] for k in key))
        else:
            typed.append(str(key).lower())
    return "\n".join(typed) + "\n"


UNREADABLE = {"pick": "z", "picks": "a,z", "truth": "maybe", "pairs": "c", "steps": "a", "plus": "a hundred"}
"""For each question of the kinds quiz, an answer that cannot be read: a letter not shown, words for a number..."""


def test_an_answer_that_cannot_be_read_is_asked_again(kinds: Path, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A typo (a letter no option has, `a hundred`) counted as "not answered" and the quiz went on: the reader lost
    the point, and learned why only at the end, in a line that said they had not answered."""

    right = right_keys(kinds).splitlines()
    order = [question["id"] for question in Course.load(kinds).compiled_quizzes["kinds"]["questions"]]
    assert order == list(UNREADABLE)
    typed, index = [], 0
    for question_id in order:
        typed.append(UNREADABLE[question_id])  # then the right answer (both items' for the match question)
        count = 2 if question_id == "pairs" else 1
        typed.extend(right[index:index + count])
        index += count
    code, out, err = take(capsys, monkeypatch, kinds, "\n".join(typed) + "\n")
    assert (code, err, out.splitlines()[-1]) == (0, "", "score: 6/6")
    again = [line for line in out.splitlines() if line.endswith("or press Enter to skip it.")]
    assert len(again) == len(UNREADABLE), out
    number = ("  Type a number in digits, with a point or a comma for decimals (for example 13.50 or 13,50), "
              "or press Enter to skip it.")
    assert number in again, "the page's words"


def test_an_empty_answer_still_skips_the_question(kinds: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = take(capsys, monkeypatch, kinds, "\n" * 7)
    assert (code, err, out.splitlines()[-1]) == (1, "", "score: 0/6")
    assert "press Enter to skip" not in out
    assert out.count(": not answered.") == 6


def test_a_question_missed_points_to_its_lesson_section_as_the_page_does(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The page ends each question's feedback with "Review: <the section's heading>"; the terminal gave no section."""
    import json
    import re

    from tests.conftest import EXERCISES, ROOT

    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"what-connects-are": "no-such-option"}), encoding="utf-8")
    _, out, _ = run(capsys, "quiz", "plans", "--answers", str(answers), "--content", str(EXERCISES))
    compiled = Course.load(EXERCISES).compiled_quizzes["plans"]
    reviews = [line for line in out.splitlines() if line.startswith("   Review: ")]
    assert len(reviews) == len(compiled["questions"]), "every question was missed"
    for question, review in zip(compiled["questions"], reviews, strict=True):
        path, anchor = question["section"].split("#")
        page = (ROOT / "docs" / path).read_text(encoding="utf-8")
        heading = re.search(rf"^#+ (.+?) \{{#{anchor}\}}$", page, re.MULTILINE)
        title = re.search(r"^# (.+)$", page, re.MULTILINE)
        assert heading, question["section"]
        assert title
        assert review == f"   Review: {title.group(1)}, section “{heading.group(1)}” (docs/{question['section']})"


def test_questions_are_numbered_as_asked_and_the_results_follow_those_numbers(
        kinds: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The results named each question by its id, which the learner never saw, in the quiz file's order."""
    asked = presented(Course.load(kinds).compiled_quizzes["kinds"], SEED)
    typed = right_keys(kinds).splitlines()
    typed[1] = ""  # the second question asked is skipped
    _, out, _ = take(capsys, monkeypatch, kinds, "\n".join(typed) + "\n")
    lines = out.splitlines()
    for number, question in enumerate(asked, 1):
        header = lines.index(f"Question {number} of {len(asked)}")
        assert lines[header + 1].startswith(question["text"]), "the header, then that question's stem"
    results = [line for line in lines if line.startswith("Question ") and " of " not in line.split(":")[0]]
    assert [line.split(".")[0] for line in results] == [
        f"Question {number}: {'not answered' if number == 2 else 'right'}" for number in range(1, len(asked) + 1)]
    assert not any("  " in line for line in results), "no double space where a question has no feedback"
