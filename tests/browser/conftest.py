# The shared Playwright harness: Debian's Chromium, the built course served on localhost, foreign requests blocked.
"""Fixtures of the browser tests (pytest-playwright drives Debian's Chromium).

Sites (session scope; built once per test run with `mkdocs build --strict`, the workers of
pytest-xdist sharing the first one's build; each process serves it with `quizkit.serve` on
127.0.0.1 and a free port, with the same headers as `make serve`):

- `site` -> `BuiltSite` of the real course (`mkdocs.yml` at the repository root, or the
  config file named by the environment variable `QUIZKIT_SITE_CONFIG`).
- `fixture_site` -> `BuiltSite` of `tests/fixtures/course`, a small course using every feature.

  `BuiltSite` has `.dir` (the built folder), `.url` (base URL, ending in `/`),
  `.course` (the `quizkit.course.Course` it was built from), `.pages()` (every HTML
  page, site-relative), `.url_of(page)`, `.quiz_pages()` / `.exercise_pages()`
  (id -> the page that embeds it) and `.activity_pages()` (the pages holding the activity).

Per test (function scope):

- `traffic` -> `Traffic`: what the test's pages did. `.requests` (every URL asked
  for), `.foreign` (requests to another host: they fail, see `CHROMIUM_ARGS`), `.console_errors`,
  `.page_errors`; `.record(context)` for contexts opened outside the fixtures below;
  `.allow(url)` lets through a site the test serves itself.
- `module_traffic` (module scope) -> a `Traffic` for pages that a module's read-only tests share;
  `module_context` (module scope) -> a context recorded by it, for pages shared by tests that leave them as they were.
- `context` (overrides pytest-playwright's): recorded by `traffic` (requests, console and page errors),
  with its HTTP cache on as in a reader's browser (nothing is routed).
  It prefers reduced motion (`CONTEXT_ARGS`). Service workers are blocked in it: a worker would answer
  requests from its cache and precache the whole site behind every test. Tests of the service
  worker open their own contexts (`sw_context`, or `browser.new_context(service_workers="allow")`
  recorded with `traffic.record`).
- `page` (pytest-playwright's, from this `context`): so it is watched too.
- `browser_type_launch_args` (session; overrides pytest-playwright's): Chromium's headless shell
  (`/usr/bin/chromium-headless-shell`) with flags that keep it quiet and offline.
- `browser_context_args` (session; extends pytest-playwright's): `CONTEXT_ARGS`.
- `base_url` (session; overrides pytest-playwright's fallback): None.

Helpers: `assert_clean(traffic)` fails on any foreign request, console error or page error;
`python_ready(page)` waits for Python, bounded;
`wait_for_async(page, predicate)` waits for an async condition (`page.wait_for_function` cannot), such as
`SNAPSHOT_KEPT_WHOLE`; `switch_scheme(page, "dark")` shows a loaded page in the other colour scheme;
`save_data(page)` makes exercises wait for the reader before loading Python (Save-Data), for tests
that need no Python, and `reach_for(page)` then brings their code editors at once; `check_passes(root)`
presses Check and waits for "passed".

Under pytest-xdist (`make test`), a test marked `timed` (it asserts a wall-clock bound: Stop
within a second, a timeout within its limit) runs while no other browser test of the run does;
the tests listed in `TIMED` are marked so here.

Mark every browser test with `@pytest.mark.browser` (`pytestmark = pytest.mark.browser`).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from quizkit.serve import make_server

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Frame, Locator, Page, Request

    from quizkit.course import Course

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = next((path for path in ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium") if Path(path).exists()),
                "/usr/bin/chromium-headless-shell")
"""Chromium's headless shell (Debian's `chromium-headless-shell`, the same Chromium 156 as `chromium`), as
Playwright itself runs headless tests: the full browser's headless mode costs about twice the CPU for a page
that starts no Python (2.2 against 1.05 CPU-s here), and the browser tests are CPU-bound on two cores.
Where only the full browser is installed, the tests run it (slower, same results)."""
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--proxy-server=http://127.0.0.1:9"]
"""The last flag keeps the tests offline: every request but loopback's (which Chromium never sends through a
proxy) goes to a port where nothing listens and fails; `Traffic` records it as foreign."""
_EMBED = re.compile(r'data-(quizkit-quiz|exercise-id)="([^"]+)"')
_SERVED: set[str] = set()
"""Origins (`scheme://host:port`) of the sites this session serves: the only ones pages may reach."""


@dataclass(frozen=True)
class BuiltSite:
    """A course built into a folder and served on localhost."""

    dir: Path
    url: str
    course: Course

    def pages(self) -> list[str]:
        """Every HTML page, site-relative (`index.html`, `lessons/01-connects-and-plans/index.html`, ...)."""
        return sorted(str(path.relative_to(self.dir)) for path in self.dir.rglob("*.html"))

    def url_of(self, page: str) -> str:
        """The URL of a site-relative page, as a reader would open it (`lessons/x/` for `lessons/x/index.html`)."""
        return self.url + re.sub(r"(^|/)index\.html$", r"\1", page)

    def _embeds(self, kind: str) -> dict[str, str]:
        found: dict[str, str] = {}
        for page in self.pages():
            for found_kind, item in _EMBED.findall((self.dir / page).read_text(encoding="utf-8")):
                if found_kind == kind:
                    found.setdefault(item, page)
        return found

    def quiz_pages(self) -> dict[str, str]:
        """Quiz id -> the first page that embeds it."""
        return self._embeds("quizkit-quiz")

    def exercise_pages(self) -> dict[str, str]:
        """Exercise id -> the first page that embeds it."""
        return self._embeds("exercise-id")

    def activity_pages(self) -> list[str]:
        """The pages holding the profile-analysis activity (`{{ activity() }}`)."""
        return [page for page in self.pages() if "data-quizkit-activity" in (self.dir / page).read_text(encoding="utf-8")]


@dataclass
class Traffic:
    """What the pages of one test asked for and complained about."""

    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    allowed: set[str] = field(default_factory=set)
    """Origins served by the test itself, let through like the session's sites."""
    full_stdlib: list[str] = field(default_factory=list)
    """Requests of a page or its Python worker for the full standard library (not the service worker keeping it)."""
    full_stdlib_expected: bool = False
    """Whether the test imports a module the lean standard library leaves out (see `assert_clean`)."""

    def allow(self, url: str) -> None:
        """Let requests to the origin of `url` through (a site the test serves itself)."""
        parts = urlsplit(url)
        self.allowed.add(f"{parts.scheme}://{parts.netloc}")

    def record(self, context: BrowserContext) -> BrowserContext:
        """Record the requests of `context` (its pages', their workers' and its service workers') and the errors
        of its pages from now on.

        Listened to, not routed: Playwright turns the HTTP cache off in a routed context, so each page would
        fetch and compile Python again as no reader's browser does, and each request would pause on its way to
        this process and back. A request to another host fails in Chromium itself (`CHROMIUM_ARGS`' proxy).
        """
        context.on("request", self._request)
        context.on("page", self.watch)
        return context

    def _request(self, request: Request) -> None:
        url = request.url
        self.requests.append(url)
        if FULL_STDLIB in url and request.service_worker is None:
            self.full_stdlib.append(url)
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if parts.scheme not in ("data", "blob") and origin not in _SERVED and origin not in self.allowed:
            self.foreign.append(url)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location.get("url", "") if message.location else ""
            self.console_errors.append(f"{message.text} ({location})")

    def watch(self, page: Page) -> None:
        """Record the console errors and uncaught errors of `page`."""
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))


