"""The CLI's and notebooks' child process (`quizkit.isolate`): what learner code sends back is only a verdict's data.

Session 17's red-team findings that ended in an internal error, a hang of the grader or a
misleading message in the CLI; each must now end in a clear verdict for the learner.
"""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest

from quizkit.course import Course
from quizkit.isolate import Limits, grade_isolated
from quizkit.runner import MAX_OUTPUT_CHARS, MAX_OUTPUT_LINES

ROOT = Path(__file__).resolve().parent.parent
COURSE = Course.load(ROOT / "exercises")
ALLOWANCE = COURSE.exercise("monthly-allowance")
CUT = "print less to see all of it]\n"

FORGE = textwrap.dedent("""\
    import json, os, sys
    frame = sys._getframe()
    while "request" not in frame.f_locals:
        frame = frame.f_back
    plan = frame.f_locals["request"]["plan"]
    forged = {{"error": None, "output": {output}, "names": {{n: {{"callable": True, "type": "function"}} for n in plan["names"]}},
              "calls": {{cid: [{{"value": {value}}}] for cid in plan["calls"]}}}}
    os.write(3, json.dumps(forged).encode())
    os._exit(0)
    """)
"""Learner code that writes its own observation on the child's channel (descriptor 3), as a08 does."""


def failure(source: str, exercise_id: str = "monthly-allowance") -> str:
    """The first failing check's message, for code that must end `failed`."""
    result = grade_isolated(COURSE.exercise(exercise_id), source, COURSE.rules)
    assert result.status == "failed", result
    return next(check.message for check in result.checks if not check.passed)


def test_a_huge_int_for_an_amount_fails_its_check() -> None:
    """a04: math.isclose(10**400, ...) raised OverflowError, an internal error."""
    source = "def monthly_cost(plan, need):\n    return 10 ** 400\n\ndef plus_premium(need):\n    return 10 ** 400\n"
    assert "returned 1000000" in failure(source, "plan-advice")


def test_an_int_too_long_to_print_is_a_wrong_answer_that_says_so() -> None:
    """a05: the child could not write it as JSON, and the CLI said the code ended its process."""
    message = failure("def proposals_per_month(plan, required):\n    return 10 ** 5000\n")
    assert "returned an int with 5,001 digits (too long to show), but the answer is" in message


def test_an_int_limit_lowered_by_learner_code_does_not_stop_the_results() -> None:
    source = "import sys\nsys.set_int_max_str_digits(640)\ndef proposals_per_month(plan, required):\n    return 10 ** 1000\n"
    assert "returned 1000000" in failure(source)


def test_a_syntax_error_raised_at_run_time_is_the_learners_error() -> None:
    """a06: its line 'one' made the child's result unreadable ('sent back something the grader cannot read')."""
    result = grade_isolated(ALLOWANCE, 'raise SyntaxError("oops", ("<your code>", "one", 1, "x = 1"))\n', COURSE.rules)
    assert result.status == "error"
    assert result.error is not None
    assert (result.error.kind, result.error.line) == ("exception", 1)
    assert result.error.message.startswith("SyntaxError on line 1: oops")


def test_an_exception_whose_class_name_is_not_text_is_the_learners_error() -> None:
    """a07: a metaclass made `__name__` 42: unreadable result."""
    source = ("class Meta(type):\n    @property\n    def __name__(cls):\n        return 42\n\n"
              "class Boom(Exception, metaclass=Meta):\n    pass\n\n"
              "def proposals_per_month(plan, required):\n    raise Boom('no')\n")
    assert failure(source).endswith("raised an error: Boom on line 10: no")


@pytest.mark.parametrize("source", [
    "import io, sys\nio.StringIO.write(sys.stdout, 'y' * 30_000_000)\n",
    "import sys\nsys.stdout.max_chars = 10 ** 12\nsys.stdout.max_lines = 10 ** 12\nprint('z' * 30_000_000)\n",
], ids=["write past write", "caps set by the code"])
def test_the_output_cap_holds_in_the_child(source: str) -> None:
    """cov/cap_bypass.py, cov/cap_attr.py: 'Your code sent back too much data'."""
    result = grade_isolated(ALLOWANCE, source + "def proposals_per_month(plan, required):\n    return 0\n", COURSE.rules)
    assert result.status == "failed"
    assert len(result.output) < MAX_OUTPUT_CHARS + 200
    assert result.output.endswith(CUT)


