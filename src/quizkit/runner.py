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
import datetime as dt
import difflib
import io
import linecache
import opcode
import sys
import traceback
import types
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NoReturn

from quizkit.plain import decode, encode, one_line, real_text, safe_repr, type_name

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

LEARNER_FILE = "<your code>"
"""The file name learner code runs under: tracebacks keep only its frames."""

MAX_OUTPUT_CHARS = 100_000
MAX_OUTPUT_LINES = 2_000

ErrorKind = Literal["syntax", "exception", "exit", "input", "interrupt", "timeout", "memory", "crash", "tamper"]
ERROR_KINDS: tuple[str, ...] = ("syntax", "exception", "exit", "input", "interrupt", "timeout", "memory", "crash", "tamper")
"""The first five come from learner code's own exceptions; `timeout`, `memory` and `crash` from the
process that ran it (`quizkit.isolate`); `tamper` from `quizkit.integrity`."""


class InputNotAvailableError(BaseException):
    """Raised by `input()` in learner code: exercises take arguments, not keyboard input.

    A BaseException so that a learner's `except Exception` does not hide it.
    """


_MAX_ERROR_FIELD = {"type": 200, "message": 5_000, "traceback": 20_000}
"""Characters kept of each text of a `LearnerError`, also when another process sent it (a child learner code controls)."""


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

    def __post_init__(self) -> None:
        """Keep only plain `str` and `int` fields, whatever a learner's exception held.

        A `str` subclass's methods are learner code, a line number may be no number: so `to_data` and JSON
        run no learner code, and `from_data` reads back what this wrote. The type and the message are one
        line each (`plain.one_line`): messages show them between words of ours, and learner text in them (a
        `NameError`'s `name`, a child's forged result) could start a line that reads like a verdict. A
        traceback keeps its lines: the CLI and notebooks show it indented.
        """
        for name, most in _MAX_ERROR_FIELD.items():
            text = real_text(getattr(self, name)) or ""
            text = text if len(text) <= most else text[: most - 3] + "..."
            object.__setattr__(self, name, text if name == "traceback" else one_line(text))
        for name in ("line", "column"):
            if type(getattr(self, name)) is not int:
                object.__setattr__(self, name, None)

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {"kind": self.kind, "type": self.type, "message": self.message, "line": self.line,
                "column": self.column, "traceback": self.traceback}

    @classmethod
    def from_data(cls, data: object) -> LearnerError:
        """Read back `to_data()`, checking every field (it may come from another process)."""
        if not isinstance(data, dict) or set(data) != {"kind", "type", "message", "line", "column", "traceback"}:
            raise ValueError("not a learner error")
        if data["kind"] not in ERROR_KINDS:
            raise ValueError(f"unknown error kind {data['kind']!r}")
        texts = (data["type"], data["message"], data["traceback"])
        numbers = (data["line"], data["column"])
        if not all(type(text) is str for text in texts) or not all(n is None or type(n) is int for n in numbers):
            raise ValueError("malformed learner error")
        return cls(**data)


_NOTE = (f"\n[output cut: more than {MAX_OUTPUT_LINES:,} lines or {MAX_OUTPUT_CHARS:,} characters; "
         "print less to see all of it]\n")
_getvalue, _tell = io.StringIO.getvalue, io.StringIO.tell


class CappedOutput(io.StringIO):
    """Learner code's `sys.stdout` and `sys.stderr`: stores text up to the caps and drops the rest.

    Learner code holds this object and may do anything to it: write past `write`
    (`io.StringIO.write(sys.stdout, ...)`), set attributes, put its own methods on it. So the
    caps are module constants, never attributes, and what the grader reads (`collect`) is read
    with `io.StringIO`'s own method and cut to the caps again; `write`'s cap only keeps a flood
    of prints from filling memory.
    """

    __slots__ = ("_dropped", "_lines")

    def __init__(self) -> None:
        super().__init__()
        self._lines = 0
        self._dropped = False

    def write(self, text: str) -> int:
        """Store text until a cap is reached; drop the rest."""
        if self._dropped:
            return len(text)
        kept = _cut(text[: max(0, MAX_OUTPUT_CHARS - _tell(self))], MAX_OUTPUT_LINES - self._lines)
        self._lines += kept.count("\n")
        super().write(kept)
        if len(kept) < len(text):
            self._dropped = True
        return len(text)


