# Python on exercise pages and the activity starts when the reader is about to need it: Save-Data, a slow link, offline.
"""When an exercise page (or the activity's) downloads Python (about 14-21 MB), in a real browser (Chromium).

The rule (`startPolicy` in assets/exercise/start-policy.js, inlined in the page's head script):
at once on a link Chromium measures at effectiveType "4g" and a downlink of at least 10 Mbit/s, or
from a loopback host once this browser has started the build's Python (on a first visit there, once
the page has loaded, or when the reader reaches for an exercise before); else when an exercise comes into view, the reader clicks in
its editor, or presses Run or Check; under Save-Data only on Run, Check or "Load Python". On the
activity's page: when the reader starts on the form (focus), or presses Analyse; under Save-Data
only on Analyse.

What the code reads is `navigator.connection`: Save-Data is set with CDP
`Emulation.setDataSaverOverride` (a `Save-Data: on` request header does not change
`navigator.connection.saveData`), the link with CDP `Network.overrideNetworkState` (it
sets `navigator.connection`'s downlink, rtt and type, and throttles nothing). The pages of the real
course are served on 127.0.0.1, where Python starts by itself (the other browser tests rely on it); a
link that is not known to be fast is tested under another host name (`--host-resolver-rules`) that
Chromium treats as a secure origin, with the link's estimate set: Chromium's own estimate there is
not a fixed value (the headless shell read 10, then 9.6, then 9.4 Mbit/s in three contexts).

Every assertion waits for a state (an attribute, `runtime.startedBy`, the recorder's
requests), never for a time.
"""

from __future__ import annotations

import base64
import re
import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from tests.bench.browser import Link, ShapedServer
from tests.browser.conftest import (
    CHROMIUM_ARGS,
    CONTEXT_ARGS,
    READY_TIMEOUT_MS,
    SNAPSHOT_KEPT_WHOLE,
    assert_clean,
    check_passes,
    editor_of,
    python_ready,
    save_data,
    wait_for_async,
)
from tests.browser.test_activity import Activity, example, form_profile
from tests.browser.test_offline import Failing, offline_ready
from tests.test_page_dataclasses import quizkit_browser_dataclasses

from quizkit.plugin.runtime import ASKED_FOR_BY_THE_PAGE
from quizkit.plugin.toolchain import ASSETS_DIR

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, BrowserContext, BrowserType, Locator, Page, Route
    from tests.browser.conftest import BuiltSite, Traffic

pytestmark = pytest.mark.browser

LESSON_1 = "lessons/01-connects-and-plans/"
PYTHON_FILE = re.compile(r"/assets/quizkit/(pyodide/|quizkit-page\.zip|worker\.js|rules\.json)")
"""Files only Python needs (the editor is not one: it loads on every exercise page)."""
SLOW_HOST = "quizkit-course.localhost"
FAST_LINK_MBPS = 10
"""The downlink from which start-policy.js's rule counts a link as fast (its FAST_DOWNLINK_MBPS)."""
LINK_FAST_MBPS = float(re.search(r"const LINK_FAST_MBPS = ([\d.]+);", (ASSETS_DIR / "worker.js").read_text(encoding="utf-8"))[1])
"""What a first start off loopback must measure of the link to take the memory snapshot too (worker.js LINK_FAST_MBPS)."""
LEAN_FILES = ("pyodide/pyodide.mjs", "pyodide/pyodide.asm.mjs", "pyodide/pyodide.asm.wasm", "pyodide/pyodide-lock.json",
              "pyodide/python_stdlib.zip", "rules.json")
"""What Python downloads where it waits for the reader (besides quizkit-page.zip): not the memory snapshot."""
IN_VIEW = """(el) => new Promise((done) => {
    // Observers are told in the order they were made, in one task: when this one sees the exercise,
    // the page's own observer has seen it too.
    const observer = new IntersectionObserver((entries) => {
        if (entries.some((entry) => entry.isIntersecting)) { observer.disconnect(); done(); }
    });
    observer.observe(el);
})"""
WATCH_PROGRESS = """(root) => {
    window.seenProgress = [];
    const status = root.querySelector('[data-role=runtime-status]'), bar = root.querySelector('progress[data-role=runtime-progress]');
    new MutationObserver(() => window.seenProgress.push([status.textContent, bar.value]))
        .observe(root.querySelector('.quizkit-exercise__status'), {subtree: true, childList: true, characterData: true, attributes: true});
}"""


ASKED_BY_THE_PAGE = """() => performance.getEntriesByType('resource')
    .filter((entry) => entry.initiatorType === 'fetch' && /pyodide[.]asm[.]wasm|python_stdlib[.]zip/.test(entry.name))
    .map((entry) => new URL(entry.name).pathname).sort()"""
