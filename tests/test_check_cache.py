"""The content check's cache gives what an uncached check gives, and forgets what an edit changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import quizkit.course
from quizkit import check_cache
from quizkit.course import Course, check_course
from quizkit.errors import ContentProblem

ROOT = Path(__file__).resolve().parent.parent


def test_a_cached_check_equals_an_uncached_one_and_grades_nothing_the_second_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    course = Course.load(ROOT / "exercises")
    cache = tmp_path / "checks"
    first = check_course(course, cache=cache)
    assert first == check_course(course)
    assert len(list(cache.glob("check-*.json"))) == len(course.exercises)
    calls: list[object] = []

    def counting(*args: object) -> list[ContentProblem]:
        calls.append(args)
        return []

    monkeypatch.setattr(quizkit.course, "_exercise_problems", counting)
    assert check_course(course, cache=cache) == first
    assert calls == []


def test_an_edited_exercise_is_checked_again(tmp_path: Path) -> None:
    content = tmp_path / "exercises"
    shutil.copytree(ROOT / "exercises", content)
    cache = tmp_path / "checks"
    course = Course.load(content)
    assert check_course(course, cache=cache) == []
    exercise = next(iter(course.exercises.values()))
    solution = course.files[f"exercise:{exercise.id}"].parent / "solution.py"
    solution.write_text(exercise.starter, encoding="utf-8")
    problems = check_course(Course.load(content), cache=cache)
    assert any("the solution does not pass" in p.message for p in problems)


def test_a_damaged_entry_is_computed_again(tmp_path: Path) -> None:
    entry_problems = [ContentProblem("m", "f", 3)]
    assert check_cache.cached_problems(tmp_path, "k", lambda: entry_problems) == entry_problems
    (entry,) = tmp_path.glob("check-*.json")
    entry.write_text("{not json", encoding="utf-8")
    assert check_cache.cached_problems(tmp_path, "k", lambda: entry_problems) == entry_problems
