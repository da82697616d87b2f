"""The service worker in a real browser (Chromium): the course offline on a second visit, a rebuilt site picked up
whole, cross-origin isolation provided where the host sends none.

Unlike the other browser tests (whose contexts block service workers), each test here opens a
context that allows them; its requests are still recorded (`traffic.record`), so a
request to another host fails the test.
"""

from __future__ import annotations

import contextlib
import re
import threading
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import parse_qs, urlsplit

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from playwright.sync_api import expect
from tests.browser.conftest import (
    READY_TIMEOUT_MS,
    SNAPSHOT_KEPT_WHOLE,
    BuiltSite,
    assert_clean,
    check_passes,
    editor_of,
    python_ready,
    reach_for,
    save_data,
    wait_for_async,
)
from tests.test_plugin import copy_course
from tests.test_progress_plugin import runtime_list

from quizkit.course import Course
from quizkit.serve import make_server

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import BrowserContext, Page, Route
    from tests.browser.conftest import Traffic

pytestmark = pytest.mark.browser

LESSON_1 = "lessons/01-connects-and-plans/"
BUILD_OF = """async () => {
    const registration = await navigator.serviceWorker.ready;
    const channel = new MessageChannel();
    const answer = new Promise((resolve) => { channel.port1.onmessage = (event) => resolve(event.data); });
    registration.active.postMessage({type: "GET_BUILD"}, [channel.port2]);
    const silent = new Promise((_, reject) => setTimeout(
        () => reject(new Error(`the active service worker (${registration.active?.state}) did not say its build`)), 10_000));
    return Promise.race([answer, silent]);
}"""
"""The build of the page's active service worker. An unanswered question fails the test, saying so: a test run
once waited here, or for Python (`python_ready`), until CI's time ran out (the cause is not found yet)."""
RUNTIME_KEPT = """async () => (await (await caches.open("quizkit-runtime")).keys()).map((request) => request.url)"""
RUNTIME_FILE = re.compile(r"/assets/quizkit/(pyodide/|quizkit-page\.zip|worker\.js|editor\.js)")
PRECACHED = """async () => {
    const urls = [];
    for (const name of await caches.keys()) {
        if (!name.includes("precache")) continue;
        for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
    }
    return urls;
}"""

KEPT_WITHOUT_PYTHON = ("Offline use: the course is kept in this browser; it opens without a network. Python, for the exercises, "
                       "is kept once it has run in this browser: press Run on any exercise while online.")
KEPT_WITH_PYTHON = "Offline use: the whole course, Python included, is kept in this browser; it opens without a network."


class Failing:
    """Makes every request of a context that reaches the network fail, and records them."""

    def __init__(self, context: BrowserContext) -> None:
        self.context = context
        self.failed: list[str] = []

    def _abort(self, route: Route) -> None:
        self.failed.append(route.request.url)
        route.abort("internetdisconnected")

    def __enter__(self) -> Self:
        self.context.route("**/*", self._abort)
        self.context.set_offline(True)
        return self

    def __exit__(self, *exc: object) -> None:
        self.context.set_offline(False)
        self.context.unroute("**/*", self._abort)

    def pages_and_files(self) -> list[str]:
        """Failed requests of the course's files: not the browser's own check for a new `sw.js`, nor an
        address the course does not have (both are expected to fail offline)."""
        return [url for url in self.failed if not urlsplit(url).path.endswith(("/sw.js", "/no-such-lesson/"))]


def offline_ready(page: Page) -> None:
    """Wait until the service worker of the page has precached the site and controls the page."""
    page.wait_for_function("() => window.quizkit?.offline?.state === 'ready'", timeout=READY_TIMEOUT_MS)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=READY_TIMEOUT_MS)


def pass_exercise(page: Page, site: BuiltSite, exercise_id: str) -> None:
    root = editor_of(page, exercise_id)
    python_ready(page)
    page.evaluate("([id, code]) => window.quizkit.exercise(id).setCode(code)", [exercise_id, site.course.exercise(exercise_id).solution])
    check_passes(root)


