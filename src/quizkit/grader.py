# The grader: learner source in, a structured verdict out. The browser's entry point too.
"""Grade learner code against an exercise's checks.

Expected answers are computed from the rules *before* the learner's code runs, so
nothing the learner redefines can change them. Learner faults become data in the
`Grade`; a fault of ours becomes an `internal_error` grade (or is re-raised when
`QUIZKIT_RAISE_INTERNAL=1`, as the test suite sets it).
"""

from __future__ import annotations

import ast
import copy
import os
import random
import reprlib
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from quizkit import runner
from quizkit.expressions import substitute
from quizkit.references import reference

if TYPE_CHECKING:
    from collections.abc import Callable

    from quizkit.exercise import Check, Exercise, WrongAttempt
    from quizkit.model import Rules

Status = Literal["passed", "failed", "error", "internal_error"]

_short = reprlib.Repr()
_short.maxstring, _short.maxother, _short.maxlist, _short.maxdict, _short.maxlevel = 60, 60, 8, 8, 4


@dataclass(frozen=True, kw_only=True)
class CheckResult:
    """The outcome of one check."""

    id: str
    passed: bool
    message: str
    misconception: str = ""
    """The message of a known-wrong attempt that behaves like the learner's code."""


@dataclass(frozen=True, kw_only=True)
class Grade:
    """Everything the learner sees after Check, as plain data."""

    exercise: str
    status: Status
    checks: tuple[CheckResult, ...] = ()
    output: str = ""
    error: runner.LearnerError | None = None
    internal: str = ""
    """What went wrong on our side, for `internal_error` only."""

    @property
    def passed(self) -> bool:
        """Whether every check passed."""
        return self.status == "passed"

    @property
    def misconceptions(self) -> tuple[str, ...]:
        """Known-wrong attempt messages matched by this code."""
        return tuple(c.misconception for c in self.checks if c.misconception)

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON (the browser and `quizkit grade --json`)."""
        data = asdict(self)
        data["checks"] = list(data["checks"])
        return data


@dataclass(frozen=True, kw_only=True)
class RunReport:
    """What Run shows: the program's output and its fault, if any."""

    output: str
    error: runner.LearnerError | None = None

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return asdict(self)


def _raise_internal() -> bool:
    return os.environ.get("QUIZKIT_RAISE_INTERNAL") == "1"


def learner_globals(rules: Rules) -> dict[str, Any]:
    """Names learner code starts with, each a private copy it may change freely.

    - `RULES`: every figure id with its current value.
    - `PLANS`: the plans in the order the rules list them, as `{"id", "name"}` dicts.
    - `PROFILE_SECTIONS`: the profile sections of the activity, as `{"id", "name", "weight"}` dicts.
    """
    return copy.deepcopy({
        "RULES": rules.values(),
        "PLANS": [{"id": plan.id, "name": plan.name} for plan in rules.plans],
        "PROFILE_SECTIONS": [{"id": s.id, "name": s.name, "weight": s.weight} for s in rules.profile_sections],
    })


def run(rules: Rules, source: str) -> RunReport:
    """Run learner code as a program (the Run button): output and fault."""
    sandbox = runner.new_sandbox(source, learner_globals(rules))
    error = runner.execute(sandbox)
    return RunReport(output=sandbox.output.text(), error=error)


# ---------------------------------------------------------------- cases


@dataclass(frozen=True)
class Case:
    """Arguments of one call with the expected answer."""

    args: list[Any]
    expected: Any


def cases(rules: Rules, check: Check) -> list[Case]:
    """The fixed cases then the generated ones, each with the reference answer."""
    ref = reference(check.reference)
    arg_lists = [ref.convert(list(case)) for case in check.cases]
    rng = random.Random(check.seed)  # noqa: S311 - reproducible test data, not secrets
    arg_lists.extend(ref.generate(rng, rules) for _ in range(check.generated))
    return [Case(args, ref.expected(rules, copy.deepcopy(args))) for args in arg_lists]


def call_text(function: str, args: list[Any]) -> str:
    """`monthly_connects('plus')`, shortened for long arguments."""
    return f"{function}({', '.join(_short.repr(a) for a in args)})"


# ---------------------------------------------------------------- checks


@dataclass
class _Context:
    rules: Rules
    exercise: Exercise
    sandbox: runner.Sandbox
    expected: dict[str, list[Case]]
    observed: dict[str, list[str]] = field(default_factory=dict)
    """Per function check, what the learner's function gave on each case (as repr), to match misconceptions."""


def _failure(check: Check, default: str, **values: str) -> str:
    return check.message.format(**values) if check.message else default


def _check_defines(ctx: _Context, check: Check) -> CheckResult:
    value = ctx.sandbox.globals.get(check.name)
    if value is None:
        message = _failure(check, f"Define `{check.name}`: it is not in your code yet.")
        return CheckResult(id=check.id, passed=False, message=message)
    return CheckResult(id=check.id, passed=True, message=f"`{check.name}` is defined.")


def _observe(sandbox: runner.Sandbox, function: Any, case: Case) -> tuple[runner.Call, str]:
    outcome = runner.call(sandbox, function, copy.deepcopy(case.args))
    seen = f"raised {outcome.error.type}" if outcome.error else repr(outcome.value)
    return outcome, seen


