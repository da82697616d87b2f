from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from quizkit.errors import ContentError
from quizkit.exercise import Exercise
from quizkit.grader import grade, run
from quizkit.model import Rules
from tests.conftest import with_values

SOLUTION = 'def monthly_connects(plan):\n    return RULES[f"plan.{plan}.monthly_connects"]\n'
ALWAYS_BASIC = 'def monthly_connects(plan):\n    return RULES["plan.basic.monthly_connects"]\n'
HALF_RIGHT = 'def monthly_connects(plan):\n    return RULES["plan.basic.monthly_connects"] if plan == "basic" else 100\n'
TYPED = 'def monthly_connects(plan):\n    return {"basic": 10, "plus": 100}[plan]\n'


def exercise_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "allowance", "title": "Allowance", "lesson": "plans", "prompt": "Write it.",
        "starter": "def monthly_connects(plan):\n    return 0\n", "solution": SOLUTION, "hints": ["Look in RULES."],
        "checks": [
            {"id": "defines", "kind": "defines", "name": "monthly_connects"},
            {"id": "matches", "kind": "function", "function": "monthly_connects", "reference": "monthly_connects",
             "cases": [["basic"], ["plus"]], "generated": 5, "seed": 3},
            {"id": "reads", "kind": "reads_rules", "figures": ["plan.plus.monthly_connects"]},
        ],
        "wrong": [
            {"file": "wrong/basic.py", "source": ALWAYS_BASIC, "fails": "matches", "message": "Each plan has its own figure."},
            {"file": "wrong/typed.py", "source": TYPED, "fails": "reads", "message": "Read figures from RULES."},
        ],
    }
    data.update(changes)
    return data


@pytest.fixture
def exercise() -> Exercise:
    return Exercise.from_data(exercise_data())


def by_id(result: Any) -> dict[str, Any]:
    return {check.id: check for check in result.checks}


def test_the_solution_passes_every_check(exercise: Exercise, rules: Rules) -> None:
    result = grade(exercise, SOLUTION, rules)
    assert result.status == "passed"
    assert [c.id for c in result.checks] == ["defines", "matches", "reads"]
    assert all(c.passed for c in result.checks)


def test_a_wrong_answer_names_the_input_that_showed_it(exercise: Exercise, rules: Rules) -> None:
    result = grade(exercise, "def monthly_connects(plan):\n    return 0\n", rules)
    assert result.status == "failed"
    assert by_id(result)["matches"].message == "monthly_connects('basic') returned 0, but the answer is 10."


def test_a_known_wrong_attempt_shows_its_misconception(exercise: Exercise, rules: Rules) -> None:
    # Written differently from the declared attempt, but it behaves the same: the learner sees the message.
    learner = 'def monthly_connects(plan):\n    basic = RULES["plan.basic.monthly_connects"]\n    return basic\n'
    result = grade(exercise, learner, rules)
    assert by_id(result)["matches"].misconception == "Each plan has its own figure."
    assert result.misconceptions == ("Each plan has its own figure.",)


def test_typing_a_plan_figure_fails_reads_rules_with_the_line(exercise: Exercise, rules: Rules) -> None:
    result = grade(exercise, TYPED, rules)
    check = by_id(result)["reads"]
    assert not check.passed
    assert "Line 2 types 100" in check.message
    assert check.misconception == "Read figures from RULES."


def test_a_number_that_happens_to_equal_a_figure_the_code_reads_is_not_typing_it(exercise: Exercise, rules: Rules) -> None:
    """Rounding to cents with `* 100` beside Plus's 100 Connects: the code reads that figure, so 100 is something else."""
    rounds = ("def monthly_connects(plan):\n    value = RULES[f'plan.{plan}.monthly_connects']\n"
              "    return round(value * 100) // 100\n")
    assert by_id(grade(exercise, rounds, rules))["reads"].passed
    assert not by_id(grade(exercise, TYPED, rules))["reads"].passed
    assert not by_id(grade(exercise, HALF_RIGHT, rules))["reads"].passed, "reading Basic's figure does not cover Plus's"


