"""Learner code cannot decide its own verdict, nor hang the grader: the CLI, notebooks and the page's Python.

Each attack comes with a wrong answer: it must end `failed`, `error` or `timeout`, never
`passed`, and a later check of a wrong answer must fail too.

- CLI and notebooks: learner code runs in a child process (`quizkit.isolate`).
- The page: learner code shares the interpreter with the grader (`quizkit.browser`);
  the sequences run in a fresh CPython process and in Pyodide under Node, since a
  successful attack would stay in the interpreter that ran it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from quizkit.cli import main
from quizkit.course import Course
from quizkit.isolate import Limits, grade_isolated
from quizkit.plugin import toolchain
from quizkit.plugin.embed import exercise_json

if TYPE_CHECKING:
    from quizkit.exercise import Exercise

ROOT = Path(__file__).resolve().parent.parent
COURSE = Course.load(ROOT / "exercises")
EXERCISE = COURSE.exercise("next-refill")
OTHER = COURSE.exercise("connects-spent")
WRONG = "def next_refill(billing_day, today):\n    return today\n"
"""A wrong answer to EXERCISE: every attack below is paired with it."""
OTHER_WRONG = "def connects_spent(required, bid, top_slot_at_close, client_interacted):\n    return -1\n"
ALLOWANCE = COURSE.exercise("monthly-allowance")
ALLOWANCE_WRONG = "def proposals_per_month(plan, required):\n    return 0\n"

ATTACKS = {
    "replace a check": (
        "import sys, quizkit.grader as g\n"
        "g.CHECKS['function'] = lambda ctx, check: g.CheckResult(id=check.id, passed=True, message='ok')\n"
    ),
    "replace a reference": (
        "import quizkit.references as r\n"
        "r.REFERENCES['next_refill'] = r.REFERENCES['next_refill'].__class__(\n"
        "    name='next_refill', params=('a', 'b'), compute=lambda rules, a, b: b, generate=lambda rng, rules: [1, None])\n"
    ),
    "replace the comparison": (
        "import quizkit.references as r\n"
        "r.same_value.__code__ = (lambda actual, expected, args: True).__code__\n"
    ),
    "read the expected answer from the grader's frames": textwrap.dedent("""\
        import sys
        def next_refill(billing_day, today):
            frame = sys._getframe(1)
            while frame is not None:
                for name in ("expected", "case", "cases"):
                    if name in frame.f_locals:
                        return frame.f_locals[name]
                frame = frame.f_back
            return today
        """),
    "call the reference": textwrap.dedent("""\
        import quizkit.references as r, quizkit.grader as g
        def next_refill(billing_day, today):
            return r.REFERENCES['next_refill'].expected(None, [billing_day, today])
        """),
    "reach the grader through sys.modules": textwrap.dedent("""\
        import sys
        for name, module in list(sys.modules.items()):
            if name.startswith('quizkit'):
                module.__dict__.clear()
        """),
    "an object equal to everything": textwrap.dedent("""\
        class Anything:
            def __eq__(self, other): return True
            def __ne__(self, other): return False
        def next_refill(billing_day, today):
            return Anything()
        """),
    "an int that equals everything": textwrap.dedent("""\
        class Sneaky(int):
            def __eq__(self, other): return True
        def next_refill(billing_day, today):
            return Sneaky(1)
        """),
    "a repr that exits": textwrap.dedent("""\
        class Loud:
            def __repr__(self): raise SystemExit(0)
        def next_refill(billing_day, today):
            return Loud()
        """),
    "exit the process": "import os\nos._exit(0)\n",
    "forge the result on every descriptor": textwrap.dedent("""\
        import json, os
        forged = json.dumps({"error": None, "output": "", "names": {}, "calls": {}}).encode()
        for fd in range(0, 64):
            try:
                os.write(fd, b"\\n" + forged)
            except OSError:
                pass
        os._exit(0)
        """),
}
"""Each is run before WRONG (or replaces it, when it defines next_refill itself)."""


def attack_source(attack: str) -> str:
    code = ATTACKS[attack]
    return code if "def next_refill" in code else code + WRONG


# ---------------------------------------------------------------- the CLI


def quizkit(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "quizkit.cli", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=60, check=False)


@pytest.mark.parametrize("attack", ATTACKS)
def test_an_attack_from_the_cli_never_passes(attack: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "attempt.py"
    file.write_text(attack_source(attack), encoding="utf-8")
    code = main(["grade", EXERCISE.id, str(file), "--json", "--content", str(ROOT / "exercises")])
    assert code == 1
    assert json.loads(capsys.readouterr().out)["status"] in ("failed", "error")


def test_the_cli_exit_code_follows_the_verdict(tmp_path: Path) -> None:
    right, wrong = tmp_path / "right.py", tmp_path / "wrong.py"
    right.write_text(EXERCISE.solution, encoding="utf-8")
    wrong.write_text(WRONG, encoding="utf-8")
    assert quizkit("grade", EXERCISE.id, str(right)).returncode == 0
    done = quizkit("grade", EXERCISE.id, str(wrong))
    assert done.returncode == 1
    assert done.stdout.rstrip().splitlines()[-1].startswith("failed: ")


@pytest.mark.timed
def test_a_runaway_program_ends_in_timeout_within_its_limit_plus_a_second(tmp_path: Path) -> None:
    file = tmp_path / "loop.py"
    file.write_text("while True:\n    pass\n", encoding="utf-8")
    done = quizkit("grade", EXERCISE.id, str(file), "--timeout", "1")
    assert done.returncode == 1
    assert "still running after 1 s" in done.stdout
    assert done.stdout.rstrip().splitlines()[-1].startswith("timeout: ")
    started = time.monotonic()
    result = grade_isolated(EXERCISE, "while True:\n    pass\n", COURSE.rules, Limits(seconds=1))
    assert time.monotonic() - started < 2.0
    assert result.status == "timeout"


@pytest.mark.timed
@pytest.mark.parametrize("source", [
    "data = bytearray(8 * 1024 ** 3)\n",
    "grow = []\nwhile True:\n    grow.append('x' * 10 ** 6)\n",
])
def test_a_memory_hungry_program_ends_in_an_error(source: str) -> None:
    started = time.monotonic()
    result = grade_isolated(EXERCISE, source, COURSE.rules, Limits(seconds=5, memory_mb=256))
    assert time.monotonic() - started < 6.0
    assert result.status == "error"
    assert result.error is not None
    assert result.error.kind == "memory"
    assert "memory" in result.error.message


def test_processes_that_share_out_the_memory_are_held_to_the_limit_together() -> None:
    """Each forked process within the limit, all of them over it (session 32: four of 114 MB passed 128 MB).

    Confined, learner code cannot fork (`nobody`, RLIMIT_NPROC): this is the process boundary alone, as a system
    that refuses the confinement has it."""
    source = textwrap.dedent("""\
        import os, time
        for _ in range(4):
            if os.fork() == 0:
                block = b"x" * (60 * 1024 * 1024)
                time.sleep(10)
                os._exit(0)
        time.sleep(3)
        """) + WRONG
    result = grade_isolated(EXERCISE, source, COURSE.rules, Limits(seconds=8, memory_mb=128, confined=False))
    assert result.status == "error"
    assert result.error is not None
    assert result.error.kind == "memory"


def test_processes_started_by_learner_code_end_with_it(tmp_path: Path) -> None:
    """The process boundary alone (confined, no process can start, and the test's folder is out of reach)."""
    pid_file = tmp_path / "pid"
    source = (f"import subprocess\nchild = subprocess.Popen(['sleep', '60'])\nopen({str(pid_file)!r}, 'w').write(str(child.pid))\n"
              "while True:\n    pass\n")
    result = grade_isolated(EXERCISE, source, COURSE.rules, Limits(seconds=1, confined=False))
    assert result.status == "timeout"
    pid = int(pid_file.read_text(encoding="utf-8"))
    deadline = time.monotonic() + 5
    while Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid) and time.monotonic() < deadline:
        time.sleep(0.05)  # the kill is sent; the process table catches up
    assert not Path(f"/proc/{pid}").exists() or "zombie" in _state(pid)


