from __future__ import annotations

import builtins
import inspect
import sys

import pytest

import quizkit.connects
from quizkit import runner


def run(source: str) -> tuple[runner.Sandbox, runner.LearnerError | None]:
    sandbox = runner.new_sandbox(source, {"RULES": {"x": 1}})
    return sandbox, runner.execute(sandbox)


def test_a_clean_program_runs_and_its_output_is_captured() -> None:
    sandbox, error = run("print('hello', RULES['x'])\ndef f():\n    return 2\n")
    assert error is None
    assert sandbox.output.text() == "hello 1\n"
    assert sandbox.globals["f"]() == 2


@pytest.mark.parametrize(
    ("source", "line", "column"),
    [("def f(:\n    pass\n", 1, 7), ("x = 1\nif x\n    y = 2\n", 2, 5), ("x = 1\n  y = 2\n", 2, 2)],
)
def test_syntax_errors_give_line_and_column(source: str, line: int, column: int) -> None:
    _, error = run(source)
    assert error is not None
    assert error.kind == "syntax"
    assert (error.line, error.column) == (line, column)
    assert f"line {line}, column {column}" in error.message


def test_exceptions_keep_only_the_learners_lines() -> None:
    _, error = run("def f(n):\n    return 10 / n\n\nf(0)\n")
    assert error is not None
    assert error.kind == "exception"
    assert error.type == "ZeroDivisionError"
    assert error.line == 2
    assert error.message == "ZeroDivisionError on line 2: division by zero"
    assert 'File "<your code>", line 4' in error.traceback
    assert "runner.py" not in error.traceback
    assert "return 10 / n" in error.traceback


@pytest.mark.parametrize(
    ("source", "kind", "words"),
    [
        ("name = input('name? ')", "input", "input() was called on line 1"),
        ("import sys\nsys.exit(2)", "exit", "called exit() on line 2"),
        ("exit()", "exit", "called exit()"),
        ("raise SystemExit", "exit", "called exit()"),
        ("raise KeyboardInterrupt", "interrupt", "interrupted on line 1"),
        ("try:\n    input()\nexcept Exception:\n    pass\n", "input", "input() was called on line 2"),
        ("def f():\n    return f()\nf()", "exception", "RecursionError on line 2"),
    ],
)
def test_faults_that_would_stop_a_program_are_results(source: str, kind: str, words: str) -> None:
    _, error = run(source)
    assert error is not None
    assert error.kind == kind
    assert words in error.message


def test_a_flood_of_output_is_cut_with_a_note() -> None:
    sandbox, error = run("for i in range(100_000):\n    print(i)\n")
    assert error is None
    text = sandbox.output.text()
    assert text.count("\n") < runner.MAX_OUTPUT_LINES + 5
    assert "[output cut" in text


def test_one_huge_line_is_cut_too() -> None:
    sandbox, _ = run("print('x' * 10_000_000)")
    assert len(sandbox.output.getvalue()) <= runner.MAX_OUTPUT_CHARS
    assert sandbox.output.truncated


def test_learner_changes_to_builtins_and_the_recursion_limit_are_undone() -> None:
    limit = sys.getrecursionlimit()
    # Lowered, but not below the stack the program runs on: that is a RecursionError, and deeper
    # under pytest-xdist (about 60 frames) than in a plain run.
    lowered = len(inspect.stack(0)) + 50
    assert lowered < limit
    _, error = run(
        "import builtins, sys\n"
        "builtins.len = None\n"
        "builtins.print = None\n"
        f"sys.setrecursionlimit({lowered})\n"
    )
    assert error is None
    assert builtins.len is len
    assert callable(builtins.print)
    assert sys.getrecursionlimit() == limit


def test_learner_code_cannot_import_the_course_package() -> None:
    original_allowance = quizkit.connects.allowance
    for source in ("import quizkit.connects\n", "from quizkit import connects\n", "import quizkit\n",
                   "__import__('quizkit.references')\n"):
        _, error = run(source)
        assert error is not None
        assert error.type == "ModuleNotFoundError"
        assert "course's own package" in error.message
    assert quizkit.connects.allowance is original_allowance


def test_redefining_a_builtin_in_learner_code_stays_in_learner_code() -> None:
    sandbox, error = run("len = 3\nprint = None\n")
    assert error is None
    assert sandbox.globals["len"] == 3
    assert len("ab") == 2


def test_calls_capture_faults_and_output() -> None:
    source = "def f(x):\n    print('called', x)\n    return [][x]\n"
    observed = runner.observe(source, {}, {"names": [], "calls": {"c": {"function": "f", "args": [[0]]}}})
    [outcome] = observed["calls"]["c"]
    assert outcome["error"]["type"] == "IndexError"
    assert outcome["error"]["line"] == 3
    assert "called 0" in observed["output"]


def test_null_bytes_are_a_syntax_fault() -> None:
    _, error = run("x = 1\0")
    assert error is not None
    assert error.kind == "syntax"