_dropped_slot = CappedOutput.__dict__["_dropped"]


def collect(output: CappedOutput) -> str:
    """What learner code printed to `output`, within the caps, with a note when it was cut.

    Runs no learner code, whatever it did to the object (its own methods and attributes, a class of its own).
    """
    try:
        raw = _getvalue(output)
    except ValueError:  # learner code closed it
        raw = ""
    try:
        dropped = _dropped_slot.__get__(output) is True
    except AttributeError:
        dropped = False
    kept = _cut(raw)
    return kept + _NOTE if dropped or len(kept) < len(raw) else kept


def capped_output(text: str) -> str:
    """Output from another process (the CLI's child) as `collect` would give it: within the caps, with the note."""
    if len(text) <= MAX_OUTPUT_CHARS + len(_NOTE) and text.count("\n") <= MAX_OUTPUT_LINES + _NOTE.count("\n"):
        return text
    return _cut(text) + _NOTE


def _cut(text: str, lines: int = MAX_OUTPUT_LINES) -> str:
    """`text` up to `MAX_OUTPUT_CHARS` characters and its first `lines` lines (up to that many newlines)."""
    kept = text[:MAX_OUTPUT_CHARS]
    if lines <= 0:
        return ""
    if kept.count("\n") >= lines:
        kept = "\n".join(kept.split("\n", lines)[:lines]) + "\n"
    return kept


@dataclass(kw_only=True)
class Sandbox:
    """One learner program: its namespace, output and first fault."""

    source: str
    globals: dict[str, Any] = field(default_factory=dict)
    output: CappedOutput = field(default_factory=CappedOutput)
    rule_keys: tuple[str, ...] = ()
    """The keys `RULES` had before the program ran: an unknown key is compared with them."""


def _refuse_input(prompt: object = "") -> str:
    del prompt
    raise InputNotAvailableError


_real_import = builtins.__import__


def _import(name: str, *args: Any, **kwargs: Any) -> Any:
    """`__import__` for learner code: anything but the course's own package.

    The grader's tables and references must not be one import away. In the CLI and
    notebooks learner code runs in a process without quizkit anyway; this gives the page
    the same message.
    """
    if name == "quizkit" or name.startswith("quizkit."):
        raise ModuleNotFoundError(f"No module named {name!r}: exercise code cannot use the course's own package", name=name)
    return _real_import(name, *args, **kwargs)


def _exit(code: object = None) -> NoReturn:
    """`exit()` and `quit()` where Python started without `site`, which defines them (the CLI's child runs `-S`).

    Without it, `exit()` there was a NameError ("Did you mean `next`?") where the page said the code called exit().
    """
    raise SystemExit(code)


def _learner_builtins() -> dict[str, Any]:
    names = dict(builtins.__dict__)
    names["input"] = _refuse_input
    names["__import__"] = _import
    names.setdefault("exit", _exit)
    names.setdefault("quit", _exit)
    return names


def new_sandbox(source: str, extra_globals: dict[str, Any] | None = None) -> Sandbox:
    """A fresh namespace for `source`, with `extra_globals` (such as `RULES`) defined."""
    namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": _learner_builtins()}
    namespace.update(extra_globals or {})
    linecache.cache[LEARNER_FILE] = (len(source), None, source.splitlines(keepends=True), LEARNER_FILE)
    rules = namespace.get("RULES")
    keys = tuple(key for key in rules if type(key) is str) if type(rules) is dict else ()
    return Sandbox(source=source, globals=namespace, rule_keys=keys)


def same_items(current: dict[str, Any], saved: dict[str, Any]) -> bool:
    """Whether `current` holds exactly the objects of `saved`, compared by identity.

    Never `==`: that would call an `__eq__` that learner code put there.
    """
    if _len(current) != _len(saved):
        return False
    return _all(current.get(key, _MISSING) is value for key, value in saved.items())


_MISSING = object()
_len, _all = len, all
"""Bound once: the guard runs right after learner code that may have set `builtins.len = None`."""