def _check_function(ctx: _Context, check: Check) -> CheckResult:
    function = ctx.sandbox.globals.get(check.function)
    if function is None:
        return CheckResult(id=check.id, passed=False,
                           message=f"Define a function named `{check.function}`: your code does not define it.")
    if not callable(function):
        return CheckResult(id=check.id, passed=False,
                           message=f"`{check.function}` must be a function, but your code made it a {type(function).__name__}.")
    ref = reference(check.reference)
    failure = ""
    seen_all: list[str] = []
    for case in ctx.expected[check.id]:
        outcome, seen = _observe(ctx.sandbox, function, case)
        seen_all.append(seen)
        if outcome.error is not None and outcome.error.kind == "interrupt":
            failure = failure or f"{call_text(check.function, case.args)} was interrupted: {outcome.error.message}"
            break  # the reader asked to stop: do not run the remaining cases
        if failure:
            continue
        call = call_text(check.function, case.args)
        if outcome.error is not None:
            failure = f"{call} raised an error: {outcome.error.message}"
        elif not ref.same(outcome.value, case.expected, case.args):
            actual, expected = _short.repr(outcome.value), _short.repr(case.expected)
            failure = _failure(check, f"{call} returned {actual}, but the answer is {expected}.",
                               call=call, actual=actual, expected=expected)
    ctx.observed[check.id] = seen_all
    if failure:
        return CheckResult(id=check.id, passed=False, message=failure)
    count = len(ctx.expected[check.id])
    return CheckResult(id=check.id, passed=True, message=f"`{check.function}` gives the right answer in all {count} cases.")


def _check_output(ctx: _Context, check: Check) -> CheckResult:
    wanted = substitute(check.text, ctx.rules)
    if wanted in ctx.sandbox.output.getvalue():
        return CheckResult(id=check.id, passed=True, message=f"The output contains {wanted!r}.")
    return CheckResult(id=check.id, passed=False, message=_failure(check, f"The output should contain {wanted!r}."))


def _check_reads_rules(ctx: _Context, check: Check) -> CheckResult:
    try:
        tree = ast.parse(ctx.sandbox.source)
    except SyntaxError:
        return CheckResult(id=check.id, passed=False, message="Your code does not parse.")
    numbers = [(node.value, node.lineno) for node in ast.walk(tree)
               if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool)]
    for figure_id in check.figures:
        figure = ctx.rules.figures[figure_id]
        for value, line in sorted(numbers, key=lambda item: item[1]):
            if figure.is_number and value == figure.value:
                default = (f"Line {line} types {value!r}, which is the figure for '{figure.label}'. "
                           f"Read it from RULES[{figure_id!r}] so your code follows the rules when they change.")
                return CheckResult(id=check.id, passed=False, message=_failure(check, default))
    return CheckResult(id=check.id, passed=True, message="Plan figures are read from RULES.")


CHECKS: dict[str, Callable[[_Context, Check], CheckResult]] = {
    "defines": _check_defines,
    "function": _check_function,
    "output_contains": _check_output,
    "reads_rules": _check_reads_rules,
}
"""One small function per check kind."""


# ---------------------------------------------------------------- misconceptions

_WRONG_OBSERVED: dict[tuple[int, int, str, str], tuple[Exercise, Rules, bool, list[str]]] = {}
"""(exercise, rules, wrong source, check) -> (failed, observed): each wrong attempt runs once per process.

Keyed by the identity of the exercise and rules objects, which the value keeps alive so
an id is never reused for other content."""


def _wrong_behaviour(rules: Rules, exercise: Exercise, wrong: WrongAttempt, check: Check,
                     expected: dict[str, list[Case]]) -> tuple[bool, list[str]]:
    key = (id(exercise), id(rules), wrong.source, check.id)
    if key not in _WRONG_OBSERVED:
        ctx = _Context(rules, exercise, runner.new_sandbox(wrong.source, learner_globals(rules)), expected)
        failed = runner.execute(ctx.sandbox) is not None or not CHECKS[check.kind](ctx, check).passed
        _WRONG_OBSERVED[key] = (exercise, rules, failed, ctx.observed.get(check.id, []))
    _, _, failed, observed = _WRONG_OBSERVED[key]
    return failed, observed


def _misconception(ctx: _Context, check: Check) -> str:
    for wrong in ctx.exercise.wrong:
        if wrong.fails != check.id:
            continue
        failed, observed = _wrong_behaviour(ctx.rules, ctx.exercise, wrong, check, ctx.expected)
        if failed and observed == ctx.observed.get(check.id, []):
            return wrong.message
    return ""


# ---------------------------------------------------------------- grading


def _expected(rules: Rules, exercise: Exercise) -> dict[str, list[Case]]:
    return {check.id: cases(rules, check) for check in exercise.checks if check.kind == "function"}


def grade(exercise: Exercise, source: str, rules: Rules) -> Grade:
    """Run learner `source` and every check of `exercise`; never raises for learner faults."""
    try:
        return _grade(exercise, source, rules)
    except Exception as exc:
        if _raise_internal():
            raise
        return Grade(exercise=exercise.id, status="internal_error",
                     internal=f"{type(exc).__name__}: {exc}. This is a fault in the course, not in your code.")


def _grade(exercise: Exercise, source: str, rules: Rules) -> Grade:
    expected = _expected(rules, exercise)
    sandbox = runner.new_sandbox(source, learner_globals(rules))
    error = runner.execute(sandbox)
    if error is not None:
        return Grade(exercise=exercise.id, status="error", output=sandbox.output.text(), error=error)
    ctx = _Context(rules, exercise, sandbox, expected)
    results = []
    for check in exercise.checks:
        result = CHECKS[check.kind](ctx, check)
        if not result.passed:
            result = CheckResult(id=result.id, passed=False, message=result.message, misconception=_misconception(ctx, check))
        results.append(result)
    status: Status = "passed" if all(r.passed for r in results) else "failed"
    return Grade(exercise=exercise.id, status=status, checks=tuple(results), output=sandbox.output.text())
