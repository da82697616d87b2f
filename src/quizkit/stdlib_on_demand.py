# The rest of the standard library, fetched the first time a program in the page imports a module of it.
"""A finder for the page's Python: standard-library modules the lean zip leaves out, fetched on first import.

The page starts Python with a lean standard library: precompiled, and only what quizkit and a
learner's usual programs import (see `prepare-runtime.mjs stdlib`). That is 1.7 MB to download
instead of 4.5 MB. When a program imports a standard-library module the lean zip does not hold
(`xml`, `sqlite3`'s helpers, `unittest`...), this finder downloads Pyodide's own zip of the whole
standard library (sources, 2.5 MB) once, synchronously (allowed in a worker), and imports from it.

Its state lives in a `volatile` dict: a fetch changes no state that `quizkit.integrity` compares.
Only in Pyodide: `install` is never called in CPython, where the whole standard library is there.
"""

from __future__ import annotations

import sys
from importlib.abc import MetaPathFinder
from typing import TYPE_CHECKING, Any

from quizkit.integrity import volatile

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence
    from importlib.machinery import ModuleSpec
    from types import ModuleType

FULL_ZIP = "/lib/python_stdlib_full.zip"
"""Where the downloaded zip is written in Pyodide's file system."""

_state: dict[str, Any] = volatile({"url": "", "zip": None, "failed": "", "holds": None})


def _standard(name: str) -> bool:
    """Whether `name` may be in the full zip: a standard-library module, not built in, and under one of its top-level names.

    Pyodide ships some standard-library modules in packages of their own (`_hashlib`, `_sqlite3`):
    `import hashlib` tries `_hashlib` and does without it, and looking for it must not download 2.5 MB
    that do not hold it. Where the page did not say what the zip holds, any standard-library name is tried.
    """
    top = name.partition(".")[0]
    holds = _state["holds"]
    if type(holds) is not frozenset or not all(type(held) is str for held in holds):
        holds = None  # not what `install` put there (a program can reach this state): no object of its runs here
    return (top in sys.stdlib_module_names and name not in sys.builtin_module_names
            and (holds is None or top in holds))


def _download(url: str) -> bytes:
    """The zip's bytes, by a synchronous request (the worker waits; the import needs them now).

    The page is told before and after (`{"type": "stdlib"}` messages): the program's time limit stops
    while the download runs, so a slow link never turns a first `import xml` into a timeout.
    """
    from js import JSON, Uint8Array, XMLHttpRequest, postMessage  # type: ignore[import-not-found]  # noqa: PLC0415 - Pyodide only

    postMessage(JSON.parse('{"type": "stdlib", "state": "downloading"}'))
    try:
        request = XMLHttpRequest.new()
        request.open("GET", url, False)  # noqa: FBT003 - the XMLHttpRequest API: async=false
        request.responseType = "arraybuffer"
        request.send(None)
        if request.status != 200:  # noqa: PLR2004 - HTTP OK
            raise OSError(f"HTTP {request.status}")
        return bytes(Uint8Array.new(request.response).to_bytes())
    finally:
        postMessage(JSON.parse('{"type": "stdlib", "state": "done"}'))


def _full_zip() -> str | None:
    """The path of the full standard library's zip, downloaded on first use; None if it cannot be had."""
    if _state["zip"] is None and not _state["failed"]:
        try:
            data = _download(_state["url"])
            with open(FULL_ZIP, "wb") as file:  # noqa: PTH123 - pathlib is not imported in the lean start
                file.write(data)
            _state["zip"] = FULL_ZIP
        except Exception as exc:  # noqa: BLE001 - any failure means: the module is not there
            _state["failed"] = f"{type(exc).__name__}: {exc}"
    return _state["zip"]  # type: ignore[no-any-return]


class FullStdlibFinder(MetaPathFinder):
    """Finds standard-library modules the lean zip leaves out, in the full zip (downloaded on first need)."""

    def find_spec(self, fullname: str, path: Sequence[str] | None,  # noqa: ARG002 - the finder protocol
                  target: ModuleType | None = None) -> ModuleSpec | None:  # noqa: ARG002
        """The module's spec from the full zip, if it is a standard-library module the path finder did not find."""
        if not _state["url"] or not _standard(fullname):
            return None
        archive = _full_zip()
        if archive is None:
            return None
        from zipimport import zipimporter  # noqa: PLC0415 - imported already by the interpreter's start

        package = fullname.rpartition(".")[0].replace(".", "/")
        spec: ModuleSpec | None = zipimporter(f"{archive}/{package}/" if package else archive).find_spec(fullname)
        return spec


def install(url: str, holds: Collection[str] | None = None) -> None:
    """Fetch missing standard-library modules from `url` (the full zip) when a program imports one.

    `holds`: the zip's top-level module names (known at build time), or None to try for any
    standard-library module. Idempotent: each start of the worker calls it (a memory snapshot may hold
    the finder already). Placed right after the path finder, before Pyodide's own finders (which explain
    packages it can load).
    """
    _state["url"] = url
    _state["holds"] = None if holds is None else frozenset(holds)
    if any(isinstance(finder, FullStdlibFinder) for finder in sys.meta_path):
        return
    from importlib.machinery import PathFinder  # noqa: PLC0415

    after = next((i + 1 for i, finder in enumerate(sys.meta_path) if finder is PathFinder), len(sys.meta_path))
    sys.meta_path.insert(after, FullStdlibFinder())


def status() -> dict[str, Any]:
    """Whether the full zip was fetched, and why not if it failed (for tests and the benchmark)."""
    return {"fetched": _state["zip"] is not None, "failed": _state["failed"]}