@contextmanager
def _guarded(sandbox: Sandbox) -> Iterator[None]:
    """Capture output; undo what learner code changes in builtins and the recursion limit.

    Cheap enough to wrap every call: the grader's own state is checked once per program,
    after all of it ran (`quizkit.integrity`), not here.
    """
    saved_builtins = dict(builtins.__dict__)
    saved_limit = sys.getrecursionlimit()
    try:
        with redirect_stdout(sandbox.output), redirect_stderr(sandbox.output):
            yield
    finally:
        if not same_items(builtins.__dict__, saved_builtins):
            builtins.__dict__.clear()
            builtins.__dict__.update(saved_builtins)
        sys.setrecursionlimit(saved_limit)


MAX_RECURSION_LIMIT = 1000
"""The highest recursion limit a program may set (Python's default), in the page and in the CLI's child alike."""


def cap_recursion_limit() -> None:
    """Keep programs from raising the recursion limit past `MAX_RECURSION_LIMIT`, for this interpreter's life.

    A program that raises it (to a million, say) and recurses without end overflows the stack, where Python's
    limit would have raised a clear `RecursionError`: in Pyodide the browser's own, a fatal error that kills the
    interpreter (`browser.load_rules` calls this, and the wrapper is part of `integrity`'s baseline); in the child
    of `quizkit grade` and notebooks (`isolate.BOOTSTRAP`), through a call Python makes in C (`map`, `__getattr__`),
    and the learner read that their code had ended its process.
    """
    if getattr(sys.setrecursionlimit, "__wrapped__", None) is None:
        sys.setrecursionlimit = _capped(sys.setrecursionlimit)


def _capped(setrecursionlimit: Any) -> Any:
    def capped(limit: int) -> None:
        setrecursionlimit(min(limit, MAX_RECURSION_LIMIT))

    capped.__wrapped__ = setrecursionlimit  # type: ignore[attr-defined]
    return capped


_traceback_of = BaseException.__dict__["__traceback__"].__get__
"""An exception's traceback, whatever its class defines as `__traceback__`."""
_RAISE = opcode.opmap["RAISE_VARARGS"]
MAX_ERROR_TEXT = 2_000
"""Characters of a learner exception's text kept in messages."""


def _is(exc: BaseException, kind: type[BaseException]) -> bool:
    """`isinstance` by the exception's real class (an instance can claim another `__class__`)."""
    return issubclass(type(exc), kind)


def _learner_frames(exc: BaseException) -> list[traceback.FrameSummary]:
    return [frame for frame in traceback.extract_tb(_traceback_of(exc)) if frame.filename == LEARNER_FILE]


def _raised_by_learner(exc: BaseException) -> bool:
    """Whether a `raise` statement of learner code raised `exc` (not Stop, a signal or `exit()`).

    The last frame of learner code in its traceback stopped on `raise X` (a bare `raise` keeps
    the traceback of what it re-raises). Stop and signals land on calls and loop jumps, never there.
    """
    last = _last_learner_tb(exc)
    if last is None:
        return False
    code, at = last.tb_frame.f_code.co_code, last.tb_lasti
    return 0 <= at < len(code) - 1 and code[at] == _RAISE and code[at + 1] > 0


_SYNTAX_ADVICE = (
    ("'return' outside function", ("`return` only works inside a function: this line lost its indentation. "
                                  "Indent it like the other lines of the function's body (four spaces more than `def`).")),
    ("expected an indented block", ("The lines of a function's body (or of an `if`, `for`...) must be indented under "
                                   "the line that ends with `:`, four spaces more than it.")),
    ("unindent does not match", ("This line's indentation matches no line above it: use exactly the same number of "
                                "spaces as the other lines of its block.")),
    ("unexpected indent", ("This line is indented more than the line above it, but nothing opened a new block "
                          "(a line ending with `:`). Line it up with the lines around it.")),
)
"""Plain words after a syntax error whose message contains the first text."""


def _syntax_error(exc: SyntaxError) -> LearnerError:
    """A compile error of the learner's code (`execute`; one raised at run time is an ordinary exception)."""
    line, column = (value if type(value) is int else None for value in (exc.lineno, exc.offset))
    where = f"line {line}, column {column}" if line and column else (f"line {line}" if line else "")
    text = (real_text(exc.text) or "").rstrip("\n")
    detail = f"\n    {text}\n    {' ' * max(0, (column or 1) - 1)}^" if text else ""
    name, msg = type_name(exc), real_text(exc.msg) or ""
    advice = next((words for start, words in _SYNTAX_ADVICE if start in msg), "")
    message = f"{name} on {where}: {msg}" if where else f"{name}: {msg}"
    return LearnerError(kind="syntax", type=name, message=f"{message}. {advice}" if advice else message,
                        line=line, column=column, traceback=f"{name}: {msg}" + (f" ({where})" if where else "") + detail)


