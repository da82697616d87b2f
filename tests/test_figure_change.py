# Any figure may change: each numeric figure x0.8 and x1.25, each yes/no flipped, and the course still checks.
"""The course follows the rules file with no hand edit.

For every numeric figure (and every number of a list figure) the rules are changed to
x0.8 and x1.25 of today's value, rounded in the figure's unit and kept in its valid range;
every yes/no figure is flipped. Each variant is loaded as a course and checked the way
`quizkit check` does (solutions, starters, known-wrong attempts with their messages, quiz
keys, typed figures), and every lesson's `{{ expressions }}` must still evaluate. One
whole-site build runs with several figures changed together (a build takes seconds).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from quizkit import connects
from quizkit.course import Course, _exercise_texts, check_course
from quizkit.expressions import substitute
from quizkit.load import DEFAULT_RULES
from quizkit.page_markdown import process
from quizkit.quiz import compile_quiz
from tests.conftest import EXERCISES, ROOT

RULES_DATA: dict[str, Any] = yaml.safe_load(DEFAULT_RULES.read_text(encoding="utf-8"))

VALID: dict[str, tuple[float, float]] = {
    "refill.late_start_day": (2, 29),  # a cycle starting on the 29th or later would skip February
    "refill.day_of_cycle": (1, 28),
    "expiry.months": (1, 60),
}
"""Bounds a changed figure must stay within, where its meaning sets one."""


def _scaled(value: float, factor: float, unit: str, bounds: tuple[float, float] | None) -> float:
    """`value * factor` rounded in its unit: cents for dollars, whole numbers otherwise."""
    raw = value * factor
    new: float = round(raw, 2) if unit.startswith("usd") else round(raw)
    if unit.startswith("usd") and isinstance(value, int) and new == int(new):
        new = int(new)
    if bounds is not None:
        new = min(max(new, bounds[0]), bounds[1])
    return new


def _variants() -> list[Any]:
    params = []
    for fid, figure in RULES_DATA["figures"].items():
        value, unit = figure["value"], figure["unit"]
        if isinstance(value, bool):
            params.append(pytest.param(fid, not value, id=f"{fid}={not value}"))
            continue
        for factor in (0.8, 1.25):
            if isinstance(value, list) and value and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
                new: Any = sorted({_scaled(v, factor, unit, VALID.get(fid)) for v in value})
            elif isinstance(value, int | float) and not isinstance(value, bool):
                new = _scaled(value, factor, unit, VALID.get(fid))
            else:
                continue
            if new != value:
                params.append(pytest.param(fid, new, id=f"{fid}={new}"))
    return params


VARIANTS = _variants()


def _course_with(tmp_path: Path, changes: dict[str, Any]) -> Course:
    data = yaml.safe_load(DEFAULT_RULES.read_text(encoding="utf-8"))
    for fid, value in changes.items():
        data["figures"][fid]["value"] = value
    path = tmp_path / "rules.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return Course.load(EXERCISES, path)


def test_every_numeric_and_yes_no_figure_has_variants() -> None:
    ids = {param.values[0] for param in VARIANTS}
    numeric = {fid for fid, f in RULES_DATA["figures"].items()
               if (isinstance(f["value"], int | float | bool) and f["value"] not in (0, 1)) or isinstance(f["value"], bool)}
    assert numeric <= ids


GIVEN = {"expiry.spend_oldest_first": ["exercises/plans/balance-after/prompt.md", "exercises/quizzes/final.yml"]}
"""Rules whose words some text takes as given (`given(...)`, a question's `assumes`: balance-after is built on spending
oldest first, and so is the final quiz's generic-proposals key): once the rule changes, each of these files is
refused at that line rather than taught as it was."""


@pytest.mark.parametrize(("figure", "value"), VARIANTS)
def test_the_course_checks_with_a_changed_figure(tmp_path: Path, figure: str, value: Any) -> None:
    course = _course_with(tmp_path, {figure: value})
    assert course.rules.value(figure) == value
    # Typed figures are checked under today's rules: under others, scenario numbers may coincide anew.
    problems = [p for p in check_course(course) if not p.message.startswith("types a plan figure")]
    refused = [p for p in problems if "the words take the rule as given" in p.message or "the question assumes" in p.message]
    assert [p for p in problems if p not in refused] == [], "\n".join(map(str, problems))  # lessons included
    assert sorted(Path(p.file).relative_to(ROOT).as_posix() for p in refused) == GIVEN.get(figure, [])


RULE_CHANGES = [
    # An expired post now returns Connects, a cancellation no longer does (the exercise rehearses another change).
    pytest.param({"returns.returned_reasons": ["removed_by_upwork", "job_expired"],
                  "returns.kept_reasons": ["client_cancelled_before_contract", "declined", "other_freelancer_hired", "withdrawn"]},
                 0, id="returns-changed"),
    # Basic before 2019: four questions say, in words, that unused Connects roll over (their `assumes`).
    pytest.param({"rollover.cap": 0}, 4, id="no-rollover"),
    pytest.param({"rollover.cap": 200}, 0, id="rollover-capped"),  # Dec 2020
]
"""Rules that are lists of ids or may be none, which the scaled and flipped variants above cannot change, and how
many questions then refuse to compile because their words state the rule as it was."""


@pytest.mark.parametrize(("changes", "refused"), RULE_CHANGES)
def test_the_quizzes_and_lessons_follow_a_changed_rule_or_refuse_it_by_name(tmp_path: Path, changes: dict[str, Any],
                                                                            refused: int) -> None:
    """Keys, feedback verdicts and the lessons' expressions follow; a question whose words state the old rule fails
    at its `assumes` line. (An exercise may model today's rule only: balance-after leaves a rollover cap to the
    reader as a bonus, so exercises are not judged here.)"""
    course = _course_with(tmp_path, changes)
    problems = [p for p in check_course(course) if not p.message.startswith("types a plan figure")
                and (Path(p.file).parent.name == "quizzes" or "/docs/" in p.file)]
    assumed = [p for p in problems if "the question assumes" in p.message and p.path[-1] == "assumes"]
    assert [p for p in problems if p not in assumed] == [], "\n".join(map(str, problems))
    assert len(assumed) == refused, "\n".join(map(str, assumed))


def _lesson_part(course: Course, page: str, start: str, end: str) -> str:
    """The Markdown of a lesson page as the build makes it under `course`'s rules, from `start` to just before `end`."""
    processed = process((ROOT / "docs" / page).read_text(encoding="utf-8"), course.rules, find=lambda kind, item: None,
                        nonce="n", page=page)
    part = processed.markdown[processed.markdown.index(start):]
    return part[:part.index(end)]


def test_lesson_2_says_when_connects_come_back_as_the_rules_do(tmp_path: Path) -> None:
    said = {}
    for name, changes in (("today", {}), ("changed", RULE_CHANGES[0].values[0])):
        marked = _lesson_part(_course_with(tmp_path, changes), "lessons/02-connects-required.md", "{#returned}",
                              "To check which")
        assert "returns.returned_reasons" in marked, "not a figure of the article: its month and confidence follow it"
        said[name] = " ".join(re.sub(r' <small class="quizkit-figure-mark">.*?</small>', "", marked).split())
    assert ("back only when the client cancels the job before any contract or Upwork removes the job post for "
            "breaking its terms.") in said["today"]
    assert "back only when Upwork removes the job post for breaking its terms or the job post expires." in said["changed"]
    assert "stay spent: when the client cancels the job before any contract, the client declines" in said["changed"]
    assert "only the first returns your Connects" in said["today"]
    assert "only the first returns your Connects" not in said["changed"]  # the aside that depended on it is gone


def test_lesson_4_says_what_a_documented_profile_bonus_would_be_without_saying_there_is_none(tmp_path: Path) -> None:
    """`bonus.profile_sections` is null today (no page says how many): given a value, the lesson said both that no page
    says so and that the course counts that many."""
    said = {}
    for name, changes in (("today", {}), ("documented", {"bonus.profile_sections": 5})):
        marked = _lesson_part(_course_with(tmp_path, changes), "lessons/04-profile-activity.md", "{#bonus-connects}",
                              "Treat profile bonuses")
        said[name] = " ".join(re.sub(r' <small class="quizkit-figure-mark">.*?</small>', "", marked).split())
    assert "no other Upwork page we found says so either" in said["today"]
    assert "counts no bonus" in said["today"]
    assert "no other Upwork page we found says so" not in said["documented"]
    assert "5 Connects a section" in said["documented"]


COMBINED = {
    "plan.plus.monthly_connects": 80,
    "plan.plus.price_usd": 14.99,
    "purchase.price_per_connect_usd": 0.19,
    "expiry.months": 10,
    "refill.late_start_day": 28,
    "boost.charge_if_outbid_before_interaction": True,
}


def test_the_whole_site_builds_with_several_figures_changed(tmp_path: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    rules = tmp_path / "rules.yml"
    _course_with(tmp_path, COMBINED)  # writes rules.yml
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"), strict=True)
    config.plugins["quizkit"].config.rules = str(rules)
    config.plugins["quizkit"].config.offline = False  # the service worker holds no figure; its tool takes seconds
    build(config)
    page = (tmp_path / "site" / "lessons" / "01-connects-and-plans" / "index.html").read_text(encoding="utf-8")
    assert "80 in total" in page.replace("</strong>", "").replace("<strong>", "")
    notebook = next((tmp_path / "site").rglob("01-connects-and-plans.ipynb")).read_text(encoding="utf-8")
    assert "Freelancer Plus credits\\n80 Connects" in notebook  # the exported workbook follows, no hand edit
    shutil.rmtree(tmp_path / "site")


def test_the_plan_comparison_says_how_connects_are_sold(tmp_path: Path) -> None:
    """Lesson 4 prices bought Connects one by one: where only bundles are sold it says why that still holds."""
    words = {}
    for custom in (True, False):
        course = _course_with(tmp_path, {"purchase.custom_amount": custom})
        words[custom] = " ".join(_lesson_part(course, "lessons/04-profile-activity.md", "{#paid-plan}",
                                              "| Connects you need a month").split())
        assert "medium confidence" in words[custom], "the flag is not from the article: its marker follows it"
    assert "offers a custom amount as well as bundles" in words[True]
    assert "Connects are sold only in bundles" in words[False]
    assert "stays in your balance for the next month" in words[False]


def test_the_triage_line_is_read_wherever_a_reader_meets_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The course's own line for a clear misfit (`connects.CLEAR_MISFIT`) is not a rules figure, but it is a number
    the reader meets in a lesson, an exercise and the final quiz: each reads it, so moving it moves every text."""
    monkeypatch.setattr(connects, "CLEAR_MISFIT", 0.8)
    course = Course.load(EXERCISES)
    exercise = course.exercise("job-triage")
    texts = [substitute(str(text), course.rules) for text, *_ in _exercise_texts(course, exercise) if text]
    texts.append(_lesson_part(course, "lessons/02-connects-required.md", "The exercise below", "{#returned}"))
    texts.append(json.dumps(compile_quiz(course.quiz("final"), course.rules), ensure_ascii=False))
    texts.append(connects.triage_reason({"connects": 4, "skills_asked": 5, "skills_matched": 3, "budget_usd": 500,
                                         "payment_verified": True, "client_hires": 2}, 40, 100))
    assert [text for text in texts if "three quarters" in text] == []
    said = [text for text in texts if "80 %" in text]
    assert len(said) == 8, said  # the prompt, two hints, two messages, the lesson, the quiz, the reason
    assert check_course(course) == [], "the solution and the known-wrong attempts follow the line too"
