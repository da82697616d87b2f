# The grader: learner source in, a structured verdict out. The browser's entry point too.
"""Grade learner code against an exercise's checks, in three steps that never mix.

1. `plan`: what to look at (names) and which calls to make (arguments only).
2. Observe: learner code runs and answers the plan with plain data (`runner.observe`),
   here (`grade`: the page, author content) or in a child process (`quizkit.isolate`:
   the CLI and notebooks).
3. `judge`: expected answers are computed from the rules and compared with the decoded
   data. No learner object reaches this step, and no learner code runs during it.

Learner faults become data in the `Grade`; a fault of ours becomes an `internal_error`
grade (or is re-raised when `QUIZKIT_RAISE_INTERNAL=1`, as the test suite sets it).
"""

from __future__ import annotations

import ast
import copy
import gc
import math
import os
import random
import reprlib
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from quizkit import integrity, runner
from quizkit.expressions import marker_for, substitute
from quizkit.model import weight_key_section
from quizkit.plain import PLAIN_TYPES, Opaque, decode, encode, one_line, safe_repr
from quizkit.references import reference

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Sequence

    from quizkit.exercise import Check, Exercise, WrongAttempt
    from quizkit.integrity import Baseline
    from quizkit.model import Rules
    from quizkit.references import Reference

Status = Literal["passed", "failed", "error", "timeout", "internal_error"]

