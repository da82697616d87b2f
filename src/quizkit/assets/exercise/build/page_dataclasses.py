# Shipped in the page's quizkit-page.zip (a lean start imports quizkit with it: worker.js), and run by the
# site build (prepare-runtime.mjs stdlib) to record what it serves.
"""In the page's Python, quizkit's dataclasses get their methods without compiling them again.

`@dataclass` writes the source of each class's `__init__`, `__repr__`, `__eq__` (and more) and compiles it
with `exec` as the class is made. quizkit has 25 dataclasses: on a lean start in Node, compiling their
methods was 40 % of importing quizkit (about 48 of 116 ms). The build imports quizkit once with `record`,
which keeps each source `@dataclass` compiled, compiled to a code object, and writes them into the page's
zip (`CODE_FILE`). The page imports quizkit with `import_compiled`: `@dataclass` then runs the build's
code object for each source it has, the very code `exec` would have made from that text, and compiles
any other source as usual.

Only while that import runs: afterwards `dataclasses` is as Python made it, so a learner's dataclasses
are made the usual way and the module looks as it does anywhere else.
"""

from __future__ import annotations

import builtins
import dataclasses
import marshal
import os
from contextlib import contextmanager
from importlib import import_module
from types import CodeType, MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from types import ModuleType

CODE_FILE = "dataclass-code.marshal"
"""Beside this module in the page's zip: `marshal` of {source: code object} (Pyodide's own Python wrote it)."""

served = 0
"""How many sources `import_compiled` found compiled (one per class on Python 3.13 and later; the tests and the
worker's marks read it)."""


def compile_source(source: str) -> CodeType:
    """What `exec(source, ...)` compiles inside `dataclasses`, which has no `from __future__` imports.

    The hooks below never pass `exec` a string: it would compile it with this module's `__future__` flags.
    """
    return compile(source, "<string>", "exec", dont_inherit=True)


def record(name: str) -> dict[str, CodeType]:
    """Import the module `name` (not imported yet) and return the sources `@dataclass` compiled meanwhile, compiled."""
    codes: dict[str, CodeType] = {}

    def exec_and_keep(source: Any, globals_: Any = None, locals_: Any = None, /) -> None:
        if isinstance(source, str):
            source = codes.setdefault(source, compile_source(source))
        builtins.exec(source, globals_, locals_)

    with _exec_in_dataclasses(exec_and_keep):
        import_module(name)
    return codes


def import_compiled(name: str) -> ModuleType:
    """Import the module `name`, `@dataclass` running the build's code for the sources it compiled."""
    codes = _codes()

    def exec_compiled(source: Any, globals_: Any = None, locals_: Any = None, /) -> None:
        global served  # noqa: PLW0603 - a count for the tests and the worker's marks
        if isinstance(source, str):
            code = codes.get(source)
            served += code is not None
            source = compile_source(source) if code is None else code
        builtins.exec(source, globals_, locals_)

    with _exec_in_dataclasses(exec_compiled):
        return import_module(name)


def _codes() -> Mapping[str, CodeType]:
    """The build's code objects, or none (a zip without them, or this module outside one)."""
    loader = globals().get("__loader__")
    try:
        data = loader.get_data(os.path.join(os.path.dirname(__file__), CODE_FILE))  # type: ignore[union-attr]
    except (AttributeError, OSError):
        return MappingProxyType({})
    codes = marshal.loads(data)
    return MappingProxyType(codes if isinstance(codes, dict) else {})


@contextmanager
def _exec_in_dataclasses(replacement: Any) -> Iterator[None]:
    """`dataclasses` calls `replacement` for `exec` meanwhile (it finds `exec` in its globals before builtins)."""
    dataclasses.exec = replacement  # type: ignore[attr-defined]
    try:
        yield
    finally:
        del dataclasses.exec  # type: ignore[attr-defined]