"""Python's files the page itself asked for (runtime.py ASKED_FOR_BY_THE_PAGE), before its worker could."""
ASKED = sorted(f"/assets/quizkit/{name}" for name in ASKED_FOR_BY_THE_PAGE)


def python_requests(traffic: Traffic) -> list[str]:
    return [url for url in traffic.requests if PYTHON_FILE.search(urlsplit(url).path)]


def python_bytes(site: BuiltSite, *, choose: bool = False) -> int:
    """The bytes of Python's files as built, for a page where Python waits for the reader (no snapshot), or,
    where its first start may choose the snapshot too on a link that proves fast (`choose`), at most."""
    folder = site.dir / "assets" / "quizkit"
    return sum((folder / name).stat().st_size for name in (*LEAN_FILES, "quizkit-page.zip", *(["pyodide/snapshot.bin.gz"] if choose else [])))


def python_megabytes(site: BuiltSite, *, choose: bool = False) -> int:
    """What the page announces, in whole MB."""
    return round(python_bytes(site, choose=choose) / 1e6)


def snapshot_requests(traffic: Traffic) -> list[str]:
    return [url for url in traffic.requests if "snapshot.bin.gz" in url]


def chose_the_snapshot(marks: dict[str, Any]) -> bool:
    """Whether the worker started from the snapshot, which it must have done exactly when it measured the link at
    worker.js LINK_FAST_MBPS or more (marks.linkMbps).

    The tests assert that rule, not which way it goes on an unshaped host: loopback usually reads far above
    the line, but the figure runs from the worker's start, and on two cores shared by two browsers, their
    servers and builds, it once read 17.8 Mbit/s. A shaped link (the `shaped` fixture) decides it for sure.
    """
    assert "linkMbps" in marks, marks
    chosen = "snapshotChosen" in marks
    assert chosen == (marks["linkMbps"] >= LINK_FAST_MBPS), marks
    if chosen:
        assert {"snapshotUnmasked", "restoreSnapshot"} <= marks.keys(), marks
    else:
        assert "restoreSnapshot" not in marks, marks
    return chosen


def build_sizes(site: BuiltSite, script: str) -> dict[str, int]:
    """The bytes of Python's files as one of the page's scripts holds them (the worker's config, set at build time)."""
    text = (site.dir / "assets" / "quizkit" / script).read_text(encoding="utf-8")
    match = re.search(r"sizes:\{([^}]*)\}", text)
    assert match, f"{script} holds the sizes"
    return {key: int(size) for key, size in re.findall(r"(\w+):(\d+)", match.group(1))}


def first_exercise(site: BuiltSite) -> str:
    return next(ident for ident, page in site.exercise_pages().items() if page == LESSON_1 + "index.html")


def mounted(page: Page, exercise_id: str) -> Locator:
    root = page.locator(f'.quizkit-exercise[data-exercise-id="{exercise_id}"][data-mounted]')
    root.wait_for(state="attached")
    return root


def check_solution(page: Page, site: BuiltSite, exercise_id: str) -> None:
    """Check the solution, as the reader would (Python may not have started yet), and wait for "passed"."""
    root = editor_of(page, exercise_id)
    page.evaluate("([id, code]) => window.quizkit.exercise(id).setCode(code)", [exercise_id, site.course.exercise(exercise_id).solution])
    check_passes(root, READY_TIMEOUT_MS)


# ---------------------------------------------------------------- Save-Data


def test_under_save_data_no_python_file_is_fetched_until_check(site: BuiltSite, page: Page, traffic: Traffic) -> None:
    exercise = first_exercise(site)
    save_data(page)
    page.goto(site.url + LESSON_1)
    root = mounted(page, exercise)
    assert page.evaluate("navigator.connection.saveData") is True
    status = root.locator("[data-role=runtime-status][data-state=waiting]")
    mb = python_megabytes(site)
    assert status.inner_text() == (f"Your browser asks to save data: Python (up to {mb} MB to download) loads only when you "
                                   "press Run, Check or Load Python.")
    assert root.locator("[data-action=load-python]").inner_text() == f"Load Python ({mb} MB)"
    # The exercise in view and the reader in its editor: still not a request for Python under Save-Data.
    root.scroll_into_view_if_needed()
    page.evaluate(IN_VIEW, root.element_handle())
    page.locator(f'.quizkit-exercise[data-exercise-id="{exercise}"][data-editor=ready] .cm-content').focus()
    page.wait_for_function("(id) => document.activeElement?.closest('.quizkit-exercise')?.dataset.exerciseId === id", arg=exercise)
    assert page.evaluate("window.quizkit.runtime.startedBy") is None
    assert python_requests(traffic) == []
    assert page.evaluate("window.quizkitEarly ?? null") is None, "the head script started nothing either"
    with pytest.raises(PlaywrightError, match=r'Python was not ready within 300 ms: \{"state":"waiting"'):
        python_ready(page, timeout_ms=300)  # the tests' wait for Python ends, saying why, when Python never starts

    check_solution(page, site, exercise)
    assert page.evaluate("window.quizkit.runtime.startedBy") == "request"
    assert any("pyodide.asm.wasm" in url for url in python_requests(traffic))
    assert root.locator("[data-action=load-python]").count() == 0
    assert_clean(traffic)


