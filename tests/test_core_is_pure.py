"""The core runs in Pyodide: it may import the standard library and itself, nothing else."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "quizkit"
BUILD_TIME = {"load.py", "cli.py", "course.py", "serve.py", "notebook.py", "workbooks.py", "deadline.py"}
PYODIDE_ONLY = {"stdlib_on_demand.py": {"js"}}
"""Pyodide's own bridge to the browser, imported inside the function that only the page calls."""
CORE = sorted(p for p in PACKAGE.glob("*.py") if p.name not in BUILD_TIME)


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("path", CORE, ids=lambda p: p.name)
def test_core_modules_import_only_the_standard_library(path: Path) -> None:
    foreign = {name for name in imported_roots(path)
               if name != "quizkit" and name not in sys.stdlib_module_names and name not in PYODIDE_ONLY.get(path.name, ())}
    assert not foreign, f"{path.name} imports {foreign}"


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", CORE, ids=lambda p: p.name)
def test_core_modules_do_not_import_build_time_modules(path: Path) -> None:
    build_time = {"quizkit.load", "quizkit.cli", "quizkit.course", "quizkit.plugin", "quizkit.serve", "quizkit.notebook",
                  "quizkit.workbooks"}
    assert not {name for name in imported_modules(path) if name in build_time or name.startswith("quizkit.plugin.")}


def test_grading_works_with_yaml_and_mkdocs_unavailable() -> None:
    code = (
        "import sys\n"
        "sys.modules['yaml'] = None\n"
        "sys.modules['mkdocs'] = None\n"
        "import quizkit\n"
        "from quizkit.grader import grade\n"
        "from quizkit.profile import completeness\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code],
                          capture_output=True, text=True, check=False)
    assert done.stdout.strip() == "ok", done.stderr


def test_the_page_imports_only_what_it_runs_and_the_public_names_still_import() -> None:
    """`import quizkit.browser` is part of Python's start in the page: it leaves out the quiz grader (the page
    compares answers with keys computed at build time) and the profile analysis (the activity imports it on its
    first analysis). `from quizkit import ...` still gives every public name."""
    code = (
        "import sys\n"
        "import quizkit.browser\n"
        "print(sorted(name for name in ('quizkit.quiz', 'quizkit.analysis') if name in sys.modules))\n"
        "import quizkit\n"
        "from quizkit import *\n"
        "print(all(getattr(quizkit, name).__module__.startswith('quizkit.') for name in quizkit.__all__))\n"
        "print(quizkit.compile_quiz is sys.modules['quizkit.quiz'].compile_quiz)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.stdout.split("\n")[:3] == ["[]", "True", "True"], done.stdout + done.stderr