def test_a_number_equal_to_a_figure_read_by_a_computed_key_is_left_to_the_run_under_other_figures(rules: Rules) -> None:
    """`* 100` for cents in code that reads Plus's 100 by `"plan." + plan + ...`: reading cannot tell, the second run can.

    It passes when the code follows the changed figures, and still fails, at the number's line, when it does not.
    """
    changed = [{"id": "reads", "kind": "reads_rules", "figures": ["plan.plus.monthly_connects"],
                "changed": {"plan.plus.monthly_connects": 120}}]
    exercise = Exercise.from_data(exercise_data(checks=[*exercise_data()["checks"][:2], *changed], wrong=[]))
    cents = ('def monthly_connects(plan):\n    value = RULES["plan." + plan + ".monthly_connects"]\n'
             "    return round(value * 100) // 100\n")
    check = by_id(grade(exercise, cents, rules))["reads"]
    assert check.passed, check.message
    assert "it follows the rules when they change (RULES['plan.plus.monthly_connects'] = 120)" in check.message
    typed = ('def monthly_connects(plan):\n    value = RULES["plan." + plan + ".monthly_connects"]\n'
             "    return value if plan == 'basic' else 100\n")
    check = by_id(grade(exercise, typed, rules))["reads"]
    assert not check.passed
    assert "Line 3 types 100" in check.message
    starter = by_id(grade(exercise, "def monthly_connects(plan):\n    return 0\n", rules))
    assert not starter["matches"].passed


@pytest.mark.parametrize("typed", ["{'basic': 5 * 2, 'plus': 50 * 2}[plan]", "{'basic': 10, 'plus': 200 // 2}[plan]",
                                   "{'basic': 9 + 1, 'plus': -(-100)}[plan]"])
def test_arithmetic_on_typed_numbers_is_typing_the_figure(exercise: Exercise, rules: Rules, typed: str) -> None:
    """`50 * 2` is 100 typed another way: it does not follow the rules when Plus's figure changes."""
    check = by_id(grade(exercise, f"def monthly_connects(plan):\n    return {typed}\n", rules))["reads"]
    assert not check.passed
    assert "Line 2 types 100" in check.message


def test_code_that_reads_none_of_the_figures_fails_reads_rules(exercise: Exercise, rules: Rules) -> None:
    """A starter fails it in every exercise, as it did only where a figure is a list or a yes/no. Code that reads
    RULES by a key it computes may read every figure: its pass claims only what was checked, that none is typed."""
    starter = by_id(grade(exercise, "def monthly_connects(plan):\n    return 0\n", rules))["reads"]
    assert not starter.passed
    assert starter.message.startswith("Your code never reads RULES['plan.plus.monthly_connects'] ('Connects credited")
    computed = 'def monthly_connects(plan):\n    return RULES["plan." + plan + ".monthly_connects"]\n'
    for reads in (computed, "def monthly_connects(plan):\n    return RULES.get(f'plan.{plan}.monthly_' + 'connects')\n"):
        check = by_id(grade(exercise, reads, rules))["reads"]
        assert check.passed, reads
        assert check.message == "No plan figure is typed in your code."


def test_a_misconception_of_a_check_that_makes_no_call_needs_the_attempts_behaviour(exercise: Exercise, rules: Rules) -> None:
    """The typed-figures attempt's message says its function gives today's answers: it is shown to code that types
    a figure and answers as that attempt does, never to code that types one and answers wrongly."""
    typed_right = 'def monthly_connects(plan):\n    return 10 if plan == "basic" else 100\n'
    typed_wrong = "def monthly_connects(plan):\n    return 100\n"
    assert by_id(grade(exercise, typed_right, rules))["reads"].misconception == "Read figures from RULES."
    wrong = by_id(grade(exercise, typed_wrong, rules))
    assert not wrong["reads"].passed
    assert not wrong["matches"].passed
    assert wrong["reads"].misconception == ""


RETURNED = "def returned(outcome):\n    return outcome in {reads}\n"


@pytest.mark.parametrize(
    ("reads", "passed"),
    [
        ('RULES["returns.returned_reasons"]', True),
        ('RULES["returns.kept_reasons"]', True),  # the same rule read the other way round
        ('["client_cancelled_before_contract", "removed_by_upwork"]', False),
    ],
)
def test_a_listed_rule_must_be_read_by_name_not_typed(rules: Rules, reads: str, passed: bool) -> None:
    """A list (or yes/no) of the rules cannot be told from other literals: the code must name one of the check's figures."""
    exercise = Exercise.from_data(exercise_data(checks=[
        {"id": "reads", "kind": "reads_rules", "figures": ["returns.returned_reasons", "returns.kept_reasons"]}], wrong=[]))
    check = by_id(grade(exercise, RETURNED.format(reads=reads), rules))["reads"]
    assert check.passed is passed
    if not passed:
        assert "never reads RULES['returns.returned_reasons'] or RULES['returns.kept_reasons']" in check.message


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("x = 1\n", "Define `monthly_connects`"),
        ("monthly_connects = 5\n", "must be a function"),
        ("def monthly_connects():\n    return 1\n", "raised an error: TypeError"),
        ("def monthly_connects(plan):\n    return str(RULES[f'plan.{plan}.monthly_connects'])\n", "returned '10'"),
        ("def monthly_connects(plan):\n    return float(RULES[f'plan.{plan}.monthly_connects'])\n", "returned 10.0"),
        ("def monthly_connects(plan):\n    return [][0]\n", "IndexError on line 2"),
        ("def monthly_connects(plan):\n    return input()\n", "input() was called on line 2"),
        ("def monthly_connects(plan):\n    raise SystemExit(1)\n", "called exit() on line 2"),
        ("def monthly_connects(plan):\n    raise KeyboardInterrupt\n", "interrupted on line 2"),
    ],
)
def test_learner_faults_in_functions_are_check_results(exercise: Exercise, rules: Rules, source: str, message: str) -> None:
    result = grade(exercise, source, rules)
    assert result.status == "failed"
    assert any(message in c.message for c in result.checks if not c.passed)


