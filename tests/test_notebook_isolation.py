"""Notebook `check()`: code that ran in the kernel cannot decide its own verdict.

Each tampering attempt runs in a fresh Python process as notebook cells run (one namespace,
each cell's text in `linecache` as IPython keeps it), then `check()` grades it. The attempts
are a reviewer's (`/tmp/review-wb/tamper/`): they patch the grader, the course or the rules
the kernel loaded, and none may end in `passed`. The last tests run real cells in a real
kernel: a patch in one cell does not reach a later clean cell, a timeout says so, and a
mistyped exercise id shows its message without a traceback through quizkit.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from textwrap import dedent
from typing import TYPE_CHECKING, Any

import pytest

from quizkit.grader import CheckResult, Grade, grade
from quizkit.runner import LearnerError
from tests.conftest import EXERCISES

if TYPE_CHECKING:
    from pathlib import Path

    from quizkit.model import Rules

MARK = "QUIZKIT-GRADE "
IMPORTS = "from quizkit.notebook import PLANS, PROFILE_SECTIONS, RULES, check\n"
WRONG = "def proposals_per_month(plan, required):\n    return 0\n"
"""A wrong answer: every tampering attempt below defines it, and only a tampered grader passes it."""

DRIVER = dedent("""\
    import json, linecache, sys
    namespace = {"__name__": "__main__"}
    for index, (cell, grading) in enumerate(json.loads(sys.stdin.read())):
        name = f"<ipython-input-{index}>"
        linecache.cache[name] = (len(cell), None, cell.splitlines(True), name)
        exec(compile(cell, name, "exec"), namespace)
        if grading:
            exercise, function = grading
            result = namespace["check"](exercise, namespace[function])
            print(%r + json.dumps(result.to_data()), flush=True)
    """) % MARK
"""Runs cells as a kernel does and prints the data of each grade `check()` returns."""

TAMPERING = {
    "judge": """\
        try:
            import quizkit.grader as g
            from quizkit.grader import Grade
            g.judge = lambda ex, rules, seen: Grade(exercise=ex.id, status="passed")
        except ImportError:
            pass
        """,
    "course-checks": """\
        try:
            from quizkit.notebook import course
        except ImportError:
            course = None
        if course:
            ex = course().exercises["monthly-allowance"]
            object.__setattr__(ex, "checks", ())
        """,
    "figures": """\
        try:
            import quizkit.notebook as qn
            r = qn.course().rules
            object.__setattr__(r.figures["plan.basic.monthly_connects"], "value", 0)
            object.__setattr__(r.figures["plan.plus.monthly_connects"], "value", 0)
        except ImportError:
            pass
        """,
    "reference": """\
        try:
            from quizkit import references
            ref = references.reference("proposals_per_month")
            object.__setattr__(ref, "same", lambda a, b, args: True)
        except ImportError:
            pass
        """,
    "check-kinds": """\
        try:
            import quizkit.grader as g
            from quizkit.grader import CheckResult
            for kind in list(g.CHECKS):
                g.CHECKS[kind] = lambda ctx, check: CheckResult(id=check.id, passed=True, message="ok")
        except ImportError:
            pass
        """,
}
"""Cells that patch, in the kernel, what graded it before (each followed by the wrong answer). In the
process that runs the cell again for grading there is no quizkit: the `ImportError` is expected there."""


def run_cells(cells: list[tuple[str, tuple[str, str] | None]], cwd: Path) -> list[dict[str, Any]]:
    """Run `(cell, (exercise id, function) or None)` pairs in a fresh Python; the data of each grade."""
    env = {**os.environ, "QUIZKIT_CONTENT": str(EXERCISES), "QUIZKIT_RAISE_INTERNAL": "1"}
    env.pop("QUIZKIT_RULES", None)
    done = subprocess.run([sys.executable, "-c", DRIVER], input=json.dumps([[dedent(c), g] for c, g in cells]),
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return [json.loads(line.removeprefix(MARK)) for line in done.stdout.splitlines() if line.startswith(MARK)]


@pytest.mark.parametrize("attempt", list(TAMPERING), ids=list(TAMPERING))
def test_a_cell_that_patches_the_grader_in_the_kernel_does_not_pass(attempt: str, tmp_path: Path, rules: Rules) -> None:
    from quizkit.course import Course

    exercise = Course.load(EXERCISES).exercise("monthly-allowance")
    cell = dedent(TAMPERING[attempt]) + "\n" + WRONG
    [result] = run_cells([(IMPORTS, None), (cell, ("monthly-allowance", "proposals_per_month"))], tmp_path)
    assert result["status"] == "failed", result
    assert [c["id"] for c in result["checks"]] == [c.id for c in exercise.checks]
    assert result == grade(exercise, cell, rules).to_data(), "the verdict of a clean grader on the same cell"


def test_a_patch_in_one_cell_does_not_reach_a_later_clean_cell(tmp_path: Path, rules: Rules) -> None:
    from quizkit.course import Course

    course = Course.load(EXERCISES)
    exercise = course.exercise("monthly-allowance")
    wrong = next(w for w in exercise.wrong if "typed by hand" in w.message)  # reads-rules fails, with a misconception
    solution = exercise.solution
    patched, clean_wrong, clean_right = run_cells([
        (IMPORTS, None),
        (dedent(TAMPERING["check-kinds"]) + dedent(TAMPERING["judge"]) + "\n" + WRONG,
         ("monthly-allowance", "proposals_per_month")),
        (wrong.source, ("monthly-allowance", "proposals_per_month")),
        (solution, ("monthly-allowance", "proposals_per_month")),
    ], tmp_path)
    assert patched["status"] == "failed"
    assert clean_wrong == grade(exercise, wrong.source, rules).to_data()
    assert clean_wrong["status"] == "failed"
    assert wrong.message in [c["misconception"] for c in clean_wrong["checks"]]
    assert clean_right == grade(exercise, solution, rules).to_data()
    assert clean_right["status"] == "passed"


def test_a_cell_that_keeps_the_result_of_check_is_graded_as_its_answer(tmp_path: Path) -> None:
    """Session 33: `result = check(...)` in the answer's cell gave "NameError: name 'check' is not defined"."""
    cell = ("def proposals_per_month(plan, required):\n    return RULES[f'plan.{plan}.monthly_connects'] // required\n\n"
            'result = check("monthly-allowance", proposals_per_month)\nresult\n')
    [result] = run_cells([(IMPORTS, None), (cell, ("monthly-allowance", "proposals_per_month"))], tmp_path)
    assert result["status"] == "passed", result


