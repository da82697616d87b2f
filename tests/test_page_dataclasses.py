"""The page imports quizkit with its dataclasses' methods compiled at build time (`page_dataclasses.py`).

A served method that differed from what `@dataclass` compiles would make the page's quizkit another
program than the one these tests run; a hook left in `dataclasses` would follow a learner's program.
These tests hold the module to `@dataclass` itself under CPython, with packages of our own.
"""

from __future__ import annotations

import dataclasses
import importlib
import marshal
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from quizkit.plugin import lazy_asyncio
from tests.test_lazy_asyncio import from_source

PACKAGE = "quizkit_test_dataclasses"
SOURCE = '''from dataclasses import dataclass, field


@dataclass(frozen=True)
class Point:
    """A point."""

    x: int
    y: int = 0


@dataclass
class Bag:
    items: list[str] = field(default_factory=list)
    total: float = 0.0


class Plain:
    pass
'''
OTHER = """from dataclasses import dataclass


@dataclass(order=True)
class Ranked:
    rank: int
    name: str
"""


def page_dataclasses(where: Path | None = None) -> ModuleType:
    """The page's module: from its source (no bytecode written beside it: the runtime's build id hashes that
    folder), or imported from the zip `where` as the page imports it."""
    if where is not None:
        sys.path.insert(0, str(where))
        try:
            return importlib.import_module("page_dataclasses")
        finally:
            sys.path.remove(str(where))
    return from_source(lazy_asyncio.PAGE_DATACLASSES, "page_dataclasses")


@pytest.fixture
def packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / f"{PACKAGE}.py").write_text(SOURCE, encoding="utf-8")
    (tmp_path / f"{PACKAGE}_other.py").write_text(OTHER, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in [name for name in sys.modules if name.startswith(("page_dataclasses", PACKAGE))]:
        del sys.modules[name]


def page_zip(path: Path, codes: dict[str, object] | None) -> Path:
    """A zip as the page gets it: the module, and the build's code objects unless `codes` is None."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("page_dataclasses.py", lazy_asyncio.PAGE_DATACLASSES.read_bytes())
        if codes is not None:
            archive.writestr("dataclass-code.marshal", marshal.dumps(codes))
    return path


def reimported(name: str) -> ModuleType:
    del sys.modules[name]
    return importlib.import_module(name)


def test_recording_keeps_the_code_of_each_dataclass_and_leaves_dataclasses_as_it_was(packages: Path) -> None:
    (packages / f"{PACKAGE}_plain.py").write_text("class Plain:\n    pass\n", encoding="utf-8")
    module = page_dataclasses()
    assert module.record(f"{PACKAGE}_plain") == {}
    codes = module.record(PACKAGE)  # one source per class (Python 3.13 and later), or per method
    assert codes
    assert all(source.startswith("def __create_fn__(") and code.co_filename == "<string>" for source, code in codes.items())
    assert "exec" not in vars(dataclasses)


def test_a_page_import_is_served_the_build_s_code_and_behaves_the_same(packages: Path) -> None:
    codes = page_dataclasses().record(PACKAGE)
    made = reimported(PACKAGE)  # as @dataclass itself makes it
    del sys.modules[PACKAGE]
    module = page_dataclasses(page_zip(packages / "page.zip", codes))
    page = module.import_compiled(PACKAGE)
    assert module.served == len(codes)
    assert "exec" not in vars(dataclasses), "a learner's dataclasses are made as anywhere else"
    for name in ("Point", "Bag"):
        for method in ("__init__", "__repr__", "__eq__"):
            assert getattr(page, name).__dict__[method].__code__ == getattr(made, name).__dict__[method].__code__, (name, method)
    point = page.Point(1, y=2)
    assert (repr(point), point == page.Point(1, 2), hash(point) == hash(page.Point(1, 2))) == ("Point(x=1, y=2)", True, True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.x = 3  # type: ignore[misc]
    assert page.Bag().items is not page.Bag().items
    assert page.Point.__doc__ == "A point."
    assert page.Bag.__doc__ == made.Bag.__doc__ == "Bag(items: list[str] = <factory>, total: float = 0.0)"


def test_a_source_the_build_did_not_compile_is_compiled_as_usual(packages: Path) -> None:
    module = page_dataclasses(page_zip(packages / "page.zip", page_dataclasses().record(PACKAGE)))
    other = module.import_compiled(f"{PACKAGE}_other")
    assert module.served == 0
    assert other.Ranked(1, "a") < other.Ranked(2, "a")


def test_a_zip_without_the_build_s_code_imports_as_usual(packages: Path) -> None:
    module = page_dataclasses(page_zip(packages / "page.zip", None))
    assert module.import_compiled(PACKAGE).Point(1) == module.import_compiled(PACKAGE).Point(1, 0)
    assert module.served == 0


def test_an_import_that_fails_leaves_dataclasses_as_it_was(packages: Path) -> None:
    (packages / f"{PACKAGE}_broken.py").write_text(OTHER + "raise ValueError('broken')\n", encoding="utf-8")
    with pytest.raises(ValueError, match="broken"):
        page_dataclasses().import_compiled(f"{PACKAGE}_broken")
    assert "exec" not in vars(dataclasses)


DATACLASSES_MADE = """import sys
import quizkit.browser
print(sum("__dataclass_params__" in vars(value) for name, module in list(sys.modules.items()) if name.startswith("quizkit")
          for value in vars(module).values() if isinstance(value, type) and value.__module__ == name))"""


def quizkit_browser_dataclasses() -> int:
    """How many dataclasses importing `quizkit.browser` makes (a fresh CPython): as many as the page serves."""
    result = subprocess.run([sys.executable, "-c", DATACLASSES_MADE], capture_output=True, text=True, check=True, timeout=60)
    return int(result.stdout)


def test_quizkit_s_page_import_makes_dataclasses_the_page_can_be_served() -> None:
    assert quizkit_browser_dataclasses() >= 20
