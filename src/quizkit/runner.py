# Running learner code: a fresh namespace, captured output, faults as data.
"""Execute learner code and call learner functions without letting them hurt us.

Everything the learner's code raises, `SystemExit` and `KeyboardInterrupt`
included, becomes a `LearnerError`; output is captured and capped; `input()` is
refused with a clear message; changes to builtins, recursion limit and quizkit's
own modules are undone afterwards. Time limits are the caller's job (the browser
worker is terminated or interrupted; the CLI uses a timer signal).
"""

from __future__ import annotations

import builtins
import io
import linecache
import sys
import traceback
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

LEARNER_FILE = "<your code>"
"""The file name learner code runs under: tracebacks keep only its frames."""

MAX_OUTPUT_CHARS = 100_000
MAX_OUTPUT_LINES = 2_000

ErrorKind = Literal["syntax", "exception", "exit", "input", "interrupt"]


class InputNotAvailableError(BaseException):
    """Raised by `input()` in learner code: exercises take arguments, not keyboard input.

    A BaseException so that a learner's `except Exception` does not hide it.
    """


@dataclass(frozen=True, kw_only=True)
class LearnerError:
    """A fault in the learner's code, described for the learner."""

    kind: ErrorKind
    type: str
    """The exception's class name, e.g. `ZeroDivisionError`."""
    message: str
    """One line for the learner, with the line number where we know it."""
    line: int | None = None
    column: int | None = None
    traceback: str = ""
    """The traceback, trimmed to the learner's own lines."""

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return asdict(self)


class CappedOutput(io.StringIO):
    """A text buffer that stops storing past a size or line cap and says so."""

    def __init__(self, max_chars: int = MAX_OUTPUT_CHARS, max_lines: int = MAX_OUTPUT_LINES) -> None:
        super().__init__()
        self.max_chars = max_chars
        self.max_lines = max_lines
        self.lines = 0
        self.truncated = False

    def write(self, text: str) -> int:
        """Store text until a cap is reached; drop the rest."""
        if self.truncated:
            return len(text)
        room = self.max_chars - self.tell()
        kept = text[:room]
        newlines = kept.count("\n")
        if self.lines + newlines >= self.max_lines:
            cut = self.max_lines - self.lines
            kept = "\n".join(kept.split("\n")[:cut]) + "\n"
            newlines = cut
        self.lines += newlines
        super().write(kept)
        if len(kept) < len(text):
            self.truncated = True
        return len(text)

    def text(self) -> str:
        """The captured output, with a note when it was cut."""
        value = self.getvalue()
        if self.truncated:
            value += (
                f"\n[output cut: more than {self.max_lines:,} lines or {self.max_chars:,} characters; "
                "print less to see all of it]\n"
            )
        return value


@dataclass(kw_only=True)
class Sandbox:
    """One learner program: its namespace, output and first fault."""

    source: str
    globals: dict[str, Any] = field(default_factory=dict)
    output: CappedOutput = field(default_factory=CappedOutput)


def _refuse_input(prompt: object = "") -> str:
    del prompt
    raise InputNotAvailableError


def _learner_builtins() -> dict[str, Any]:
    names = dict(builtins.__dict__)
    names["input"] = _refuse_input
    return names


def new_sandbox(source: str, extra_globals: dict[str, Any] | None = None) -> Sandbox:
    """A fresh namespace for `source`, with `extra_globals` (such as `RULES`) defined."""
    namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": _learner_builtins()}
    namespace.update(extra_globals or {})
    linecache.cache[LEARNER_FILE] = (len(source), None, source.splitlines(keepends=True), LEARNER_FILE)
    return Sandbox(source=source, globals=namespace)