@pytest.mark.parametrize(
    ("source", "kind", "line", "column"),
    [("def monthly_connects(plan:\n    return 1\n", "syntax", 1, None), ("x = 1\ny = x / 0\n", "exception", 2, None),
     ("import sys\nsys.exit()\n", "exit", 2, None), ("input()\n", "input", 1, None)],
)
def test_faults_at_the_top_level_are_error_grades(exercise: Exercise, rules: Rules, source: str, kind: str, line: int,
                                                  column: int | None) -> None:
    result = grade(exercise, source, rules)
    assert result.status == "error"
    assert result.error is not None
    assert result.error.kind == kind
    assert result.error.line == line
    if kind == "syntax":
        assert result.error.column is not None


def test_the_course_package_is_out_of_reach_of_learner_code(exercise: Exercise, rules: Rules) -> None:
    result = grade(exercise, "import quizkit.references\n" + SOLUTION, rules)
    assert result.status == "error"
    assert result.error is not None
    assert "course's own package" in result.error.message


def test_changing_its_own_rules_cannot_change_the_expected_answers(exercise: Exercise, rules: Rules) -> None:
    sneaky = ("RULES['plan.plus.monthly_connects'] = 0\n"
              "def monthly_connects(plan):\n    return RULES[f'plan.{plan}.monthly_connects']\n")
    assert grade(exercise, sneaky, rules).status == "failed"
    assert grade(exercise, SOLUTION, rules).status == "passed"
    assert rules.value("plan.plus.monthly_connects") == 100


def test_redefining_builtins_in_learner_code_gives_a_clear_verdict(exercise: Exercise, rules: Rules) -> None:
    result = grade(exercise, "import builtins\nbuiltins.repr = None\nlen = print = None\n" + SOLUTION, rules)
    assert result.status == "passed"
    assert grade(exercise, SOLUTION, rules).status == "passed"


def test_checks_follow_the_rules_file(exercise: Exercise, rules: Rules) -> None:
    changed = with_values(rules, **{"plan.plus.monthly_connects": 80})
    assert grade(exercise, SOLUTION, changed).status == "passed"
    assert "the answer is 80" in by_id(grade(exercise, HALF_RIGHT, changed))["matches"].message


def test_output_is_captured_and_returned(exercise: Exercise, rules: Rules) -> None:
    result = grade(exercise, "print('<b>hi</b>')\n" + SOLUTION, rules)
    assert result.output == "<b>hi</b>\n"


def test_grades_are_plain_data(exercise: Exercise, rules: Rules) -> None:
    data = grade(exercise, "def monthly_connects(plan):\n    return [][1]\n", rules).to_data()
    assert json.loads(json.dumps(data)) == data


def test_an_internal_fault_is_a_distinct_verdict(exercise: Exercise, rules: Rules, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = with_values(rules, **{"plan.plus.monthly_connects": None})
    monkeypatch.setenv("QUIZKIT_RAISE_INTERNAL", "0")
    result = grade(exercise, SOLUTION, broken)
    assert result.status == "internal_error"
    assert "not in your code" in result.internal
    monkeypatch.setenv("QUIZKIT_RAISE_INTERNAL", "1")
    with pytest.raises(TypeError):
        grade(exercise, SOLUTION, broken)


def test_run_shows_output_and_faults(rules: Rules) -> None:
    report = run(rules, "print(RULES['plan.basic.monthly_connects'])\nprint(1/0)\n")
    assert report.output == "10\n"
    assert report.error is not None
    assert report.error.message == "ZeroDivisionError on line 2: division by zero"


def test_exercise_data_round_trips_through_json(exercise: Exercise) -> None:
    assert Exercise.from_data(json.loads(json.dumps(exercise.to_data()))) == exercise
    only_changed = _weights_exercise({"PROFILE_SECTIONS.rate.weight": 25})  # `figures` empty: the page gets it too
    assert Exercise.from_data(json.loads(json.dumps(only_changed.to_data()))) == only_changed


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"lesson": "cooking"}, "'lesson' must be one of"),
        ({"colour": "red"}, "unknown field 'colour'"),
        ({"checks": []}, "at least one check"),
        ({"checks": [{"id": "a", "kind": "magic"}]}, "unknown check kind 'magic'"),
        ({"checks": [{"id": "a", "kind": "function", "function": "f", "reference": "nope", "cases": [[1]]}]}, "unknown reference"),
        ({"checks": [{"id": "a", "kind": "function", "function": "f", "reference": "monthly_connects", "cases": [[1, 2]]}]},
         "case has 2 arguments"),
        ({"checks": [{"id": "a", "kind": "defines", "name": "f"}, {"id": "a", "kind": "defines", "name": "g"}]},
         "duplicate check id 'a'"),
        ({"wrong": [{"file": "w.py", "source": "", "fails": "nope", "message": "m"}]}, "unknown check 'nope'"),
        ({"timeout_s": 100}, "'timeout_s' must be between"),
    ],
)
def test_invalid_exercises_are_refused(change: dict[str, Any], message: str) -> None:
    from quizkit.errors import ContentError

    with pytest.raises(ContentError, match=message):
        Exercise.from_data(exercise_data(**change))