_short = reprlib.Repr()
# A dict of up to 12 keys in full: a profile has 9 sections, and the one left out may be what decides the call.
_short.maxstring, _short.maxother, _short.maxlist, _short.maxdict, _short.maxlevel = 60, 60, 8, 12, 4


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
    note: str = ""
    """Plain words for a program that ran and printed nothing because it never calls its function."""

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON; `note` only when there is one."""
        data = asdict(self)
        if not self.note:
            del data["note"]
        return data


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


def run(rules: Rules, source: str, guard: Baseline | None = None) -> RunReport:
    """Run learner code as a program (the Run button): output and fault (see `grade` for `guard`)."""
    if guard is not None:
        integrity.settle(guard)
    sandbox = runner.new_sandbox(source, learner_globals(rules))
    if guard is not None and guard.gc_enabled:
        gc.enable()
    error = runner.execute(sandbox)
    output = runner.collect(sandbox.output)
    del sandbox
    if guard is not None:
        error = _tampered(guard) or error
    note = run_note(source) if error is None and not output else ""
    return RunReport(output=output, error=error, note=note)


def run_note(source: str) -> str:
    """For a program that defines functions and calls none of them outside a function: what Run did, what to do."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return ""
    defined = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
    top = [node for node in tree.body if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)]
    called = {node.func.id for statement in top for node in ast.walk(statement)
              if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    if not defined or called & set(defined):
        return ""
    name = defined[-1]
    return (f"Your program ran, but it only defines `{name}` and never calls it, so nothing was printed. That is all "
            f"Check needs: it calls `{name}` itself. To try it, add a last line, not indented, such as "
            f"`print({name}(...))` with values of your own in the brackets, and Run again.")


# ---------------------------------------------------------------- what to observe


def case_args(rules: Rules, check: Check) -> list[list[Any]]:
    """The arguments of a function check's calls: its fixed cases, then seeded generated ones."""
    ref = reference(check.reference)
    arg_lists = [ref.convert(list(case)) for case in check.cases]
    rng = random.Random(check.seed)  # noqa: S311 - reproducible test data, not secrets
    arg_lists.extend(ref.generate(rng, rules) for _ in range(check.generated))
    return arg_lists


def plan(rules: Rules, exercise: Exercise) -> dict[str, Any]:
    """What `runner.observe` must do for `exercise`, as plain data (it may go to another process).

    No expected answer is in it: those are computed after the learner's code has run.
    """
    names = sorted({check.name for check in exercise.checks if check.kind == "defines"}
                   | {check.function for check in exercise.checks if check.kind == "function"})
    calls = {check.id: {"function": check.function, "args": [encode(args) for args in case_args(rules, check)]}
             for check in exercise.checks if check.kind == "function"}
    the_plan: dict[str, Any] = {"names": names, "calls": calls}
    changed = _changed(exercise)
    if changed is not None and calls:
        the_plan["again"] = {"globals": encode(learner_globals(rules.changed(other_figures(rules, changed)))), "calls": calls}
    return the_plan


def _changed(exercise: Exercise) -> Check | None:
    """The exercise's check that runs its functions again under other figures, if any (one at most)."""
    return next((check for check in exercise.checks if check.kind == "reads_rules" and check.changed), None)


def other_figures(rules: Rules, check: Check) -> dict[str, Any]:
    """The figures the second run uses: the check's `changed`, each made to differ from today's value.

    When the rules come to hold a value the author chose as "other" (Upwork moves the late-start day to 28),
    the check must still test something with no hand edit: a yes/no is turned over, a number moved by one.
    A list equal to today's is left out (and `quizkit check` says when nothing is left to change an answer).
    """
    other: dict[str, Any] = {}
    for figure_id, value in check.changed:
        weight = rules.section_weight(figure_id)
        today = weight if weight is not None else rules.value(figure_id) if figure_id in rules.figures else None
        if today is None or value != today:
            other[figure_id] = value
        elif isinstance(value, bool):
            other[figure_id] = not value
        elif isinstance(value, int | float):
            other[figure_id] = value + 1
    return other


def changed_text(other: dict[str, Any]) -> str:
    """The changed figures as a learner reads them: `RULES['x'] = 2`, `PROFILE_SECTIONS' 'rate' weight = 25`."""
    def one(key: str, value: Any) -> str:
        section = weight_key_section(key)
        return f"PROFILE_SECTIONS' {section!r} weight = {safe_repr(value)}" if section else f"RULES[{key!r}] = {safe_repr(value)}"

    return ", ".join(one(key, value) for key, value in other.items())


def call_text(function: str, args: list[Any]) -> str:
    """`monthly_connects('plus')`, shortened for long arguments."""
    return f"{function}({', '.join(_short.repr(a) for a in args)})"


# ---------------------------------------------------------------- observations


@dataclass(frozen=True)
class CallSeen:
    """One call of a learner function, as the grader may know it: a decoded plain value, or a fault."""

    value: Any = None
    error: runner.LearnerError | None = None

    @property
    def seen(self) -> str:
        """How the call behaved, for matching known-wrong attempts: `raised KeyError` or the value's repr."""
        return f"raised {self.error.type}" if self.error else safe_repr(self.value)


@dataclass(frozen=True)
class Observation:
    """What a learner program did, decoded from `runner.observe`'s plain data."""

    source: str
    output: str
    error: runner.LearnerError | None
    names: dict[str, dict[str, Any] | None]
    calls: dict[str, list[CallSeen]]
    again: Again | None = None
    """The second run under other figures, where the plan asked for one and the first ran to its end."""

    @classmethod
    def from_data(cls, source: str, data: object, plan: dict[str, Any]) -> Observation:
        """Check and decode `runner.observe`'s result; `ValueError` when it is not what `plan` asked for."""
        if not isinstance(data, dict) or set(data) - {"again"} != {"error", "output", "names", "calls"}:
            raise ValueError("not an observation")
        error = None if data["error"] is None else runner.LearnerError.from_data(data["error"])
        output, names, calls = data["output"], data["names"], data["calls"]
        if type(output) is not str or not isinstance(names, dict) or not isinstance(calls, dict):
            raise ValueError("malformed observation")
        if error is None and (set(names) != set(plan["names"]) or set(calls) != set(plan["calls"])):
            raise ValueError("the observation does not answer the plan")
        for value in names.values():
            if value is not None and (not isinstance(value, dict) or type(value.get("callable")) is not bool
                                      or type(value.get("type")) is not str):
                raise ValueError("malformed name")
            if value is not None:  # a message shows it: a line break sent by a child could start a line of its own
                value["type"] = one_line(value["type"])
        again = None
        if "again" in data:
            if "again" not in plan or not isinstance(data["again"], dict) or set(data["again"]) != {"error", "calls"}:
                raise ValueError("malformed second run")
            again_error = None if data["again"]["error"] is None else runner.LearnerError.from_data(data["again"]["error"])
            again_calls = data["again"]["calls"]
            if again_error is None and (not isinstance(again_calls, dict) or set(again_calls) != set(plan["again"]["calls"])):
                raise ValueError("the second run does not answer the plan")
            again = Again(error=again_error, calls=_calls_seen(again_calls, plan["again"]))
        return cls(source=source, output=output, error=error, names=names, calls=_calls_seen(calls, plan), again=again)


@dataclass(frozen=True)
class Again:
    """What the learner's functions answered in a second run of the program, under other figures."""

    error: runner.LearnerError | None
    calls: dict[str, list[CallSeen]]


def _calls_seen(calls: object, plan: dict[str, Any]) -> dict[str, list[CallSeen]]:
    if not isinstance(calls, dict) or not set(calls) <= set(plan["calls"]):
        raise ValueError("malformed calls")
    seen: dict[str, list[CallSeen]] = {}
    for check_id, outcomes in calls.items():
        if not isinstance(outcomes, list) or len(outcomes) > len(plan["calls"][check_id]["args"]):
            raise ValueError("malformed calls")
        seen[check_id] = [_call_seen(outcome) for outcome in outcomes]
    return seen


def _call_seen(outcome: object) -> CallSeen:
    if not isinstance(outcome, dict) or len(outcome) != 1:
        raise ValueError("malformed call")
    if "error" in outcome:
        return CallSeen(error=runner.LearnerError.from_data(outcome["error"]))
    if "value" in outcome:
        return CallSeen(value=decode(outcome["value"]))
    raise ValueError("malformed call")


def observed_here(rules: Rules, source: str, the_plan: dict[str, Any],
                  between: Callable[[], object] | None = None) -> dict[str, Any]:
    """Run learner code in this interpreter (the page; author content at build time), as plain data.

    The run under other figures, if the plan has one, comes after `between` (the page's guard restores
    what the first run changed there: see `runner.split`).
    """
    first_plan, again_plan = runner.split(the_plan)
    again_globals = decode(the_plan["again"]["globals"]) if again_plan is not None else {}  # before any learner code
    first = runner.observe(source, learner_globals(rules), first_plan)
    if again_plan is None or not runner.wants_again(first):
        return first
    if between is not None:
        between()
    return runner.joined(first, runner.observe(source, again_globals, again_plan))


def observe_here(rules: Rules, source: str, the_plan: dict[str, Any]) -> Observation:
    """Run learner code in this interpreter and read what it did (author content at build time)."""
    return Observation.from_data(source, observed_here(rules, source, the_plan), the_plan)


# ---------------------------------------------------------------- checks


@dataclass
class _Context:
    rules: Rules
    exercise: Exercise
    seen: Observation
    expected: dict[str, list[Any]]
    """Per function check, the reference's answer to each call, computed after the learner's code ran."""
    args: dict[str, list[list[Any]]]
    expected_again: dict[str, list[Any]] = field(default_factory=dict)
    """The same answers under the figures of the `reads_rules` check's `changed`, where it has some."""


class _Kept(dict[str, str]):
    """Values for an author's message: a field the message names but this failure has none for stays as written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _failure(check: Check, default: str, **values: str) -> str:
    return check.message.format_map(_Kept(values)) if check.message else default


def _check_defines(ctx: _Context, check: Check) -> CheckResult:
    if ctx.seen.names.get(check.name) is None:
        message = _failure(check, f"Define `{check.name}`: it is not in your code yet.")
        return CheckResult(id=check.id, passed=False, message=message)
    return CheckResult(id=check.id, passed=True, message=f"`{check.name}` is defined.")


def _check_function(ctx: _Context, check: Check) -> CheckResult:
    name = ctx.seen.names.get(check.function)
    if name is None:
        return CheckResult(id=check.id, passed=False,
                           message=f"Define a function named `{check.function}`: your code does not define it.")
    if not name["callable"]:
        return CheckResult(id=check.id, passed=False,
                           message=f"`{check.function}` must be a function, but your code made it a {name['type']}.")
    ref = reference(check.reference)
    failure = ""
    for args, expected, outcome in zip(ctx.args[check.id], ctx.expected[check.id], ctx.seen.calls[check.id], strict=False):
        call = call_text(check.function, args)
        if outcome.error is not None and outcome.error.kind == "interrupt":
            failure = failure or f"{call} was interrupted: {outcome.error.message}"
            break
        if failure:
            continue
        if outcome.error is not None:
            failure = f"{call} raised an error: {outcome.error.message}"
        elif not ref.same(outcome.value, expected, args):
            actual, wanted = _as_shown(outcome.value, expected)
            answer = ref.shown(expected, args) or _with_marker(wanted, ctx.rules, ref, args)
            failure = _failure(check, f"{call} returned {actual}, but the answer is {answer}.",
                               call=call, actual=actual, expected=answer)
            failure += _value_advice(outcome.value, expected, actual, wanted)
    if not failure and len(ctx.seen.calls[check.id]) < len(ctx.args[check.id]):
        failure = f"`{check.function}` was stopped before every case ran."
    if failure:
        return CheckResult(id=check.id, passed=False, message=failure)
    count = len(ctx.args[check.id])
    return CheckResult(id=check.id, passed=True, message=f"`{check.function}` gives the right answer in all {count} cases.")


def _as_shown(value: object, expected: object) -> tuple[str, str]:
    """A wrong answer and the right one as every failure message writes them, the learner's value safely.

    Floats compared to the cent are shown to 4 places: `6.49`, not `6.489999999999998`.
    """
    def shown(number: object) -> object:
        return round(number, 4) if type(number) is float and type(expected) is float else number

    return safe_repr(shown(value)), _short.repr(shown(expected))


def _with_marker(wanted: str, rules: Rules, ref: Reference, args: list[Any]) -> str:
    """`wanted`, the reference's answer to `args`, with the month and confidence its least sure figure needs.

    As pages show a figure not in the article, or not sure, where it is used: `21.49 (Jan 2026 · low)`.
    Not for answers under changed figures: today's month and confidence would be wrong beside them.
    """
    figure = marker_for(rules, lambda noted: ref.expected(noted, copy.deepcopy(args)), wanted)
    return f"{wanted} ({figure.mark_text})" if figure else wanted


_PLAIN_TYPES = frozenset(kind.__name__ for kind in PLAIN_TYPES)
"""An `Opaque` of a type not named here came from a class of the learner's."""


def _value_advice(value: object, expected: object, actual: str, wanted: str) -> str:
    """Plain words for a wrong value a beginner cannot read alone: None (no `return`), a float equal to an int."""
    if value is None and expected is not None:
        return (" `None` means your function gave nothing back: it has no `return` line, or never reaches one. "
                "End it with `return` followed by the answer.")
    if type(value) is Opaque and value.type not in _PLAIN_TYPES and type(expected).__name__ in _PLAIN_TYPES:
        return (f" That is a `{value.type}`, an object of a class your code made, not a plain `{type(expected).__name__}`: "
                f"the checks only read plain values. Return the {type(expected).__name__} itself"
                f"{f', for example `{type(expected).__name__}(...)`' if type(expected) in (int, float, str) else ''}.")
    numbers = (int, float)
    if type(expected) is bool and type(value) in numbers:
        return (f" The answer is a yes or no, `True` or `False`, not a number such as {actual}. Return the condition "
                "itself: a comparison (`==`, `<`, `>`) or an `in` test is already `True` or `False`.")
    # An int where the answer is a float of the same amount passes (`same_value`): only the other way fails.
    if type(value) is float and type(expected) is int and value == expected:
        return (f" They are the same amount, but {actual} is a float (a number with a decimal point) and the "
                f"answer {wanted} is a whole number (an int). A `/`, or any float in the arithmetic, makes the "
                "result a float. Make it an int the way the prompt says: `round(...)` for the nearest whole "
                "number, `//` (between ints) or `int(...)` to drop what is left over.")
    return ""


def _check_output(ctx: _Context, check: Check) -> CheckResult:
    # Not through the expressions' caches: in the page, the program that just ran could reach a cached tree and
    # change it (a later Check's expected text), and a cache first filled here read as a change to the grader.
    wanted = substitute(check.text, ctx.rules, cached=False)
    if wanted in ctx.seen.output:
        return CheckResult(id=check.id, passed=True, message=f"The output contains {wanted!r}.")
    return CheckResult(id=check.id, passed=False, message=_failure(check, f"The output should contain {wanted!r}."))


def _figures_named(tree: ast.AST, figure_ids: Sequence[str]) -> set[str]:
    """The figures code names, as a string (`RULES["plan.plus.price_usd"]`) or one an f-string can spell."""
    named: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            named.update(figure_id for figure_id in figure_ids if figure_id == node.value)
        elif isinstance(node, ast.JoinedStr):
            parts = [str(part.value) if isinstance(part, ast.Constant) else None for part in node.values]
            named.update(figure_id for figure_id in figure_ids if _spells(parts, figure_id))
    return named


def _spells(parts: Sequence[str | None], text: str) -> bool:
    """Whether an f-string of `parts` (its text, None for a `{...}` of one character or more) can spell `text`.

    Wildcard matching, in at most len(pattern) x len(text) steps. Not a regular expression: twenty adjacent
    `{...}` made one (`.+` twenty times) backtrack for hours, in the grader, after the code had run.
    """
    if sum(len(part) for part in parts if part is not None) > len(text):
        return False
    tokens: list[str | None] = []  # a character to match, "" for any one character, None for any run
    for part in parts:
        tokens.extend(["", None] if part is None else part)
    i = j = 0
    star, resume = -1, 0
    while i < len(text):
        if j < len(tokens) and tokens[j] is not None and tokens[j] in ("", text[i]):
            i, j = i + 1, j + 1
        elif j < len(tokens) and tokens[j] is None:
            star, resume, j = j, i, j + 1
        elif star >= 0:
            resume += 1
            i, j = resume, star + 1
        else:
            return False
    return all(token is None for token in tokens[j:])


def _power(base: float, exponent: float) -> float | None:
    """`base ** exponent`, or None past `_FOLD_LIMIT` (no figure is that large, and `9 ** 9 ** 9` would never end)."""
    if abs(base) > 1 and exponent > 0 and exponent * math.log10(abs(base)) > math.log10(_FOLD_LIMIT):
        return None
    value = base ** exponent
    return value if isinstance(value, int | float) else None  # `(-8) ** 0.5` is complex: no figure


_FOLDED: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b, ast.FloorDiv: lambda a, b: a // b, ast.Pow: _power,
}
"""Arithmetic on typed numbers that `_typed_numbers` works out."""