def test_under_save_data_load_python_starts_it_and_the_bar_follows_the_bytes(site: BuiltSite, page: Page,
                                                                            traffic: Traffic) -> None:
    exercise = first_exercise(site)
    save_data(page)
    # Bytes at a link's pace (100 Mbit/s), not in the few big chunks a loopback hands over: the bar's steps
    # are the question, and on loopback how many there are depends on the machine's load.
    page.context.new_cdp_session(page).send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 0, "downloadThroughput": 100e6 / 8, "uploadThroughput": -1})
    page.goto(site.url + LESSON_1)
    root = mounted(page, exercise)
    page.evaluate(WATCH_PROGRESS, root.element_handle())
    assert python_requests(traffic) == []
    root.locator("[data-action=load-python]").click()
    page.evaluate("window.quizkit.ready")
    assert page.evaluate("window.quizkit.runtime.startedBy") == "button"
    assert root.locator("[data-role=runtime-status][data-state=ready]").inner_text() == "Python is ready."
    status: dict[str, Any] = page.evaluate("window.quizkit.runtime.status")
    expected = python_bytes(site)
    assert status["total"] == expected, "a first visit downloads every file but the snapshot"
    assert status["received"] == expected
    assert not any("snapshot.bin.gz" in url for url in traffic.requests), "not worth its download on a link not known fast"
    seen: list[tuple[str, float]] = page.evaluate("window.seenProgress")
    partial = sorted({value for _, value in seen if 0 < value < 1})
    assert len(partial) >= 10, f"the bar moves with the bytes, not in a few fixed steps: {partial}"
    # The words say every tenth of the bytes, as the bar reads at the same moment. Which tenths show depends
    # on how the bytes arrive in chunks (on a busy machine 50% has been skipped): several, never a wrong one.
    mb = python_megabytes(site)
    said = [(int(words[1]), value) for text, value in seen
            if (words := re.fullmatch(rf"Downloading Python \({mb} MB\): (\d+)%", text))]
    assert len({tens for tens, _ in said if 0 < tens < 100}) >= 3, f"the words follow the bytes too: {said}"
    assert all(tens == int(value * 10) * 10 for tens, value in said), f"words and bar disagree: {said}"
    assert root.locator("[data-action=load-python]").count() == 0
    check_solution(page, site, exercise)
    assert_clean(traffic)


# ---------------------------------------------------------------- a link not known to be fast


@pytest.fixture
def slow_link(site: BuiltSite, browser_type: BrowserType, browser_type_launch_args: dict[str, Any],
              traffic: Traffic) -> Iterator[tuple[Browser, str]]:
    """A browser that reaches the course under a host name that is not loopback, and the course's URL there.

    Chromium treats the origin as secure (service workers, the origin private file system and
    isolation work as on a real host). Its pages are opened by `slow_page`, which sets the link's estimate.
    """
    port = urlsplit(site.url).port
    url = f"http://{SLOW_HOST}:{port}/"
    traffic.allow(url)
    args = [*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {SLOW_HOST} 127.0.0.1", f"--proxy-bypass-list={SLOW_HOST}",
            f"--unsafely-treat-insecure-origin-as-secure=http://{SLOW_HOST}:{port}"]
    browser = browser_type.launch(**{**browser_type_launch_args, "args": args})
    try:
        yield browser, url
    finally:
        browser.close()


def slow_page(slow_link: tuple[Browser, str], traffic: Traffic, mbps: float = 1.5,
              service_workers: str = "block") -> tuple[Page, BrowserContext, str]:
    """A page on `slow_link` whose `navigator.connection` says `mbps` (by default what Chromium estimates
    for a link it knows nothing about: 4g, 1.5 Mbit/s, below the FAST_LINK_MBPS of a fast link)."""
    browser, url = slow_link
    context = browser.new_context(**{**CONTEXT_ARGS, "service_workers": service_workers})
    traffic.record(context)
    return link_says(context.new_page(), mbps), context, url


def link_says(page: Page, mbps: float) -> Page:
    """`page`, whose `navigator.connection` says the link is `mbps` (CDP, which throttles nothing)."""
    page.context.new_cdp_session(page).send("Network.overrideNetworkState", {
        "offline": False, "latency": 100 if mbps < FAST_LINK_MBPS else 5, "downloadThroughput": mbps * 1e6 / 8,
        "uploadThroughput": mbps * 1e6 / 16, "connectionType": "cellular4g" if mbps < FAST_LINK_MBPS else "wifi"})
    return page