def _safe_str(exc: BaseException) -> str:
    """`str(exc)` as plain text, shortened; never raises."""
    try:
        text = real_text(str(exc))
    except BaseException:  # noqa: BLE001 - a learner exception's __str__ may raise anything
        text = None
    if text is None:
        return f"<{type_name(exc)} whose str() raised an error>"
    return one_line(text if len(text) <= MAX_ERROR_TEXT else text[: MAX_ERROR_TEXT - 3] + "...")


_SAFE_TYPES: tuple[type, ...] = (dict, list, tuple, str, int, float, bool, set, dt.date, dt.datetime,
                                 dt.timedelta)
"""Types whose attribute names may be listed to suggest one (listing a learner class's could run its code)."""


def _or(names: list[str]) -> str:
    quoted = [f"`{name}`" for name in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def _last_learner_tb(exc: BaseException) -> types.TracebackType | None:
    tb: types.TracebackType | None = _traceback_of(exc)
    last = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == LEARNER_FILE:
            last = tb
        tb = tb.tb_next
    return last


def _functions(code: types.CodeType) -> list[types.CodeType]:
    """The functions defined in `code`, nested ones included."""
    found = []
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            found += [const, *_functions(const)]
    return found


def _name_advice(exc: NameError, line: int | None) -> str:
    """An unindented body line, or a misspelt name: what to do, in plain words."""
    name, tb = getattr(exc, "name", None), _last_learner_tb(exc)
    if type(name) is not str or tb is None:
        return ""
    frame = tb.tb_frame
    if frame.f_code.co_name == "<module>":
        owners = [code.co_name for code in _functions(frame.f_code) if name in code.co_varnames]
        if owners:
            return (f"`{name}` belongs to the function `{owners[0]}`, but line {line} is not indented, so Python reads "
                    "it as outside the function, where that name does not exist. Indent the line like the rest of the "
                    "function's body (four spaces more than `def`).")
    names = [key for key in (*frame.f_locals, *frame.f_globals, *builtins.__dict__)
             if type(key) is str and not key.startswith("__")]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.75)
    if close:
        return f"Did you mean {_or(close)}? A name must be spelt exactly the same each time."
    return f"Nothing is called `{name}` at this point: give it a value before this line, or check its spelling."


def _attribute_advice(exc: AttributeError) -> str:
    name, obj = getattr(exc, "name", None), getattr(exc, "obj", None)
    if type(name) is not str or type(obj) not in _SAFE_TYPES:
        return ""
    close = difflib.get_close_matches(name, [n for n in dir(type(obj)) if not n.startswith("_")], n=3, cutoff=0.7)
    return f"Did you mean {_or(['.' + n for n in close])}?" if close else ""


def _key_advice(exc: KeyError, rule_keys: tuple[str, ...]) -> str:
    key = exc.args[0] if len(exc.args) == 1 else None
    if type(key) is not str:
        return ""
    close = difflib.get_close_matches(key, rule_keys, n=3, cutoff=0.6) if key not in rule_keys else []
    if close:
        return f"RULES has no key {key!r}. Did you mean {_or([repr(k) for k in close])}? A key must match letter for letter."
    if "." in key and rule_keys:
        return (f"RULES has no key {key!r}. Its keys are the rule ids of the rules reference page, "
                "for example 'plan.basic.monthly_connects'.")
    return f"The dictionary has no key {key!r}: check its spelling, or print its keys with `print(list(...))`."


def _advice(exc: BaseException, line: int | None, rule_keys: tuple[str, ...]) -> str:
    """Plain words after a learner's exception, when we know what usually causes it."""
    if _is(exc, NameError):
        return _name_advice(exc, line)  # type: ignore[arg-type]
    if _is(exc, AttributeError):
        return _attribute_advice(exc)  # type: ignore[arg-type]
    if _is(exc, KeyError):
        return _key_advice(exc, rule_keys)  # type: ignore[arg-type]
    return ""