def _number_value(node: ast.expr) -> float | None:
    """The number an expression of typed numbers comes to (`5 * 2`), or None."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, int | float) and not isinstance(node.value, bool) else None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        value = _number_value(node.operand)
        return None if value is None else -value
    if isinstance(node, ast.BinOp) and type(node.op) in _FOLDED:
        left, right = _number_value(node.left), _number_value(node.right)
        # Past _FOLD_LIMIT nothing is a figure, and long-integer arithmetic on such numbers took minutes.
        if left is None or right is None or abs(left) > _FOLD_LIMIT or abs(right) > _FOLD_LIMIT:
            return None
        try:
            return _FOLDED[type(node.op)](left, right)  # type: ignore[no-any-return]
        except (ZeroDivisionError, OverflowError):
            return None
    return None


_FOLD_LIMIT = 10**12
"""The largest number `_number_value` works with: far above any figure, small enough to stay quick."""


def _is_folded_power(node: ast.AST) -> bool:
    """Whether `node` is a power of typed numbers (`10**6`): its operands are a way to write one number, not figures."""
    return (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow)
            and _number_value(node.left) is not None and _number_value(node.right) is not None)


def _typed_numbers(tree: ast.AST) -> list[tuple[float, int]]:
    """Every number the code types, with its line: literals, and arithmetic on literals as a whole (`50 * 2`).

    The operands of a power of typed numbers are not typed figures: `range(10**6)` types 1000000, not Basic's 10.
    """
    found: list[tuple[float, int]] = []

    def visit(node: ast.AST) -> None:
        value = _number_value(node) if isinstance(node, ast.expr) else None
        if value is None or not isinstance(node, ast.expr):
            if not _is_folded_power(node):  # one too large to work out (`9 ** 99`) types no figure at all
                for child in ast.iter_child_nodes(node):
                    visit(child)
            return
        found.append((value, node.lineno))  # the whole, not its parts' sums: `5 * 2 + 1` types 11, not 10
        in_powers = {id(part) for power in ast.walk(node) if _is_folded_power(power) for part in ast.walk(power)}
        found.extend((number, part.lineno) for part in ast.walk(node)
                     if part is not node and id(part) not in in_powers and isinstance(part, ast.Constant)
                     and (number := _number_value(part)) is not None)

    visit(tree)
    return found


def _check_reads_rules(ctx: _Context, check: Check) -> CheckResult:
    tree = _parsed(ctx)
    if tree is None:
        return _too_deep(check)
    typed = _typed_figure(ctx, check, tree)
    rerun = bool(check.changed) and all(_check_function(ctx, c).passed for c in ctx.exercise.checks if c.kind == "function")
    if typed is not None and rerun and _typed_figure(ctx, check, tree, unless=other_figures(ctx.rules, check)) is None:
        # The number may be something else (`round(cost * 100) / 100` in code that reads Plus's 100 by a key it
        # computes): the run under other figures decides, and names the line only when the code does not follow.
        followed = _check_follows_changed_rules(ctx, check)
        return followed if followed.passed else typed
    if typed is not None:
        return typed
    # Code right today is judged by the run under other figures, where it has one: its message shows the call.
    if rerun:
        return _check_follows_changed_rules(ctx, check)
    # With no figure to look for, a check whose run under other figures is still to come has checked nothing yet.
    waiting = bool(check.changed) and not check.figures
    return _reads_none(ctx, check, tree) or CheckResult(id=check.id, passed=not waiting, message=_unchanged_message(check))


def _unchanged_message(check: Check) -> str:
    """What a reads_rules check says when it did not run the code under other figures, and why not."""
    typed = "No plan figure is typed in your code." if check.figures else ""
    if not check.changed:
        return typed or "Nothing to read from the rules here."
    later = "once your functions give today's answers, they run again with other figures, to show they follow the rules."
    return f"{typed} {later[0].upper()}{later[1:]}" if typed else f"Not checked yet: {later}"


def _parsed(ctx: _Context) -> ast.AST | None:
    """The learner's code as a tree, read once per check; None where it nests too deeply to read.

    It ran, so it parses: only nesting thousands deep gets here.
    """
    try:
        return ast.parse(ctx.seen.source)
    except (SyntaxError, RecursionError, MemoryError):
        return None


def _too_deep(check: Check) -> CheckResult:
    return CheckResult(id=check.id, passed=False, message="Your code is nested too deeply for the grader to read.")


def _reads_none(ctx: _Context, check: Check, tree: ast.AST) -> CheckResult | None:
    """The failure of code that reads none of the check's figures, or None.

    It cannot follow them: a starter fails here in every exercise, not only where a figure is a list or a yes/no
    (`_typed_figure`). Code that reads RULES by a key it computes may read them all.
    """
    if not check.figures or _figures_named(tree, check.figures) or _reads_rules_by_computed_key(tree):
        return None
    wanted = [f"RULES[{figure_id!r}]" for figure_id in check.figures]
    if len(wanted) == 1:
        default = (f"Your code never reads {wanted[0]} ('{ctx.rules.figures[check.figures[0]].label}'). Read it "
                   "rather than typing what it says today, so your code follows the rules when they change.")
    else:
        default = (f"Your code reads none of the figures this exercise is about: {', '.join(wanted[:-1])} and "
                   f"{wanted[-1]}. Read them rather than typing what they say today, so your code follows the rules "
                   "when they change.")
    return CheckResult(id=check.id, passed=False, message=_failure(check, default))


def _typed_figure(ctx: _Context, check: Check, tree: ast.AST | None, *, unless: Collection[str] = ()) -> CheckResult | None:
    """The failure of reads_rules' reading of the source (`_parsed`), or None: a figure typed, a list or yes/no not read.

    A number equal to a figure in `unless` is left to the run under other figures, which changes that figure.
    """
    if tree is None:
        return _too_deep(check)
    try:
        numbers = _typed_numbers(tree)
    except (RecursionError, MemoryError):
        return _too_deep(check)
    read = _figures_named(tree, check.figures)
    # A rule that is a list or a yes/no cannot be told from other literals: the code must name one of them
    # (`returned_reasons` and `kept_reasons` are two ways to read the same rule). Code that reads RULES by a key it
    # computes (`RULES["returns." + kind + "_reasons"]`) may read it: where the run under other figures changes
    # the rule, that run decides, as it does for a number.
    followed_in_rerun = set(other_figures(ctx.rules, check)) if _reads_rules_by_computed_key(tree) else set()
    named = [figure_id for figure_id in check.figures
             if not ctx.rules.figures[figure_id].is_number and figure_id not in followed_in_rerun]
    if named and not read.intersection(named):
        which = " or ".join(f"RULES[{figure_id!r}]" for figure_id in named)
        default = (f"Your code never reads {which} ('{ctx.rules.figures[named[0]].label}'). Read it rather than "
                   "typing what it says today, so your code follows the rules when they change.")
        return CheckResult(id=check.id, passed=False, message=_failure(check, default))
    for figure_id in check.figures:
        figure = ctx.rules.figures[figure_id]
        # Code that reads the figure types the same number for something else (`round(x * 100) / 100` beside Plus's 100).
        if not figure.is_number or figure_id in read or figure_id in unless:
            continue
        for value, line in sorted(numbers, key=lambda item: item[1]):
            if value == figure.value:
                default = (f"Line {line} types {value!r}, which is the figure for '{figure.label}'. "
                           f"Read it from RULES[{figure_id!r}] so your code follows the rules when they change.")
                return CheckResult(id=check.id, passed=False, message=_failure(check, default))
    return None


def _reads_rules_by_computed_key(tree: ast.AST) -> bool:
    """Whether code uses `RULES` other than as `RULES["a literal key"]` (a computed key, `.get`, an alias...)."""
    literal = {id(node.value) for node in ast.walk(tree)
               if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str)}
    return any(isinstance(node, ast.Name) and node.id == "RULES" and id(node) not in literal for node in ast.walk(tree))


def _second_run_fault(ctx: _Context, function_checks: list[Check], changed: str) -> str:
    """Why the run under other figures answered no calls, or not all of them; "" when it answered every one."""
    again = ctx.seen.again
    if again is not None and again.error is not None:
        return (f"Your program was run again with other figures ({changed}), and there it failed: {again.error.message} "
                "If it checks today's answers itself (an `assert` at the end), leave that out or make it read RULES too.")
    missing = next((c for c in function_checks if again is not None and not again.calls.get(c.id)), None)
    if missing is not None:
        return (f"With other figures ({changed}), your code does not define a function `{missing.function}`: define it "
                "whatever the figures are.")
    if again is None or any(len(again.calls[c.id]) < len(ctx.args[c.id]) for c in function_checks):
        return "Your code was stopped before it could run again with other figures."
    return ""


def _check_follows_changed_rules(ctx: _Context, check: Check) -> CheckResult:
    """The second run: with other figures in `RULES`, the functions must give those figures' answers."""
    other = other_figures(ctx.rules, check)
    changed = changed_text(other)
    function_checks = [c for c in ctx.exercise.checks if c.kind == "function"]
    again = ctx.seen.again
    fault = _second_run_fault(ctx, function_checks, changed)
    if again is None or fault:
        return CheckResult(id=check.id, passed=False, message=fault)
    for function_check in function_checks:
        ref = reference(function_check.reference)
        answers = zip(ctx.args[function_check.id], ctx.expected_again[function_check.id],
                      again.calls[function_check.id], strict=True)
        for args, expected, outcome in answers:
            call = call_text(function_check.function, args)
            if outcome.error is not None:
                message = f"With other figures ({changed}), {call} raised an error: {outcome.error.message}"
                return CheckResult(id=check.id, passed=False, message=message)
            if not ref.same(outcome.value, expected, args):
                actual, wanted = _as_shown(outcome.value, expected)
                default = (f"Your code gives today's answers, but it does not follow the rules when they change. With "
                           f"{changed}, {call} returned {actual}, but the answer would be {wanted}. Read every figure "
                           "from RULES rather than typing what it says today. If you do, look for a step that is "
                           "right only with today's figures: a rounding, a sign, a case handled apart.")
                return CheckResult(id=check.id, passed=False,
                                   message=_failure(check, default, call=call, actual=actual, expected=wanted, changed=changed))
    return CheckResult(id=check.id, passed=True,
                       message=(f"No plan figure is typed in your code, and it follows the rules when they change ({changed})."
                                if check.figures else f"Your code follows the figures it reads when they change ({changed})."))


