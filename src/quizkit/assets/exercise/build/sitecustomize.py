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

Pyodide's package loader (`pyodide._package_loader`) waits the same way: importing it imports `shutil`,
`pathlib`, `tempfile`, `zipfile` and what they import, which only installing packages and unpacking archives
use, and the page's start does neither. Pyodide's JavaScript reads three things of it as Python starts:
`SITE_PACKAGES` and `DSO_DIR` (their text) and `init_loaded_packages` (called once, to note the packages
already installed). The stand-in answers those without loading it (`PACKAGE_LOADER_AT_START`); the build
checks the answers against the loader's own (prepare-runtime.mjs).
"""

from __future__ import annotations

import os
import posixpath
import sys
from importlib.machinery import ModuleSpec, PathFinder
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

_after: dict[str, Callable[[ModuleType], object]] = {}
_answers: dict[str, Mapping[str, object]] = {}


class Deferred(ModuleType):
    """A module not loaded yet: reading or writing an attribute loads it.

    But `__spec__`, `__class__` and the answers `defer` was given: the import system and Pyodide read them.
    """

    def __getattribute__(self, name: str) -> object:
        if name in {"__spec__", "__class__"}:
            return object.__getattribute__(self, name)
        answers = _answers.get(object.__getattribute__(self, "__name__"))
        if answers is not None and name in answers:
            return answers[name]
        load(self)
        return getattr(self, name)

    def __setattr__(self, name: str, value: object) -> None:
        load(self)
        setattr(self, name, value)

    def __delattr__(self, name: str) -> None:
        load(self)
        delattr(self, name)


def defer(name: str, after: Callable[[ModuleType], object] | None = None,
          answers: Mapping[str, object] | None = None) -> ModuleType:
    """Put a stand-in for the module `name` in `sys.modules`; `after(module)` runs once it is loaded.

    `answers`: attributes the stand-in gives without loading the module (until it is loaded).
    """
    module = ModuleType(name)
    module.__spec__ = ModuleSpec(name, None)
    module.__class__ = Deferred
    sys.modules[name] = module
    if after is not None:
        _after[name] = after
    if answers is not None:
        _answers[name] = answers
    return module


def load(module: ModuleType) -> None:
    """Load a deferred module into the object itself (a loaded module is left alone)."""
    if type(module) is not Deferred:
        return
    object.__setattr__(module, "__class__", ModuleType)  # first: reads while it loads are plain reads
    name = module.__name__
    _answers.pop(name, None)
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


class Text:
    """A path as Pyodide's JavaScript reads it (`.__str__()`): a `str` would reach JavaScript as a string."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text


_loaded_packages: list[object] = []


def loaded_packages() -> object:
    """Pyodide's `loadedPackages` (JavaScript), read once, for the page's `pyodide/_package_loader.py`.

    The loader read it as it was imported, while Python started, and a memory snapshot expects Pyodide's first
    references to JavaScript objects in that order: the stand-in reads it at that moment (its first answer), and
    the page's loader (changed at build time, `quizkit.plugin.lazy_asyncio`) takes it from here when it loads.
    """
    if not _loaded_packages:
        try:
            from pyodide_js import loadedPackages  # type: ignore[import-not-found]  # noqa: PLC0415 - at this moment
        except ImportError:  # not in Pyodide
            loadedPackages = None  # noqa: N806 - the loader's own name
        _loaded_packages.append(loadedPackages)
    return _loaded_packages[0]


class _PackageLoaderAtStart(dict[str, object]):
    """The stand-in's answers; the first one read also reads `loadedPackages`, where the loader itself would have."""

    def __getitem__(self, key: str) -> object:
        loaded_packages()
        return super().__getitem__(key)


def package_loader_at_start(site_packages: str) -> dict[str, object]:
    """What Pyodide's start reads of `pyodide._package_loader`, as its own code computes it."""
    dso_dir = "/usr/lib" if sys.base_prefix == sys.prefix else posixpath.dirname(posixpath.dirname(site_packages))

    def init_loaded_packages() -> None:
        # The loader notes each `*.dist-info` in site-packages: with none there, it has nothing to do.
        # os, not pathlib: pathlib is one of the imports this stand-in saves.
        if os.path.isdir(site_packages) and any(entry.endswith(".dist-info") for entry in os.listdir(site_packages)):  # noqa: PTH112, PTH208
            loader = sys.modules["pyodide._package_loader"]
            load(loader)
            loader.init_loaded_packages()

    return _PackageLoaderAtStart(SITE_PACKAGES=Text(site_packages), DSO_DIR=Text(dso_dir),
                                 init_loaded_packages=init_loaded_packages)


if sys.platform == "emscripten":
    import site  # importing this module, it is there already

    defer("asyncio", after=_install_event_loop)
    defer("pyodide._package_loader", answers=package_loader_at_start(site.getsitepackages()[0]))
