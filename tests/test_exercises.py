# Every exercise: the solution passes, the starter does not, each known-wrong attempt fails as declared; a golden transcript.
"""The course's exercises, graded the way a learner's code is.

The golden transcript `tests/golden/transcript.json` holds, for every exercise, the
`Grade.to_data()` of its solution, its starter and each known-wrong attempt. It is
compared here and, by another test, with grading inside Pyodide. Regenerate it with
`UPDATE_GOLDEN=1 pytest tests/test_exercises.py` after changing an exercise or the grader,
and read the diff before committing it.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from quizkit import connects
from quizkit.course import Course
from quizkit.exercise import LESSONS
from quizkit.expressions import substitute
from quizkit.grader import grade, learner_globals
from quizkit.load import exercise_folders
from tests.conftest import EXERCISES, ROOT, with_values

if TYPE_CHECKING:
    from quizkit.exercise import Exercise
    from quizkit.model import Rules

GOLDEN = ROOT / "tests" / "golden" / "transcript.json"
FOLDERS = exercise_folders(EXERCISES)
COURSE = Course.load(EXERCISES)  # known-wrong attempts with today's figures filled in
BY_FOLDER = {COURSE.files[f"exercise:{e.id}"].parent: e for e in COURSE.exercises.values()}
WRONG = [(folder, wrong.file) for folder in FOLDERS for wrong in BY_FOLDER[folder].wrong]


def _name(folder: Path) -> str:
    return folder.relative_to(EXERCISES).as_posix()


def _wrong(exercise: Exercise, file: str) -> Any:
    return next(wrong for wrong in exercise.wrong if wrong.file == file)


@pytest.fixture(scope="module")
def exercises() -> dict[Path, Exercise]:
    return {folder: BY_FOLDER[folder] for folder in FOLDERS}


def test_exercises_are_found() -> None:
    assert FOLDERS, f"no exercise under {EXERCISES}"


def test_every_area_has_at_least_two_exercises(exercises: dict[Path, Exercise]) -> None:
    areas = Counter(exercise.lesson for exercise in exercises.values())
    assert {lesson: areas[lesson] for lesson in LESSONS if areas[lesson] < 2} == {}


def test_folders_match_areas_and_ids(exercises: dict[Path, Exercise]) -> None:
    for folder, exercise in exercises.items():
        assert (folder.parent.name, folder.name) == (exercise.lesson, exercise.id)


@pytest.mark.parametrize("folder", FOLDERS, ids=_name)
def test_exercise_is_complete(exercises: dict[Path, Exercise], folder: Path) -> None:
    exercise = exercises[folder]
    assert 3 <= len(exercise.hints) <= 4, "a ladder of 3 or 4 hints"
    assert len(exercise.wrong) >= 2, "at least two known-wrong attempts"
    kinds = Counter(check.kind for check in exercise.checks)
    assert kinds["defines"] >= 1
    assert kinds["function"] >= 1
    for check in exercise.checks:
        if check.kind == "function":
            assert check.cases, f"{check.id}: fixed cases that expose misconceptions"
            assert 20 <= check.generated <= 40, f"{check.id}: 20 to 40 generated cases"
            assert check.seed, f"{check.id}: an explicit seed"
    for wrong in exercise.wrong:
        assert len(wrong.message) >= 60, f"{wrong.file}: a message that explains the misconception"


@pytest.mark.parametrize("folder", FOLDERS, ids=_name)
def test_prompt_and_hints_render(exercises: dict[Path, Exercise], rules: Rules, folder: Path) -> None:
    exercise = exercises[folder]
    for text in (exercise.prompt, *exercise.hints):
        assert "{{" not in substitute(text, rules)


@pytest.mark.parametrize("folder", FOLDERS, ids=_name)
def test_solution_passes(exercises: dict[Path, Exercise], rules: Rules, folder: Path) -> None:
    result = grade(exercises[folder], exercises[folder].solution, rules)
    assert result.status == "passed", result.to_data()


@pytest.mark.parametrize("folder", FOLDERS, ids=_name)
def test_starter_does_not_pass(exercises: dict[Path, Exercise], rules: Rules, folder: Path) -> None:
    result = grade(exercises[folder], exercises[folder].starter, rules)
    assert result.status == "failed", result.to_data()


@pytest.mark.parametrize(("folder", "file"), WRONG, ids=[f"{_name(folder)}/{file}" for folder, file in WRONG])
def test_wrong_attempt_fails_its_check_with_its_message(exercises: dict[Path, Exercise], rules: Rules,
                                                        folder: Path, file: str) -> None:
    exercise = exercises[folder]
    wrong = _wrong(exercise, file)
    result = grade(exercise, wrong.source, rules)
    assert result.status == "failed", result.to_data()
    first = next(check for check in result.checks if not check.passed)
    assert first.id == wrong.fails
    assert first.misconception == wrong.message


VARIANTS: dict[str, tuple[str, str, str]] = {
    "a premium made positive without abs()": ("plan-advice", "wrong/premium_abs.py", """