def test_on_a_slow_link_python_starts_when_an_exercise_comes_into_view(site: BuiltSite, slow_link: tuple[Browser, str],
                                                                       traffic: Traffic) -> None:
    page, context, url = slow_page(slow_link, traffic, service_workers="allow")
    exercise = first_exercise(site)
    page.goto(url + LESSON_1)
    root = mounted(page, exercise)
    link = page.evaluate("({type: navigator.connection.effectiveType, downlink: navigator.connection.downlink})")
    assert link["downlink"] < FAST_LINK_MBPS, f"what the page reads: {link}"
    assert page.evaluate("window.quizkit.runtime.waiting") == "intent"
    mb = python_megabytes(site, choose=True)
    assert root.locator("[data-role=runtime-status][data-state=waiting]").inner_text() == (
        f"Python (up to {mb} MB to download) loads when you start on this exercise: click in the editor, or press Run or Check.")
    assert page.evaluate("(el) => el.getBoundingClientRect().top > innerHeight", root.element_handle()), "out of view at first"
    assert python_requests(traffic) == []
    root.scroll_into_view_if_needed()
    page.evaluate(IN_VIEW, root.element_handle())
    assert page.evaluate("window.quizkit.runtime.startedBy") == "view"
    page.evaluate("window.quizkit.ready")
    assert python_requests(traffic) != []
    assert page.evaluate(ASKED_BY_THE_PAGE) == ASKED
    # Python downloads on a slow link: the editor's bytes wait for it (the reader has not touched the page).
    page.locator(f'.quizkit-exercise[data-exercise-id="{exercise}"][data-editor]').wait_for(state="attached")
    assert page.evaluate("""() => performance.getEntriesByType('resource').find((e) => e.name.includes('/editor.js')).startTime
                            >= window.quizkit.runtime.primary.readyAt""")
    check_solution(page, site, exercise)
    # The reader went straight to the exercise: the course's offline copy waited for Python (not sharing its link).
    offline_ready(page)
    assert page.evaluate("window.quizkit.offline.registeredAt >= window.quizkit.runtime.primary.readyAt")
    assert page.evaluate("window.quizkit.offline.python") is True
    # The first start of this build measured the link (loopback, unshaped: fast, unless the machine is starved) and,
    # where it proved fast, took the snapshot too, once. Started by the reader, a lean start keeps none for later.
    chosen = chose_the_snapshot(page.evaluate("window.quizkit.runtime.primary.marks"))
    assert len(snapshot_requests(traffic)) == (1 if chosen else 0)
    context.close()
    assert_clean(traffic)


NO_OBSERVER_REPORTS = """window.IntersectionObserver = class {
    observe() {} unobserve() {} disconnect() {} takeRecords() { return []; }
};"""
NO_FRAMES = "window.requestAnimationFrame = () => 0;"


def test_on_a_slow_link_an_exercise_in_view_as_the_page_opens_starts_python_as_it_mounts(
        site: BuiltSite, slow_link: tuple[Browser, str], traffic: Traffic) -> None:
    """The widgets look for an exercise in view as they mount: an observer's first report, and the page's
    first frame, come after Material's script and the tasks a loading page has queued (0.1-0.15 s on
    lesson 1). Here observers never report and no frame comes, so only that look can start Python."""
    page, context, url = slow_page(slow_link, traffic)
    page.set_viewport_size({"width": 1280, "height": 6000})  # tall enough for the first exercise
    page.add_init_script(NO_OBSERVER_REPORTS)
    page.add_init_script(NO_FRAMES)
    exercise = first_exercise(site)
    page.goto(url + LESSON_1)
    root = mounted(page, exercise)
    assert page.evaluate("(el) => el.getBoundingClientRect().bottom < innerHeight", root.element_handle())
    page.wait_for_function("() => window.quizkit.runtime.startedBy !== null")
    assert page.evaluate("window.quizkit.runtime.startedBy") == "view"
    page.evaluate("window.quizkit.ready")
    context.close()
    assert_clean(traffic)


def test_on_a_slow_link_a_reader_who_only_reads_gets_the_offline_copy_without_python(
        site: BuiltSite, slow_link: tuple[Browser, str], traffic: Traffic) -> None:
    page, context, url = slow_page(slow_link, traffic, service_workers="allow")
    page.goto(url + LESSON_1)
    mounted(page, first_exercise(site))
    offline_ready(page)  # the course is kept a few seconds in, with no exercise reached
    assert page.evaluate("window.quizkit.runtime.startedBy") is None
    assert page.evaluate("window.quizkit.offline.python") is False
    assert python_requests(traffic) == [], "neither the page nor its service worker fetched Python"
    context.close()
    assert_clean(traffic)