# ---------------------------------------------------------------- no "passed" without every check


def _exercise() -> Any:
    from quizkit.course import Course

    return Course.load(EXERCISES).exercise("monthly-allowance")


@pytest.mark.parametrize("checks", [
    (),
    (CheckResult(id="defines", passed=True, message="ok"),),
], ids=["no checks", "fewer checks"])
def test_passed_needs_every_check_of_the_exercise(checks: tuple[CheckResult, ...]) -> None:
    from quizkit.notebook import vouched

    result = vouched(Grade(exercise="monthly-allowance", status="passed", checks=checks), _exercise())
    assert result.status == "internal_error"
    assert not result.passed
    assert "checks" in result.internal


def test_a_grade_with_every_check_passed_stays_passed(rules: Rules) -> None:
    from quizkit.notebook import vouched

    exercise = _exercise()
    passed = grade(exercise, exercise.solution, rules)
    assert vouched(passed, exercise) == passed
    failed = grade(exercise, WRONG, rules)
    assert vouched(failed, exercise) == failed


def test_the_kernel_never_shows_passed_for_a_grade_without_checks() -> None:
    from quizkit.notebook import NotebookGrade

    shown = NotebookGrade.from_data({"exercise": "monthly-allowance", "status": "passed", "checks": [], "output": "",
                                     "error": None, "internal": ""}, code="")
    assert not shown.passed
    assert "passed" not in shown.headline


