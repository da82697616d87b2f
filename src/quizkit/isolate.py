# Learner code in a child process with limits; the verdict decided here, from plain data (CPython only).
"""Grade learner code out of the grader's reach: what `quizkit grade` and notebook `check()` use.

The child is a fresh interpreter started with `-I -S` (no environment variables, no
user or site packages, so no quizkit and no third-party packages: the page's Pyodide has
none either), in an empty temporary folder, in its own process group. It receives the
learner's source, the names learner code starts with and the plan of calls (arguments
only), runs `runner.observe`, and writes back plain JSON. It never sees an expected
answer, and nothing it returns is more than data: the parent decodes it into fresh
built-in values (`quizkit.plain`) and judges with its own grader (`grader.judge`).

Limits: wall-clock time from the moment learner code starts (`seconds`), CPU time
(`RLIMIT_CPU`, a second more), memory (`RLIMIT_AS`, and the parent kills a child whose
resident memory passes the limit, in case learner code raised its own limits), file
size (`RLIMIT_FSIZE`), no core files, no new processes where the system honours
`RLIMIT_NPROC` (not for root), the output kept by `runner.CappedOutput` and the bytes
read back capped. Whatever learner code started is killed with its process group, and on
Linux so is what left that group (`os.setsid()`): the grader adopts it (`_strays_killed`).

On Linux the child also confines itself before learner code runs, where the system allows it
(`quizkit.confine`: namespaces, a read-only root of its own without the course, no privileges).
Elsewhere this is a process boundary alone: learner code runs with the user's rights (files,
network, signals). Grade untrusted code where the confinement holds, or in a container.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizkit import confine, grader, plain, runner
from quizkit.grader import Grade, Observation

if TYPE_CHECKING:
    from collections.abc import Iterator

    from quizkit.exercise import Exercise
    from quizkit.model import Rules

DEFAULT_MEMORY_MB = 512
STARTUP_LIMIT_S = 20.0
"""Time the child may take to start before learner code runs (a loaded machine is slow)."""
MAX_RESULT_BYTES = 16 * 1024 * 1024
MAX_FILE_BYTES = 16 * 1024 * 1024
_POLL_S = 0.02
_GROUP_EVERY = 5
"""Polls between two reads of the memory of the child's whole process group (`_Child._memory_exceeded`)."""
_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4


def _resident_kb(pid: int) -> int:
    """A process's resident memory in KB, from `/proc` (0 where there is none, or no such process)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii", errors="replace")
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _group_resident_kb(group: int) -> int:
    """The resident memory of every process in process group `group`, in KB (Linux; 0 elsewhere)."""
    total = 0
    try:
        entries = [entry.name for entry in os.scandir("/proc") if entry.name.isdigit()]
    except OSError:
        return 0
    for pid in entries:
        try:
            stat = Path(f"/proc/{pid}/stat").read_bytes()
        except OSError:
            continue
        fields = stat[stat.rindex(b")") + 2:].split()  # after the name: state, ppid, pgrp, ... rss (the 22nd)
        if len(fields) > 21 and int(fields[2]) == group:  # noqa: PLR2004 - the fields of /proc/<pid>/stat
            total += int(fields[21]) * _PAGE_KB
    return total

BOOTSTRAP = r"""
import json, os, sys, types

def limit(resource, pairs):
    for name, value in pairs:
        if resource is not None and hasattr(resource, name):
            try:
                resource.setrlimit(getattr(resource, name), (value, value + (1 if name == "RLIMIT_CPU" else 0)))
            except (ValueError, OSError):
                pass