def manifest(site_dir: Path) -> dict[str, str | None]:
    """URL (site-relative) -> revision, from the site's `sw.js`."""
    text = (site_dir / "sw.js").read_text(encoding="utf-8")
    entries = re.findall(r'\{"revision":(?:"([0-9a-f]+)"|null),"url":"([^"]+)"\}', text)
    return {url: revision or None for revision, url in entries}


def worker_build(site_dir: Path) -> str:
    match = re.search(r'"([0-9a-f]{16})"', (site_dir / "sw.js").read_text(encoding="utf-8"))
    assert match, "sw.js holds its build id"
    return match.group(1)


def precached(page: Page, base: str) -> dict[str, str | None]:
    """URL (site-relative) -> revision, from what the Cache Storage holds."""
    found: dict[str, str | None] = {}
    for url in page.evaluate(PRECACHED):
        parts = urlsplit(url)
        revision = parse_qs(parts.query).get("__WB_REVISION__", [None])[0]
        found[f"{parts.scheme}://{parts.netloc}{parts.path}".removeprefix(base)] = revision
    return found


# ---------------------------------------------------------------- a second visit with no network


def test_a_page_without_python_keeps_the_course_but_never_fetches_python(site: BuiltSite, sw_context: BrowserContext,
                                                                          traffic: Traffic) -> None:
    page = sw_context.new_page()
    page.goto(site.url + "progress/")
    offline_ready(page)
    assert set(precached(page, site.url)) == set(manifest(site.dir)), "the course is precached"
    assert page.evaluate("window.quizkit.offline.python") is False
    assert page.locator("[data-role=offline]").inner_text() == KEPT_WITHOUT_PYTHON
    assert [url for url in traffic.requests if RUNTIME_FILE.search(url)] == [], "neither the page nor its service worker"
    assert page.evaluate(RUNTIME_KEPT) == []
    assert_clean(traffic)


def test_keeping_the_course_downloads_no_file_the_page_already_has(site: BuiltSite, sw_context: BrowserContext,
                                                                     traffic: Traffic) -> None:
    """A reader who opens lesson 1 only: the service worker's install keeps the whole course, but the page itself and
    its widgets' scripts and styles come from what the browser holds (a 304, or its HTTP cache), not again from the
    network. Each came twice before: the page as `lessons/x/index.html` with the HTTP cache bypassed (36 KB for
    lesson 1), the widgets without the `?v=` the page asked for them with (40 KB)."""
    bodies: dict[str, list[str]] = {}

    def received(request: Any) -> None:
        size = request.sizes()["responseBodySize"]  # bytes of body from the network: 0 for a 304, < 0 from the cache
        if size > 0:
            path = urlsplit(request.url).path.removesuffix("index.html")
            bodies.setdefault(path, []).append("service worker" if request.service_worker else "page")

    sw_context.on("requestfinished", received)
    page = save_data(sw_context.new_page())  # reading only: Python is not started
    page.goto(site.url + LESSON_1)
    offline_ready(page)
    assert set(precached(page, site.url)) == set(manifest(site.dir)), "the course is precached"
    lesson = urlsplit(site.url + LESSON_1).path
    assert bodies.get(lesson) == ["page"], f"the lesson's HTML came {bodies.get(lesson)}"
    widgets = {path: who for path, who in bodies.items() if path.startswith("/assets/quizkit/") and "page" in who}
    assert len(widgets) >= 4, "the page's widgets (quiz, exercise and progress scripts and styles)"
    assert {path: who for path, who in widgets.items() if who != ["page"]} == {}, "came over the network once"
    others = [path for path in bodies if path.startswith("/lessons/") and path != lesson]
    assert others, "the other lessons were fetched by the install"

    with Failing(sw_context) as failing:  # and what was kept from the browser's copies works offline
        page.goto(site.url + LESSON_1)
        page.locator('form.quizkit-quiz[data-quiz-id="plans"]').wait_for()
        assert page.locator("h1").first.inner_text().startswith("Lesson 1")
        assert page.evaluate("getComputedStyle(document.querySelector('.quizkit-question')).boxShadow") != "none"
        page.goto(site.url)
        assert page.locator("h1").first.inner_text().startswith("Connects Learning Hub")
        assert failing.pages_and_files() == []
    assert_clean(traffic)