CHECKS: dict[str, Callable[[_Context, Check], CheckResult]] = {
    "defines": _check_defines,
    "function": _check_function,
    "output_contains": _check_output,
    "reads_rules": _check_reads_rules,
}
"""One small function per check kind."""


# ---------------------------------------------------------------- misconceptions

_WRONG_OBSERVED: dict[tuple[str, int, str, str], tuple[str, Rules, bool, tuple[str, ...], tuple[str, ...]]] = \
    integrity.volatile({})
"""(exercise id, rules, wrong source, check) -> (exercise's repr, rules, failed, behaviour, behaviour in both runs):
each wrong attempt runs once per process.

An entry answers for an exercise whose repr is the one it keeps (the page makes a new `Exercise` for each Check:
keyed by identity, the cache never answered there and grew by an entry a Check), and for the rules whose
identity it is keyed by, which it keeps alive so an id is never reused for other rules. `quizkit.integrity`
guards the cache itself, not what it holds, as its entries change between programs. A program can reach it
(through `gc`) and plant entries, so an entry holds only plain data, read only once its exact types are
checked: nothing a program left there runs inside a later Check's judge (a planted object's `__eq__` or
`__iter__` did, once), and a planted entry can at most choose a message, never a verdict."""


def _kept(entry: object, signature: str, rules: Rules) -> tuple[bool, tuple[str, ...], tuple[str, ...]] | None:
    """An entry of `_WRONG_OBSERVED` as the grader wrote it for this exercise and these rules, or None."""
    if type(entry) is not tuple or len(entry) != 5:  # noqa: PLR2004 - the entry's five parts
        return None
    kept_signature, kept_rules, failed, today, both = entry
    if type(kept_signature) is not str or kept_signature != signature or kept_rules is not rules or type(failed) is not bool:
        return None
    if type(today) is not tuple or type(both) is not tuple or not all(type(item) is str for item in (*today, *both)):
        return None
    return failed, today, both