@pytest.mark.skipif(sys.platform != "linux", reason="a subreaper is Linux's")
def test_processes_that_leave_the_process_group_end_with_the_grade(tmp_path: Path) -> None:
    """`os.setsid()` in a grandchild leaves the group the grader kills; as root, nothing stops the fork either
    (the process boundary alone, as in the test above)."""
    pid_file = tmp_path / "pid"
    source = textwrap.dedent(f"""\
        import os, time
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                os.closerange(0, 1024)  # holds no pipe of the grader's: nothing tells it apart from a finished run
                open({str(pid_file)!r}, "w").write(str(os.getpid()))
                time.sleep(60)
            os._exit(0)
        os.wait()
        while not os.path.exists({str(pid_file)!r}):
            time.sleep(0.01)
        """) + WRONG
    result = grade_isolated(EXERCISE, source, COURSE.rules, Limits(seconds=5, confined=False))
    if not pid_file.exists():
        pytest.skip("no process could be started here (RLIMIT_NPROC holds for this user)")
    assert result.status == "failed"
    pid = int(pid_file.read_text(encoding="utf-8"))
    assert not Path(f"/proc/{pid}").exists() or "zombie" in _state(pid), "killed and reaped as the grade ended"


def _state(pid: int) -> str:
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return "gone"
    return next((line for line in status.splitlines() if line.startswith("State:")), "").lower()


def test_output_is_capped_and_the_grade_still_comes(tmp_path: Path) -> None:
    result = grade_isolated(EXERCISE, "for i in range(10 ** 6):\n    print('x' * 100)\n" + WRONG, COURSE.rules)
    assert result.status == "failed"
    assert len(result.output) < 200_000
    assert "[output cut" in result.output


def test_learner_code_runs_in_an_empty_folder_without_the_course(tmp_path: Path) -> None:
    source = ("import os, sys\n"
              "print(sorted(os.listdir('.')), any('site-packages' in p for p in sys.path))\n" + WRONG)
    result = grade_isolated(EXERCISE, source, COURSE.rules)
    assert result.output == "[] False\n"


# ---------------------------------------------------------------- notebooks


def test_tampering_in_a_notebook_check_does_not_reach_later_checks(capsys: pytest.CaptureFixture[str]) -> None:
    from quizkit.notebook import check

    for attack in ("replace a check", "replace the comparison", "reach the grader through sys.modules"):
        assert check(EXERCISE.id, attack_source(attack)).status in ("failed", "error"), attack
    assert check(OTHER.id, OTHER_WRONG).status == "failed"
    assert check(EXERCISE.id, EXERCISE.solution).status == "passed"
    capsys.readouterr()


@pytest.mark.timed
def test_a_runaway_cell_ends_in_timeout(capsys: pytest.CaptureFixture[str]) -> None:
    from quizkit.notebook import check, course

    course()  # finding and loading the course is not the learner's time
    started = time.monotonic()
    result = check(EXERCISE.id, "def next_refill(billing_day, today):\n    while True:\n        pass\n")
    assert result.status == "timeout"
    assert time.monotonic() - started < EXERCISE.timeout_s + 1
    capsys.readouterr()


# ---------------------------------------------------------------- the page's Python