def _exit_code(exc: BaseException) -> str:
    try:
        return safe_repr(exc.code)  # type: ignore[attr-defined]
    except BaseException:  # noqa: BLE001 - a learner subclass's `code` may raise anything
        return "unknown"


def describe(exc: BaseException, rule_keys: tuple[str, ...] = ()) -> LearnerError:
    """A learner's exception as a `LearnerError`, traceback trimmed to their lines.

    `rule_keys` are the keys of `RULES` (`Sandbox.rule_keys`): an unknown key names the closest.
    Everything is read defensively (the class name whatever its metaclass says, plain text): a
    `SyntaxError` raised at run time is an ordinary exception, not a compile error of the code.
    """
    frames = _learner_frames(exc)
    line = frames[-1].lineno if frames else None
    where = f" on line {line}" if line else ""
    if _is(exc, InputNotAvailableError):
        return LearnerError(kind="input", type="input", line=line,
                            message=f"input() was called{where}: exercises pass values to your functions as arguments, "
                                    "so read them from the parameters instead.")
    if _is(exc, SystemExit):
        return LearnerError(kind="exit", type="SystemExit", line=line,
                            message=f"Your code called exit(){where} (code {_exit_code(exc)}); "
                                    "remove it so the checks can run.")
    if _is(exc, MemoryError):
        return LearnerError(kind="memory", type="MemoryError", line=line,
                            message=f"MemoryError{where}: your code asked for more memory than it may use. "
                                    "Look for a list or text that grows without end.")
    if _is(exc, KeyboardInterrupt):
        own = (" by its own `raise` (KeyboardInterrupt is what stopping a program raises): remove it so the checks "
               "can run") if _raised_by_learner(exc) else ""
        return LearnerError(kind="interrupt", type="KeyboardInterrupt", line=line,
                            message=f"Your code was interrupted{where}{own}.")
    name, text = type_name(exc), _safe_str(exc)
    lines = ["Traceback (most recent call last):", *traceback.format_list(frames)]
    lines.append(f"{name}: {text}" if text else name)
    summary = f"{name}{where}: {text}" if text else f"{name}{where}"
    advice = _advice(exc, line, rule_keys)
    summary = f"{summary}. {advice}" if advice else summary
    return LearnerError(kind="exception", type=name, message=summary, line=line,
                        traceback="".join(line if line.endswith("\n") else line + "\n" for line in lines).rstrip("\n"))


def described(exc: BaseException, rule_keys: tuple[str, ...] = ()) -> LearnerError:
    """`describe`, or a plain message when learner code broke what describing needs (builtins, `__str__`)."""
    try:
        return describe(exc, rule_keys)
    except BaseException:  # noqa: BLE001 - anything learner code left behind
        return LearnerError(kind="exception", type="Exception", message="Your code raised an error that cannot be shown.")


def execute(sandbox: Sandbox) -> LearnerError | None:
    """Compile and run the sandbox's source; the learner's fault, or None."""
    try:
        code = compile(sandbox.source, LEARNER_FILE, "exec", dont_inherit=True)
    except SyntaxError as exc:  # includes IndentationError, TabError and null bytes
        return _syntax_error(exc)
    except ValueError as exc:  # source with a null byte
        return LearnerError(kind="syntax", type="ValueError", message=f"Your code cannot be compiled: {exc}")
    except (RecursionError, MemoryError) as exc:  # an expression nested thousands deep (`1+1+...+1`)
        return LearnerError(kind="syntax", type=type(exc).__name__,
                            message="Your code cannot be compiled: an expression in it is nested too deeply. Split it up.")
    with _guarded(sandbox):
        try:
            exec(code, sandbox.globals)  # noqa: S102 - running learner code is the point
        except BaseException as exc:  # noqa: BLE001 - every learner fault is a result
            return described(exc, sandbox.rule_keys)
    return None


# ---------------------------------------------------------------- observing a program


def _name_data(value: object) -> dict[str, Any] | None:
    """What the grader may know of a global: None when absent (or None), else whether it is callable and its type."""
    if value is None:
        return None
    return {"callable": callable(value), "type": type_name(value)}


