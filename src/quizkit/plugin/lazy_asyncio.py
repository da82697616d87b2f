# Build step of the lean start: Pyodide's standard library with asyncio and the package loader on first use.
"""Pyodide's standard-library zip, changed so that the page's Python imports asyncio and the package loader late.

The changes, each checked here so that a new Pyodide that moved things fails the build with a message:
`sitecustomize.py` (assets/exercise/build) is added; `pyodide/__init__.py` defers `pyodide.webloop` instead of
importing it (it imports asyncio and installs Pyodide's event loop: `sitecustomize` does that when asyncio is
first used); `pyodide/_package_loader.py` takes `loadedPackages` from `sitecustomize`, which read it as Python
started, as the loader did (the loader itself now loads on first use). The lean zips are made from the changed
zip (`prepare-runtime.mjs stdlib`).

`page_dataclasses.py` is added too: not a change to Pyodide's start, but a module the page imports quizkit
with, which the build runs there first (it ends up in quizkit-page.zip, with what the build recorded).
"""

from __future__ import annotations

import zipfile
from typing import TYPE_CHECKING

from quizkit.plugin.toolchain import ASSETS_DIR, RuntimeBuildError

if TYPE_CHECKING:
    from pathlib import Path

SITECUSTOMIZE = ASSETS_DIR / "build" / "sitecustomize.py"
PAGE_DATACLASSES = ASSETS_DIR / "build" / "page_dataclasses.py"
ADDED = (SITECUSTOMIZE, PAGE_DATACLASSES)
"""The page's own modules, added to the zip's top level."""
PYODIDE_INIT = "pyodide/__init__.py"
EVENT_LOOP_AT_START = """from .webloop import _initialize_event_loop

_initialize_event_loop()
del _initialize_event_loop
"""
"""What Pyodide's `pyodide/__init__.py` runs at import: asyncio, then Pyodide's event loop."""
EVENT_LOOP_ON_FIRST_USE = """import sitecustomize as _page  # quizkit: asyncio and Pyodide's event loop come on first use
from .ffi import IN_PYODIDE as _IN_PYODIDE

if _IN_PYODIDE:
    # What webloop reads from JavaScript as it is imported, read at the same moment and kept, as webloop
    # keeps it: a memory snapshot expects Pyodide's first references to JavaScript objects in this order.
    from pyodide_js._api import scheduleCallback as _scheduleCallback
_page.defer("pyodide.webloop", after=lambda webloop: webloop._initialize_event_loop())
from . import webloop  # noqa: E402
del _page, _IN_PYODIDE
"""


PACKAGE_LOADER = "pyodide/_package_loader.py"
LOADED_PACKAGES_AT_IMPORT = """try:
    from pyodide_js import loadedPackages
except ImportError:
    loadedPackages = None
"""
"""What Pyodide's package loader reads from JavaScript as it is imported."""
LOADED_PACKAGES_KEPT = """import sitecustomize as _page  # quizkit: read as Python started (a memory snapshot expects that order)

loadedPackages = _page.loaded_packages()
del _page
"""


def keep_loaded_packages(loader_source: str) -> str:
    """Pyodide's `pyodide/_package_loader.py`, taking `loadedPackages` from the page's sitecustomize.

    sitecustomize read it as Python started, as the loader did (the loader itself now loads on first use).
    A clear error if the loader's text changed.
    """
    if loader_source.count(LOADED_PACKAGES_AT_IMPORT) != 1:
        raise RuntimeBuildError(f"{PACKAGE_LOADER}:1: Pyodide's package loader no longer reads loadedPackages with the "
                                "lines quizkit changes (quizkit/plugin/lazy_asyncio.py LOADED_PACKAGES_AT_IMPORT): update them")
    return loader_source.replace(LOADED_PACKAGES_AT_IMPORT, LOADED_PACKAGES_KEPT)



def defer_event_loop(init_source: str) -> str:
    """Pyodide's `pyodide/__init__.py` with its event loop deferred; a clear error if its text changed."""
    if init_source.count(EVENT_LOOP_AT_START) != 1:
        raise RuntimeBuildError(f"{PYODIDE_INIT}:1: Pyodide no longer installs its event loop with the lines "
                                "quizkit defers (quizkit/plugin/lazy_asyncio.py EVENT_LOOP_AT_START): update them")
    return init_source.replace(EVENT_LOOP_AT_START, EVENT_LOOP_ON_FIRST_USE)


CHANGED = {PYODIDE_INIT: defer_event_loop, PACKAGE_LOADER: keep_loaded_packages}
"""Pyodide's files the page's standard library changes, and how."""


def write_deferring_stdlib(source: Path, out: Path) -> None:
    """Copy Pyodide's stdlib zip `source` to `out`, with the page's modules (`ADDED`) added and the event loop deferred."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as changed:
        for added in ADDED:
            if added.name in original.namelist():
                raise RuntimeBuildError(f"{source}: Pyodide ships a {added.name}; the page's would replace it")
        for info in original.infolist():
            data = original.read(info)
            if info.filename in CHANGED:
                data = CHANGED[info.filename](data.decode("utf-8")).encode("utf-8")
            changed.writestr(info, data)
        for added in ADDED:
            changed.writestr(zipfile.ZipInfo(added.name, date_time=(1980, 1, 1, 0, 0, 0)), added.read_bytes(),
                             zipfile.ZIP_DEFLATED)