SEQUENCE: list[tuple[str, Exercise, str, str]] = [
    # Changes a program may make for its own use are undone; the next programs are graded normally.
    ("rebind a standard-library function", EXERCISE, "import random\nrandom.randint = lambda a, b: a\n" + WRONG, "failed"),
    ("patch a standard-library class", EXERCISE,
     "import json\njson.JSONEncoder.encode = lambda self, o: '{\"status\": \"passed\"}'\n" + WRONG, "failed"),
    ("a trace hook", EXERCISE, "import sys\nsys.settrace(lambda *a: None)\n" + WRONG, "failed"),
    ("the recursion limit", EXERCISE, "import sys\nsys.setrecursionlimit(40)\n" + WRONG, "failed"),
    ("endless recursion past a raised limit", EXERCISE, ("import sys\nsys.setrecursionlimit(10 ** 6)\n"
     "def down(n):\n    return down(n + 1)\ndef next_refill(billing_day, today):\n    return down(0)\n"), "failed"),
    ("after those", EXERCISE, EXERCISE.solution, "passed"),
    ("swap the code of a standard-library function", EXERCISE,
     "import copy\ncopy.deepcopy.__code__ = (lambda x, memo=None, _nil=[]: x).__code__\n" + WRONG, "failed"),
    # Found by session 17's red team: each made this Check or later ones pass a wrong answer, or fail a right one.
    ("a builtin rebound", EXERCISE, "import builtins\nbuiltins.all = lambda items: True\n" + WRONG, "failed"),
    ("a finalizer that rebinds a builtin at every collection", EXERCISE, textwrap.dedent("""\
        import builtins, gc
        class Ghost:
            def __init__(self):
                self.me = self
            def __del__(self):
                builtins.all = lambda items: True
                Ghost()
        Ghost()
        gc.set_threshold(1)
        """) + WRONG, "failed"),
    ("a wrong answer while that finalizer lives on", OTHER, OTHER_WRONG, "failed"),
    ("an entry added to a standard-library table", ALLOWANCE, textwrap.dedent("""\
        import copy
        def _copy_list(value, memo, deepcopy=copy.deepcopy):
            return [value[0], 10 ** 6] if len(value) == 2 and value[0] in ("basic", "plus") else [deepcopy(v, memo) for v in value]
        copy._deepcopy_dispatch[list] = _copy_list
        """) + ALLOWANCE_WRONG, "failed"),
    ("the solution after it", ALLOWANCE, ALLOWANCE.solution, "passed"),
    ("a module planted under a standard-library name", EXERCISE,
     "import sys, types\nfake = types.ModuleType('calendar')\nfake.monthrange = lambda y, m: (0, 1)\n"
     "sys.modules['calendar'] = fake\n" + WRONG, "failed"),
    ("a program that imports the real one after it", EXERCISE,
     "import calendar\nassert calendar.monthrange(2026, 2) == (6, 28)\n" + EXERCISE.solution, "passed"),
    # An audit hook could never be removed: it is refused where it is added.
    ("an audit hook", EXERCISE, "import sys\nsys.addaudithook(lambda *a: None)\n" + WRONG, "error"),
    ("objects that lie", EXERCISE, attack_source("an object equal to everything"), "failed"),
    ("a repr that exits", EXERCISE, attack_source("a repr that exits"), "failed"),
    ("after those too", OTHER, OTHER_WRONG, "failed"),
    ("and the solution", EXERCISE, EXERCISE.solution, "passed"),
    # Found by session 21's red team: a finalizer left to run after the program, in the grader's own code.
    ("a finalizer left behind that rebinds a builtin when it is collected", ALLOWANCE, textwrap.dedent("""\
        import builtins
        class Litter:
            def __del__(self):
                builtins.len = None
        def proposals_per_month(plan, required):
            litter = Litter()
            litter.me = litter
            return 0
        """), "failed or restart"),
    ("the solution after it", ALLOWANCE, ALLOWANCE.solution, "passed"),
    ("`type` rebound while the call's answer is read", ALLOWANCE, textwrap.dedent("""\
        import builtins
        real = builtins.type
        class Fake(int):
            pass
        def proposals_per_month(plan, required):
            builtins.type = lambda *a: int if len(a) == 1 else real(*a)
            return Fake(7)
        """), "restart"),
    ("and the solution after that", ALLOWANCE, ALLOWANCE.solution, "passed"),
    # Found by session 32's red team.
    ("the standard decoder that read each exercise rewritten", ALLOWANCE, textwrap.dedent("""\
        import json
        real = json._default_decoder.scan_once
        def scan(text, index):
            value, end = real(text, index)
            if isinstance(value, dict) and "lesson" in value:  # an exercise, as the page sends it
                value["checks"] = [{"id": c["id"], "kind": "defines", "name": "RULES"} for c in value["checks"]]
                value["wrong"] = []
            return value, end
        json._default_decoder.scan_once = scan
        """) + ALLOWANCE_WRONG, "failed"),
    ("a wrong answer to another exercise after it", EXERCISE, WRONG, "failed"),
    ("objects planted in the grader's cache of known-wrong attempts", ALLOWANCE, textwrap.dedent("""\
        import sys
        grader = sys.modules["quizkit.grader"]
        class Sleeper:
            def __getitem__(self, index):
                grader.all = lambda items: True
                return sys._getframe(1).f_locals["ctx"].exercise
            def __iter__(self):
                ctx = sys._getframe(1).f_locals["ctx"]
                return iter([ctx.exercise, ctx.rules, False, None])
        frame = sys._getframe()
        while "exercise" not in frame.f_locals:
            frame = frame.f_back
        exercise = frame.f_locals["exercise"]
        rules = sys.modules["quizkit.browser"]._state["rules"]
        for wrong in exercise.wrong:
            for check in exercise.checks:
                grader._WRONG_OBSERVED[(exercise.id, id(rules), wrong.source, check.id)] = Sleeper()
        """) + ALLOWANCE.solution, "passed"),
    ("a wrong answer after them", ALLOWANCE, ALLOWANCE_WRONG, "failed"),
    ("and another", ALLOWANCE, ALLOWANCE_WRONG, "failed"),
    ("the int size limit lowered", ALLOWANCE, "import sys\nsys.set_int_max_str_digits(640)\n" + ALLOWANCE_WRONG, "failed"),
    ("a later program that prints a big int", ALLOWANCE, "print(10 ** 700)\n" + ALLOWANCE.solution, "passed"),
    ("a finalizer that the guard's own restore runs, rebinding a builtin", ALLOWANCE, textwrap.dedent("""\
        import builtins, json, sys
        real_sorted = builtins.sorted
        class Litter:
            def __del__(self):
                def sorted(items, *args, **kwargs):
                    return [] if sys._getframe(1).f_code.co_name == "plan" else real_sorted(items, *args, **kwargs)
                builtins.sorted = sorted
        json.litter = Litter()
        """) + ALLOWANCE.solution, "restart"),
    ("the solution after it", ALLOWANCE, ALLOWANCE.solution, "passed"),
    # A change to the grader: this Check and every later one in this interpreter are errors.
    ("a method of a type Python does not let code change, changed through gc", EXERCISE, textwrap.dedent("""\
        import datetime, gc, sys
        gc.get_referents(datetime.date.__dict__)[0]["replace"] = lambda self, *args, **kwargs: self
        sys._clear_type_cache()
        """) + WRONG, "restart"),
    ("a built-in type's method replaced", EXERCISE, textwrap.dedent("""\
        import gc, sys
        table = gc.get_referents(str.__dict__)[0]
        table["zfill"] = lambda self, width: self
        sys._clear_type_cache()
        """) + WRONG, "tamper"),
    ("replace the comparison", EXERCISE, "import sys\nr = sys.modules['quizkit.references']\n"
     "r.same_value.__code__ = (lambda actual, expected, args: True).__code__\n" + WRONG, "tamper"),
    ("then replace a check", EXERCISE, "import sys\ng = sys.modules['quizkit.grader']\n"
     "g.CHECKS['function'] = lambda ctx, check: g.CheckResult(id=check.id, passed=True, message='ok')\n" + WRONG, "tamper"),
    ("a later wrong answer", OTHER, OTHER_WRONG, "tamper"),
    ("even the solution", EXERCISE, EXERCISE.solution, "tamper"),
]
"""Programs run one after another in one interpreter, with the outcome each must have."""