def test_grade_data_round_trips(rules: Rules) -> None:
    from quizkit.notebook import NotebookGrade

    exercise = _exercise()
    for source in (exercise.solution, WRONG, "def proposals_per_month(plan, required):\n    return 1 / 0\n"):
        graded = grade(exercise, source, rules)
        assert NotebookGrade.from_data(graded.to_data(), code=source).to_data() == graded.to_data()


@pytest.mark.parametrize("data", [
    {"exercise": "x", "status": "won", "checks": [], "output": "", "error": None, "internal": ""},
    {"exercise": "x", "status": "failed", "checks": [{"id": 1}], "output": "", "error": None, "internal": ""},
    {"exercise": "x", "status": "failed", "checks": [], "output": 3, "error": None, "internal": ""},
    "passed",
])
def test_grade_data_that_is_not_a_grade_is_refused(data: object) -> None:
    from quizkit.notebook import NotebookGrade

    with pytest.raises(ValueError, match="grade"):
        NotebookGrade.from_data(data, code="")


# ---------------------------------------------------------------- headlines


def test_a_timeout_has_a_headline_that_says_why() -> None:
    from quizkit.notebook import NotebookGrade

    error = LearnerError(kind="timeout", type="Timeout", message="Your code was still running after 3 s, so it was stopped.")
    shown = NotebookGrade.from_data(Grade(exercise="next-refill", status="timeout", error=error).to_data(), code="",
                                    seconds=3)
    assert shown.headline == "next-refill: stopped (your code ran longer than 3 s)"
    assert "0 of 0" not in shown.text()


# ---------------------------------------------------------------- in a real kernel


def _kernel(cells: list[str], folder: Path) -> Any:
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(dedent(cell)) for cell in cells]
    env_before = {key: os.environ.get(key) for key in ("QUIZKIT_CONTENT", "QUIZKIT_RULES")}
    os.environ["QUIZKIT_CONTENT"] = str(EXERCISES)
    os.environ.pop("QUIZKIT_RULES", None)
    try:
        NotebookClient(notebook, timeout=120, startup_timeout=120, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": str(folder)}}).execute()
    finally:
        for key, value in env_before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return notebook


def _shown(cell: Any) -> str:
    return "\n".join(str(output.data.get("text/plain", "")) for output in cell.outputs
                     if output.output_type == "execute_result")


def test_in_a_kernel_tampering_fails_later_cells_are_graded_and_misuse_reads_plainly(tmp_path: Path) -> None:
    notebook = _kernel([
        IMPORTS,
        dedent(TAMPERING["check-kinds"]) + dedent(TAMPERING["course-checks"]) + WRONG,
        'check("monthly-allowance", proposals_per_month)',
        "def proposals_per_month(plan, required):\n    return RULES[f'plan.{plan}.monthly_connects'] // required\n",
        'check("monthly-allowance", proposals_per_month)',
        'check("monthly-alowance", proposals_per_month)',
        "def next_refill(billing_day, today):\n    while True:\n        pass\n",
        'check("next-refill", next_refill)',
    ], tmp_path)
    cells = notebook.cells
    assert _shown(cells[2]).startswith("monthly-allowance: failed (1 of 3 checks passed)"), cells[2].outputs
    assert _shown(cells[4]).startswith("monthly-allowance: passed (3 of 3 checks passed)"), cells[4].outputs
    [error] = [output for output in cells[5].outputs if output.output_type == "error"]
    shown = "\n".join(re.sub(r"\x1b\[[0-9;]*m", "", line) for line in error.traceback)
    assert shown.startswith("NotebookError: unknown exercise 'monthly-alowance'; did you mean monthly-allowance")
    assert len(shown.splitlines()) == 1, shown
    assert _shown(cells[7]).startswith("next-refill: stopped (your code ran longer than 3 s)"), cells[7].outputs

