# Benchmark of site builds: a warm `mkdocs build` of the course, bare Material beside it, a `mkdocs serve` rebuild.
"""How long building the course takes, against the same Markdown with bare Material.

Run with `make bench` (or `.venv/bin/python tests/bench/build.py`). Prints one JSON object.
Targets: `build_s` <= 1.5 x `bare_build_s`; `rebuild_one_lesson_s` <= 1.0 s.

- `build_s`: `mkdocs build` of the course (a process of its own, caches warm, the site folder
  already built once), median of `BENCH_RUNS` (default 5).
- `bare_build_s`: the same Markdown, theme and Markdown extensions with only Material's search
  plugin (no quizkit, no mkdocs-jupyter), sampled alternately with `build_s` in the same run, as
  this machine's speed drifts by a third.
- `rebuild_one_lesson_s`: what `mkdocs serve` does after a lesson is saved, in one process
  (the plugin instances live across rebuilds there): `load_config`, then `build` with a lesson
  edited in between; median over `BENCH_RUNS` edits after a first build.

The course is copied into a temporary folder (mkdocs.yml, docs/ and exercises/; the rules and the
theme overrides are read where they are), so nothing in the checkout is edited.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
LESSON = "lessons/01-connects-and-plans.md"
BUILD_TARGET = 1.5
"""`build_s` / `bare_build_s` at most."""
REBUILD_TARGET_S = 1.0


def _project(folder: Path, *, bare: bool) -> Path:
    """Write a copy of the course (mkdocs.yml, docs/, exercises/) into `folder`; the config file's path."""
    config: dict[str, Any] = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    shutil.copytree(ROOT / "docs", folder / "docs")
    if not bare:  # the content check reads the lessons beside the content folder: these copies
        shutil.copytree(ROOT / "exercises", folder / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    if bare:
        config["plugins"] = ["search"]
        config["nav"] = _existing(config["nav"], folder / "docs")
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def _existing(nav: list[Any], docs: Path) -> list[Any]:
    """The navigation without the pages quizkit generates (workbooks, the rules reference)."""
    kept: list[Any] = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            children = _existing(value, docs)
            if children:
                kept.append({next(iter(item)): children})
        elif (docs / value).is_file():
            kept.append(item)
    return kept


def _build(config: Path, site: Path) -> float:
    """Seconds of one `mkdocs build` in a process of its own."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
                   check=True, cwd=config.parent, capture_output=True)
    return time.perf_counter() - start


REBUILDS = """
import json, sys, time
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

config_file, site, lesson, runs = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
config = load_config(config_file=config_file, site_dir=site)
config.plugins.on_startup(command="serve", dirty=False)
build(config, serve_url="http://127.0.0.1:8000/", dirty=False)
text = lesson.read_text(encoding="utf-8")
samples = []
for run in range(runs):
    mark = "Edited " + "abcdefghijklmnopqrstuvwxyz"[run % 26] * (run // 26 + 1)  # no digits: a typed figure fails the check
    lesson.write_text(text + f"\\n\\n{mark}.\\n", encoding="utf-8")
    start = time.perf_counter()
    config = load_config(config_file=config_file, site_dir=site)
    build(config, serve_url="http://127.0.0.1:8000/", dirty=False)
    samples.append(time.perf_counter() - start)
    page = Path(site) / "lessons" / lesson.stem / "index.html"
    if f"{mark}." not in page.read_text(encoding="utf-8"):
        sys.exit(f"the rebuilt {page} misses the edit")
config.plugins.on_shutdown()
print(json.dumps(samples))
"""


def _rebuilds(config: Path, site: Path) -> list[float]:
    """Seconds of each rebuild after a lesson edit, in one process, as under `mkdocs serve`."""
    result = subprocess.run([sys.executable, "-c", REBUILDS, str(config), str(site),  # noqa: PLW1510 - stderr shown
                             str(config.parent / "docs" / LESSON), str(RUNS)],
                            cwd=config.parent, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"the rebuilds failed:\n{result.stderr[-3000:]}")
    samples: list[float] = json.loads(result.stdout.strip().splitlines()[-1])
    return samples


def main() -> None:
    """Measure and print the JSON object."""
    with tempfile.TemporaryDirectory(prefix="quizkit-bench-") as temporary:
        folder = Path(temporary)
        (folder / "course").mkdir()
        (folder / "bare").mkdir()
        course = _project(folder / "course", bare=False)
        bare = _project(folder / "bare", bare=True)
        _build(course, folder / "course-site")  # warm: caches, the site folder, the page cache of the disk
        _build(bare, folder / "bare-site")
        build_s, bare_s = [], []
        for _ in range(RUNS):
            build_s.append(_build(course, folder / "course-site"))
            bare_s.append(_build(bare, folder / "bare-site"))
        rebuild_s = _rebuilds(course, folder / "serve-site")
    build, bare_build, rebuild = (statistics.median(samples) for samples in (build_s, bare_s, rebuild_s))
    print(json.dumps({
        "build_s": round(build, 3),
        "bare_build_s": round(bare_build, 3),
        "rebuild_one_lesson_s": round(rebuild, 3),
        "build_ratio": round(build / bare_build, 2),
        "build_ratio_target": BUILD_TARGET,
        "rebuild_ratio_to_target": round(rebuild / REBUILD_TARGET_S, 2),
        "rebuild_target_s": REBUILD_TARGET_S,
        "samples": {"build_s": [round(s, 3) for s in build_s], "bare_build_s": [round(s, 3) for s in bare_s],
                    "rebuild_one_lesson_s": [round(s, 3) for s in rebuild_s]},
    }, indent=2))


if __name__ == "__main__":
    main()