def test_an_interrupt_stops_the_remaining_cases(exercise: Exercise, rules: Rules) -> None:
    source = "def monthly_connects(plan):\n    print('called with', plan)\n    raise KeyboardInterrupt\n"
    result = grade(exercise, source, rules)
    check = by_id(result)["matches"]
    assert check.message.startswith("monthly_connects('basic') was interrupted")
    assert result.output == "called with basic\n"  # one call, not one per case


def test_a_wrong_amount_is_shown_without_float_noise(rules: Rules) -> None:
    """Amounts are compared to the cent, so a message shows them as a reader reads them: 6.49, not 6.489999999999998."""
    exercise = Exercise.from_data(exercise_data(
        checks=[{"id": "matches", "kind": "function", "function": "monthly_cost", "reference": "monthly_cost",
                 "cases": [["basic", 53]], "generated": 0, "seed": 1}], wrong=[]))
    noisy = "def monthly_cost(plan, need):\n    return 0.1 + 0.2 + 6.19 - 0.01 - 0.000000000000002\n"
    message = by_id(grade(exercise, noisy, rules))["matches"].message
    assert message.startswith("monthly_cost('basic', 53) returned 6.48, but the answer is "), message
    assert "0000" not in message


def changed_exercise(**changed: Any) -> Exercise:
    """The allowance exercise whose reads_rules check runs the function again with other figures."""
    data = exercise_data()
    data["checks"][2]["changed"] = changed or {"plan.plus.monthly_connects": 120, "plan.basic.monthly_connects": 15}
    return Exercise.from_data(data)


HIDDEN = 'def monthly_connects(plan):\n    x = 4\n    return {"basic": x + 6, "plus": x * 25}[plan]\n'


def test_code_right_today_only_because_it_types_the_figures_fails_under_other_figures(rules: Rules) -> None:
    """No literal equals a figure (4, 6, 25), so only running it with other figures shows that it types them."""
    exercise = changed_exercise()
    without = by_id(grade(Exercise.from_data(exercise_data()), HIDDEN, rules))["reads"]
    assert without.message.startswith("Your code never reads"), "reading it shows only that no figure is named"
    result = grade(exercise, HIDDEN, rules)
    check = by_id(result)["reads"]
    assert result.status == "failed"
    assert by_id(result)["matches"].passed
    assert not check.passed
    assert check.message.startswith("Your code gives today's answers, but it does not follow the rules when they change. "
                                    "With RULES['plan.plus.monthly_connects'] = 120, RULES['plan.basic.monthly_connects'] = 15, "
                                    "monthly_connects('basic') returned 10, but the answer would be 15.")
    assert check.misconception == "Read figures from RULES.", "it behaves as the typed attempt does, in both runs"


def test_code_that_reads_the_rules_passes_under_other_figures_and_says_so(rules: Rules) -> None:
    result = grade(changed_exercise(), SOLUTION, rules)
    assert result.status == "passed"
    assert by_id(result)["reads"].message == ("No plan figure is typed in your code, and it follows the rules when they "
                                              "change (RULES['plan.plus.monthly_connects'] = 120, "
                                              "RULES['plan.basic.monthly_connects'] = 15).")


def test_code_wrong_today_is_left_to_its_function_check(rules: Rules) -> None:
    """Other figures would only show the same fault again: reads_rules claims only that nothing is typed, and says
    that the run under other figures comes once the functions give today's answers."""
    always_plus = 'def monthly_connects(plan):\n    return RULES["plan.plus.monthly_connects"]\n'
    result = grade(changed_exercise(), always_plus, rules)
    assert not by_id(result)["matches"].passed
    assert by_id(result)["reads"].passed
    assert by_id(result)["reads"].message == (
        "No plan figure is typed in your code. Once your functions give today's answers, they run again with other "
        "figures, to show they follow the rules.")


