# Shipped as the page's `sitecustomize` (in its lean standard library): Python imports it before Pyodide's core.
"""In the page's Python, asyncio is imported on first use, not while Python starts.

Pyodide's core imports asyncio as it starts: about 45 modules, a fifth of the start's work in the page
and 360 KB of the lean standard library. The page's Python needs asyncio only when a program uses it.
So `sys.modules` gets a stand-in for it: a module object that loads asyncio into itself the first time
anything but `__spec__` is read from it (the import system reads `__spec__` to see that a module is
there). Pyodide's core keeps that very object, so it finds the real asyncio once it is loaded.

The page's `pyodide/__init__.py` (changed at build time, `quizkit.plugin.lazy_asyncio`) defers
`pyodide.webloop` the same way; loading asyncio loads it too and installs Pyodide's event loop, as
Pyodide's own start does. `quizkit.integrity.capture` loads deferred modules before it takes its
baseline, so asyncio is whole before the first program runs.
"""

from __future__ import annotations

import sys
from importlib.machinery import ModuleSpec, PathFinder
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

_after: dict[str, Callable[[ModuleType], object]] = {}


class Deferred(ModuleType):
    """A module not loaded yet: reading or writing any attribute but `__spec__` loads it."""

    def __getattribute__(self, name: str) -> object:
        if name == "__spec__":
            return object.__getattribute__(self, name)
        load(self)
        return getattr(self, name)

    def __setattr__(self, name: str, value: object) -> None:
        load(self)
        setattr(self, name, value)

    def __delattr__(self, name: str) -> None:
        load(self)
        delattr(self, name)


def defer(name: str, after: Callable[[ModuleType], object] | None = None) -> ModuleType:
    """Put a stand-in for the module `name` in `sys.modules`; `after(module)` runs once it is loaded."""
    module = ModuleType(name)
    module.__spec__ = ModuleSpec(name, None)
    module.__class__ = Deferred
    sys.modules[name] = module
    if after is not None:
        _after[name] = after
    return module


def load(module: ModuleType) -> None:
    """Load a deferred module into the object itself (a loaded module is left alone)."""
    if type(module) is not Deferred:
        return
    object.__setattr__(module, "__class__", ModuleType)  # first: reads while it loads are plain reads
    name = module.__name__
    parent = name.rpartition(".")[0]
    spec = PathFinder.find_spec(name, sys.modules[parent].__path__ if parent else None)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    module.__spec__ = spec
    module.__loader__ = spec.loader
    if spec.submodule_search_locations is not None:
        module.__path__ = spec.submodule_search_locations
    if spec.has_location:
        module.__file__ = spec.origin
    spec.loader.exec_module(module)
    after = _after.pop(name, None)
    if after is not None:
        after(module)


def _install_event_loop(_asyncio: ModuleType) -> None:
    """Load `pyodide.webloop`, deferred by the page's `pyodide/__init__.py`: it installs Pyodide's event loop."""
    webloop = sys.modules.get("pyodide.webloop")
    if webloop is not None:
        load(webloop)  # if it is loading (it read asyncio first), it installs the loop when it is done


if sys.platform == "emscripten":
    defer("asyncio", after=_install_event_loop)