def observe(source: str, learner_globals: dict[str, Any], plan: dict[str, Any]) -> dict[str, Any]:
    """Run a learner program once and do what the checks need, returning only plain data.

    Args:
        source: The learner's code.
        learner_globals: Names the code starts with (`RULES`, ...).
        plan: `{"names": [global names to look up], "calls": {check id: {"function": name,
            "args": [argument lists, each as `plain.encode` gives it]}}}`. A plan's `"again"` (the run
            under other figures) is not made here: see `split`.

    Returns:
        `{"error": LearnerError data or None, "output": text, "names": {name: None or
        {"callable", "type"}}, "calls": {check id: [{"value": encoded} or {"error": LearnerError data}]}}`.
        The calls stop at the first interrupt (the reader pressed Stop).
    """
    sandbox = new_sandbox(source, learner_globals)
    error = execute(sandbox)
    names: dict[str, Any] = {}
    calls: dict[str, list[dict[str, Any]]] = {}
    if error is None:
        names = {name: _name_data(_global(sandbox, name)) for name in plan["names"]}
        calls = _answer(sandbox, plan["calls"])
    return {"error": error.to_data() if error else None, "output": collect(sandbox.output), "names": names, "calls": calls}


# ---------------------------------------------------------------- the run under other figures


def split(plan: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The plan of the program's first run, and of its run under other figures (`plan["again"]`), if any.

    The callers make the two runs apart, each from a fresh start: a child process each in the CLI and
    notebooks (`quizkit.isolate`), the guard's restore between them in the page. In one interpreter, a
    program could tell the second run from the first by what the first left behind (a mark on `sys`, a
    module it imported, its caller's frame), type today's figures in the first and read `RULES` only in
    the second, and pass. The second run's plan is the first's but for its calls' arguments (the same
    calls, run under the names `plan["again"]["globals"]` encodes), so the runner's frames, which a
    program can read, hold nothing that tells the runs apart but the figures; its names and output are
    not kept.
    """
    first = {key: value for key, value in plan.items() if key != "again"}
    again = plan.get("again")
    return first, None if again is None else {**first, "calls": again["calls"]}


def wants_again(first: object) -> bool:
    """Whether a first run's result (plain data, maybe from a child process) calls for the second run.

    Only a run that ended without an error and was not stopped: the checks say why there is no second run.
    """
    if not isinstance(first, dict) or first.get("error") is not None or not isinstance(first.get("calls"), dict):
        return False
    return not any(isinstance(outcome, dict) and isinstance(outcome.get("error"), dict)
                   and outcome["error"].get("kind") == "interrupt"
                   for outcomes in first["calls"].values() if isinstance(outcomes, list) for outcome in outcomes)


def joined(first: dict[str, Any], again: object) -> dict[str, Any]:
    """A first run's result with the second run's error and calls as `"again"` (what `Observation` reads)."""
    second = again if isinstance(again, dict) else {}
    return {**first, "again": {"error": second.get("error"), "calls": second.get("calls")}}


def _global(sandbox: Sandbox, name: str) -> Any:
    """The program's global `name`, or None, found without running learner code.

    Not `globals.get(name)`: a key the program put in its globals whose hash equals the name's would
    have its `__eq__` run by the lookup, outside any guard. Only keys that are plain `str` are compared.
    """
    return next((value for key, value in sandbox.globals.items() if type(key) is str and key == name), None)


def _answer(sandbox: Sandbox, specs: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Each planned call's outcome; an interrupt ends them all (`wants_again` reads that from the outcomes)."""
    calls: dict[str, list[dict[str, Any]]] = {}
    stopped = False
    for check_id, spec in specs.items():
        function = _global(sandbox, spec["function"])
        outcomes = calls[check_id] = []
        if stopped or not callable(function):
            continue
        for args in spec["args"]:
            outcome = _call_encoded(sandbox, function, decode(args))
            outcomes.append(outcome)
            if "error" in outcome and outcome["error"]["kind"] == "interrupt":
                stopped = True
                break
    return calls


def _call_encoded(sandbox: Sandbox, function: Callable[..., Any], args: list[Any]) -> dict[str, Any]:
    with _guarded(sandbox):  # describing the result runs learner code too (__repr__, __str__)
        try:
            value = function(*args)
        except BaseException as exc:  # noqa: BLE001 - every learner fault is a result
            return {"error": described(exc, sandbox.rule_keys).to_data()}
        try:
            return {"value": encode(value)}
        except BaseException as exc:  # noqa: BLE001 - learner code broke what encoding needs
            return {"error": described(exc, sandbox.rule_keys).to_data()}