def test_on_a_slow_link_focus_in_an_editor_starts_python(site: BuiltSite, slow_link: tuple[Browser, str],
                                                        traffic: Traffic) -> None:
    page, context, url = slow_page(slow_link, traffic)
    exercise = first_exercise(site)
    page.goto(url + LESSON_1)
    mounted(page, exercise)
    # The plain code, out of view and so without its editor yet: a keyboard reader's Tab reaches it.
    code = page.locator(f'.quizkit-exercise[data-exercise-id="{exercise}"] .quizkit-plain-code')
    assert python_requests(traffic) == []
    code.evaluate("(el) => el.focus({preventScroll: true})")  # out of view: only the focus can start it
    page.wait_for_function("() => window.quizkit.runtime.startedBy !== null")
    assert page.evaluate("window.quizkit.runtime.startedBy") == "editor"
    page.evaluate("window.quizkit.ready")
    # The editor comes to the reader's focus, and the focus stays on the code.
    page.wait_for_function("(id) => document.activeElement?.closest('.quizkit-exercise[data-editor=ready] .cm-editor')"
                           " && document.activeElement.closest('.quizkit-exercise').dataset.exerciseId === id", arg=exercise)
    context.close()
    assert_clean(traffic)


def the_next_visit_starts_from_the_kept_snapshot(page: Page, url: str, traffic: Traffic) -> None:
    """The snapshot, downloaded once, is kept; the next visit (on a link called fast) starts from it, downloading
    it no more, and measures nothing. Closes the page's context."""
    wait_for_async(page, SNAPSHOT_KEPT_WHOLE)
    assert len(snapshot_requests(traffic)) == 1
    again = link_says(page.context.new_page(), mbps=100)
    again.goto(url + LESSON_1)
    again.evaluate("window.quizkit.ready")
    marks = again.evaluate("window.quizkit.runtime.primary.marks")
    assert "snapshotFromDisk" in marks, marks
    assert "linkMbps" not in marks, "a later start measures nothing"
    assert len(snapshot_requests(traffic)) == 1
    page.context.close()


def test_on_a_link_measured_fast_python_starts_with_the_page(site: BuiltSite, slow_link: tuple[Browser, str],
                                                            traffic: Traffic) -> None:
    page, _, url = slow_page(slow_link, traffic, mbps=100)
    page.goto(url + LESSON_1)
    mounted(page, first_exercise(site))
    assert page.evaluate("navigator.connection.downlink") >= FAST_LINK_MBPS
    assert page.evaluate("window.quizkit.runtime.startedBy") == "page"
    assert page.evaluate("Boolean(window.quizkitEarly?.worker)"), "the head script started it, before the stylesheets"
    # Chromium says "10 Mbit/s" of a 10 Mbit/s link too: the worker measures the link itself on Python's first
    # files, and takes the memory snapshot only where it proves fast (here: loopback, unshaped, so usually).
    page.evaluate("window.quizkit.ready")
    chosen = chose_the_snapshot(page.evaluate("window.quizkit.runtime.primary.marks"))
    status: dict[str, Any] = page.evaluate("window.quizkit.runtime.status")
    assert status["total"] == status["received"] == python_bytes(site, choose=chosen), "a chosen snapshot is in the total"
    assert {urlsplit(url).path for url in python_requests(traffic)} >= {f"/assets/quizkit/{name}" for name in LEAN_FILES}
    # Its largest file, asked for by the head script itself: the worker's requests go out later.
    assert page.evaluate(ASKED_BY_THE_PAGE) == ASKED
    the_next_visit_starts_from_the_kept_snapshot(page, url, traffic)
    assert_clean(traffic)