def monthly_cost(plan, need):
    return RULES[f"plan.{plan}.price_usd"] + max(0, need - RULES[f"plan.{plan}.monthly_connects"]) * RULES["purchase.price_per_connect_usd"]

def plus_premium(need):
    difference = monthly_cost("plus", need) - monthly_cost("basic", need)
    return difference if difference >= 0 else -difference
"""),
    "Plus's allowance plus Basic's, in one expression": ("plan-advice", "wrong/plus_adds_basic.py", """
def monthly_cost(plan, need):
    basic = RULES["plan.basic.monthly_connects"]
    allowance = RULES["plan.plus.monthly_connects"] + basic if plan == "plus" else basic
    return RULES[f"plan.{plan}.price_usd"] + max(0, need - allowance) * RULES["purchase.price_per_connect_usd"]

def plus_premium(need):
    return monthly_cost("plus", need) - monthly_cost("basic", need)
"""),
    "Basic's allowance added to every plan but Basic": ("monthly-allowance", "wrong/plus_adds_basic.py", """
def proposals_per_month(plan, required):
    extra = RULES["plan.basic.monthly_connects"] if plan != "basic" else 0
    return (RULES[f"plan.{plan}.monthly_connects"] + extra) // required
"""),
    "weights typed in a dict read while going through PROFILE_SECTIONS": ("completeness", "wrong/typed_weights.py", """
WEIGHTS = TODAYS_WEIGHTS

def completeness(statuses):
    share = {"complete": 1, "update": 0.5, "missing": 0}
    earned = total = 0
    for section in PROFILE_SECTIONS:
        earned += WEIGHTS[section["id"]] * share[statuses.get(section["id"], "missing")]
        total += WEIGHTS[section["id"]]
    return round(100 * earned / total)
"""),
    "halves up with math.floor": ("completeness", "wrong/rounds_half_up.py", """
import math

def completeness(statuses):
    share = {"complete": 1, "update": 0.5, "missing": 0}
    earned = sum(s["weight"] * share[statuses.get(s["id"], "missing")] for s in PROFILE_SECTIONS)
    return math.floor(100 * earned / sum(s["weight"] for s in PROFILE_SECTIONS) + 0.5)
"""),
    "the bought part of the bid, with an if": ("boost-worth-it", "wrong/prices_bought_part_of_bid.py", """
def connects_to_buy(balance, required, planned, bid):
    return max(0, required * (planned + 1) + bid - balance)

def boost_worth_it(bid, to_buy, contract_usd, win_chance, boosted_win_chance):
    paid = to_buy if to_buy < bid else bid
    return (boosted_win_chance - win_chance) * contract_usd > paid * RULES["purchase.price_per_connect_usd"]
"""),
    "the gain floored": ("boost-worth-it", "wrong/truncates_the_gain.py", """
import math

def connects_to_buy(balance, required, planned, bid):
    return max(0, required * (planned + 1) + bid - balance)