FULL_STDLIB = "/pyodide/python_stdlib_full.zip"
"""The whole standard library, which Python fetches only for a module the lean zip leaves out."""


def save_data(page: Page) -> Page:
    """`page` as in a browser that asks to save data (`navigator.connection.saveData`), for its navigations too.

    Exercises then wait for the reader before loading Python. Tests of pages that need no Python use it:
    on localhost every exercise page would start Python at once, about a CPU-second of a two-core machine.
    """
    page.context.new_cdp_session(page).send("Emulation.setDataSaverOverride", {"dataSaverEnabled": True})
    return page


def reach_for(page: Page) -> None:
    """A key pressed (Shift: it types nothing), as a reader reaching for the page does: the code editor may load now,
    not when Python is ready or 1.5 s in (exercise.js `editorAllowed`), for the exercises near the screen. For tests
    of pages where Python waits for the reader (`save_data`) that need the editor."""
    page.keyboard.press("Shift")


def editor_of(page: Page | Frame, exercise_id: str, state: str | None = None) -> Locator:
    """The exercise once its code editor is made (`state`: "ready" for CodeMirror, None for any), brought into view
    first as by a reader scrolling to it: an exercise further down the page gets its editor only as the reader
    nears it (exercise.js `editorFor`)."""
    page.locator(f'.quizkit-exercise[data-exercise-id="{exercise_id}"]').scroll_into_view_if_needed()
    root = page.locator(f'.quizkit-exercise[data-exercise-id="{exercise_id}"][data-editor{"" if state is None else "=" + state}]')
    root.wait_for(state="attached")
    return root