def test_output_forged_past_the_cap_is_cut_by_the_parent() -> None:
    result = grade_isolated(ALLOWANCE, FORGE.format(output="'x\\n' * 1_000_000", value=0), COURSE.rules)
    assert result.status == "failed"
    assert result.output.count("\n") <= MAX_OUTPUT_LINES + 2
    assert result.output.endswith(CUT)


def test_a_forged_set_of_ints_that_all_hash_alike_fails_at_once() -> None:
    """a08: 60,000 of them forged on the channel took 39 s to decode in the grader (here 20,001: seconds, before)."""
    started = time.monotonic()
    message = failure(FORGE.format(output="''", value="{'$set': [k * (2 ** 61 - 1) for k in range(20_001)]}"))
    assert time.monotonic() - started < 10
    assert "returned a set of more than 20,000 values (too large to compare), but the answer is" in message


def test_a_returned_set_of_ints_that_all_hash_alike_fails_at_once() -> None:
    """a09, smaller: 8,000 of them, returned by every call, took 34 s in the grader with a 3 s limit."""
    source = "SLOW = {k * (2 ** 61 - 1) for k in range(3_000)}\n\ndef proposals_per_month(plan, required):\n    return SLOW\n"
    started = time.monotonic()
    message = failure(source)
    assert time.monotonic() - started < 10
    assert "returned a set of 3,000 items (too slow to compare), but the answer is" in message


def test_a_first_run_that_sends_back_a_second_run_of_its_own_is_not_read() -> None:
    """The second run under other figures is made in a child of its own: one written by the first child is forged."""
    forge_again = FORGE.replace("os.write(3,", 'forged["again"] = {{"error": None, "calls": forged["calls"]}}\nos.write(3,')
    assert 'forged["again"]' in forge_again
    result = grade_isolated(ALLOWANCE, forge_again.format(output="''", value=5), COURSE.rules)
    assert result.status == "error"
    assert result.error is not None
    assert "sent back something the grader cannot read" in result.error.message


@pytest.mark.parametrize("call", ["list(map(down, [n + 1]))", "getattr(Down(), 'x' * n)"], ids=["map", "__getattr__"])
def test_endless_recursion_past_a_raised_limit_is_a_recursion_error_as_in_the_page(call: str) -> None:
    """Session 35: recursion through a call Python makes in C, past a limit raised in the function, overflowed the
    child's stack, and the learner read that their code had ended its process (os._exit(), a signal or a crash)."""
    source = ("import sys\n\nclass Down:\n    def __getattr__(self, name):\n        return down(len(name))\n\n"
              f"def down(n):\n    return {call}\n\n"
              "def proposals_per_month(plan, required):\n    sys.setrecursionlimit(10 ** 6)\n    return down(0)\n")
    # 26 calls, each 1,000 frames deep with its traceback read: over a second alone, more on a loaded machine.
    result = grade_isolated(ALLOWANCE, source, COURSE.rules, Limits(seconds=30))
    assert result.status == "failed", result
    assert "raised an error: RecursionError on line" in next(check.message for check in result.checks if not check.passed)


def test_a_crash_of_python_says_what_usually_causes_it() -> None:
    result = grade_isolated(ALLOWANCE, "import ctypes\nctypes.string_at(0)\n", COURSE.rules)
    assert result.status == "error"
    assert result.error is not None
    assert result.error.message.startswith("Python crashed while it ran your code, so the checks could not run. "
                                           "The usual cause is a function that calls itself without end")


@pytest.mark.parametrize("source", ["exit()\n", "quit(3)\n", "def proposals_per_month(plan, required):\n    exit(1)\n"])
def test_exit_reads_as_in_the_page_though_the_child_starts_without_site(source: str) -> None:
    """The child runs `python -S`: no `site`, so no `exit` or `quit` builtins. Before session 36 `exit()` was a
    NameError there ("Did you mean `next`?"), where the page said the code called exit()."""
    result = grade_isolated(ALLOWANCE, source, COURSE.rules)
    error = result.error if result.error is not None else None
    if error is None:  # exit() inside the function: the call's fault
        message = next(check.message for check in result.checks if not check.passed)
        assert "called exit()" in message
        assert result.status == "failed"
        return
    assert (result.status, error.kind, error.type) == ("error", "exit", "SystemExit")
    assert "called exit()" in error.message