def test_the_progress_page_says_how_to_keep_python_and_pressing_run_keeps_it(site: BuiltSite, sw_context: BrowserContext,
                                                                            traffic: Traffic) -> None:
    """Opening a page with an exercise does not keep Python where it waits for the reader (here Save-Data): the
    Progress page must not say it does. What it says instead, pressing Run on an exercise while online, must work."""
    exercise = next(ident for ident, page in site.exercise_pages().items() if page == LESSON_1 + "index.html")
    page = save_data(sw_context.new_page())
    page.goto(site.url + LESSON_1)
    offline_ready(page)
    page.goto(site.url + "progress/")
    offline_ready(page)
    assert page.evaluate("window.quizkit.offline.python") is False, "the page with an exercise was opened: not enough"
    assert page.locator("[data-role=offline]").inner_text() == KEPT_WITHOUT_PYTHON

    page.goto(site.url + LESSON_1)
    reach_for(page)
    editor_of(page, exercise).locator("[data-action=run]").click()
    page.wait_for_function("() => window.quizkit.offline.python === true", timeout=READY_TIMEOUT_MS)
    page.goto(site.url + "progress/")
    offline_ready(page)
    expect(page.locator("[data-role=offline]")).to_have_text(KEPT_WITH_PYTHON)
    assert_clean(traffic)


def test_the_course_opens_and_an_exercise_runs_with_every_request_failing(site: BuiltSite, sw_context: BrowserContext,
                                                                            traffic: Traffic) -> None:
    first = sw_context.new_page()
    first.goto(site.url + LESSON_1)
    python_ready(first)
    offline_ready(first)
    assert set(precached(first, site.url)) == set(manifest(site.dir)), "the course is precached"
    assert {url.removeprefix(site.url) for url in first.evaluate(RUNTIME_KEPT)} == set(runtime_list(site.dir)), (
        "and Python, once a page has started it")
    assert first.evaluate("window.quizkit.offline.python") is True
    wait_for_async(first, SNAPSHOT_KEPT_WHOLE, timeout_ms=READY_TIMEOUT_MS)
    first.close()

    with Failing(sw_context) as failing:
        page = sw_context.new_page()
        page.goto(site.url + LESSON_1)
        assert page.locator("h1").first.inner_text().startswith("Lesson 1: Connects and membership plans")
        pass_exercise(page, site, "monthly-allowance")
        marks = page.evaluate("window.quizkit.runtime.primary.marks")
        assert "snapshotFromDisk" in marks, f"Python started from the snapshot the first visit kept: {marks}"
        page.locator('form.quizkit-quiz[data-quiz-id="plans"] [data-action=submit]').click()
        page.locator('form.quizkit-quiz[data-quiz-id="plans"] [data-role=score][data-score]').wait_for()
        page.goto(site.url + "progress/")
        page.locator("[data-quizkit-progress][data-mounted]").wait_for()
        row = page.locator('tr[data-lesson="lessons/01-connects-and-plans/"]')
        in_lesson = sum(page == LESSON_1 + "index.html" for page in site.exercise_pages().values())
        assert row.locator("[data-cell=exercises]").inner_text() == f"1 of {in_lesson}"
        page.wait_for_function("() => window.quizkit?.offline?.state === 'ready'")  # it asks the service worker first
        assert page.locator("[data-role=offline]").inner_text() == KEPT_WITH_PYTHON
        page.goto(site.url + "activity/")
        page.locator("[data-quizkit-activity][data-mounted]").wait_for(state="attached")
        python_ready(page)
        page.goto(site.url + "workbooks/01-connects-and-plans/")
        assert page.locator("h1").count() >= 1
        padding = "getComputedStyle(document.querySelector('.jupyter-wrapper')).getPropertyValue('--jp-cell-padding')"
        assert page.evaluate(padding).strip(), "the workbooks' shared stylesheet, from the service worker"
        page.goto(site.url + "lessons/no-such-lesson/")
        assert page.locator("h1").first.inner_text() == "404 - Not found", "the course's own page, not a network error"
        assert failing.pages_and_files() == [], "every request was answered by the service worker"
    assert_clean(traffic)