def test_a_check_with_nothing_to_read_and_its_run_still_to_come_does_not_pass(rules: Rules) -> None:
    """With no figure to look for (`figures: []`), a reads_rules check has checked nothing while the functions are wrong:
    it said PASS for a starter that returns 0 (session 36: profile/completeness), now it says it waits for them."""
    exercise = changed_exercise()
    data = exercise.to_data()
    data["checks"][2]["figures"] = []
    nothing_typed = Exercise.from_data(data)
    result = grade(nothing_typed, "def monthly_connects(plan):\n    return 0\n", rules)
    assert not by_id(result)["matches"].passed
    assert not by_id(result)["reads"].passed
    assert by_id(result)["reads"].message == (
        "Not checked yet: once your functions give today's answers, they run again with other figures, to show they "
        "follow the rules.")
    assert grade(nothing_typed, SOLUTION, rules).status == "passed"


def test_the_second_run_is_isolated_too(rules: Rules) -> None:
    """The CLI's child process runs the program twice as the page does, and the parent judges both runs."""
    from quizkit.isolate import grade_isolated

    exercise = changed_exercise()
    assert grade_isolated(exercise, SOLUTION, rules).status == "passed"
    isolated = grade_isolated(exercise, HIDDEN, rules)
    assert by_id(isolated)["reads"].message == by_id(grade(exercise, HIDDEN, rules))["reads"].message


def test_a_program_that_fails_only_with_other_figures_says_so(rules: Rules) -> None:
    fragile = ('def monthly_connects(plan):\n    if RULES["plan.plus.monthly_connects"] != 100:\n'
               '        raise ValueError("surprise")\n    return RULES[f"plan.{plan}.monthly_connects"]\n')
    check = by_id(grade(changed_exercise(), fragile, rules))["reads"]
    assert not check.passed
    changed = "RULES['plan.plus.monthly_connects'] = 120, RULES['plan.basic.monthly_connects'] = 15"
    assert f"With other figures ({changed}), monthly_connects('basic') raised an error: " in check.message


def test_changed_figures_belong_to_a_reads_rules_check_only() -> None:
    data = exercise_data()
    data["checks"][1]["changed"] = {"plan.plus.monthly_connects": 120}
    with pytest.raises(ContentError, match="only a 'reads_rules' check runs the code again"):
        Exercise.from_data(data)


def test_a_changed_figure_that_the_rules_come_to_hold_is_moved_so_the_check_still_tests(rules: Rules) -> None:
    """Upwork sets Plus to the author's "other" 120: the second run uses 121, with no edit to the exercise."""
    now_120 = with_values(rules, **{"plan.plus.monthly_connects": 120})
    exercise = changed_exercise(**{"plan.plus.monthly_connects": 120})
    typed = 'def monthly_connects(plan):\n    x = 12\n    return {"basic": x - 2, "plus": x * 10}[plan]\n'
    check = by_id(grade(exercise, typed, now_120))["reads"]
    assert not check.passed
    assert "With RULES['plan.plus.monthly_connects'] = 121, monthly_connects('plus') returned 120, but the answer would be 121." \
        in check.message
    assert grade(exercise, SOLUTION, now_120).status == "passed"


@pytest.mark.parametrize(("terms", "kind"), [(3_000, None), (20_000, "syntax")])
def test_code_nested_thousands_deep_gets_a_verdict_not_an_internal_error(rules: Rules, terms: int, kind: str | None) -> None:
    """`1+1+...+1`: the grader's reading of it, or Python's compiling of it, recurses; neither is a fault of ours."""
    source = SOLUTION + "X = " + "+".join(["1"] * terms) + "\n"
    result = grade(changed_exercise(), source, rules)
    assert result.status in ("passed", "failed", "error")
    if kind is not None:
        assert result.status == "error"
        assert result.error is not None
        assert result.error.kind == kind
        assert "nested too deeply" in result.error.message


def test_a_program_whose_own_assert_fails_under_other_figures_is_told_so(rules: Rules) -> None:
    asserting = SOLUTION + 'assert monthly_connects("plus") == 100\n'
    check = by_id(grade(changed_exercise(), asserting, rules))["reads"]
    assert not check.passed
    assert check.message.startswith("Your program was run again with other figures (")
    assert "If it checks today's answers itself (an `assert` at the end)" in check.message
    assert check.misconception == "", "it types no figure: not the typed attempt's message"


def test_a_function_defined_only_under_todays_figures_is_said_to_be_missing(rules: Rules) -> None:
    only_today = 'if RULES["plan.plus.monthly_connects"] == 100:\n' + "".join(f"    {line}\n" for line in SOLUTION.splitlines())
    check = by_id(grade(changed_exercise(), only_today, rules))["reads"]
    assert not check.passed
    assert "your code does not define a function `monthly_connects`: define it whatever the figures are." in check.message