def every_editor(page: Page) -> None:
    """Each exercise of the page brought into view in turn, until it has its editor (or its plain text area)."""
    for root in page.locator(".quizkit-exercise[data-exercise-id]").all():
        editor_of(page, str(root.get_attribute("data-exercise-id")))


SNAPSHOT_KEPT_WHOLE = """async () => {
    const kept = [];
    try {
        for await (const [name, handle] of (await navigator.storage.getDirectory()).entries()) {
            if (name.startsWith("quizkit-snapshot-")) kept.push([name, (await handle.getFile()).size]);
        }
    } catch {
        return false;  // a file went while we looked (the swap file, as the copy is swapped in): not yet
    }
    return kept.length === 1 && kept[0][0].endsWith(".bin") && kept[0][1] > 0;
}"""
"""For `wait_for_async`: the worker has kept the memory snapshot, written whole (no swap file left beside it)."""


def wait_for_async(page: Page, predicate: str, timeout_ms: float = 30_000) -> Any:
    """Wait until the async JavaScript function `predicate` resolves to a truthy value; that value.

    Not `page.wait_for_function`: it tests the value the function returns, and a promise is truthy, so it
    returns once that promise settles, whatever its value (microsoft/playwright#29132). Five waits for the
    kept snapshot did so, and passed only when the snapshot happened to be written by the time the test
    looked. This one polls in the page every 50 ms until the value itself is truthy.
    """
    return page.evaluate(f"""async () => {{
        const predicate = {predicate}, until = performance.now() + {timeout_ms};
        for (;;) {{
            const value = await predicate();
            if (value) return value;
            if (performance.now() > until) throw new Error({json.dumps(f"not within {timeout_ms / 1000:.0f} s: {predicate}")});
            await new Promise((resolve) => setTimeout(resolve, 50));
        }}
    }}""")


READY_TIMEOUT_MS = 90_000
"""How long Python may take to start in a test: minutes below what CI gives the whole run."""


def python_ready(page: Page | Frame, timeout_ms: float = READY_TIMEOUT_MS) -> None:
    """Wait for `window.quizkit.ready`, failing with the runtime's status after `timeout_ms`.

    Not `page.evaluate("window.quizkit.ready")`: Playwright's `evaluate` has no time limit, so a start
    that never ends would hold the test, and CI's whole run, until CI's time ran out (it did once).
    """
    page.evaluate("""(ms) => Promise.race([window.quizkit.ready.then(() => true), new Promise((_, reject) => setTimeout(
        () => reject(new Error(`Python was not ready within ${ms} ms: ${JSON.stringify(window.quizkit.runtime?.status)}`)),
        ms))])""", timeout_ms)


SCHEMES = {"light": "default", "dark": "slate"}
"""The scheme the browser prefers -> the Material scheme the page takes (mkdocs.yml's palette)."""
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
"""axe-core's rules that depend on colours: all a second colour scheme can change (the markup is the same)."""


def switch_scheme(page: Page, scheme: str) -> None:
    """The page in Material's `scheme` ("light" or "dark"), as its palette sets it when the page loads for a reader
    who prefers that scheme: the `data-md-color-scheme` that Material's styles and ours key on. Not by changing
    the browser's preference after the load: the page keeps the scheme it opened with, stored as the reader's
    choice (overrides/partials/javascripts/palette.html). Transitions are turned off first: axe would read colours
    halfway (Material's links fade theirs in 250 ms, and not every transition shows in `document.getAnimations()`)."""
    page.evaluate("""(scheme) => {
        const still = document.createElement("style");
        still.textContent = "*, *::before, *::after { transition: none !important; }";
        document.head.append(still);
        document.body.dataset.mdColorScheme = scheme;
        document.body.offsetWidth;  // styles and layout recomputed in the new scheme, with no transition
    }""", SCHEMES[scheme])


def in_each_scheme(page: Page) -> Iterator[tuple[str, list[str] | None]]:
    """The loaded page shown in each colour scheme in turn (`switch_scheme`), with the axe-core rules to run there:
    every rule in the light scheme, then `COLOUR_RULES` in the dark one (the markup is the same in both)."""
    for scheme, rules in (("light", None), ("dark", COLOUR_RULES)):
        switch_scheme(page, scheme)
        yield scheme, rules


