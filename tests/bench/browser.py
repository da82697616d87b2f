"""Benchmark of the exercises in the browser: how fast Python is ready, grades, and recovers from runaway code.

Run with `make bench` (or `.venv/bin/python tests/bench/browser.py`). Builds the site,
serves it on localhost with `quizkit.serve` (the deployment headers), drives headless
Chromium and prints one JSON object; the README quotes the figures. Each browser
figure is the median of RUNS runs.

- `runtime_ready_cold_ms`: navigation start to `window.quizkit.ready`, new browser, empty cache.
- `runtime_ready_repeat_ms`: the same on a later visit, persistent profile, warm HTTP cache, the site's service
  worker installed, no routing; 1.5 s on a blank page between visits.
- `check_warm_ms`: Check clicked to verdict shown, with the solution, on a ready page.
- `runaway_recovery_ms`: the time limit firing on `while True: pass` to the output of the next Run shown.
- `lesson_page_bytes` / `exercise_page_bytes`: bytes transferred to show a page (the exercise page until Python is
  ready), first visit, gzip as `quizkit.serve` sends it. `lesson_page_runtime_bytes`: bytes of Python's files the
  lesson page or its service worker fetched (0 is the rule). `..._offline_precache_bytes` / `..._offline_bytes`: what
  the service worker then fetched in the background to keep the course (and, on the exercise page, Python) offline.
- `build_s`: `mkdocs build` with the build cache warm (`build_cold_s`: with an empty one).
- `baseline_ready_cold_ms`: a page loading the same Pyodide the plain way (main thread, default `loadPyodide`,
  unpatched standard library, then the quizkit wheel), as peers do.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from quizkit.course import Course
from quizkit.plugin import toolchain
from quizkit.serve import make_server

ROOT = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TARGETS = {"runtime_ready_cold_ms": 1000, "runtime_ready_repeat_ms": 600, "check_warm_ms": 100,
           "runaway_recovery_ms": 50, "lesson_page_bytes": 400_000}

BASELINE_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>baseline</title></head><body>
<p id="state">loading</p>
<script type="module">
import { loadPyodide } from "./pyodide/pyodide.mjs";
const pyodide = await loadPyodide();
const wheel = new Uint8Array(await (await fetch("./quizkit.whl")).arrayBuffer());
pyodide.unpackArchive(wheel, "wheel", { extractDir: pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')") });
pyodide.runPython("import quizkit.browser");
window.baselineReady = performance.now();
document.getElementById("state").textContent = "ready";
</script></body></html>
"""

READY_MS = """async () => {
  while (!window.quizkit?.ready) await new Promise((f) => setTimeout(f, 5));
  await window.quizkit.ready;
  return window.quizkit.runtime.primary.readyAt;
}"""
SPARE_READY = """async () => {
  const r = window.quizkit.runtime;
  while (!(r.spare && r.spare.state === 'ready')) await new Promise((f) => setTimeout(f, 20));
}"""
CHECK_MS = """async ([id, code]) => {
  const api = window.quizkit.exercise(id);
  api.setCode(code);
  const root = api.element, verdict = root.querySelector('[data-role=verdict]');
  const settled = new Promise((done) => {
    const observer = new MutationObserver(() => {
      if (verdict.dataset.status !== 'running') { observer.disconnect(); done(verdict.dataset.status); }
    });
    observer.observe(verdict, { attributes: true, attributeFilter: ['data-status'] });
  });
  const start = performance.now();
  root.querySelector('[data-action=check]').click();
  const status = await settled;
  return [performance.now() - start, status];
}"""
RECOVERY_MS = """async ([id]) => {
  const api = window.quizkit.exercise(id), runtime = window.quizkit.runtime;
  const root = api.element, verdict = root.querySelector('[data-role=verdict]');
  const until = (status) => new Promise((done) => {
    const observer = new MutationObserver(() => {
      if (verdict.dataset.status === status) { observer.disconnect(); done(); }
    });
    observer.observe(verdict, { attributes: true, attributeFilter: ['data-status'] });
  });
  api.setCode('while True:\\n    pass\\n');
  const timedOut = until('timeout');
  root.querySelector('[data-action=run]').click();
  await timedOut;
  api.setCode('print("back")');
  const ran = until('ready');
  root.querySelector('[data-action=run]').click();
  await ran;
  if (root.querySelector('[data-role=output]').textContent !== 'back\\n') throw new Error('wrong output');
  return [performance.now() - runtime.lastRecovery.at, runtime.lastRecovery.how];
}"""