def test_partly_typed_code_that_reading_shows_gets_the_typed_attempts_message(rules: Rules) -> None:
    """The second run's answers differ from the typed attempt's, but the failure is the literal: today's answers match."""
    check = by_id(grade(changed_exercise(), HALF_RIGHT, rules))["reads"]
    assert "Line 2 types 100" in check.message
    assert check.misconception == "Read figures from RULES."


def test_an_authors_message_for_the_second_run_gets_its_call_and_values(rules: Rules) -> None:
    data = exercise_data()
    data["checks"][2]["changed"] = {"plan.plus.monthly_connects": 120, "plan.basic.monthly_connects": 15}
    data["checks"][2]["message"] = "{call} gave {actual}, not {expected}; {unknown} stays"
    check = by_id(grade(Exercise.from_data(data), HIDDEN, rules))["reads"]
    assert check.message == "monthly_connects('basic') gave 10, not 15; {unknown} stays"


def test_stop_between_two_pieces_of_learner_code_is_an_interrupt_and_the_guard_still_runs(
        rules: Rules, monkeypatch: pytest.MonkeyPatch) -> None:
    """An interrupt can land in the grader's own code between the runs; it must still undo what the program changed."""
    from quizkit import grader, integrity

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    guard = integrity.capture()
    monkeypatch.setattr(grader, "observed_here", interrupted)
    restored: list[bool] = []
    monkeypatch.setattr(grader, "_tampered", lambda baseline, **_: restored.append(baseline is guard))
    result = grade(changed_exercise(), SOLUTION, rules, guard)
    assert restored == [True]
    assert result.status == "error"
    assert result.error is not None
    assert result.error.kind == "interrupt"


def test_a_builtin_rebound_under_the_graders_own_code_is_the_programs_doing(
        rules: Rules, monkeypatch: pytest.MonkeyPatch) -> None:
    """A `__del__` the program left can rebind a builtin while the grader's own code runs, which then fails: the
    Check ends in `tamper` (the page replaces the interpreter), not in "a fault in the course", and the builtin is back."""
    import builtins

    from quizkit import grader, integrity

    real_len = builtins.len

    def rebound(*_: object) -> None:
        builtins.len = None  # type: ignore[assignment]
        raise TypeError("'NoneType' object is not callable")

    monkeypatch.setattr(grader, "observed_here", rebound)
    guard = integrity.capture()  # with the stand-in: the guard must see only the builtin change
    try:
        result = grade(changed_exercise(), SOLUTION, rules, guard)
    finally:
        builtins.len = real_len
    assert result.status == "error"
    assert result.error is not None
    assert (result.error.kind, result.internal) == ("tamper", "")
    assert "changed Python's builtins while it was checked" in result.error.message


def premium_exercise() -> Exercise:
    """An exercise whose answers rest on Plus's price (low confidence, not in the article) and on Connects'."""
    solution = ("def plus_premium(need):\n    extra = max(0, need - RULES['plan.basic.monthly_connects'])\n"
                "    return round(RULES['plan.plus.price_usd'] - extra * RULES['purchase.price_per_connect_usd'], 2)\n")
    return Exercise.from_data(exercise_data(
        id="premium", solution=solution, starter="def plus_premium(need):\n    return 0\n",
        checks=[{"id": "matches", "kind": "function", "function": "plus_premium", "reference": "plus_premium",
                 "cases": [[0]]}],
        wrong=[]))


def test_a_wrong_answer_shows_the_right_one_with_the_month_and_confidence_of_its_least_sure_figure(rules: Rules) -> None:
    exercise = premium_exercise()
    price = rules.figures["plan.plus.price_usd"]
    assert (price.confidence, price.in_article) == ("low", False), "the figure this test is about"
    result = grade(exercise, "def plus_premium(need):\n    return 0.0\n", rules)
    # The answer also reads the price of a Connect (high confidence): the reader is warned of the least sure.
    assert by_id(result)["matches"].message == (
        f"plus_premium(0) returned 0.0, but the answer is {price.value} ({price.as_of_text} · low).")


def test_an_answer_resting_only_on_the_articles_sure_figures_has_no_marker(rules: Rules) -> None:
    sure = dict(rules.figures)
    for figure_id in ("plan.plus.price_usd", "plan.basic.price_usd", "purchase.price_per_connect_usd"):
        sure[figure_id] = dataclasses.replace(sure[figure_id], in_article=True, confidence="high")
    result = grade(premium_exercise(), "def plus_premium(need):\n    return 0.0\n", dataclasses.replace(rules, figures=sure))
    assert by_id(result)["matches"].message == f"plus_premium(0) returned 0.0, but the answer is {rules.value('plan.plus.price_usd')}."