@pytest.fixture
def shaped(site: BuiltSite, browser_type: BrowserType, browser_type_launch_args: dict[str, Any],
           traffic: Traffic) -> Iterator[tuple[Browser, ShapedServer, str]]:
    """The course served as a CDN serves it, through a link the test shapes (the benchmark's `ShapedServer`),
    under a host name that is not loopback (a `.localhost` one: Chromium counts it as a secure origin), a
    browser that reaches it there, and its URL."""
    server = ShapedServer(site.dir)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://{SLOW_HOST}:{server.server_address[1]}/"
    traffic.allow(url)
    args = [*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {SLOW_HOST} 127.0.0.1", f"--proxy-bypass-list={SLOW_HOST}"]
    browser = browser_type.launch(**{**browser_type_launch_args, "args": args})
    try:
        yield browser, server, url
    finally:
        browser.close()
        server.shutdown()
        server.server_close()


MEASURED = "() => window.quizkit?.runtime?.primary?.marks?.linkMbps !== undefined"


def test_on_a_link_that_proves_slow_python_starts_lean_then_keeps_the_snapshot_for_later(
        site: BuiltSite, shaped: tuple[Browser, ShapedServer, str], traffic: Traffic) -> None:
    """Chromium calls the link fast (it says "10 Mbit/s" of any link from 10 up), so Python starts with the page;
    the worker measures about 8 Mbit/s on Python's first files and starts lean. The verdict given, the test lets
    the link go (its own time), Python is ready, and the snapshot comes in the background for the next visit."""
    browser, server, url = shaped
    server.link = Link(8e6, 0.020)
    context = traffic.record(browser.new_context(**{**CONTEXT_ARGS, "service_workers": "block"}))
    page = link_says(context.new_page(), mbps=100)
    page.goto(url + LESSON_1)
    page.wait_for_function(MEASURED, timeout=READY_TIMEOUT_MS)
    marks = page.evaluate("window.quizkit.runtime.primary.marks")
    assert marks["linkMbps"] < LINK_FAST_MBPS, marks
    assert not chose_the_snapshot(marks)
    assert snapshot_requests(traffic) == []
    server.link.rate = 0  # unshaped from here on
    page.evaluate("window.quizkit.ready")
    assert "restoreSnapshot" not in page.evaluate("window.quizkit.runtime.primary.marks"), "a lean start"
    status: dict[str, Any] = page.evaluate("window.quizkit.runtime.status")
    assert status["total"] == status["received"] == python_bytes(site), "the snapshot, not chosen, is out of the total"
    the_next_visit_starts_from_the_kept_snapshot(page, url, traffic)
    assert_clean(traffic)


def test_on_a_lean_start_python_s_files_come_one_after_another(
        site: BuiltSite, shaped: tuple[Browser, ShapedServer, str], traffic: Traffic) -> None:
    """The wasm, then the standard library, then quizkit's package, each asked for as the one before it nears its
    end (worker.js "one file after another"): side by side, the link split between them and the wasm ended last;
    in turn, its compile and linking run while the standard library arrives."""
    browser, server, url = shaped
    server.link = Link(12e6, 0.020)  # below worker.js LINK_FAST_MBPS: a lean start
    context = traffic.record(browser.new_context(**{**CONTEXT_ARGS, "service_workers": "block"}))
    page = link_says(context.new_page(), mbps=100)
    page.goto(url + LESSON_1)
    page.evaluate("window.quizkit.ready")
    assert not chose_the_snapshot(page.evaluate("window.quizkit.runtime.primary.marks"))
    link = server.link
    wasm, stdlib, package = (f"/assets/quizkit/{name}" for name in
                             ("pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip", "quizkit-page.zip"))
    # Bytes the link had sent when each was asked for: most of the one before had gone by then.
    assert link.asked[stdlib] - link.asked[wasm] >= link.by_file[wasm] / 2, link.asked
    assert link.asked[package] - link.asked[stdlib] >= link.by_file[stdlib] / 2, link.asked
    marks = page.evaluate("window.quizkit.runtime.primary.marks")
    assert marks["package"] == "zip", "quizkit's modules are imported from their zip, not unpacked first (20-40 ms)"
    assert marks["dataclassesServed"] == quizkit_browser_dataclasses(), "each dataclass got the build's code (page_dataclasses.py)"
    check_solution(page, site, first_exercise(site))  # graded by the modules imported from the zip
    assert_clean(traffic)


def test_the_link_meter_times_the_link_from_the_page_s_request_not_the_worker_s_start(
        site: BuiltSite, shaped: tuple[Browser, ShapedServer, str], traffic: Traffic) -> None:
    """The worker's own clock starts once its script has arrived. Where that comes late, the wasm the page asked for
    has been arriving meanwhile, and timed from the worker's start the link read far faster than it is (a 50 Mbit/s
    link read 80 and more). Timed from the page's request, it reads at most what the link carries."""
    browser, server, url = shaped
    server.link = Link(12e6, 0.020)
    server.link.slower["/assets/quizkit/worker.js"] = 0.4
    context = traffic.record(browser.new_context(**{**CONTEXT_ARGS, "service_workers": "block"}))
    page = link_says(context.new_page(), mbps=100)
    page.goto(url + LESSON_1)
    page.wait_for_function(MEASURED, timeout=READY_TIMEOUT_MS)
    marks = page.evaluate("window.quizkit.runtime.primary.marks")
    server.link.rate = 0  # unshaped from here on
    # What arrives is counted as wire bytes by the wasm's average compression: a few percent off either way.
    assert marks["linkMbps"] <= 12 * 1.1, marks
    page.evaluate("window.quizkit.ready")
    assert_clean(traffic)


# ---------------------------------------------------------------- a loopback host: the page's load, then with the page

SPAWNED = """() => { const navigation = performance.getEntriesByType('navigation')[0];
    return {spawned: window.quizkit.runtime.primary.spawnedAt, load: navigation.loadEventStart,
            parsed: navigation.domInteractive, early: Boolean(window.quizkitEarly?.worker),
            startedBy: window.quizkit.runtime.startedBy, marks: window.quizkit.runtime.primary.marks,
            kept: localStorage.getItem('quizkit-python-kept')}; }"""
HOLD_LOAD = """document.addEventListener('DOMContentLoaded', () => {
    const image = new Image(); image.src = '/held-by-the-test.gif'; document.body.append(image); });"""
"""An image the test answers only at its end: the page's `load` event waits for it."""
ONE_PIXEL_GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def test_from_a_loopback_host_a_first_visit_starts_python_once_the_page_has_loaded_and_later_ones_with_it(
        site: BuiltSite, context: BrowserContext, traffic: Traffic) -> None:
    page = context.new_page()
    page.goto(site.url_of(LESSON_1))
    python_ready(page)
    first = page.evaluate(SPAWNED)
    assert not first["early"], "the head script started nothing"
    assert first["startedBy"] == "page"
    assert first["spawned"] >= first["load"] > 0, first
    assert "restoreSnapshot" in first["marks"], "with the memory snapshot, as always from a loopback host"
    build = page.locator(".quizkit-exercise[data-quizkit-build]").first.get_attribute("data-quizkit-build")
    assert first["kept"] == build
    wait_for_async(page, SNAPSHOT_KEPT_WHOLE)
    again = context.new_page()
    again.goto(site.url_of(LESSON_1))
    python_ready(again)
    later = again.evaluate(SPAWNED)
    assert later["early"], "the head script started it, before the stylesheets"
    assert later["startedBy"] == "page"
    assert later["spawned"] < later["parsed"], later
    assert "snapshotFromDisk" in later["marks"]
    assert_clean(traffic)


def test_from_a_loopback_host_a_reader_who_reaches_for_an_exercise_before_the_load_starts_python_at_once(
        site: BuiltSite, context: BrowserContext, traffic: Traffic) -> None:
    held: list[Route] = []

    def hold(route: Route) -> None:  # a bound builtin cannot be a Playwright handler
        held.append(route)

    context.route("**/held-by-the-test.gif", hold)
    context.add_init_script(HOLD_LOAD)
    page = context.new_page()
    page.goto(site.url_of(LESSON_1), wait_until="domcontentloaded")
    exercise = first_exercise(site)
    root = mounted(page, exercise)
    page.wait_for_function("() => document.querySelector('img[src=\"/held-by-the-test.gif\"]')")
    assert page.evaluate("[window.quizkit.runtime.waiting, window.quizkit.runtime.startedBy]") == ["load", None]
    assert root.locator("[data-role=runtime-status]").get_attribute("data-state") == "loading", "not waiting for the reader"
    root.locator("[data-role=editor]").click()
    page.wait_for_function("() => window.quizkit.runtime.startedBy !== null")
    assert page.evaluate("window.quizkit.runtime.startedBy") == "editor"
    python_ready(page)
    assert page.evaluate("document.readyState") != "complete", "the page's load is still held"
    assert held, "the held image was asked for"
    for route in held:  # a real image: an error would be logged, whenever it comes
        route.fulfill(status=200, content_type="image/gif", body=ONE_PIXEL_GIF)
    page.wait_for_load_state("load")
    context.close()
    assert_clean(traffic)


def test_quizkit_s_package_arriving_after_ready_leaves_the_status_at_ready(
        site: BuiltSite, context: BrowserContext, traffic: Traffic) -> None:
    """From the snapshot, Python is ready before quizkit's package has arrived: its files are read only later, and
    requests wait for them. Its bytes, held here until after "ready", must not turn the status back to loading."""
    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)

    context.route("**/quizkit-page.zip*", hold)
    page = context.new_page()
    page.goto(site.url_of(LESSON_1))
    python_ready(page)
    assert "restoreSnapshot" in page.evaluate("window.quizkit.runtime.primary.marks")
    assert held, "the package was asked for, and is held"
    for route in held:
        route.continue_()
    # The warm-ups are answered once the package is in place (the worker's requests wait for it).
    page.wait_for_function("() => window.quizkit.runtime.primary.warming === 0", timeout=READY_TIMEOUT_MS)
    assert page.evaluate("window.quizkit.runtime.status.state") == "ready"
    states = page.locator(".quizkit-exercise [data-role=runtime-status]").evaluate_all("(els) => els.map((el) => el.dataset.state)")
    assert states, "the page has exercises"
    assert set(states) == {"ready"}, states
    context.close()
    assert_clean(traffic)