def _behaviour(exercise: Exercise, seen: Observation, check: Check, *, again: bool) -> list[str]:
    """How code behaves where `check` looks, to match it with a known-wrong attempt's.

    A function check looks at its own calls. Another check (reads_rules, defines, output_contains) looks at no
    call, but a wrong attempt's message for it says how that attempt's function behaves ("gives today's answers,
    but types the figures"): it may only be shown to code whose functions answer every call as the attempt's do;
    `again`, in both runs (for a reads_rules failure that the run under other figures showed).
    """
    ids = [check.id] if check.kind == "function" else [c.id for c in exercise.checks if c.kind == "function"]
    seen_again = seen.again.calls if again and seen.again is not None else {}
    return ([f"{cid}: {call.seen}" for cid in ids for call in seen.calls.get(cid, [])]
            + [f"again {cid}: {call.seen}" for cid in ids for call in seen_again.get(cid, [])])


def _wrong_observed(ctx: _Context, wrong: WrongAttempt, check: Check, signature: str, *,
                    again: bool) -> tuple[bool, tuple[str, ...]]:
    """Whether a known-wrong attempt fails `check`, and how it behaves where the check looks (`_behaviour`)."""
    key = (ctx.exercise.id, id(ctx.rules), wrong.source, check.id)
    kept = _kept(_WRONG_OBSERVED.get(key), signature, ctx.rules)
    if kept is None:
        seen = observe_here(ctx.rules, wrong.source, plan(ctx.rules, ctx.exercise))
        wrong_ctx = _Context(ctx.rules, ctx.exercise, seen, ctx.expected, ctx.args, ctx.expected_again)
        failed = seen.error is not None or not CHECKS[check.kind](wrong_ctx, check).passed
        kept = (failed, tuple(_behaviour(ctx.exercise, seen, check, again=False)),
                tuple(_behaviour(ctx.exercise, seen, check, again=True)))
        _WRONG_OBSERVED[key] = (signature, ctx.rules, *kept)
    failed, today, both = kept
    return failed, both if again else today