def boost_worth_it(bid, to_buy, contract_usd, win_chance, boosted_win_chance):
    return math.floor((boosted_win_chance - win_chance) * contract_usd) > bid * RULES["purchase.price_per_connect_usd"]
"""),
    "the flag compared with text": ("connects-spent", "wrong/ignores_the_flag.py", """
def connects_spent(required, bid, top_slot_at_close, client_interacted):
    charged = top_slot_at_close or client_interacted or RULES["boost.charge_if_outbid_before_interaction"] == "True"
    return required + (bid if charged else 0)
"""),
    "the flag read, and both of its branches alike": ("connects-spent", "wrong/ignores_the_flag.py", """
def connects_spent(required, bid, top_slot_at_close, client_interacted):
    if top_slot_at_close or client_interacted:
        return required + bid
    if RULES["boost.charge_if_outbid_before_interaction"]:
        return required
    return required
"""),
    "month 13 through replace()": ("next-refill", "wrong/no_new_year.py", """
def next_refill(billing_day, today):
    day = 1 if billing_day >= RULES["refill.late_start_day"] else billing_day
    if today.replace(day=day) > today:
        return today.replace(day=day)
    return today.replace(month=today.month + 1, day=day)
"""),
}
"""Review A (50 programs): mistakes written otherwise than the known-wrong attempts get their messages, as the
grader matches behaviour. Each one had no message, or one that named another cause."""


@pytest.mark.parametrize("case", VARIANTS)
def test_variants_of_a_known_mistake_get_its_message(rules: Rules, case: str) -> None:
    exercise_id, file, source = VARIANTS[case]
    exercise = COURSE.exercise(exercise_id)
    if not any(wrong.file == file for wrong in exercise.wrong):
        pytest.skip(f"{file} does not apply under today's figures (`# quizkit: wrong-when`)")
    source = source.replace("TODAYS_WEIGHTS", repr({section.id: section.weight for section in rules.profile_sections}))
    result = grade(exercise, source, rules)
    first = next(check for check in result.checks if not check.passed)
    assert (first.id, first.misconception) == (_wrong(exercise, file).fails, _wrong(exercise, file).message)


@pytest.mark.parametrize("folder", FOLDERS, ids=_name)
def test_solution_reading_rules_by_computed_keys_passes(exercises: dict[Path, Exercise], rules: Rules,
                                                      folder: Path) -> None:
    """`RULES["returns." + kind + "_reasons"]` reads the rule as surely as its name does: the grader cannot see which
    figure such code reads, and the run under other figures decides. A list or yes/no rule read that way failed with
    "Your code never reads..." (a number already passed)."""
    solution = exercises[folder].solution
    computed = re.sub(r'RULES\["([a-z_]+)\.([a-z_.]+)"\]', r'RULES["\1." + "\2"]', solution)
    if computed == solution:
        pytest.skip("the solution reads no figure by a literal key")
    result = grade(exercises[folder], computed, rules)
    assert result.status == "passed", result.to_data()
    follows = next(check for check in result.checks if check.id == "reads-rules")
    assert "it follows the rules when they change" in follows.message, "the run under other figures decided"


CHANGED_FIGURES: dict[str, Any] = {
    "plan.basic.monthly_connects": 15,
    "plan.plus.monthly_connects": 80,
    "plan.plus.price_usd": 14.99,
    "purchase.price_per_connect_usd": 0.13,
    "expiry.months": 6,
    "rollover.cap": 150,
    "refill.late_start_day": 28,
    "boost.charge_if_outbid_before_interaction": True,
    "returns.returned_reasons": ["client_cancelled_before_contract", "removed_by_upwork", "job_expired"],
    "returns.kept_reasons": ["declined", "other_freelancer_hired", "withdrawn"],
}
"""Figures as they might be after Upwork changes its rules: solutions must follow them."""


@pytest.mark.parametrize("folder", FOLDERS, ids=_name)
def test_solution_follows_changed_rules(exercises: dict[Path, Exercise], rules: Rules, folder: Path) -> None:
    changed = with_values(rules, **CHANGED_FIGURES)
    result = grade(exercises[folder], exercises[folder].solution, changed)
    assert result.status == "passed", result.to_data()


# ---------------------------------------------------------------- golden transcript


def transcript(exercises: dict[Path, Exercise], rules: Rules) -> dict[str, dict[str, Any]]:
    """Exercise id -> attempt (`solution`, `starter`, `wrong/<file>.py`) -> `Grade.to_data()`, as JSON data."""
    data: dict[str, dict[str, Any]] = {}
    for exercise in sorted(exercises.values(), key=lambda e: e.id):
        attempts = {"solution": exercise.solution, "starter": exercise.starter}
        attempts.update({wrong.file: wrong.source for wrong in exercise.wrong})
        data[exercise.id] = {label: grade(exercise, source, rules).to_data() for label, source in attempts.items()}
    return json.loads(json.dumps(data))  # type: ignore[no-any-return]


def test_golden_transcript(exercises: dict[Path, Exercise], rules: Rules) -> None:
    current = transcript(exercises, rules)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(json.dumps(current, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    assert GOLDEN.is_file(), "no golden transcript: run with UPDATE_GOLDEN=1 to write it"
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert sorted(current) == sorted(golden), "exercises differ from the golden transcript"
    for exercise_id, attempts in current.items():
        assert sorted(attempts) == sorted(golden[exercise_id]), f"{exercise_id}: attempts differ"
        for label, data in attempts.items():
            assert data == golden[exercise_id][label], f"{exercise_id} {label} grades differently (UPDATE_GOLDEN=1 to accept)"


# ---------------------------------------------------------------- core additions the exercises use


def test_learner_globals_are_private_copies(rules: Rules) -> None:
    first = learner_globals(rules)
    first["RULES"]["returns.returned_reasons"].append("withdrawn")
    first["PLANS"][0]["id"] = "changed"
    first["PROFILE_SECTIONS"][0]["weight"] = 0
    second = learner_globals(rules)
    assert "withdrawn" not in second["RULES"]["returns.returned_reasons"]
    assert [plan["id"] for plan in second["PLANS"]] == [plan.id for plan in rules.plans]
    assert [s["weight"] for s in second["PROFILE_SECTIONS"]] == [s.weight for s in rules.profile_sections]
    assert set(second["PROFILE_SECTIONS"][0]) == {"id", "name", "weight"}


@pytest.mark.parametrize("need", [0, 10, 50, 100, 160])
def test_plan_premium_is_the_difference_of_monthly_costs(rules: Rules, need: int) -> None:
    premium = connects.plan_premium(rules, need)
    assert premium == pytest.approx(connects.monthly_cost(rules, "plus", need) - connects.monthly_cost(rules, "basic", need))


def test_plan_premium_stops_changing_past_the_richer_allowance(rules: Rules) -> None:
    allowance = connects.allowance(rules, "plus")
    assert connects.plan_premium(rules, allowance) == connects.plan_premium(rules, allowance + 57)


def test_connects_returned_total_adds_only_returned_outcomes(rules: Rules) -> None:
    proposals = [(12, "client_cancelled_before_contract"), (6, "declined"), (16, "removed_by_upwork"), (4, "withdrawn")]
    assert connects.connects_returned_total(rules, proposals) == 28
    assert connects.connects_returned_total(rules, []) == 0
    with pytest.raises(ValueError, match="unknown outcome"):
        connects.connects_returned_total(rules, [(3, "ghosted")])
    with pytest.raises(ValueError, match="negative"):
        connects.connects_returned_total(rules, [(-1, "declined")])


def test_a_message_that_shows_a_figure_gives_its_month_and_confidence(rules: Rules) -> None:
    """What Check says of a known mistake is text a reader sees: its figures are marked as a page's are."""
    late = rules.figures["refill.late_start_day"]
    attempt = _wrong(COURSE.exercise("next-refill"), "wrong/last_day_of_short_months.py")
    day = substitute("{{ ordinal(refill.late_start_day) }}", rules)
    assert f"{day} ({late.as_of_text} · {late.confidence}) or later" in attempt.message