# ---------------------------------------------------------------- offline, after a first visit under Save-Data


def test_under_save_data_the_offline_copy_waits_for_the_reader_then_works_offline(site: BuiltSite, sw_context: BrowserContext,
                                                                                traffic: Traffic) -> None:
    exercise = first_exercise(site)
    first = sw_context.new_page()
    save_data(first)
    first.goto(site.url + LESSON_1)
    mounted(first, exercise)
    offline_ready(first)  # the course is kept at once: it does not wait for Python
    assert first.evaluate("window.quizkit.offline.python") is False
    assert python_requests(traffic) == [], "neither the page nor its service worker fetched Python"
    check_solution(first, site, exercise)
    first.wait_for_function("() => window.quizkit.offline.python === true", timeout=READY_TIMEOUT_MS)
    first.close()

    with Failing(sw_context) as failing:
        page = sw_context.new_page()
        save_data(page)
        page.goto(site.url + LESSON_1)
        mounted(page, exercise)
        assert page.evaluate("window.quizkit.runtime.startedBy") is None
        check_solution(page, site, exercise)
        assert failing.pages_and_files() == [], "every request was answered by the service worker"
    assert_clean(traffic)


# ---------------------------------------------------------------- the figures


def test_the_served_site_holds_the_build_time_sizes(site: BuiltSite) -> None:
    """The worker's config names each file's size as built: what the page announces is not typed by hand."""
    sizes = build_sizes(site, "worker.js")
    assert sizes["wasm"] == (site.dir / "assets" / "quizkit" / "pyodide" / "pyodide.asm.wasm").stat().st_size
    assert set(sizes) == {"pyodide", "asm", "wasm", "lock", "stdlib", "snapshot", "wheel", "rules"}