@contextmanager
def _guarded(sandbox: Sandbox) -> Iterator[None]:
    """Capture output and undo what learner code may change in the interpreter."""
    saved_builtins = dict(builtins.__dict__)
    saved_modules = {name: dict(vars(module)) for name, module in list(sys.modules.items())
                     if name == "quizkit" or name.startswith("quizkit.")}
    saved_limit = sys.getrecursionlimit()
    try:
        with redirect_stdout(sandbox.output), redirect_stderr(sandbox.output):
            yield
    finally:
        if builtins.__dict__ != saved_builtins:
            builtins.__dict__.clear()
            builtins.__dict__.update(saved_builtins)
        for name, saved in saved_modules.items():
            module = sys.modules.get(name)
            if module is not None and vars(module) != saved:
                vars(module).clear()
                vars(module).update(saved)
        sys.setrecursionlimit(saved_limit)


def _learner_frames(exc: BaseException) -> list[traceback.FrameSummary]:
    return [frame for frame in traceback.extract_tb(exc.__traceback__) if frame.filename == LEARNER_FILE]


def _syntax_error(exc: SyntaxError) -> LearnerError:
    line, column = exc.lineno, exc.offset
    where = f"line {line}, column {column}" if line and column else (f"line {line}" if line else "")
    text = (exc.text or "").rstrip("\n")
    detail = f"\n    {text}\n    {' ' * max(0, (column or 1) - 1)}^" if text else ""
    name = type(exc).__name__
    return LearnerError(kind="syntax", type=name, message=f"{name} on {where}: {exc.msg}" if where else f"{name}: {exc.msg}",
                        line=line, column=column, traceback=f"{name}: {exc.msg}" + (f" ({where})" if where else "") + detail)


def describe(exc: BaseException) -> LearnerError:
    """A learner's exception as a `LearnerError`, traceback trimmed to their lines."""
    if isinstance(exc, SyntaxError) and exc.filename == LEARNER_FILE:
        return _syntax_error(exc)
    frames = _learner_frames(exc)
    line = frames[-1].lineno if frames else None
    where = f" on line {line}" if line else ""
    if isinstance(exc, InputNotAvailableError):
        return LearnerError(kind="input", type="input", line=line,
                            message=f"input() was called{where}: exercises pass values to your functions as arguments, "
                                    "so read them from the parameters instead.")
    if isinstance(exc, SystemExit):
        return LearnerError(kind="exit", type="SystemExit", line=line,
                            message=f"Your code called exit(){where} (code {exc.code!r}); remove it so the checks can run.")
    if isinstance(exc, KeyboardInterrupt):
        return LearnerError(kind="interrupt", type="KeyboardInterrupt", line=line,
                            message=f"Your code was interrupted{where}.")
    lines = ["Traceback (most recent call last):", *traceback.format_list(frames)]
    lines.extend(traceback.format_exception_only(type(exc), exc))
    summary = f"{type(exc).__name__}{where}: {exc}" if str(exc) else f"{type(exc).__name__}{where}"
    return LearnerError(kind="exception", type=type(exc).__name__, message=summary, line=line,
                        traceback="".join(line if line.endswith("\n") else line + "\n" for line in lines).rstrip("\n"))


def execute(sandbox: Sandbox) -> LearnerError | None:
    """Compile and run the sandbox's source; the learner's fault, or None."""
    try:
        code = compile(sandbox.source, LEARNER_FILE, "exec", dont_inherit=True)
    except SyntaxError as exc:  # includes IndentationError, TabError and null bytes
        return _syntax_error(exc)
    except ValueError as exc:  # source with a null byte
        return LearnerError(kind="syntax", type="ValueError", message=f"Your code cannot be compiled: {exc}")
    with _guarded(sandbox):
        try:
            exec(code, sandbox.globals)  # noqa: S102 - running learner code is the point
        except BaseException as exc:  # noqa: BLE001 - every learner fault is a result
            return describe(exc)
    return None


@dataclass(frozen=True, kw_only=True)
class Call:
    """The outcome of calling one learner function."""

    value: Any = None
    error: LearnerError | None = None


def call(sandbox: Sandbox, function: Callable[..., Any], args: list[Any]) -> Call:
    """Call a learner function with `args`, capturing output and faults."""
    with _guarded(sandbox):
        try:
            return Call(value=function(*args))
        except BaseException as exc:  # noqa: BLE001 - every learner fault is a result
            return Call(error=describe(exc))