def test_of_the_figures_an_answer_rests_on_the_least_sure_is_named_not_the_first_read(rules: Rules) -> None:
    figures = dict(rules.figures)  # plus_premium reads Plus's price before Basic's
    figures["plan.plus.price_usd"] = dataclasses.replace(figures["plan.plus.price_usd"], confidence="medium")
    figures["plan.basic.price_usd"] = dataclasses.replace(figures["plan.basic.price_usd"], confidence="low")
    result = grade(premium_exercise(), "def plus_premium(need):\n    return 0.0\n", dataclasses.replace(rules, figures=figures))
    basic = figures["plan.basic.price_usd"]
    assert by_id(result)["matches"].message.endswith(f"the answer is {rules.value('plan.plus.price_usd')} ({basic.as_of_text} · low).")


# ---------------------------------------------------------------- what the grader reads of the source, kept quick


@pytest.mark.parametrize("seed", range(40))
def test_an_f_string_spells_a_figure_id_as_a_regular_expression_would_say(seed: int) -> None:
    import random
    import re

    from quizkit.grader import _spells

    rng = random.Random(seed)
    text = "".join(rng.choice("ab.") for _ in range(rng.randint(1, 9)))
    parts = [None if rng.random() < 0.4 else "".join(rng.choice("ab.") for _ in range(rng.randint(1, 3)))
             for _ in range(rng.randint(1, 6))]
    pattern = "".join(".+" if part is None else re.escape(part) for part in parts)
    assert _spells(parts, text) is bool(re.fullmatch(pattern, text)), (parts, text)


def test_an_f_string_of_many_placeholders_is_read_at_once(rules: Rules) -> None:
    # Read as a regular expression (`.+` twenty times), it backtracked for hours in the grader, after the code ran.
    exercise = Exercise.from_data(exercise_data(checks=[
        {"id": "matches", "kind": "function", "function": "monthly_connects", "reference": "monthly_connects",
         "cases": [["basic"]]},
        {"id": "reads", "kind": "reads_rules", "figures": ["plan.plus.monthly_connects"]}], wrong=[]))
    source = 'a = "x"\nif False:\n    print(f"' + "{a}" * 20 + '!")\n' + SOLUTION
    assert grade(exercise, source, rules).status == "passed"


def test_arithmetic_on_numbers_no_figure_is_near_is_not_worked_out() -> None:
    import ast

    from quizkit.grader import _number_value

    def value(text: str) -> float | None:
        node = ast.parse(text, mode="eval").body
        assert isinstance(node, ast.expr)
        return _number_value(node)

    assert value("5 * 2 + 90") == 100
    assert value("-(10 - 4) // 2") == -3
    assert value("9" * 13 + " * 2") is None  # past any figure: long-integer arithmetic on 3 MB of them took minutes
    assert value("(" + "9" * 4000 + " * " + "9" * 4000 + ") // 7") is None


@pytest.mark.parametrize(("code", "typed"), [
    ("range(10**6)", [1_000_000]),  # a loop bound: neither 10 nor 6 is typed
    ("10 ** 2", [100]),  # Plus's 100, typed another way
    ("10 ** 2 + 1", [101, 1]),
    ("9 ** 9 ** 9", []),  # past any figure: never worked out, and its operands are no figures either
    ("2 ** -1", [0.5]),
    ("(-8) ** 0.5", []),  # not a real number
    ("x ** 2", [2]),  # not folded: the exponent is a number the code types
])
def test_the_operands_of_a_power_of_typed_numbers_are_not_typed(code: str, typed: list[float]) -> None:
    import ast

    from quizkit.grader import _typed_numbers

    assert [value for value, _ in _typed_numbers(ast.parse(code))] == typed


def test_a_loop_bound_written_as_a_power_is_not_blamed_as_a_figure(exercise: Exercise, rules: Rules) -> None:
    """`range(100**3)` beside code that reads Plus's 100 by a computed key: 100 is the base of a power, not a figure."""
    loops = ('def monthly_connects(plan):\n    for _ in range(100**3):\n        break\n'
             '    return RULES["plan." + plan + ".monthly_connects"]\n')
    check = by_id(grade(exercise, loops, rules))["reads"]
    assert check.passed, check.message
    typed = 'def monthly_connects(plan):\n    return 10 ** 2 if plan == "plus" else RULES["plan.basic.monthly_connects"]\n'
    check = by_id(grade(exercise, typed, rules))["reads"]
    assert not check.passed
    assert "Line 2 types 100" in check.message