# ---------------------------------------------------------------- the activity


def activity_root(page: Page) -> Locator:
    root = page.locator("[data-quizkit-activity][data-mounted]")
    root.wait_for(state="attached")
    return root


def analyse(page: Page, site: BuiltSite, root: Locator) -> str:
    """Fill in the example profile, press Analyse and wait until that analysis ends: the widget's state."""
    Activity(page, site).fill(form_profile(example()))
    root.locator("[data-action=analyse]").click()
    page.wait_for_function("(el) => Number(el.dataset.runs || 0) >= 1", arg=root.element_handle(), timeout=READY_TIMEOUT_MS)
    return str(root.get_attribute("data-state"))


def activity_megabytes(site: BuiltSite, *, choose: bool = False) -> int:
    """What the activity announces, in whole MB: the sizes its own script holds, without the snapshot (a lean
    start), or with it where the first start may choose it on a link that proves fast."""
    sizes = build_sizes(site, "activity.js")
    most = sum(size for key, size in sizes.items() if choose or key != "snapshot")
    assert most == python_bytes(site, choose=choose), "the activity's script holds the sizes of the files as built"
    return round(most / 1e6)


def test_under_save_data_the_activity_loads_python_only_on_analyse(site: BuiltSite, page: Page, traffic: Traffic) -> None:
    save_data(page)
    page.goto(site.url_of(site.activity_pages()[0]))
    root = activity_root(page)
    status = root.locator("[data-role=runtime-status][data-state=waiting]")
    mb = activity_megabytes(site)
    assert status.inner_text() == f"Your browser asks to save data: Python (up to {mb} MB to download) loads only when you press Analyse."
    assert "NaN" not in root.inner_text()
    root.locator("input[name]").first.focus()  # starting on the form is not asking for Python under Save-Data
    page.wait_for_function("() => document.activeElement?.closest('[data-quizkit-activity]') !== null")
    assert page.evaluate("window.quizkit.runtime.startedBy") is None
    assert python_requests(traffic) == []
    assert page.evaluate("window.quizkitEarly ?? null") is None, "the head script started nothing either"

    assert analyse(page, site, root) == "done"
    assert page.evaluate("window.quizkit.runtime.startedBy") == "request"
    assert any("pyodide.asm.wasm" in url for url in python_requests(traffic))
    assert not any("snapshot.bin.gz" in url for url in traffic.requests), "a lean start, as on exercise pages"
    assert_clean(traffic)


def test_on_a_slow_link_the_activity_starts_python_when_the_reader_starts_on_the_form(
        site: BuiltSite, slow_link: tuple[Browser, str], traffic: Traffic) -> None:
    page, context, url = slow_page(slow_link, traffic)
    page.goto(url + site.activity_pages()[0].removesuffix("index.html"))
    root = activity_root(page)
    status = root.locator("[data-role=runtime-status][data-state=waiting]")
    assert status.inner_text() == (f"Python (up to {activity_megabytes(site, choose=True)} MB to download) loads when you start on the form "
                                   "(or press Analyse): your analysis runs in this browser.")
    assert python_requests(traffic) == []
    root.locator("input[name]").first.focus()
    page.wait_for_function("() => window.quizkit.runtime.startedBy !== null")
    assert page.evaluate("window.quizkit.runtime.startedBy") == "form"
    page.evaluate("window.quizkit.ready")
    assert root.locator("[data-role=runtime-status][data-state=ready]").count() == 1
    assert "NaN" not in root.inner_text()
    assert analyse(page, site, root) == "done"
    context.close()
    assert_clean(traffic)