def _printing(exercise: Exercise) -> str:
    """`exercise` as the page sends it, with one `output_contains` check whose text reads a figure (`{{ }}`)."""
    data = json.loads(exercise_json(exercise))
    data["checks"] = [{"id": "prints", "kind": "output_contains", "text": "Basic gives {{ plan.basic.monthly_connects }} Connects"}]
    data["wrong"] = []
    return json.dumps(data)


PRINTING_SEQUENCE: list[tuple[str, Exercise, str, str]] = [
    ("the right output", ALLOWANCE, "print('Basic gives 10 Connects')\n", "passed"),
    # The grader's own memo of the rules' functions, first filled by the check above, read as a change to the grader.
    ("the right output again", ALLOWANCE, "print('Basic gives 10 Connects')\n", "passed"),
    ("the expression's cached tree changed", ALLOWANCE, textwrap.dedent("""\
        import ast, sys
        expressions = sys.modules["quizkit.expressions"]
        for text in (" plan.basic.monthly_connects ", "plan.basic.monthly_connects"):
            node = expressions.parsed(text)
            node.__class__ = ast.Constant
            node.value, node.kind = 999, None
        print('Basic gives 10 Connects')
        """), "passed"),
    ("a wrong output after it", ALLOWANCE, "print('Basic gives 999 Connects')\n", "failed"),
    ("and the right one", ALLOWANCE, "print('Basic gives 10 Connects')\n", "passed"),
]
"""Session 35: Checks of an exercise with an output check (no course exercise has one yet), one after another."""


HIDDEN_CODE: list[tuple[str, Exercise, str, str]] = [
    ("a wrong answer first", EXERCISE, WRONG, "failed"),
    ("the function type's `__code__` replaced through gc, to hide a reference whose code was changed", EXERCISE,
     textwrap.dedent("""\
        import gc, sys, types
        same_value = sys.modules["quizkit.references"].same_value
        real_code = same_value.__code__
        table = gc.get_referents(types.FunctionType.__dict__)[0]
        code = table["__code__"]
        same_value.__code__ = (lambda actual, expected, args: True).__code__
        table["__code__"] = property(lambda f: real_code if f is same_value else code.__get__(f), code.__set__)
        sys._clear_type_cache()
        """) + WRONG, "tamper"),
    ("a later wrong answer", EXERCISE, WRONG, "tamper"),
]
"""Session 35: every later wrong answer passed; `function` is a built-in type that `builtins` does not name."""

LATER_SEQUENCES = {
    "an output check": PRINTING_SEQUENCE,
    "hidden code": HIDDEN_CODE,
}


def _later_input(name: str) -> dict[str, Any]:
    printing = name == "an output check"
    return {"rules": COURSE.rules.to_data(),
            "attempts": [{"exercise": _printing(exercise) if printing else exercise_json(exercise), "source": source}
                         for _, exercise, source, _ in LATER_SEQUENCES[name]]}


def _expect_all(sequence: list[tuple[str, Exercise, str, str]], grades: list[dict[str, Any]]) -> None:
    for (label, _, _, outcome), data in zip(sequence, grades, strict=True):
        try:
            _expect(outcome, data)
        except AssertionError as exc:
            raise AssertionError(f"{label}: {data}") from exc


@pytest.mark.parametrize("name", LATER_SEQUENCES)
def test_in_the_pages_python_session_35_findings_change_no_later_verdict(name: str) -> None:
    _expect_all(LATER_SEQUENCES[name], _graded_in_cpython(_later_input(name)))


