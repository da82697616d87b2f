"""Benchmark of the CPython side: grading time per exercise and `quizkit check` over the course.

Run with `make bench` (or `.venv/bin/python tests/bench/grading.py`). Prints one JSON
object; the README quotes the figures. Targets: grading <= 50 ms, check <= 3 s.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from quizkit.course import Course
from quizkit.grader import grade

ROOT = Path(__file__).resolve().parents[2]
RUNS = 7


def median_ms(action: object, runs: int = RUNS) -> float:
    """Median wall time of `action()` in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def main() -> None:
    """Measure and print the JSON object."""
    course = Course.load(ROOT / "exercises")
    per_exercise = {
        exercise.id: median_ms(lambda exercise=exercise: grade(exercise, exercise.solution, course.rules))
        for exercise in course.exercises.values()
    }
    wrong_first = {  # a failing attempt also runs the known-wrong attempts once to match a misconception
        exercise.id: median_ms(lambda exercise=exercise: grade(exercise, exercise.wrong[0].source, course.rules))
        for exercise in course.exercises.values() if exercise.wrong
    }
    check_s = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "quizkit.cli", "check"], cwd=ROOT, check=True, capture_output=True)
        check_s.append(time.perf_counter() - start)
    print(json.dumps({
        "grade_solution_ms_max": max(per_exercise.values(), default=0),
        "grade_wrong_attempt_ms_max": max(wrong_first.values(), default=0),
        "grade_ms_per_exercise": per_exercise,
        "quizkit_check_s": round(statistics.median(check_s), 3),
        "exercises": len(course.exercises),
        "quizzes": len(course.quizzes),
    }, indent=2))


if __name__ == "__main__":
    main()
