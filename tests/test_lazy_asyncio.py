"""The page's Python imports asyncio and Pyodide's package loader on first use: its `sitecustomize` and the build
step that ships it.

A stand-in that loaded too early would cost the start what it saves; one that never loaded, or loaded
half, would break a learner's asyncio program or the integrity baseline. These tests hold the stand-in
to a plain import under CPython (with a package of our own), and the build step to Pyodide's file.
"""

from __future__ import annotations

import builtins
import importlib.util
import sys
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from quizkit import integrity
from quizkit.plugin import lazy_asyncio, toolchain
from quizkit.plugin.toolchain import RuntimeBuildError

PACKAGE = "quizkit_test_deferred"


def from_source(path: Path, name: str) -> ModuleType:
    """One of the page's modules, run from its source as the module `name` (not put in sys.modules).

    No bytecode cache is written beside it: the runtime's build id hashes that folder.
    """
    module = ModuleType(name)
    module.__file__ = str(path)
    exec(compile(path.read_text(encoding="utf-8"), module.__file__, "exec"), module.__dict__)
    return module


def pyodide_s(name: str) -> str:
    """A file of Pyodide's own standard-library zip, as text."""
    with zipfile.ZipFile(toolchain.find_node_modules() / "pyodide" / "python_stdlib.zip") as archive:
        return archive.read(name).decode("utf-8")