def _misconception(ctx: _Context, check: Check) -> str:
    # A reads_rules failure that reading the code shows is matched on today's answers; one only the run under
    # other figures shows, on both runs (a program whose own `assert` fails there is not the typed attempt).
    again = check.kind == "reads_rules" and _typed_figure(ctx, check, _parsed(ctx)) is None
    observed = tuple(_behaviour(ctx.exercise, ctx.seen, check, again=again))
    signature = repr(ctx.exercise)
    for wrong in ctx.exercise.wrong:
        if wrong.fails != check.id:
            continue
        failed, behaviour = _wrong_observed(ctx, wrong, check, signature, again=again)
        if failed and behaviour == observed:
            return wrong.message
    return ""


# ---------------------------------------------------------------- grading


_INTERRUPTED = runner.LearnerError(kind="interrupt", type="KeyboardInterrupt", message="Your code was interrupted.")
"""Stop pressed between two pieces of learner code, which turn it into a result themselves."""


def grade(exercise: Exercise, source: str, rules: Rules, guard: Baseline | None = None) -> Grade:
    """Run learner `source` in this interpreter and judge it; never raises for learner faults.

    Args:
        exercise: The exercise.
        source: The learner's code.
        rules: The rules the answers are computed from.
        guard: In an interpreter that runs many learner programs (the page's worker), the
            baseline of `quizkit.integrity`: what the program changed is undone, and a Check
            whose grader was changed ends in a `tamper` error instead of a verdict.
    """
    try:
        if guard is not None:
            integrity.settle(guard)
        the_plan = plan(rules, exercise)
        if guard is not None and guard.gc_enabled:
            gc.enable()
        between = None if guard is None else partial(integrity.restore, guard)
        try:
            data: dict[str, Any] | None = observed_here(rules, source, the_plan, between)
        except KeyboardInterrupt:  # Stop pressed between two pieces of learner code (they turn it into a result)
            data = None
        if data is None:
            tampered = _tampered(guard) if guard is not None else None
            return Grade(exercise=exercise.id, status="error",
                         error=tampered or _INTERRUPTED)
        if guard is None:
            return judge(exercise, rules, Observation.from_data(source, data, the_plan))
        return _judged_under_guard(exercise, rules, source, data, the_plan=the_plan, guard=guard)
    except Exception as exc:
        if guard is not None and integrity.builtins_changed(guard):  # learner code's doing (a `__del__`), not ours
            return Grade(exercise=exercise.id, status="error", error=_tampered(guard) or _BUILTINS_CHANGED)
        if _raise_internal():
            raise
        return Grade(exercise=exercise.id, status="internal_error",
                     internal=f"{type(exc).__name__}: {exc}. This is a fault in the course, not in your code.")