@pytest.mark.node
@pytest.mark.parametrize("name", LATER_SEQUENCES)
def test_in_pyodide_session_35_findings_change_no_later_verdict(name: str, tmp_path: Path) -> None:
    _expect_all(LATER_SEQUENCES[name], _graded_in_pyodide(_later_input(name), tmp_path))


_ANALYSE_BETWEEN = """
import json, sys
from quizkit import browser
data = json.load(sys.stdin)
browser.load_rules(json.dumps(data["rules"]))
grades = []
for _ in range(2):
    grades.append(json.loads(browser.grade_json(data["exercise"], data["source"])))
    assert json.loads(browser.analyse_json(json.dumps(data["profile"])))["ok"]
grades.append(json.loads(browser.grade_json(data["exercise"], data["source"])))
print(json.dumps(grades))
"""


def test_in_the_pages_python_the_activity_s_analysis_leaves_the_next_check_alone() -> None:
    """A page with exercises and the activity shares one interpreter (activity.js): the analysis filled a memo of
    quizkit's after the guard's baseline, and every later Check ended in a `tamper` error blaming the reader (session 35)."""
    from quizkit.load import read_yaml

    profile = read_yaml(ROOT / "exercises" / "profiles" / "example.yml").data
    request = {"rules": COURSE.rules.to_data(), "exercise": exercise_json(ALLOWANCE), "source": ALLOWANCE.solution,
               "profile": profile}
    done = subprocess.run([sys.executable, "-c", _ANALYSE_BETWEEN], input=json.dumps(request, default=str),
                          capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, "QUIZKIT_RAISE_INTERNAL": "0"})
    assert done.returncode == 0, done.stderr
    assert [(grade["status"], grade["restart"]) for grade in json.loads(done.stdout)] == [("passed", False)] * 3


def _expect(outcome: str, data: dict[str, Any]) -> None:
    if outcome == "failed or restart":  # where the collector finds the program's objects: in its own calls, or after
        _expect("failed" if data["status"] == "failed" else "restart", data)
    elif outcome == "restart":  # the program's doing, and the page replaces the interpreter
        assert (data["status"], data["error"]["kind"], data["restart"]) == ("error", "tamper", True)
        assert "This is a fault in the course" not in json.dumps(data)
    elif outcome == "tamper":
        assert data["status"] == "error"
        assert data["error"]["kind"] == "tamper"
        assert "changed the course's grader" in data["error"]["message"]
        assert data["restart"] is True
    else:
        assert data["status"] == outcome
        assert data["restart"] is False


_IN_CPYTHON = """
import json, sys
from quizkit import browser
data = json.load(sys.stdin)
browser.load_rules(json.dumps(data["rules"]))
write = sys.stdout.write
write("\\n".join([browser.grade_json(a["exercise"], a["source"]) for a in data["attempts"]]))
"""
"""The page's worker in CPython: its answers as the page gets them, one JSON text a line, read by the test (the
page reads them in JavaScript: a program that changes this interpreter's `json` does not reach the reading)."""


def _sequence_input() -> dict[str, Any]:
    return {"rules": COURSE.rules.to_data(),
            "attempts": [{"exercise": exercise_json(exercise), "source": source} for _, exercise, source, _ in SEQUENCE]}