def test_offline_before_python_ever_ran_an_exercise_still_mounts_and_says_what_is_missing(
        site: BuiltSite, sw_context: BrowserContext, traffic: Traffic) -> None:
    """Session 33's phone review: a reader who had only read pages went offline, and every exercise and the activity
    showed their markup unstyled, every button off, under "it needs JavaScript": their own scripts were kept only
    with Python. They are kept with the course now; Python is what is missing, and the exercise says so."""
    exercise = next(ident for ident, page in site.exercise_pages().items() if page == LESSON_1 + "index.html")
    first = sw_context.new_page()
    first.goto(site.url + "progress/")
    offline_ready(first)
    first.close()
    with Failing(sw_context) as failing:
        page = sw_context.new_page()
        page.goto(site.url + LESSON_1)
        root = page.locator(f'.quizkit-exercise[data-exercise-id="{exercise}"][data-mounted]')
        root.wait_for(state="attached")
        assert root.evaluate("(el) => getComputedStyle(el).borderTopStyle") != "none", "its stylesheet came"
        editor_of(page, exercise).locator("[data-action=run]").click()
        status = root.locator("[data-role=runtime-status]")
        expect(status).to_contain_text("could not start")
        root.locator("[data-action=hint]").click()
        expect(root.locator("li:not([hidden])").first).to_be_visible()
        page.goto(site.url + "activity/")
        page.locator("[data-quizkit-activity][data-mounted]").wait_for(state="attached")
        assert not [url for url in failing.pages_and_files() if not RUNTIME_FILE.search(url)], failing.failed
    # Offline, only Python's own files (the code editor among them) may fail: the exercise falls back to a text area
    assert [error for error in traffic.console_errors if not RUNTIME_FILE.search(error)] == [], traffic.console_errors
    traffic.console_errors.clear()
    assert_clean(traffic)


# ---------------------------------------------------------------- isolation where the host sends none