@pytest.fixture
def site_customize() -> ModuleType:
    """The page's sitecustomize, loaded under another name (here it defers nothing by itself: not emscripten)."""
    return from_source(lazy_asyncio.SITECUSTOMIZE, "page_sitecustomize")


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A package that counts its loads, with a submodule, on sys.path."""
    root = tmp_path / PACKAGE
    root.mkdir()
    (root / "__init__.py").write_text("import builtins\nbuiltins.deferred_loads = getattr(builtins, 'deferred_loads', 0) + 1\n"
                                      "value = 42\n", encoding="utf-8")
    (root / "sub.py").write_text("from quizkit_test_deferred import value\ndoubled = value * 2\n", encoding="utf-8")
    (root / "late.py").write_text("name = __name__\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(builtins, "deferred_loads", 0, raising=False)
    yield root
    for name in [name for name in sys.modules if name.startswith(PACKAGE)]:
        del sys.modules[name]


def test_importing_a_deferred_module_does_not_load_it_reading_from_it_does_once(site_customize: ModuleType, package: Path) -> None:
    seen: list[ModuleType] = []
    stand_in = site_customize.defer(PACKAGE, after=seen.append)
    import quizkit_test_deferred

    assert quizkit_test_deferred is stand_in
    assert quizkit_test_deferred.__spec__.name == PACKAGE
    assert builtins.deferred_loads == 0, "an import and a look at __spec__ leave it unloaded"
    assert quizkit_test_deferred.value == 42
    assert builtins.deferred_loads == 1
    assert seen == [stand_in]
    assert type(stand_in) is ModuleType
    assert stand_in.__file__ == str(package / "__init__.py")
    from quizkit_test_deferred import sub

    assert sub.doubled == 84
    assert builtins.deferred_loads == 1
    assert seen == [stand_in], "`after` runs once"


def test_writing_to_a_deferred_module_loads_it_first(site_customize: ModuleType, package: Path) -> None:
    stand_in = site_customize.defer(PACKAGE)
    stand_in.value = 7
    assert builtins.deferred_loads == 1
    assert stand_in.value == 7, "the write lands after the module's own code, as on a loaded module"


def test_a_submodule_its_package_defers_loads_from_the_package(site_customize: ModuleType, package: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # As the page's pyodide/__init__.py defers pyodide.webloop.
    monkeypatch.setitem(sys.modules, "page_sitecustomize", site_customize)
    (package / "__init__.py").write_text("import page_sitecustomize as _page\n"
                                         "_page.defer(__name__ + '.late', after=lambda m: setattr(m, 'after_ran', True))\n"
                                         "from . import late\n", encoding="utf-8")
    import quizkit_test_deferred

    stand_in = sys.modules[f"{PACKAGE}.late"]
    assert quizkit_test_deferred.late is stand_in
    assert type(stand_in) is site_customize.Deferred
    from quizkit_test_deferred import late

    assert late is stand_in
    assert late.name == f"{PACKAGE}.late"
    assert late.after_ran


def test_a_deferred_module_that_is_not_there_fails_as_an_import_does(site_customize: ModuleType) -> None:
    stand_in = site_customize.defer("quizkit_test_no_such_module")
    try:
        with pytest.raises(ModuleNotFoundError, match="quizkit_test_no_such_module"):
            _ = stand_in.anything
    finally:
        del sys.modules["quizkit_test_no_such_module"]


def test_the_integrity_baseline_loads_deferred_modules_first(site_customize: ModuleType, package: Path) -> None:
    deferred = site_customize.defer(PACKAGE)
    lazy_spec = importlib.util.find_spec("colorsys")
    assert lazy_spec is not None
    assert lazy_spec.loader is not None
    assert "colorsys" not in sys.modules
    lazy_spec.loader = importlib.util.LazyLoader(lazy_spec.loader)
    lazy = importlib.util.module_from_spec(lazy_spec)
    sys.modules["colorsys"] = lazy
    lazy_spec.loader.exec_module(lazy)
    try:
        integrity._load_deferred_modules()
        assert type(deferred) is ModuleType
        assert builtins.deferred_loads == 1
        assert type(lazy) is ModuleType, "importlib's LazyLoader modules too"
    finally:
        del sys.modules["colorsys"]


@pytest.mark.parametrize(("name", "change", "before", "after"), [
    (lazy_asyncio.PYODIDE_INIT, lazy_asyncio.defer_event_loop, "\n_initialize_event_loop()\n", 'defer("pyodide.webloop"'),
    (lazy_asyncio.PACKAGE_LOADER, lazy_asyncio.keep_loaded_packages, "from pyodide_js import loadedPackages",
     "loadedPackages = _page.loaded_packages()"),
], ids=["event loop", "package loader"])
def test_the_build_changes_pyodide_s_own_file_there_and_only_there(name: str, change: Any, before: str, after: str) -> None:
    original = pyodide_s(name)
    changed = change(original)
    assert before in original
    assert before not in changed
    assert after in changed
    compile(changed, name, "exec")
    replaced = {lazy_asyncio.PYODIDE_INIT: lazy_asyncio.EVENT_LOOP_AT_START,
                lazy_asyncio.PACKAGE_LOADER: lazy_asyncio.LOADED_PACKAGES_AT_IMPORT}[name]
    head, _, tail = original.partition(replaced)
    assert changed.startswith(head), "the rest is Pyodide's own"
    assert changed.endswith(tail)


def test_a_pyodide_that_starts_its_event_loop_otherwise_fails_the_build_with_the_file() -> None:
    with pytest.raises(RuntimeBuildError, match=r"^pyodide/__init__\.py:1: .*event loop"):
        lazy_asyncio.defer_event_loop('__version__ = "999"\nfrom .webloop import start\nstart()\n')


def test_a_stand_in_gives_its_answers_and_its_class_without_loading(site_customize: ModuleType, package: Path) -> None:
    answered = object()
    stand_in = site_customize.defer(PACKAGE, answers={"ANSWERED": answered})
    assert stand_in.ANSWERED is answered
    assert stand_in.__class__ is site_customize.Deferred, "Pyodide reads it as it makes a proxy of the module"
    assert builtins.deferred_loads == 0
    assert stand_in.value == 42
    assert builtins.deferred_loads == 1
    assert not hasattr(stand_in, "ANSWERED"), "once loaded, the module's own attributes"


def test_the_package_loader_s_stand_in_answers_as_the_loader_computes_them(site_customize: ModuleType, tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    site_packages = tmp_path / "lib" / "python3.14" / "site-packages"
    site_packages.mkdir(parents=True)
    answers = site_customize.package_loader_at_start(str(site_packages))
    assert str(answers["SITE_PACKAGES"]) == str(site_packages)
    monkeypatch.setattr(sys, "base_prefix", sys.prefix)
    assert str(site_customize.package_loader_at_start(str(site_packages))["DSO_DIR"]) == "/usr/lib"
    monkeypatch.setattr(sys, "base_prefix", "/elsewhere")  # in a virtual environment: two folders up
    assert str(site_customize.package_loader_at_start(str(site_packages))["DSO_DIR"]) == str(tmp_path / "lib")
    assert site_customize.loaded_packages() is None, "not in Pyodide: no JavaScript to read"


def test_the_stand_in_s_init_loaded_packages_loads_the_loader_only_for_packages_there(
        site_customize: ModuleType, package: Path, tmp_path: Path) -> None:
    (package / "__init__.py").write_text("import builtins\nbuiltins.deferred_loads += 1\nnoted = []\n"
                                         "def init_loaded_packages():\n    noted.append(True)\n", encoding="utf-8")
    site_packages = tmp_path / "site-packages"
    site_packages.mkdir()
    answers = site_customize.package_loader_at_start(str(site_packages))
    loader = site_customize.defer(PACKAGE, answers=answers)
    sys.modules["pyodide._package_loader"] = loader
    try:
        loader.init_loaded_packages()
        assert builtins.deferred_loads == 0, "no package installed: nothing for the loader to note"
        (site_packages / "quizkit-0.1.dist-info").mkdir()
        loader.init_loaded_packages()
        assert builtins.deferred_loads == 1
        assert loader.noted == [True], "the loader's own init_loaded_packages noted it"
    finally:
        del sys.modules["pyodide._package_loader"]


def test_a_pyodide_that_reads_loaded_packages_otherwise_fails_the_build_with_the_file() -> None:
    with pytest.raises(RuntimeBuildError, match=r"^pyodide/_package_loader\.py:1: .*loadedPackages"):
        lazy_asyncio.keep_loaded_packages("import pyodide_js\nloadedPackages = pyodide_js.loadedPackages\n")


def test_the_deferring_zip_is_pyodide_s_with_two_files_changed_and_the_page_s_modules_added(tmp_path: Path) -> None:
    source = toolchain.find_node_modules() / "pyodide" / "python_stdlib.zip"
    lazy_asyncio.write_deferring_stdlib(source, tmp_path / "stdlib.zip")
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(tmp_path / "stdlib.zip") as changed:
        assert set(changed.namelist()) == {*original.namelist(), "sitecustomize.py", "page_dataclasses.py"}
        assert changed.read("sitecustomize.py") == lazy_asyncio.SITECUSTOMIZE.read_bytes()
        assert changed.read("page_dataclasses.py") == lazy_asyncio.PAGE_DATACLASSES.read_bytes()
        differing = {name for name in original.namelist() if original.read(name) != changed.read(name)}
        assert differing == {lazy_asyncio.PYODIDE_INIT, lazy_asyncio.PACKAGE_LOADER}