def main():
    request = json.loads(sys.stdin.buffer.read())
    limits = request["limits"]
    try:
        import resource
    except ImportError:
        resource = None
    limit(resource, (("RLIMIT_CORE", 0),))
    package = types.ModuleType("quizkit")
    package.__path__ = []
    sys.modules["quizkit"] = package
    loaded = {}
    for name, text in request["modules"]:
        module = types.ModuleType("quizkit." + name)
        sys.modules[module.__name__] = module
        exec(compile(text, "<quizkit." + name + ">", "exec"), module.__dict__)
        loaded[name] = module
    for name in [n for n in sys.modules if n == "quizkit" or n.startswith("quizkit.")]:
        del sys.modules[name]
    runner, plain = loaded["runner"], loaded["plain"]
    if request["confine"] is not None:
        loaded["confine"].enter(request["confine"]["keep"], request["confine"]["hide"])
    limit(resource, (("RLIMIT_AS", limits["memory"]), ("RLIMIT_CPU", limits["cpu"]), ("RLIMIT_FSIZE", limits["file"]),
                     ("RLIMIT_NPROC", 0)))
    learner_globals = plain.decode(request["globals"])
    runner.cap_recursion_limit()
    dumps, set_digits = json.dumps, getattr(sys, "set_int_max_str_digits", None)
    channel = os.dup(1)
    quiet = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(quiet, fd)
    os.write(channel, b"\n")
    result = runner.observe(request["source"], learner_globals, request["plan"])
    try:
        if set_digits is not None:
            set_digits(plain.MAX_INT_DIGITS)
        text = dumps(result)
    except BaseException as exc:
        text = dumps({"error": {"kind": "crash", "type": "Crash", "line": None, "column": None, "traceback": "",
                                "message": "The process that ran your code could not send back what it did ("
                                           + plain.type_name(exc) + "), so the checks could not run."},
                      "output": "", "names": {}, "calls": {}})
    data = memoryview(text.encode("utf-8"))
    while data:
        data = data[os.write(channel, data):]
    os._exit(0)

main()
"""
"""The child's whole program: the modules it needs (from their source, under names that point nowhere on
disk), a root of its own (`quizkit.confine`), limits, then the learner's code. A newline on the channel says
learner code starts. The recursion limit cannot be raised past Python's default, as in the page
(`runner.cap_recursion_limit`)."""


@dataclass(frozen=True, kw_only=True)
class Limits:
    """What a learner program may use."""

    seconds: float = 3.0
    """Wall-clock time from the start of learner code to its last call."""
    memory_mb: int = DEFAULT_MEMORY_MB
    confined: bool = True
    """Learner code in a root of its own where the system allows it (`quizkit.confine`); False only to test the
    process boundary alone, as systems that refuse it have."""


@cache
def _child_modules() -> tuple[tuple[str, str], ...]:
    return tuple((module.__name__.rpartition(".")[2], Path(module.__file__ or "").read_text(encoding="utf-8"))
                 for module in (plain, runner, confine))


def _confinement(exercise_dir: str) -> dict[str, list[str]]:
    """What the child keeps of the file system (Python and the system's libraries) and hides under it anyway."""
    keep = [sys.base_prefix, sys.base_exec_prefix, "/usr"]
    hide = [str(Path(__file__).resolve().parent)]
    if exercise_dir:
        hide.append(str(Path(exercise_dir).resolve().parent.parent))  # the course: every exercise's solution
    return {"keep": keep, "hide": hide}


def grade_isolated(exercise: Exercise, source: str, rules: Rules, limits: Limits | None = None) -> Grade:
    """Grade learner `source` with its code in a child process; the verdict is decided here.

    Args:
        exercise: The exercise.
        source: The learner's code.
        rules: The rules the answers are computed from.
        limits: Time and memory; by default the exercise's own time limit (as in the page) and
            `DEFAULT_MEMORY_MB`.

    Returns:
        The grade: `timeout` when the time ran out, `error` when the code failed, used too much
        memory or ended its process; never `passed` unless every check passed here.
    """
    limits = limits or Limits(seconds=exercise.timeout_s)
    try:
        the_plan = grader.plan(rules, exercise)
        outcome = observe_isolated(source, grader.learner_globals(rules), the_plan, limits, exercise.source_dir)
        if isinstance(outcome, runner.LearnerError):
            return Grade(exercise=exercise.id, status="timeout" if outcome.kind == "timeout" else "error", error=outcome)
        return grader.judge(exercise, rules, outcome)
    except Exception as exc:
        if grader._raise_internal():  # noqa: SLF001 - the same switch as the in-process grader
            raise
        return Grade(exercise=exercise.id, status="internal_error",
                     internal=f"{type(exc).__name__}: {exc}. This is a fault in the course, not in your code.")


def observe_isolated(source: str, learner_globals: dict[str, Any], plan: dict[str, Any],
                     limits: Limits, exercise_dir: str = "") -> Observation | runner.LearnerError:
    """The program run in a child process, and its run under other figures in another: the observation, or why none.

    Two fresh children, not one run after the other in the same interpreter: there a program could tell the
    second run by what the first left behind and type today's figures only in the first (`runner.split`).
    The time limit covers both runs, as it does in the page. Each child has a root of its own, with nothing the
    other could leave behind, where the system allows it (`exercise_dir`: the exercise's folder, whose course it hides).
    """
    first_plan, again_plan = runner.split(plan)
    confined = _confinement(exercise_dir) if limits.confined else None
    first, spent = _run_child(source, plain.encode(learner_globals), first_plan, limits, limits.seconds, confined=confined)
    if isinstance(first, runner.LearnerError):
        return first
    if "again" in first:  # `runner.observe` makes one run: a second one here was written by learner code
        return _unreadable()
    data: object = first
    if again_plan is not None and runner.wants_again(first):
        again, _ = _run_child(source, plan["again"]["globals"], again_plan, limits, limits.seconds - spent, confined=confined)
        if isinstance(again, runner.LearnerError):
            return again
        data = runner.joined(first, again)
    try:
        return Observation.from_data(source, data, plan)
    except (ValueError, RecursionError):
        return _unreadable()


def _run_child(source: str, encoded_globals: object, plan: dict[str, Any], limits: Limits, seconds: float, *,
               confined: dict[str, list[str]] | None) -> tuple[dict[str, Any] | runner.LearnerError, float]:
    """`runner.observe` in a child process with `seconds` left for learner code.

    Its plain result (a dict) or why there is none, and the seconds learner code ran (from the child's start
    marker, not its own start-up).
    """
    request = json.dumps({
        "modules": _child_modules(), "source": source, "globals": encoded_globals, "plan": plan, "confine": confined,
        "limits": {"memory": limits.memory_mb * 1024 * 1024, "cpu": math.ceil(limits.seconds) + 1, "file": MAX_FILE_BYTES},
    }).encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="quizkit-") as folder, _strays_killed():
        child = _Child(request, folder, limits, seconds)
        ending = child.wait()
    spent = time.monotonic() - child.started if child.started is not None else 0.0
    if ending is not None:
        return ending, spent
    try:
        data = json.loads(child.result)
    except (ValueError, RecursionError):
        return _unreadable(), spent
    if not isinstance(data, dict):
        return _unreadable(), spent
    if type(data.get("output")) is str:  # learner code can write past the child's cap
        data["output"] = runner.capped_output(data["output"])
    return data, spent