@contextlib.contextmanager
def serving(site_dir: Path, traffic: Traffic, *, isolation: bool = True) -> Iterator[str]:
    """Serve a built site on localhost for one test (its origin let through the recorder); its URL."""
    server = make_server(site_dir, "127.0.0.1", 0, isolation=isolation, quiet=True)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    traffic.allow(url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def unisolated(site: BuiltSite, traffic: Traffic) -> Iterator[str]:
    """The real course served again, without the COOP/COEP headers (like GitHub Pages)."""
    with serving(site.dir, traffic, isolation=False) as url:
        yield url


def test_the_service_worker_isolates_pages_the_host_does_not(site: BuiltSite, unisolated: str, sw_context: BrowserContext,
                                                              traffic: Traffic) -> None:
    page = sw_context.new_page()
    page.goto(unisolated + LESSON_1)
    assert page.evaluate("crossOriginIsolated") is False
    pass_exercise(page, site, "monthly-allowance")  # without isolation everything works
    offline_ready(page)
    page.goto(unisolated + LESSON_1)
    assert page.evaluate("crossOriginIsolated") is True
    assert page.evaluate("typeof SharedArrayBuffer") == "function"
    pass_exercise(page, site, "next-refill")
    headers: dict[str, Any] = page.evaluate("""() => fetch(location.href).then((r) => Object.fromEntries(r.headers))""")
    assert headers["cross-origin-opener-policy"] == "same-origin"
    assert headers["cross-origin-embedder-policy"] == "require-corp"
    assert_clean(traffic)


# ---------------------------------------------------------------- a rebuilt site


@pytest.fixture
def rebuildable(tmp_path: Path, traffic: Traffic) -> Iterator[tuple[Path, Path, str]]:
    """A copy of the fixture course (the test may edit it), built into a folder served on localhost."""
    course = copy_course(tmp_path)
    site_dir = tmp_path / "site"
    build(load_config(str(course / "mkdocs.yml"), site_dir=str(site_dir), strict=True))
    with serving(site_dir, traffic) as url:
        yield course, site_dir, url


def rebuild(course: Path, site_dir: Path, old: str, new: str) -> None:
    page = course / "docs" / "plain.md"
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.write_text(text.replace(old, new), encoding="utf-8")
    build(load_config(str(course / "mkdocs.yml"), site_dir=str(site_dir), strict=True))


def test_a_rebuilt_site_is_picked_up_whole(rebuildable: tuple[Path, Path, str], sw_context: BrowserContext,
                                           traffic: Traffic) -> None:
    course, site_dir, url = rebuildable
    page = sw_context.new_page()
    page.goto(url + "lessons/plans/")
    python_ready(page)
    offline_ready(page)  # the course, and Python, which a rebuild of the pages alone keeps
    page.goto(url + "plain/")
    offline_ready(page)
    first = worker_build(site_dir)
    assert page.evaluate(BUILD_OF)["build"] == first
    old_revision = manifest(site_dir)["plain/index.html"]

    rebuild(course, site_dir, "A page with no quiz", "A rebuilt page with no quiz")
    second = worker_build(site_dir)
    assert second != first
    # The reader comes back: the old worker answers this load, the new one installs beside it, and
    # (the reader has not started on the page) the page hands over to it and reloads.
    page.reload()
    page.get_by_text("A rebuilt page with no quiz").wait_for(timeout=READY_TIMEOUT_MS)
    offline_ready(page)
    assert page.evaluate(BUILD_OF)["build"] == second
    held = precached(page, url)
    assert held == manifest(site_dir), "the cache holds the new build's files, each at its new revision, and nothing else"
    assert held["plain/index.html"] != old_revision

    with Failing(sw_context) as failing:
        page.reload()
        assert page.get_by_text("A rebuilt page with no quiz").count() == 1
        page.goto(url + "lessons/plans/")
        pass_exercise(page, conftest_site(course, url, site_dir), "fixture-allowance")
        assert failing.pages_and_files() == []

    # The reader is working on the page: a new build waits, and a notice offers to reload. The page's
    # offline script runs first (it listens for the reader's keys), and the reader starts before the
    # rebuild: the browser checks for a new worker on its own after a navigation, and one found before
    # the key was pressed is taken over at once (nobody is working on the page), with no notice.
    page.goto(url + "plain/")
    offline_ready(page)
    page.keyboard.press("Tab")
    rebuild(course, site_dir, "A rebuilt page with no quiz", "A page rebuilt twice, with no quiz")
    page.evaluate("window.quizkit.offline.registration.update()")
    notice = page.locator("[data-quizkit-update]")
    notice.wait_for(timeout=READY_TIMEOUT_MS)
    assert notice.get_attribute("role") == "status"
    assert page.get_by_text("A rebuilt page with no quiz").count() == 1, "the page stays on its build until asked"
    notice.locator("[data-action=update]").click()
    page.get_by_text("A page rebuilt twice, with no quiz").wait_for(timeout=READY_TIMEOUT_MS)
    offline_ready(page)
    assert page.evaluate(BUILD_OF)["build"] == worker_build(site_dir)
    assert precached(page, url) == manifest(site_dir)
    assert_clean(traffic)


def conftest_site(course: Path, url: str, site_dir: Path) -> BuiltSite:
    """A `BuiltSite` for a course folder built and served by a test."""
    return BuiltSite(dir=site_dir, url=url, course=Course.load(course / "exercises"))