def assert_clean(traffic: Traffic) -> None:
    """No request left localhost, nothing was logged as an error, nothing was thrown; and unless the test
    imports a module the lean standard library leaves out, Python never needed the full one: whatever the
    widgets, the grader and the activity import is in the lean zip (prepare-runtime.mjs finds it at build time)."""
    assert traffic.foreign == [], f"requests to other hosts: {traffic.foreign}"
    if not traffic.full_stdlib_expected:
        assert traffic.full_stdlib == [], f"Python fetched the full standard library: {traffic.full_stdlib}"
    assert traffic.console_errors == [], f"console errors: {traffic.console_errors}"
    assert traffic.page_errors == [], f"page errors: {traffic.page_errors}"


# ---------------------------------------------------------------- Chromium


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install -y chromium-headless-shell` (make test does it as root)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, **CONTEXT_ARGS}


CONTEXT_ARGS: dict[str, Any] = {"service_workers": "block", "reduced_motion": "reduce"}
"""The tests' contexts block service workers (see `context` in the module docstring) and prefer reduced motion:
the widgets bring a verdict or the results into view with a smooth scroll otherwise, which moves the button a
test presses next, and Playwright waits for it to hold still (about a second after each Check). Scrolling
smoothly, for readers who do not ask for less motion, is test_phone.py's subject."""


@pytest.fixture(scope="session")
def base_url() -> str | None:
    """No base URL: tests open full URLs (`site.url_of(page)`).

    Replaces pytest-playwright's fallback fixture, a method that pytest 9.2 deprecates
    (an error under `filterwarnings = error`).
    """
    return None


TIMED = {"test_endless_loop_times_out_and_the_page_stays_responsive", "test_loop_that_swallows_the_interrupt_is_stopped_too",
         "test_stop_ends_running_code_at_once",
         # Not a time bound, but it failed once (of three full runs) with both browser workers and the
         # other tests busy: the rebuilt page never appeared within 90 s. It passes alone; that cause is not
         # found yet. (Another failure, in its last step, was a race in the test, fixed: see its comments.)
         "test_a_rebuilt_site_is_picked_up_whole"}
"""Tests that assert wall-clock bounds, or need the machine to themselves (marked `timed` when collected)."""


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if getattr(item, "originalname", item.name) in TIMED:
            item.add_marker(pytest.mark.timed)


@pytest.fixture(autouse=True)
def _alone_when_timed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Under pytest-xdist: every browser test holds a shared lock, a `timed` one an exclusive lock.

    Two Chromiums starting Pyodide at once fill two cores; a bound like "Stop ends the code within
    a second" is measured with the other worker's browser idle, as in a one-process run.
    """
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        yield
        return
    with (tmp_path_factory.getbasetemp().parent / "browser-tests.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX if request.node.get_closest_marker("timed") else fcntl.LOCK_SH)
        yield  # released when the file closes, after the test's own fixtures are torn down


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


@pytest.fixture(scope="module")
def module_traffic() -> Traffic:
    """A `Traffic` for the pages a module's tests share (the fixture that opens them checks it when done).

    From here, not `Traffic()` in the test module: the class sees the sites this module serves.
    """
    return Traffic()


@pytest.fixture
def context(context: BrowserContext, traffic: Traffic) -> BrowserContext:
    return traffic.record(context)


@pytest.fixture(scope="module")
def module_context(browser: Browser, module_traffic: Traffic) -> Iterator[BrowserContext]:
    """A context the tests of a module share (service workers blocked, requests recorded in `module_traffic`).

    For parametrised tests that leave their page as they found it (a refused input, a refused file): one
    page and one Python for all of them, where each test's own context and Python cost Chromium about
    0.5 and 3.5 CPU-seconds.
    """
    context = browser.new_context(**CONTEXT_ARGS)
    module_traffic.record(context)
    yield context
    context.close()
    assert_clean(module_traffic)


@pytest.fixture
def sw_context(browser: Browser, traffic: Traffic) -> Iterator[BrowserContext]:
    """A fresh context where service workers may run, recorded by `traffic`."""
    context = browser.new_context(**{**CONTEXT_ARGS, "service_workers": "allow"})
    traffic.record(context)
    yield context
    context.close()


# ---------------------------------------------------------------- exercises

_RECORD = """(root) => {
    if (root.__quizkitLog) return;
    const log = root.__quizkitLog = [];
    const verdict = root.querySelector("[data-role=verdict]");
    new MutationObserver(() => log.push(`${Math.round(performance.now())} verdict ${verdict.dataset.status}`))
        .observe(verdict, {attributes: true, attributeFilter: ["data-status"]});
    root.addEventListener("click", (event) => {
        const button = event.target.closest?.("button");
        log.push(`${Math.round(performance.now())} click ${button?.dataset.action ?? event.target.tagName}`
                 + ` disabled=${button?.disabled} busy=${root.getAttribute("aria-busy")}`);
    }, {capture: true});
}"""
_STATE = """(root) => {
    const runtime = window.quizkit?.runtime;
    return {log: root.__quizkitLog ?? [], verdict: root.querySelector("[data-role=verdict]").innerText.slice(0, 300),
            runtime: runtime && {status: runtime.status, queue: runtime.queue.length, current: Boolean(runtime.current),
                                 primary: runtime.primary?.state, warming: runtime.primary?.warming ?? 0}};
}"""


_NEXT_ANSWER = """(root) => { root.__quizkitAnswer = new Promise((resolve) => {
    // The status the next Check ends in: after "running", once the widget is no longer busy. Not a status
    // already shown: an earlier Check's, or one restored from an earlier visit ("Passed on your last visit").
    const verdict = root.querySelector("[data-role=verdict]");
    let ran = false;
    new MutationObserver((_, observer) => {
        if (verdict.dataset.status === "running") ran = true;
        else if (ran && root.getAttribute("aria-busy") === "false") { observer.disconnect(); resolve(verdict.dataset.status); }
    }).observe(root, {subtree: true, attributes: true, attributeFilter: ["data-status", "aria-busy"]});
}); }"""


def check_passes(root: Locator, timeout_ms: float = 30_000, press: Callable[[Locator], object] | None = None) -> None:
    """Press the exercise's Check (`press`: how, a click by default) and wait until this Check has answered, then
    require "passed"; else fail with what the widget saw (clicks, verdicts, runtime)."""
    root.evaluate(_RECORD)
    root.evaluate(_NEXT_ANSWER)
    button = root.locator("[data-action=check]")
    if press:
        press(button)
    else:
        button.click()
    status = root.evaluate("""(root, ms) => Promise.race([root.__quizkitAnswer,
        new Promise((resolve) => setTimeout(() => resolve(null), ms))])""", timeout_ms)
    if status != "passed":
        said = "no answer" if status is None else f"'{status}'"
        pytest.fail(f"{root.get_attribute('data-exercise-id')}: {said} within {timeout_ms / 1000:.0f} s: {root.evaluate(_STATE)}")


# ---------------------------------------------------------------- sites


def _built_once(config_file: Path, name: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Course]:
    """`config_file` built into `<run's temporary folder>/<name>` once per test run, and its course.

    Under pytest-xdist every worker needs the sites: the first to get the lock builds, the others
    wait for it and read the course without building again (about 5 s each, 15 s on a fresh clone).
    """
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each worker's own
    site_dir = root / name
    config = load_config(str(config_file), site_dir=str(site_dir), strict=True)
    plugin = config.plugins["quizkit"]
    with (root / f"{name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        built = root / f"{name}.built"
        if built.exists():
            plugin.on_config(config)  # loads and checks the course, as the build did
        else:
            build(config)
            built.touch()
    assert plugin.course is not None, "the quizkit plugin loaded no course"
    return site_dir, plugin.course


def _build_and_serve(config_file: Path, name: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    site_dir, course = _built_once(config_file, name, tmp_path_factory)
    server = make_server(site_dir, "127.0.0.1", 0, quiet=True)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    origin = url.rstrip("/")
    _SERVED.add(origin)
    thread = threading.Thread(target=server.serve_forever, name=f"serve {config_file.parent.name}", daemon=True)
    thread.start()
    try:
        yield BuiltSite(dir=site_dir, url=url, course=course)
    finally:
        _SERVED.discard(origin)
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    config = Path(os.environ.get("QUIZKIT_SITE_CONFIG") or ROOT / "mkdocs.yml")
    yield from _build_and_serve(config, "real-site", tmp_path_factory)


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    yield from _build_and_serve(ROOT / "tests" / "fixtures" / "course" / "mkdocs.yml", "fixture-site", tmp_path_factory)
