from __future__ import annotations

import builtins
import inspect
import json
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
    assert runner.collect(sandbox.output) == "hello 1\n"
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
    text = runner.collect(sandbox.output)
    assert text.count("\n") < runner.MAX_OUTPUT_LINES + 5
    assert "[output cut" in text


def test_one_huge_line_is_cut_too() -> None:
    sandbox, _ = run("print('x' * 10_000_000)")
    assert len(sandbox.output.getvalue()) <= runner.MAX_OUTPUT_CHARS
    assert runner.collect(sandbox.output).endswith("print less to see all of it]\n")


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


# ---------------------------------------------------------------- session 17: what a learner's exception and output may hold


def _round_trip(error: runner.LearnerError | None) -> runner.LearnerError:
    """A learner error as the page and the CLI read it back: through JSON and the strict `from_data`."""
    assert error is not None
    return runner.LearnerError.from_data(json.loads(json.dumps(error.to_data())))


def test_a_syntax_error_raised_at_run_time_is_an_ordinary_exception() -> None:
    """Session 17, a06: trusted as a compile error, its line 'one' made an internal error (the CLI: unreadable result)."""
    _, error = run('x = 1\nraise SyntaxError("oops", ("<your code>", "one", 1, "x = 1"))\n')
    error = _round_trip(error)
    assert error.kind == "exception"
    assert error.type == "SyntaxError"
    assert error.line == 2
    assert error.message.startswith("SyntaxError on line 2: oops")


def test_an_exception_class_whose_name_is_not_text_is_still_described() -> None:
    """Session 17, a07: a metaclass made `__name__` 42, and describing the error failed."""
    source = ("class Meta(type):\n    @property\n    def __name__(cls):\n        return 42\n"
              "class Boom(Exception, metaclass=Meta):\n    pass\n"
              "def f():\n    raise Boom('no')\n")
    observed = runner.observe(source, {}, {"names": ["f"], "calls": {"c": {"function": "f", "args": [[]]}}})
    [outcome] = json.loads(json.dumps(observed))["calls"]["c"]
    error = runner.LearnerError.from_data(outcome["error"])
    assert (error.type, error.line, error.message) == ("Boom", 8, "Boom on line 8: no")


def test_text_from_a_learners_exception_is_copied_so_no_learner_code_runs_later() -> None:
    """A `str` subclass as a class name or message would run its methods in `to_data` (deepcopy), outside the guard."""
    source = ("class Text(str):\n"
              "    def __deepcopy__(self, memo):\n        raise SystemExit('deepcopy')\n"
              "    def __reduce_ex__(self, protocol):\n        raise SystemExit('reduce')\n"
              "    def __str__(self):\n        return self\n"
              "class Boom(Exception):\n    def __str__(self):\n        return Text('x' * 10_000)\n"
              "Boom.__name__ = Text('Boom')\n"
              "raise Boom()\n")
    _, error = run(source)
    assert error is not None
    assert all(type(value) is str for value in (error.type, error.message, error.traceback))
    error = _round_trip(error)
    assert error.type == "Boom"
    assert len(error.message) < 3_000


def test_a_learners_keyboard_interrupt_is_not_read_as_stop() -> None:
    """Its own `raise KeyboardInterrupt` says so; one that arrives as a signal does (Stop, or a timer) reads as before."""
    _, raised = run("def f():\n    raise KeyboardInterrupt\nf()\n")
    assert raised is not None
    assert raised.kind == "interrupt"
    assert raised.message.startswith("Your code was interrupted on line 2 by its own `raise`")
    _, signalled = run("import signal\nsignal.default_int_handler(signal.SIGINT, None)\n")
    assert signalled is not None
    assert signalled.message == "Your code was interrupted on line 2."
    _, reraised = run("import signal\ntry:\n    signal.default_int_handler(signal.SIGINT, None)\nexcept KeyboardInterrupt:\n    raise\n")
    assert reraised is not None
    assert reraised.message == "Your code was interrupted on line 3."


@pytest.mark.parametrize("source", [
    "import io, sys\nio.StringIO.write(sys.stdout, 'y' * 3_000_000)\n",
    "import sys\nsys.stdout.max_chars = 10 ** 12\nsys.stdout.max_lines = 10 ** 12\nprint('z' * 3_000_000)\n",
    "import sys\nsys.stdout.__dict__['text'] = lambda: 'mine'\nprint('y' * 3_000_000)\n",
    ("import sys\nclass Mine(type(sys.stdout)):\n    def getvalue(self):\n        return 'mine'\n"
     "sys.stdout.__class__ = Mine\nprint('y\\n' * 100_000)\n"),
])
def test_the_output_cap_holds_whatever_the_code_does_to_the_capture(source: str) -> None:
    """Session 17, cov/cap_bypass.py and cap_attr.py: the page returned 30 MB of output, the CLI 'too much data'."""
    observed = runner.observe(source, {}, {"names": [], "calls": {}})
    assert observed["error"] is None
    output = observed["output"]
    assert type(output) is str
    assert len(output) < runner.MAX_OUTPUT_CHARS + 200
    assert output.count("\n") <= runner.MAX_OUTPUT_LINES + 2
    assert output.endswith("print less to see all of it]\n")
    assert output[:1] in ("y", "z")


def test_output_within_the_caps_is_kept_as_printed() -> None:
    lines = "".join(f"{i}\n" for i in range(runner.MAX_OUTPUT_LINES))
    sandbox, _ = run(f"print({lines!r}, end='')\n")
    assert runner.collect(sandbox.output) == lines
    assert runner.capped_output(lines) == lines
    assert runner.capped_output(lines * 2).endswith("print less to see all of it]\n")


def test_closed_output_is_empty_not_a_fault_of_ours() -> None:
    observed = runner.observe("import io, sys\nprint('hi')\nio.StringIO.close(sys.stdout)\n", {}, {"names": [], "calls": {}})
    assert observed["output"] == ""


def test_a_global_whose_class_name_is_not_text_is_described() -> None:
    source = "class Meta(type):\n    @property\n    def __name__(cls):\n        return 42\nclass C(metaclass=Meta):\n    pass\nf = C()\n"
    observed = runner.observe(source, {}, {"names": ["f"], "calls": {}})
    assert observed["names"]["f"] == {"callable": False, "type": "C"}


def test_an_int_too_long_to_print_becomes_an_opaque_value_that_json_can_carry() -> None:
    observed = runner.observe("def f():\n    return 10 ** 5000\n", {}, {"names": ["f"], "calls": {"c": {"function": "f", "args": [[]]}}})
    [outcome] = json.loads(json.dumps(observed))["calls"]["c"]
    assert outcome["value"] == {"$object": "int", "repr": "an int with 5,001 digits (too long to show)"}