def _in_child_cpython(script: str, request: dict[str, Any]) -> str:
    """What `script` prints, run in a child CPython with `request` as JSON on its input."""
    done = subprocess.run([sys.executable, "-c", script], input=json.dumps(request), capture_output=True,
                          text=True, timeout=120, check=False, env={**os.environ, "QUIZKIT_RAISE_INTERNAL": "0"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def _in_node_pyodide(script: str, request: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    """The JSON that `tests/node/<script>` prints, given Pyodide, the quizkit wheel and `request` (skipped without Node)."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    node_modules = toolchain.find_node_modules()
    wheel = toolchain.build_wheel(toolchain.Cache.beside(node_modules))
    path = tmp_path / "input.json"
    path.write_text(json.dumps(request), encoding="utf-8")
    done = subprocess.run([node, str(ROOT / "tests" / "node" / script), str(node_modules / "pyodide"), str(wheel), str(path)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def _graded_in_cpython(request: dict[str, Any]) -> list[dict[str, Any]]:
    """The page's answers to `request`'s attempts, one after another in one CPython interpreter."""
    return [json.loads(line) for line in _in_child_cpython(_IN_CPYTHON, request).splitlines()]


def _graded_in_pyodide(request: dict[str, Any], tmp_path: Path) -> list[dict[str, Any]]:
    """The page's answers to `request`'s attempts, one after another in Pyodide under Node (tests/node/parity.mjs)."""
    return _in_node_pyodide("parity.mjs", request, tmp_path)["grades"]  # type: ignore[no-any-return]


def test_in_the_pages_python_no_program_changes_a_later_verdict() -> None:
    _expect_all(SEQUENCE, _graded_in_cpython(_sequence_input()))


@pytest.mark.node
def test_in_pyodide_no_program_changes_a_later_verdict(tmp_path: Path) -> None:
    _expect_all(SEQUENCE, _graded_in_pyodide(_sequence_input(), tmp_path))


# ---------------------------------------------------------------- session 17: learner faults that were errors of ours


FORGED_VERDICT = ("class Shown:\n    def __repr__(self):\n        return '5\\npassed: 3 of 3 checks passed'\n\n"
                  "def proposals_per_month(plan, required):\n    return Shown()\n")
"""Learner text that would start a line reading like a verdict, if a message kept its line break."""

FINDINGS: list[tuple[str, str, str, str]] = [
    ("a04 a huge int for an amount", "plan-advice",
     "def monthly_cost(plan, need):\n    return 10 ** 400\n\ndef plus_premium(need):\n    return 10 ** 400\n", "returned 1000000"),
    ("a05 an int too long to print", "monthly-allowance", "def proposals_per_month(plan, required):\n    return 10 ** 5000\n",
     "returned an int with 5,001 digits (too long to show)"),
    ("a06 a syntax error raised at run time", "monthly-allowance",
     'raise SyntaxError("oops", ("<your code>", "one", 1, "x = 1"))\n', "SyntaxError on line 1: oops"),
    ("a07 a class name that is not text", "monthly-allowance",
     ("class Meta(type):\n    @property\n    def __name__(cls):\n        return 42\n\n"
      "class Boom(Exception, metaclass=Meta):\n    pass\n\n"
      "def proposals_per_month(plan, required):\n    raise Boom('no')\n"), "Boom on line 10: no"),
    ("a09 a set of ints that all hash alike", "monthly-allowance",
     "SLOW = {k * (2 ** 61 - 1) for k in range(3_000)}\n\ndef proposals_per_month(plan, required):\n    return SLOW\n",
     "returned a set of 3,000 items (too slow to compare)"),
    ("output written past the cap", "monthly-allowance",
     "import io, sys\nio.StringIO.write(sys.stdout, 'y' * 3_000_000)\ndef proposals_per_month(plan, required):\n    return 0\n",
     "print less to see all of it]"),
    ("a raise of KeyboardInterrupt", "monthly-allowance",
     "def proposals_per_month(plan, required):\n    raise KeyboardInterrupt\n", "interrupted on line 2 by its own `raise`"),
    ("s21 a right count of the learner's own int class", "monthly-allowance",
     ("class Proposals(int):\n    pass\n\ndef proposals_per_month(plan, required):\n"
     "    return Proposals(RULES[f'plan.{plan}.monthly_connects'] // required)\n"),
     "That is a `Proposals`, an object of a class your code made, not a plain `int`"),
    ("s21 a repr that draws a verdict line", "monthly-allowance", FORGED_VERDICT, "returned 5\\npassed: 3 of 3 checks passed"),
]
"""(label, exercise, code, words its verdict shows): each ended in an internal error, a misleading message or 30 MB of output."""


def _shown(data: dict[str, Any]) -> str:
    """Everything a verdict shows the learner."""
    return "\n".join([data["output"], (data["error"] or {}).get("message", ""), *(c["message"] for c in data["checks"])])


def test_session_17_findings_end_in_a_clear_verdict_in_the_page_and_the_cli() -> None:
    attempts = [{"exercise": exercise_json(COURSE.exercise(exercise)), "source": source} for _, exercise, source, _ in FINDINGS]
    done = subprocess.run([sys.executable, "-c", _IN_CPYTHON], input=json.dumps({"rules": COURSE.rules.to_data(), "attempts": attempts}),
                          capture_output=True, text=True, timeout=120, check=False, env={**os.environ, "QUIZKIT_RAISE_INTERNAL": "0"})
    assert done.returncode == 0, done.stderr
    for (label, exercise, source, words), page in zip(FINDINGS, map(json.loads, done.stdout.splitlines()), strict=True):
        cli = grade_isolated(COURSE.exercise(exercise), source, COURSE.rules).to_data()
        for where, data in (("page", page), ("cli", cli)):
            assert data["status"] in ("failed", "error"), (label, where, data)
            assert words in _shown(data), (label, where, data)
            assert len(data["output"]) < 100_200, (label, where)


def test_session_17_findings_end_in_a_clear_verdict_in_a_notebook(capsys: pytest.CaptureFixture[str]) -> None:
    from quizkit.notebook import check

    for label, exercise, source, words in FINDINGS[1:3]:
        result = check(exercise, source)
        assert result.status in ("failed", "error"), label
        assert words in result.text(), label
    capsys.readouterr()


# ---------------------------------------------------------------- the run under other figures, told apart (session 21)


RUN_DETECTION = {
    "a mark on sys": "import sys\nsys.qk_runs = getattr(sys, 'qk_runs', 0) + 1\nSECOND = sys.qk_runs > 1\n",
    "a mark on a standard-library module": "import math\nSECOND = hasattr(math, 'qk_seen')\nmath.qk_seen = True\n",
    "the grader's frame": "import sys\nSECOND = 'again' in sys._getframe(2).f_locals\n",
    "the plan in the runner's frame": ("import sys\nframe, SECOND = sys._getframe(), False\nwhile frame is not None:\n"
                                       "    plan = frame.f_locals.get('plan')\n"
                                       "    SECOND = SECOND or (isinstance(plan, dict) and plan.get('names') == [])\n"
                                       "    frame = frame.f_back\n"),
    "a file in its folder": "import os\nSECOND = os.path.exists('seen')\nopen('seen', 'w').close()\n",
}
"""Ways a program told its run under other figures from its first run when both ran in one interpreter."""
TYPES_TODAYS_FIGURES_IN_THE_FIRST_RUN = textwrap.dedent("""\
    def proposals_per_month(plan, required):
        if SECOND:
            return RULES[f"plan.{plan}.monthly_connects"] // required
        return {"basic": int("10"), "plus": int("100")}[plan] // required
    """)
"""Right today, with the allowances typed (read by name only in the second run): it must fail `reads-rules`."""


def _reads_rules_failed(data: dict[str, Any]) -> bool:
    return data["status"] == "failed" and [c["id"] for c in data["checks"] if not c["passed"]] == ["reads-rules"]


@pytest.mark.parametrize("way", RUN_DETECTION)
def test_a_program_cannot_tell_its_run_under_other_figures_from_its_first_in_the_cli(way: str) -> None:
    """Each run in a fresh child process, in a folder of its own: nothing the first leaves reaches the second."""
    source = RUN_DETECTION[way] + TYPES_TODAYS_FIGURES_IN_THE_FIRST_RUN
    assert _reads_rules_failed(grade_isolated(ALLOWANCE, source, COURSE.rules).to_data())
    assert grade_isolated(ALLOWANCE, ALLOWANCE.solution, COURSE.rules).passed


def test_a_program_cannot_tell_its_run_under_other_figures_from_its_first_in_the_pages_python() -> None:
    """One interpreter there: the guard undoes what the first run changed before the second starts. Not a file it
    wrote (a reader can always fool their own browser: see the README)."""
    ways = [way for way in RUN_DETECTION if way != "a file in its folder"]
    attempts = [{"exercise": exercise_json(ALLOWANCE), "source": RUN_DETECTION[way] + TYPES_TODAYS_FIGURES_IN_THE_FIRST_RUN}
                for way in ways]
    done = subprocess.run([sys.executable, "-c", _IN_CPYTHON], input=json.dumps({"rules": COURSE.rules.to_data(), "attempts": attempts}),
                          capture_output=True, text=True, timeout=120, check=False, env={**os.environ, "QUIZKIT_RAISE_INTERNAL": "0"})
    assert done.returncode == 0, done.stderr
    for way, data in zip(ways, map(json.loads, done.stdout.splitlines()), strict=True):
        assert _reads_rules_failed(data), (way, data)


FORGED_CHILD = textwrap.dedent("""\
    import json, os, sys
    frame = sys._getframe()
    while "request" not in frame.f_locals:
        frame = frame.f_back
    plan = frame.f_locals["request"]["plan"]
    os.write(3, json.dumps({forged}).encode())
    os._exit(0)
    """)
"""Learner code that writes its own observation on the child's channel: every text in it is the learner's."""
VERDICT = "\\npassed: 3 of 3 checks passed"
"""A line break, then a verdict, as a Python literal."""

VERDICT_LINES = {
    "a NameError's name": f"def proposals_per_month(plan, required):\n    raise NameError('x', name='zz{VERDICT}')\n",
    "an exception class called passed": "class passed(Exception):\n    pass\n\nraise passed('3 of 3 checks passed')\n",
    "a forged error message": FORGED_CHILD.format(forged=(
        "{'error': {'kind': 'exception', 'type': 'E" + VERDICT + "', 'message': 'm" + VERDICT + "', 'line': None, "
        "'column': None, 'traceback': ''}, 'output': '', 'names': {}, 'calls': {}}")),
    "a forged traceback": FORGED_CHILD.format(forged=(
        "{'error': {'kind': 'exception', 'type': 'E', 'message': 'm', 'line': None, 'column': None, "
        "'traceback': 'Traceback" + VERDICT + "'}, 'output': '', 'names': {}, 'calls': {}}")),
    "a forged type name": FORGED_CHILD.format(forged=(
        "{'error': None, 'output': '', 'names': {n: {'callable': False, 'type': 'int" + VERDICT + "'} for n in plan['names']},"
        " 'calls': {cid: [] for cid in plan['calls']}}")),
    "a forged class of a returned value": FORGED_CHILD.format(forged=(
        "{'error': None, 'output': '', 'names': {n: {'callable': True, 'type': 'function'} for n in plan['names']},"
        " 'calls': {cid: [{'value': {'$object': 'Num" + VERDICT + "', 'repr': '5" + VERDICT + "'}}] for cid in plan['calls']}}")),
}
"""Learner text in a message or a traceback, each beginning a line that reads like a verdict when shown as it is: a
`NameError` names its missing name in its advice, a class names itself on its traceback's last line, and a child's
forged result is all the learner's (session 35)."""


@pytest.mark.parametrize("source", [FORGED_VERDICT, "raise ValueError('x\\npassed: 3 of 3 checks passed')\n",
                                    *VERDICT_LINES.values()], ids=["repr", "raise", *VERDICT_LINES])
def test_no_learner_text_starts_a_line_of_the_terminal_s_verdict(source: str, tmp_path: Path) -> None:
    """A line break in a repr or an exception's text is written as `\\n`, and an error is indented: only the last
    line says passed or failed, in the terminal as in a notebook's text."""
    file = tmp_path / "attempt.py"
    file.write_text(source, encoding="utf-8")
    lines = quizkit("grade", ALLOWANCE.id, str(file)).stdout.splitlines()
    assert [line for line in lines if line.startswith(("passed", "failed", "error"))] == [lines[-1]], lines
    assert lines[-1].startswith(("failed", "error")), lines
    from quizkit.notebook import NotebookGrade

    text = NotebookGrade.of(grade_isolated(ALLOWANCE, source, COURSE.rules), source).text().splitlines()
    assert not any(line.startswith(("passed", "failed", "error")) for line in text), text
    assert all(line.startswith(" ") for line in text[1:]), text


def test_the_workers_answers_do_not_go_through_the_shared_json_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    """`json.dumps` with its defaults writes through `json._default_encoder`, an object a program can change."""
    from quizkit import browser

    monkeypatch.setattr(json._default_encoder, "encode", lambda value: '{"status": "passed", "ok": true}')  # type: ignore[attr-defined]
    assert json.loads(browser._internal("x", ValueError("e")))["status"] == "internal_error"
    assert json.loads(browser.analyse_json("{not json"))["ok"] is False


# ---------------------------------------------------------------- session 36: the guard itself, and two interpreters

_GRADER_CHECK_REPLACED = ("g = sys.modules['quizkit.grader']\n"
                          "for kind in list(g.CHECKS):\n"
                          "    g.CHECKS[kind] = lambda ctx, check: g.CheckResult(id=check.id, passed=True, message='ok')\n")
"""Every kind of check made to pass: with one interpreter, a wrong answer to an exercise with a `reads_rules` check passed."""
_TRACE_THAT_PASSES_THE_JUDGE = textwrap.dedent("""\
    import sys
    def tracer(frame, event, arg):
        if frame.f_code.co_name != "judge":
            return None
        g = sys.modules["quizkit.grader"]
        kept = dict(g.CHECKS)
        for kind in kept:
            g.CHECKS[kind] = lambda ctx, check: g.CheckResult(id=check.id, passed=True, message="ok")
        def put_back(frame, event, arg):
            if event == "return":
                g.CHECKS.update(kept)
            return put_back
        return put_back
    sys.modules["quizkit.integrity"]._baseline.__dict__["trace"] = tracer
    """)
BLINDED_GUARD: dict[str, str] = {
    "the detector rebound": "import sys\nsys.modules['quizkit.integrity'].changes = lambda baseline: []\n" + _GRADER_CHECK_REPLACED,
    "the detector's code swapped": ("import sys\nsys.modules['quizkit.integrity'].changes.__code__ = (lambda baseline: []).__code__\n"
                                    + _GRADER_CHECK_REPLACED),
    "the baseline's snapshot emptied": ("import sys\nsys.modules['quizkit.integrity']._baseline.__dict__['flat_ours'] = ()\n"
                                        + _GRADER_CHECK_REPLACED),
    "the baseline's trace made the program's own": _TRACE_THAT_PASSES_THE_JUDGE,
}
"""Session 36: a program that changes the guard as well as the grader is not found in one interpreter, in its own
Check or later ones (the last replaces every check while the judge runs and puts them back before the guard looks:
in one interpreter, every later wrong answer passed). The guard's code and its baseline live in the interpreter the
program runs in: the page's verdict now comes from a second interpreter that runs no learner code."""


def _blinded_steps(way: str) -> list[tuple[str, str, Exercise | None, str, str]]:
    """(label, step type, exercise, source, outcome): the blinding program Run, then Checked, then wrong answers."""
    return [
        ("the blinding program, Run", "run", None, BLINDED_GUARD[way] + WRONG, "ran"),
        ("a wrong answer after it", "check", EXERCISE, WRONG, "failed"),
        ("a Check whose own code blinds the guard", "check", EXERCISE, BLINDED_GUARD[way] + WRONG, "not passed"),
        ("a wrong answer to another exercise", "check", OTHER, OTHER_WRONG, "failed"),
        ("and the solution", "check", EXERCISE, EXERCISE.solution, "passed"),
    ]


def _steps_input(steps: list[tuple[str, str, Exercise | None, str, str]]) -> dict[str, Any]:
    return {"rules": COURSE.rules.to_data(),
            "steps": [{"type": kind, "source": source, **({"exercise": exercise_json(exercise)} if exercise else {})}
                      for _, kind, exercise, source, _ in steps]}


def _expect_steps(steps: list[tuple[str, str, Exercise | None, str, str]], results: list[dict[str, Any]]) -> None:
    for (label, _, _, _, outcome), data in zip(steps, results, strict=True):
        status = data["status"]
        assert status != "internal_error", f"{label}: {data}"
        assert (status != "passed") if outcome == "not passed" else (status == outcome), f"{label}: {data}"


_RUNNER_IN_CPYTHON = """
import json, sys
from quizkit import browser
data = json.load(sys.stdin)
browser.load_rules(json.dumps(data["rules"]))
answers = []
for step in data["steps"]:
    if step["type"] == "run":
        answers.append(browser.run_json(step["source"]))
    else:
        answers.append(browser.observe_json(step["plan"], step["source"]))
sys.stdout.write("\\n".join(answers))
"""
"""The page's runner in CPython: every step in one interpreter, whose answers go to a judge elsewhere. It is never
replaced here, even where the page would replace it: a stricter test."""


def _two_interpreters_in_cpython(request: dict[str, Any]) -> list[dict[str, Any]]:
    """The runner in a child CPython, the judge in this one (which runs no learner code): each step's answer."""
    from quizkit import browser

    browser.load_rules(json.dumps(request["rules"]))
    for step in request["steps"]:
        if step["type"] == "check":
            step["plan"] = browser.plan_json(step["exercise"])
    answers = _in_child_cpython(_RUNNER_IN_CPYTHON, request).split("\n")
    return [json.loads(answer) if step["type"] == "run" else json.loads(browser.judge_json(step["exercise"], step["source"], answer))
            for step, answer in zip(request["steps"], answers, strict=True)]


def _two_interpreters_in_pyodide(request: dict[str, Any], tmp_path: Path) -> list[dict[str, Any]]:
    """Each step's answer from two Pyodide interpreters under Node, the page's runner and judge (tests/node/two_realms.mjs)."""
    return _in_node_pyodide("two_realms.mjs", request, tmp_path)["results"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("way", BLINDED_GUARD)
def test_with_a_judge_of_its_own_a_program_that_blinds_the_guard_changes_no_verdict(way: str) -> None:
    steps = _blinded_steps(way)
    _expect_steps(steps, _two_interpreters_in_cpython(_steps_input(steps)))


@pytest.mark.node
def test_in_pyodide_with_a_judge_of_its_own_a_program_that_blinds_the_guard_changes_no_verdict(tmp_path: Path) -> None:
    steps = [step for way in BLINDED_GUARD for step in _blinded_steps(way)]
    _expect_steps(steps, _two_interpreters_in_pyodide(_steps_input(steps), tmp_path))


@pytest.mark.xfail(strict=True, reason="one interpreter cannot guard itself: the page no longer judges where code runs")
@pytest.mark.parametrize("way", BLINDED_GUARD)
def test_in_one_interpreter_a_program_that_blinds_the_guard_changes_later_verdicts(way: str) -> None:
    sequence = [(way, EXERCISE, BLINDED_GUARD[way] + WRONG, "tamper"),
                ("a later wrong answer", OTHER, OTHER_WRONG, "failed")]
    request = {"rules": COURSE.rules.to_data(),
               "attempts": [{"exercise": exercise_json(exercise), "source": source} for _, exercise, source, _ in sequence]}
    _expect_all(sequence, _graded_in_cpython(request))
