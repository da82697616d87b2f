"""quizkit grades the same in Pyodide (Python 3.14, the browser's) as in CPython (the tests' and the CLI's).

Every exercise's solution, starter and known-wrong attempts, plus learner faults, are
graded by the wheel the site ships, inside Pyodide from node_modules under Node
(offline), and compared field by field with `grade(...).to_data()` in this Python.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from quizkit.course import Course
from quizkit.grader import grade
from quizkit.plugin import toolchain
from quizkit.plugin.embed import exercise_json
from tests.conftest import python_s_words_aside

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tests" / "node" / "parity.mjs"

pytestmark = pytest.mark.node

FAULTS = {
    "syntax error": "def broken(:\n    return 1\n",
    "exception": "x = 1\ny = x / 0\n",
    "input": "name = input('plan? ')\n",
    "exit": "import sys\nsys.exit(3)\n",
    "keyboard interrupt": "raise KeyboardInterrupt\n",
    "builtins redefined": "print = None\nlen = 3\n",
    "indentation": "def f():\nreturn 1\n",
}


def attempts(course: Course) -> list[tuple[str, Any, str]]:
    """(label, exercise, source) for everything compared."""
    items = []
    for exercise in course.exercises.values():
        items.append((f"{exercise.id}: solution", exercise, exercise.solution))
        items.append((f"{exercise.id}: starter", exercise, exercise.starter))
        items.extend((f"{exercise.id}: {wrong.file}", exercise, wrong.source) for wrong in exercise.wrong)
        items.extend((f"{exercise.id}: {name}", exercise, source) for name, source in FAULTS.items())
    return items


@pytest.fixture(scope="module")
def course() -> Course:
    return Course.load(ROOT / "exercises")


@pytest.fixture(scope="module")
def pyodide_grades(course: Course, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    node_modules = toolchain.find_node_modules()
    wheel = toolchain.build_wheel(toolchain.Cache.beside(node_modules))
    data = {
        "rules": course.rules.to_data(),
        "attempts": [{"exercise": exercise_json(exercise), "source": source} for _, exercise, source in attempts(course)],
    }
    path = tmp_path_factory.mktemp("parity") / "input.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    done = subprocess.run([node, str(SCRIPT), str(node_modules / "pyodide"), str(wheel), str(path)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_pyodide_runs_the_browsers_python(pyodide_grades: dict[str, Any]) -> None:
    assert pyodide_grades["python"].startswith("3.14")


def test_every_attempt_grades_the_same_in_pyodide(course: Course, pyodide_grades: dict[str, Any]) -> None:
    items = attempts(course)
    assert len(pyodide_grades["grades"]) == len(items)
    for (label, exercise, source), in_pyodide in zip(items, pyodide_grades["grades"], strict=True):
        in_cpython = json.loads(json.dumps(grade(exercise, source, course.rules).to_data(), default=str))
        assert in_pyodide.pop("restart") is False, label  # nothing here touches the grader
        assert python_s_words_aside(in_pyodide) == python_s_words_aside(in_cpython), label


def test_known_wrong_attempts_show_their_message_in_pyodide(course: Course, pyodide_grades: dict[str, Any]) -> None:
    by_label = dict(zip((label for label, _, _ in attempts(course)), pyodide_grades["grades"], strict=True))
    for exercise in course.exercises.values():
        assert by_label[f"{exercise.id}: solution"]["status"] == "passed", exercise.id
        assert by_label[f"{exercise.id}: starter"]["status"] != "passed", exercise.id
        for wrong in exercise.wrong:
            checks = {c["id"]: c for c in by_label[f"{exercise.id}: {wrong.file}"]["checks"]}
            assert checks[wrong.fails]["passed"] is False, wrong.file
            assert checks[wrong.fails]["misconception"] == wrong.message, wrong.file