_PR_SET_CHILD_SUBREAPER, _PR_GET_CHILD_SUBREAPER = 36, 37


def _subreaper(on: int) -> int | None:
    """Make this process adopt its orphaned descendants (Linux); the setting it had, or None where it cannot."""
    if sys.platform != "linux":
        return None
    import ctypes  # noqa: PLC0415 - Linux only, and only to grade

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    had = ctypes.c_int(0)
    if prctl(_PR_GET_CHILD_SUBREAPER, ctypes.byref(had), 0, 0, 0) != 0 or prctl(_PR_SET_CHILD_SUBREAPER, on, 0, 0, 0) != 0:
        return None
    return had.value


def _children() -> set[int]:
    """This process's children, from `/proc` (empty where there is none)."""
    me, found = os.getpid(), set()
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text(encoding="ascii", errors="replace").rpartition(")")[2].split()
            except OSError:
                continue  # it ended meanwhile
            if len(fields) > 1 and fields[1] == str(me):
                found.add(int(entry.name))
    return found


@contextlib.contextmanager
def _strays_killed() -> Iterator[None]:
    """Kill what learner code started outside the child's process group (`os.setsid()`), once the child is gone.

    While the child runs, this process adopts every orphaned descendant (a subreaper, on Linux): a process that
    left the group and whose parent ended comes here rather than to init, and is killed with its own children.
    `RLIMIT_NPROC` already stops new processes, but not for root (a container's usual user).
    """
    had = _subreaper(1)
    if had is None:  # not Linux: the process group is all there is to kill
        yield
        return
    before = _children()
    try:
        yield
    finally:
        for _ in range(1000):  # each round adopts the children of the processes the last one killed
            strays = _children() - before
            if not strays:
                break
            for pid in strays:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, 0)
        _subreaper(had)


def _unreadable() -> runner.LearnerError:
    return _crash("The process that ran your code sent back something the grader cannot read, "
                  "so your code was not checked. Does it write to files or descriptors it did not open?")


def _crash(message: str) -> runner.LearnerError:
    return runner.LearnerError(kind="crash", type="Crash", message=message)