MARKS = """() => {
  const primary = window.quizkit.runtime.primary;
  return { spawnedAt: Math.round(primary.spawnedAt), readyAt: Math.round(primary.readyAt), worker: primary.marks };
}"""
REPEAT_MARKS: dict[str, Any] = {}
"""Where the time of the last repeat visit went (page and worker clocks), for the report."""
COLD_MARKS: dict[str, Any] = {}


def median(values: list[float]) -> float:
    """Median, rounded to 1 decimal."""
    return round(statistics.median(values), 1)


# ---------------------------------------------------------------- site


def build_site(out: Path) -> tuple[float, float]:
    """`mkdocs build` of the course into `out`, cold (empty build cache) then warm; seconds for each."""
    times = []
    with tempfile.TemporaryDirectory() as cold_cache:
        for cache in (cold_cache, None):
            env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
            if cache:
                env["QUIZKIT_CACHE"] = cache
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-d", str(out)], cwd=ROOT, env=env, check=True)
            times.append(time.perf_counter() - start)
    return round(times[0], 2), round(times[1], 2)


def pick_pages(site: Path) -> tuple[str, str, str]:
    """(lesson page without exercises, page with an exercise, that exercise's id), as site paths."""
    lesson = exercise = exercise_id = ""
    for path in sorted(site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(site).as_posix()
        if "quizkit-exercise" in text and not exercise:
            exercise = rel
            exercise_id = text.split('data-exercise-id="', 1)[1].split('"', 1)[0]
        elif "quizkit-exercise" not in text and "lessons/" in rel and not lesson:
            lesson = rel
    if not exercise:
        raise SystemExit("no page of the site embeds an exercise: nothing to measure")
    return lesson or "index.html", exercise, exercise_id


def add_baseline(site: Path) -> str:
    """The plain-loading page, with an untouched copy of Pyodide; its site path."""
    folder = site / "bench-baseline"
    pyodide = toolchain.find_node_modules() / "pyodide"
    (folder / "pyodide").mkdir(parents=True, exist_ok=True)
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"):
        shutil.copyfile(pyodide / name, folder / "pyodide" / name)
    shutil.copyfile(next((site / "assets" / "quizkit").glob("quizkit-*.whl")), folder / "quizkit.whl")
    (folder / "index.html").write_text(BASELINE_PAGE, encoding="utf-8")
    return "bench-baseline/index.html"


# ---------------------------------------------------------------- browser


def cold_ready(playwright: Playwright, url: str, expression: str, marks: dict[str, Any] | None = None) -> float:
    """A new browser (empty cache), one page: navigation start to ready, in ms."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    try:
        page = browser.new_page()
        page.goto(url, wait_until="commit")
        ready = float(page.evaluate(expression))
        if marks is not None:
            marks.update(page.evaluate(MARKS))
        return ready
    finally:
        browser.close()


def repeat_ready(playwright: Playwright, url: str) -> list[float]:
    """Visits with a persistent profile: one to fill the caches, then RUNS measured."""
    with tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=ARGS)
        try:
            page = context.new_page()
            page.goto(url)
            page.evaluate(READY_MS)
            page.evaluate(SPARE_READY)
            time.sleep(2)  # let Chromium store the compiled wasm in its code cache
            times = []
            for _ in range(RUNS):
                page.goto("about:blank")
                time.sleep(1.5)  # a reader coming back, not a reload loop: the last page's workers have ended
                page.goto(url, wait_until="commit")
                times.append(float(page.evaluate(READY_MS)))
            REPEAT_MARKS.update(page.evaluate(MARKS))
            return times
        finally:
            context.close()


RUNTIME_URL = ("/assets/quizkit/pyodide/", ".whl", "/assets/quizkit/worker.js", "/assets/quizkit/editor.js")
"""Files of the Python runtime: a page without exercises must fetch none of them (nor its service worker)."""


def transferred(playwright: Playwright, url: str, wait: str | None) -> dict[str, int]:
    """Bytes transferred (headers and bodies, as sent) by a first visit of a page, with an empty cache.

    `page`: what the page fetched to show itself (until `wait`, then 0.5 s); `service_worker`: what the
    site's service worker fetched in the background to keep the course for offline use, until it was
    ready; `runtime`: bytes of the Python runtime's files among both. A new profile on disk, as a
    reader's browser has (an incognito context keeps a small HTTP cache in memory, where the 10 MB
    wasm does not fit, so its service worker downloads it a second time).
    """
    profile = tempfile.TemporaryDirectory()
    context = playwright.chromium.launch_persistent_context(profile.name, executable_path=CHROMIUM, args=ARGS)
    requests: list[Any] = []

    def finished(request: Any) -> None:  # a bound method cannot be a Playwright handler
        requests.append(request)

    context.on("requestfinished", finished)
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(url, wait_until="load")
    if wait:
        page.evaluate(wait)
    time.sleep(0.5)
    shown = len(requests)
    page.wait_for_function("() => window.quizkit?.offline?.state === 'ready'", timeout=120_000)
    time.sleep(0.5)
    totals = {"page": 0, "service_worker": 0, "runtime": 0}
    for index, request in enumerate(requests):
        size = request.sizes()
        sent = size["responseBodySize"] + size["responseHeadersSize"]
        if request.service_worker is not None:
            totals["service_worker"] += sent
        elif index < shown:
            totals["page"] += sent
        if any(part in request.url for part in RUNTIME_URL):
            totals["runtime"] += sent
    context.close()
    profile.cleanup()
    return totals


def warm_page(browser: Browser, url: str) -> Page:
    page = browser.new_page()
    page.goto(url)
    page.evaluate(READY_MS)
    page.evaluate(SPARE_READY)
    return page


def main() -> None:
    """Build, serve, measure, print the JSON object."""
    course = Course.load(ROOT / "exercises")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build_cold_s, build_s = build_site(site)
        lesson, exercise_page, exercise_id = pick_pages(site)
        solution = course.exercise(exercise_id).solution
        baseline = add_baseline(site)
        server = make_server(site, port=0, quiet=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        try:
            with sync_playwright() as playwright:
                cold = [cold_ready(playwright, base + exercise_page, READY_MS, COLD_MARKS) for _ in range(RUNS)]
                baseline_cold = [cold_ready(playwright, base + baseline,
                                            "async () => { while (!window.baselineReady) await new Promise((f) => "
                                            "setTimeout(f, 10)); return window.baselineReady; }") for _ in range(RUNS)]
                repeat = repeat_ready(playwright, base + exercise_page)
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                page = warm_page(browser, base + exercise_page)
                checks = [page.evaluate(CHECK_MS, [exercise_id, solution]) for _ in range(RUNS + 1)][1:]
                if any(status != "passed" for _, status in checks):
                    raise SystemExit(f"the solution did not pass in the page: {checks}")
                recoveries, how = [], set()
                for _ in range(RUNS):
                    page.evaluate(SPARE_READY)
                    ms, method = page.evaluate(RECOVERY_MS, [exercise_id])
                    recoveries.append(float(ms))
                    how.add(method)
                marks = page.evaluate(MARKS)
                page.close()
                lesson_bytes = transferred(playwright, base + lesson, None)
                exercise_bytes = transferred(playwright, base + exercise_page, READY_MS)
                browser.close()
        finally:
            server.shutdown()
    result = {
        "runtime_ready_cold_ms": median(cold),
        "runtime_ready_repeat_ms": median(repeat),
        "check_warm_ms": median([ms for ms, _ in checks]),
        "runaway_recovery_ms": median(recoveries),
        "lesson_page_bytes": lesson_bytes["page"],
        "lesson_page_runtime_bytes": lesson_bytes["runtime"],
        "lesson_page_offline_precache_bytes": lesson_bytes["service_worker"],
        "exercise_page_bytes": exercise_bytes["page"],
        "exercise_page_offline_bytes": exercise_bytes["service_worker"],
        "build_s": build_s,
        "build_cold_s": build_cold_s,
        "baseline_ready_cold_ms": median(baseline_cold),
        "runaway_stopped_by": sorted(how),
        "runs": RUNS,
        "pages": {"lesson": lesson, "exercise": exercise_page},
        "targets_met": {name: _met(name, value) for name, value in
                        [("runtime_ready_cold_ms", median(cold)), ("runtime_ready_repeat_ms", median(repeat)),
                         ("check_warm_ms", median([ms for ms, _ in checks])), ("runaway_recovery_ms", median(recoveries)),
                         ("lesson_page_bytes", lesson_bytes["page"])]},
        "samples": {"cold": [round(v) for v in cold], "repeat": [round(v) for v in repeat],
                    "check": [round(ms, 1) for ms, _ in checks], "recovery": [round(v, 1) for v in recoveries],
                    "baseline_cold": [round(v) for v in baseline_cold], "marks_last_worker_ms": marks,
                    "marks_last_cold_ms": COLD_MARKS, "marks_last_repeat_ms": REPEAT_MARKS},
    }
    print(json.dumps(result, indent=2))


def _met(name: str, value: float) -> bool:
    return value <= TARGETS[name]


if __name__ == "__main__":
    main()