def observed_under_guard(rules: Rules, source: str, the_plan: dict[str, Any], guard: Baseline) -> dict[str, Any]:
    """The page's runner: learner code observed with `the_plan`, as plain data for the judge in another interpreter.

    The guard undoes what the program changed, between the two runs and after them: hygiene for the next program
    here, no longer what protects a verdict (the judge's interpreter runs no learner code). A change the guard finds
    is the observation's error (`tamper`), so the page replaces this interpreter. Leaves the collector off, as
    `_tampered` does: the caller turns it back on once the data is written out.
    """
    integrity.settle(guard)
    if guard.gc_enabled:
        gc.enable()
    try:
        data: dict[str, Any] | None = observed_here(rules, source, the_plan, partial(integrity.restore, guard))
    except KeyboardInterrupt:  # Stop pressed between two pieces of learner code (they turn it into a result)
        data = None
    tampered = _tampered(guard)
    if data is None or tampered is not None:
        error = tampered or _INTERRUPTED
        output = data.get("output") if data is not None else ""
        return {"error": error.to_data(), "output": output if type(output) is str else "", "names": {}, "calls": {}}
    return data


def unreadable_observation() -> runner.LearnerError:
    """What the judge says when the runner's answer is not an observation: the runner is replaced, the code kept."""
    return _tamper("The Python that ran your code sent back something the grader cannot read")


