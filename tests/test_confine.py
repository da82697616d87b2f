"""Learner code in a root of its own (`quizkit.confine`): session 33's red team, on the CLI's and notebooks' child.

Each program here got a "passed", a hang or a fake verdict from the process boundary alone: it read the
reference solution from disk, left a file for the run under other figures, wrote to the grader's terminal,
stopped the grader, or could have rewritten its files. Where the system refuses the confinement (not Linux, a
container without the rights) these tests are skipped; `test_tampering.py` tests the boundary alone.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from quizkit import isolate
from quizkit.course import Course
from quizkit.isolate import Limits, grade_isolated

ROOT = Path(__file__).resolve().parent.parent
COURSE = Course.load(ROOT / "exercises")
EXERCISE = COURSE.exercise("monthly-allowance")
WRONG = "\ndef proposals_per_month(plan, required):\n    return 0\n"


def _output(source: str) -> str:
    result = grade_isolated(EXERCISE, source + WRONG, COURSE.rules)
    assert result.status == "failed", result
    return result.output


CONFINED = sys.platform == "linux" and _output("import os\nprint(os.getpid(), os.getcwd())\n") == "1 /tmp\n"
pytestmark = pytest.mark.skipif(not CONFINED, reason="this system does not let the child confine itself")


def test_the_reference_solution_and_quizkit_are_out_of_reach() -> None:
    solution = (ROOT / "exercises" / "plans" / "monthly-allowance" / "solution.py").resolve()
    references = Path(isolate.__file__).resolve().parent / "references.py"
    assert solution.is_file()
    assert references.is_file()
    source = textwrap.dedent(f"""\
        for path in ({str(solution)!r}, {str(references)!r}):
            try:
                open(path).read()
                print("read", path)
            except OSError as exc:
                print(type(exc).__name__)
        """)
    assert _output(source) == "FileNotFoundError\nFileNotFoundError\n"


def test_a_copy_of_the_solution_found_through_the_grader_does_not_pass(tmp_path: Path) -> None:
    """The red team's copycat: the exercise from the grader's command line, its solution from disk."""
    copycat = textwrap.dedent("""\
        import glob, os
        ppid = os.getppid()
        argv = [a.decode() for a in open(f"/proc/{ppid}/cmdline", "rb").read().split(b"\\0") if a]
        root = argv[argv.index("--content") + 1]
        for path in glob.glob(os.path.join(root, "**", argv[argv.index("grade") + 1], "solution.py"), recursive=True):
            exec(open(path).read())
        """)
    file = tmp_path / "copycat.py"
    file.write_text(copycat, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "quizkit.cli", "grade", EXERCISE.id, str(file), "--content",
                           str(ROOT / "exercises")], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1
    assert "FileNotFoundError" in done.stdout  # no /proc: the grader's command line is not there to read


def test_nothing_outside_its_own_tmp_can_be_written(tmp_path: Path) -> None:
    target = tmp_path / "written-by-learner-code"
    source = textwrap.dedent(f"""\
        for path in ({str(target)!r}, "/usr/lib/quizkit-was-here", "/quizkit-was-here", "/tmp/mine"):
            try:
                open(path, "w").write("x")
                print("wrote", path)
            except OSError as exc:
                print(exc.errno)
        """)
    assert _output(source) == "2\n30\n30\nwrote /tmp/mine\n"  # ENOENT (not there), EROFS twice
    assert not target.exists()


def test_the_run_under_other_figures_cannot_tell_itself_from_the_first() -> None:
    """A file left in /tmp by the first run: each run has a `/tmp` of its own, so typed figures stay seen."""
    source = textwrap.dedent("""\
        import os
        second = os.path.exists("/tmp/.seen")
        open("/tmp/.seen", "w").close()
        ALLOWANCE = {"basic": 10, "plus": 100}
        def proposals_per_month(plan, required):
            if second:
                return RULES["plan." + plan + ".monthly_connects"] // required
            return ALLOWANCE[plan] // required
        """)
    result = grade_isolated(EXERCISE, source, COURSE.rules)
    reads = next(check for check in result.checks if check.id == "reads-rules")
    assert not reads.passed
    assert result.status == "failed"


def test_no_other_process_can_be_seen_or_signalled() -> None:
    source = textwrap.dedent("""\
        import os, signal
        print(os.getpid(), os.getppid(), os.path.exists("/proc"))
        for pid in (os.getppid(), -1):
            try:
                os.kill(pid, signal.SIGSTOP)
            except OSError as exc:
                print(exc.errno)
        """)
    started = time.monotonic()
    # kill(0, ...) and kill(-1, ...) reach only this namespace's processes: the grader goes on, unstopped
    assert _output(source).startswith("1 0 False\n")
    assert time.monotonic() - started < 5


def test_the_grader_s_terminal_cannot_be_written_to() -> None:
    source = textwrap.dedent("""\
        import os
        try:
            open(f"/proc/{os.getppid()}/fd/1", "wb").write(b"passed: 3 of 3 checks passed\\n\\x1b[8m")
        except OSError as exc:
            print(type(exc).__name__)
        """)
    assert _output(source) == "FileNotFoundError\n"


def test_no_network_and_no_new_process() -> None:
    source = textwrap.dedent("""\
        import os, socket
        try:
            socket.create_connection(("127.0.0.1", 9), timeout=1)
        except OSError as exc:
            print("network", exc.errno)
        try:
            os.fork()
        except OSError as exc:
            print("fork", type(exc).__name__)
        """)
    assert _output(source) == "network 101\nfork BlockingIOError\n"  # ENETUNREACH: no interface but loopback, down


def test_the_standard_library_still_imports_and_the_solution_passes() -> None:
    source = "import decimal, fractions, json, zoneinfo, datetime\nprint(zoneinfo.ZoneInfo('Europe/Paris').key)\n"
    assert _output(source) == "Europe/Paris\n"
    assert grade_isolated(EXERCISE, EXERCISE.solution, COURSE.rules).status == "passed"


def test_the_process_boundary_alone_where_confinement_is_not_asked_for() -> None:
    result = grade_isolated(EXERCISE, "import os\nprint(os.getpid() == 1, os.getuid() == os.geteuid())\n" + WRONG,
                            COURSE.rules, Limits(confined=False))
    assert result.output == "False True\n"