class _Child:
    """One child process, watched until it ends, runs out of time or memory, or says too much."""

    def __init__(self, request: bytes, folder: str, limits: Limits, seconds: float) -> None:
        self.limits = limits
        self.seconds = seconds
        """Time left for learner code in this child: the limit, less what an earlier run of the program took."""
        self._polls = 0
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and program
            [sys.executable, "-I", "-S", "-c", BOOTSTRAP], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, cwd=folder, start_new_session=True, env={"LC_ALL": "C.UTF-8"})
        self.request = memoryview(request)
        self.output = bytearray()
        self.started: float | None = None

    @property
    def result(self) -> bytes:
        """What the child wrote after its start marker."""
        return bytes(self.output[1:])

    def wait(self) -> runner.LearnerError | None:
        """Watch the child to its end; None when it ended by itself with a result to read."""
        try:
            return self._watch()
        finally:
            self._kill_group()
            self.process.wait()
            for pipe in (self.process.stdin, self.process.stdout):
                if pipe is not None:
                    pipe.close()

    def _watch(self) -> runner.LearnerError | None:  # noqa: PLR0911 - one return per way a child ends
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        selector = selectors.DefaultSelector()
        os.set_blocking(self.process.stdin.fileno(), False)
        selector.register(self.process.stdin, selectors.EVENT_WRITE)
        selector.register(self.process.stdout, selectors.EVENT_READ)
        launched = time.monotonic()
        with selector:
            while selector.get_map():
                now = time.monotonic()
                if self.started is None and now - launched > STARTUP_LIMIT_S:
                    return _crash("Python could not start to run your code. Try again.")
                if self.started is not None and now - self.started > self.seconds:
                    return self._timeout()
                if self._memory_exceeded():
                    return self._out_of_memory()
                for key, _ in selector.select(_POLL_S):
                    if key.fileobj is self.process.stdin:
                        self._send(selector)
                    elif not self._receive(selector):
                        return _crash("Your code sent back too much data, so it was stopped.")
        try:
            code = self.process.wait(timeout=self._time_left())
        except subprocess.TimeoutExpired:  # it closed its channel and went on running
            return self._timeout()
        if self.started is not None and code == -signal.SIGXCPU:
            return self._timeout()
        if self.started is not None and code == -signal.SIGSEGV:
            return _crash("Python crashed while it ran your code, so the checks could not run. The usual cause is a "
                          "function that calls itself without end: look for one, and for a call that changes Python's "
                          "own limits (`sys.setrecursionlimit`, `resource.setrlimit`).")
        if code != 0 or len(self.output) < 2:  # noqa: PLR2004 - the marker and at least one byte
            return _crash("Your code ended the Python process that ran it (os._exit(), a signal or a crash), "
                          "so the checks could not run.")
        return None

    def _time_left(self) -> float:
        if self.started is None:
            return STARTUP_LIMIT_S
        return max(0.0, self.started + self.seconds - time.monotonic()) + _POLL_S

    def _send(self, selector: selectors.BaseSelector) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        try:
            self.request = self.request[os.write(stdin.fileno(), self.request[:65536]):]
        except BlockingIOError:
            return
        except BrokenPipeError:  # the child is gone: its exit code tells why
            self.request = self.request[:0]
        if not self.request:
            selector.unregister(stdin)
            stdin.close()

    def _receive(self, selector: selectors.BaseSelector) -> bool:
        stdout = self.process.stdout
        assert stdout is not None
        chunk = os.read(stdout.fileno(), 65536)
        if not chunk:
            selector.unregister(stdout)
            return True
        if self.started is None:
            self.started = time.monotonic()
        self.output += chunk
        return len(self.output) <= MAX_RESULT_BYTES

    def _timeout(self) -> runner.LearnerError:
        return runner.LearnerError(kind="timeout", type="Timeout",
                                   message=f"Your code was still running after {self.limits.seconds:g} s, so it was stopped. "
                                           "Look for a loop that never ends or very slow code.")

    def _out_of_memory(self) -> runner.LearnerError:
        return runner.LearnerError(kind="memory", type="MemoryError",
                                   message=f"Your code used more than {self.limits.memory_mb} MB of memory, so it was stopped. "
                                           "Look for a list or text that grows without end.")

    def _memory_exceeded(self) -> bool:
        """Resident memory of the child's whole process group over the limit (Linux).

        A backstop for what `RLIMIT_AS` cannot hold: a child that raised its own limit, and processes it forked,
        each within the limit but not together (four of 114 MB passed a limit of 128 MB when only the child
        was read). The group is read every `_GROUP_EVERY` polls: a walk of `/proc` costs about a millisecond.
        """
        self._polls += 1
        if self._polls % _GROUP_EVERY:
            return _resident_kb(self.process.pid) > self.limits.memory_mb * 1024
        return _group_resident_kb(self.process.pid) > self.limits.memory_mb * 1024

    def _kill_group(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