def _judged_under_guard(exercise: Exercise, rules: Rules, source: str, data: dict[str, Any], *, the_plan: dict[str, Any],
                        guard: Baseline) -> Grade:
    """Read what the program did and judge it, with no garbage collection from the moment learner code ended.

    The guard first, then the reading, then the verdict. A collection would run the `__del__` of an object
    the program left behind (one that rebinds a builtin at every collection, say) in the middle of the
    reading or the verdict. What the program encoded while it had `type` or another builtin of its own may
    not read back: that is its doing, not a fault of ours.
    """
    gc.disable()
    try:
        tampered = _tampered(guard, collecting=False)
        seen = None
        if tampered is None:
            try:
                seen = Observation.from_data(source, data, the_plan)
            except (ValueError, RecursionError):  # runner's own data, unreadable only if the program meddled
                tampered = _tamper("Your code changed Python's own functions while it was checked, so what it "
                                   "returned could not be read")
        grade = judge(exercise, rules, seen) if seen is not None else None
    finally:
        if guard.gc_enabled:
            gc.enable()
    if grade is None:
        output = data.get("output")
        return Grade(exercise=exercise.id, status="error", output=output if type(output) is str else "", error=tampered)
    return grade


def _tamper(what: str) -> runner.LearnerError:
    """A `tamper` error (the page then replaces the interpreter): `what` the program did, then what follows."""
    return runner.LearnerError(kind="tamper", type="Tampering",
                               message=f"{what}, so it was not checked. Python has been restarted; your code is kept. "
                                       "Write code that only answers the exercise.")


_BUILTINS_CHANGED = _tamper("Your code changed Python's builtins while it was checked (in a `__del__`, say)")
"""A builtin rebound under the grader's own code, which then failed: the interpreter is replaced (`restart`)."""


def _tampered(guard: Baseline, *, collecting: bool = True) -> runner.LearnerError | None:
    # The program's garbage goes now: a `__del__` it left behind runs here, before the guard looks, not in the
    # middle of a later program's Check (where a rebound builtin would have been blamed on that program). The
    # young generations only: what a program made is young, and a full collection doubled a Check's time.
    gc.disable()
    gc.collect(1)
    stuck = integrity.restore(guard, collecting=collecting)
    changed = integrity.changes(guard)
    if changed:
        return _tamper(f"Your code changed the course's grader ({'; '.join(changed)})")
    if stuck:
        return _tamper(f"Your code changed Python's own {stuck[0]}, which cannot be put back")
    if integrity.builtins_changed(guard):  # rebound by a `__del__` that putting things back ran
        integrity.restore_builtins(guard)  # the page replaces the interpreter; the next Check here is sound anyway
        return _BUILTINS_CHANGED
    return None


def expected_answers(exercise: Exercise, rules: Rules, args: dict[str, list[list[Any]]]) -> dict[str, list[Any]]:
    """Per function check, the reference's answer to each of its calls under `rules`."""
    return {cid: [reference(exercise.check(cid).reference).expected(rules, copy.deepcopy(a)) for a in arg_lists]
            for cid, arg_lists in args.items()}


def judge(exercise: Exercise, rules: Rules, seen: Observation) -> Grade:
    """The verdict on an observation. Runs no learner code: expected answers are computed here, after it ran."""
    if seen.error is not None:
        return Grade(exercise=exercise.id, status="error", output=seen.output, error=seen.error)
    args = {check.id: case_args(rules, check) for check in exercise.checks if check.kind == "function"}
    changed = _changed(exercise)
    expected_again = expected_answers(exercise, rules.changed(other_figures(rules, changed)), args) if changed else {}
    ctx = _Context(rules, exercise, seen, expected_answers(exercise, rules, args), args, expected_again)
    results = []
    for check in exercise.checks:
        result = CHECKS[check.kind](ctx, check)
        if not result.passed:
            result = CheckResult(id=result.id, passed=False, message=result.message, misconception=_misconception(ctx, check))
        results.append(result)
    status: Status = "passed" if all(r.passed for r in results) else "failed"
    return Grade(exercise=exercise.id, status=status, checks=tuple(results), output=seen.output)