def test_a_known_wrong_attempt_runs_once_for_an_exercise_however_often_it_is_rebuilt(rules: Rules) -> None:
    from quizkit import grader

    # The page's worker builds the exercise afresh from its JSON for each Check: the cache must still answer.
    first = grade(Exercise.from_data(exercise_data()), ALWAYS_BASIC, rules)
    size = len(grader._WRONG_OBSERVED)
    again = grade(Exercise.from_data(exercise_data()), ALWAYS_BASIC, rules)
    assert len(grader._WRONG_OBSERVED) == size
    assert again.misconceptions == first.misconceptions == ("Each plan has its own figure.",)


def test_a_global_key_that_collides_with_a_function_name_is_not_asked_whether_it_is_that_name(
        exercise: Exercise, rules: Rules) -> None:
    # Looking the function up with `globals.get` ran this key's __eq__ outside any guard: an error of ours.
    key = ("class Evil:\n    armed = False\n    def __hash__(self):\n        return hash('monthly_connects')\n"
           "    def __eq__(self, other):\n        if Evil.armed:\n            raise RuntimeError('asked')\n"
           "        return False\n"
           "globals()[Evil()] = 1\n")
    assert grade(exercise, key + SOLUTION + "Evil.armed = True\n", rules).status == "passed"
    assert grade(exercise, key + ALWAYS_BASIC + "Evil.armed = True\n", rules).status == "failed"


def test_a_profile_sections_weight_can_be_changed_for_the_second_run(rules: Rules) -> None:
    """The course's weights add up to 100 today: code that only works while they do is caught by other weights."""
    from quizkit.model import section_weight_key

    rate = section_weight_key("rate")
    other = rules.changed({rate: 25, "plan.plus.monthly_connects": 120})
    assert {s.id: s.weight for s in other.profile_sections}["rate"] == 25
    assert other.value("plan.plus.monthly_connects") == 120
    assert rules.section_weight(rate) == {s.id: s.weight for s in rules.profile_sections}["rate"], "today's rules unchanged"
    assert rules.section_weight("PROFILE_SECTIONS.nope.weight") is None
    with pytest.raises(KeyError, match=r"unknown rule 'PROFILE_SECTIONS\.nope\.weight'"):
        rules.changed({"PROFILE_SECTIONS.nope.weight": 5})


def _weights_exercise(changed: dict[str, Any]) -> Exercise:
    return Exercise.from_data({
        "id": "weights", "title": "W", "lesson": "profile", "prompt": "p", "starter": "", "solution": "", "hints": ["h"],
        "checks": [{"id": "defines", "kind": "defines", "name": "completeness"},
                   {"id": "score", "kind": "function", "function": "completeness", "reference": "completeness",
                    "cases": [[{"photo": "complete", "title": "complete", "overview": "complete"}]]},
                   {"id": "weights", "kind": "reads_rules", "figures": [], "changed": changed}]})


def test_code_that_needs_the_weights_to_add_up_to_100_fails_under_other_weights(rules: Rules) -> None:
    fair = ('def completeness(statuses):\n    credit = {"complete": 1, "update": 0.5, "missing": 0}\n'
            '    earned = sum(s["weight"] * credit[statuses.get(s["id"], "missing")] for s in PROFILE_SECTIONS)\n'
            '    return round(100 * earned / sum(s["weight"] for s in PROFILE_SECTIONS))\n')
    lucky = fair.replace('round(100 * earned / sum(s["weight"] for s in PROFILE_SECTIONS))', "round(earned)")
    exercise = _weights_exercise({"PROFILE_SECTIONS.rate.weight": 25})
    assert sum(s.weight for s in rules.profile_sections) == 100, "why `lucky` passes the first run"
    passed = by_id(grade(exercise, fair, rules))["weights"]
    assert passed.passed
    assert passed.message == "Your code follows the figures it reads when they change (PROFILE_SECTIONS' 'rate' weight = 25)."
    failed = by_id(grade(exercise, lucky, rules))
    assert failed["score"].passed
    assert not failed["weights"].passed
    assert "With PROFILE_SECTIONS' 'rate' weight = 25, completeness(" in failed["weights"].message


def test_a_changed_weight_must_be_a_whole_number_of_a_known_section(rules: Rules) -> None:
    from quizkit.course import _changed_problems

    assert _changed_problems(rules, _weights_exercise({"PROFILE_SECTIONS.rate.weight": 25})) == []
    assert _changed_problems(rules, _weights_exercise({"PROFILE_SECTIONS.rate.weight": "25"})) == [
        (2, "changed: PROFILE_SECTIONS.rate.weight is a whole number, not text")]
    assert _changed_problems(rules, _weights_exercise({"PROFILE_SECTIONS.rate.weight": 12.5})) == [
        (2, "changed: PROFILE_SECTIONS.rate.weight is a whole number, not a fraction")]
    assert _changed_problems(rules, _weights_exercise({"PROFILE_SECTIONS.nope.weight": 25})) == [
        (2, "changed: unknown rule 'PROFILE_SECTIONS.nope.weight'")]
