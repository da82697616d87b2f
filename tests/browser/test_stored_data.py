"""What the browser keeps, checked in a real browser (Chromium): what the reader typed last is saved as they leave,
a storage that refuses a save is said so in the widget (the work stays on the page), two courses on one origin
keep apart, an import of progress is all or nothing and keeps only what the widgets store, the service worker
never hands a page another build's file, and a kept memory snapshot that is not byte for byte this build's is
downloaded again.

Runs on the real course (the `site` fixture of `conftest.py`); every test ends with no foreign request,
no console error and no page error.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import READY_TIMEOUT_MS, assert_clean, check_passes, editor_of, reach_for, save_data, wait_for_async
from tests.browser.test_offline import Failing, offline_ready, serving
from tests.test_progress_plugin import runtime_list

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import BrowserContext, Locator, Page
    from tests.browser.conftest import BuiltSite, Traffic

pytestmark = pytest.mark.browser

PREFIX = "quizkit:v1:"
"""How a progress file keys the entries (and OLD and NEW here)."""
STORED = "quizkit:v1:/:"
"""How localStorage keys them: the course's prefix holds its site's path (the test site is at the origin's root)."""
LESSON_1 = "lessons/01-connects-and-plans/"
OLD: dict[str, dict[str, Any]] = {
    PREFIX + "read": {"version": 1, "pages": {LESSON_1: "2026-11-01T10:00:00.000Z"}},
    PREFIX + "quiz:plans": {"answers": {"basic-monthly": "10"}, "submitted": True, "best": 2},
    PREFIX + "exercise:monthly-allowance": {"code": "print('mine')\n", "status": "failed", "hintsShown": 1, "failures": 2,
                                            "solved": False, "starterHash": "0badf00d"},
    PREFIX + "activity": {"version": 1, "analysed": False, "profile": {"sections": {"photo": "complete"}, "plan": "basic"}},
}
"""The progress a reader has before importing a file."""
NEW: dict[str, dict[str, Any]] = {
    PREFIX + "read": {"version": 1, "pages": {LESSON_1: "2026-11-20T10:00:00.000Z", "lessons/02-connects-required/":
                                              "2026-11-21T10:00:00.000Z"}},
    PREFIX + "quiz:plans": {"answers": {"basic-monthly": "10", "plus-extra": "90"}, "submitted": True, "best": 4},
    PREFIX + "quiz:spending": {"answers": {}, "submitted": False, "best": 3},
    PREFIX + "exercise:monthly-allowance": {"code": "print('imported')\n", "status": "passed", "hintsShown": 0, "failures": 0,
                                            "solved": True, "starterHash": "12345678"},
    PREFIX + "exercise:next-refill": {"code": "print('also imported')\n", "status": "failed", "hintsShown": 2, "failures": 1,
                                      "solved": False, "starterHash": "abcdef01"},
}
"""What the imported file holds: other values, more entries, one entry fewer (no activity)."""
FAIL_AFTER = """() => {
    // window.quizkitFailAfter = n: the next n writes of progress succeed, the one after throws
    // QuotaExceededError (once: the storage is full at that moment, and has room again once the
    // import's own entries are removed).
    const setItem = Storage.prototype.setItem;
    window.quizkitFailAfter = null;
    window.quizkitWrites = [];
    Storage.prototype.setItem = function (key, value) {
        if (typeof window.quizkitFailAfter === "number" && String(key).startsWith("quizkit:v1:")) {
            if (window.quizkitFailAfter <= 0) {
                window.quizkitFailAfter = null;
                throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
            }
            window.quizkitFailAfter -= 1;
            window.quizkitWrites.push(String(key));
        }
        return setItem.call(this, key, value);
    };
}"""
FILL_STORAGE = """() => {
    // Another script of the site fills the storage to its last character.
    let filler = "";
    for (let chunk = 1 << 24; chunk >= 1; chunk >>= 1) {
        try {
            localStorage.setItem("another-app", filler + "x".repeat(chunk));
            filler += "x".repeat(chunk);
        } catch {
            // that much does not fit: try half
        }
    }
    return filler.length;
}"""
STORED_TEXT = """() => Object.fromEntries(Object.keys(localStorage).filter((key) => key.startsWith("quizkit:"))
    .map((key) => [key, localStorage.getItem(key)]))"""


class Progress:
    """The Progress page of one browser context, with its import and export."""

    def __init__(self, page: Page, site: BuiltSite, tmp_path: Path) -> None:
        self.page = page
        self.site = site
        self.tmp_path = tmp_path

    def open(self) -> Locator:
        self.page.goto(self.site.url + "progress/", wait_until="load")
        root = self.page.locator("[data-quizkit-progress][data-mounted]")
        root.wait_for()
        return root

    def store(self, data: dict[str, Any]) -> None:
        """Store `data` (keyed as in a file) as the course's entries."""
        data = {STORED + key.removeprefix(PREFIX): value for key, value in data.items()}
        self.page.evaluate("(data) => { for (const [k, v] of Object.entries(data)) localStorage.setItem(k, JSON.stringify(v)); }",
                           data)

    def raw(self) -> dict[str, str]:
        """Every quizkit key of localStorage with its stored text, as is."""
        return dict(self.page.evaluate(STORED_TEXT))

    def entries(self) -> dict[str, Any]:
        """The course's stored entries but its meta record, parsed and keyed as in a file."""
        return {PREFIX + key.removeprefix(STORED): json.loads(text) for key, text in self.raw().items()
                if key.startswith(STORED) and key != STORED + "meta"}

    def export(self, name: str = "exported.json") -> dict[str, Any]:
        root = self.open()
        with self.page.expect_download() as download:
            root.locator("[data-action=export]").click()
        path = self.tmp_path / name
        download.value.save_as(path)
        return dict(json.loads(path.read_text(encoding="utf-8")))

    def file(self, data: dict[str, Any], name: str = "new.json") -> Path:
        """A progress file of this course holding `data`, as "Export progress" writes it."""
        exported = self.export("template.json")
        path = self.tmp_path / name
        path.write_text(json.dumps({**exported, "data": data}), encoding="utf-8")
        return path

    def import_file(self, path: Path, *, before: str = "") -> Locator:
        """Import `path` on the Progress page (`before`: a script run on the page first); the notice once it says something."""
        root = self.open()
        if before:
            self.page.evaluate(before)
        root.locator("[data-action=import]").set_input_files(path)
        notice = root.locator("[data-role=notice]")
        self.page.wait_for_function("(el) => el.textContent.includes('import')", arg=notice.element_handle())
        return notice


@pytest.fixture
def progress(page: Page, site: BuiltSite, traffic: Traffic, tmp_path: Path) -> Iterator[Progress]:
    yield Progress(page, site, tmp_path)
    assert_clean(traffic)


# ---------------------------------------------------------------- saved as the reader leaves; said when not saved

EXERCISE = "monthly-allowance"
STORAGE_NOTICE = "[data-role=storage-notice]"
BLOCKED = """Object.defineProperty(window, "localStorage", {configurable: true, get() {
    throw new DOMException("Access is denied for this document.", "SecurityError");
}});"""
"""A browser that blocks this site's data: reading `localStorage` throws, as Chromium's does then."""


def typing_in(page: Page, site: BuiltSite, url: str = LESSON_1) -> Locator:
    """The exercise on `url` with its code editor, the caret at the end of its code. Python is not started (nothing runs)."""
    save_data(page)
    page.goto(site.url + url, wait_until="load")
    reach_for(page)
    root = editor_of(page, EXERCISE, "ready")
    root.locator(".cm-content").click()
    page.keyboard.press("Control+End")
    return root


def code_of(page: Page) -> str:
    """The exercise's code as the widget holds it (the editor's, or the restored one before the editor comes)."""
    return str(page.evaluate("(id) => window.quizkit.exercise(id).getCode()", EXERCISE))


def saved(page: Page, name: str) -> Any:
    """The course's stored entry `name` ("exercise:<id>"), parsed, or None."""
    raw = page.evaluate("(key) => localStorage.getItem(key)", STORED + name)
    return None if raw is None else json.loads(raw)


@pytest.mark.parametrize("leave", ["link", "reload"])
def test_the_code_typed_last_is_saved_as_the_reader_leaves(page: Page, site: BuiltSite, traffic: Traffic, leave: str) -> None:
    """A save waits 300 ms after each key; a reader who leaves within it used to lose the last keys."""
    typing_in(page, site)
    page.keyboard.type("\n# typed as I leave")
    if leave == "link":
        page.locator("[data-quizkit-progress-link] a").click()  # the link at the end of the lesson
        page.wait_for_url("**/progress/")
    else:
        page.reload()
    assert saved(page, f"exercise:{EXERCISE}")["code"].endswith("\n# typed as I leave")
    page.goto(site.url + LESSON_1, wait_until="load")
    editor_of(page, EXERCISE)
    assert code_of(page).endswith("\n# typed as I leave")
    assert_clean(traffic)


def test_the_activity_answer_typed_last_is_saved_as_the_reader_leaves(page: Page, site: BuiltSite, traffic: Traffic) -> None:
    save_data(page)  # nothing is analysed: Python need not start
    page.goto(site.url_of(site.activity_pages()[0]), wait_until="load")
    page.locator("[data-quizkit-activity][data-mounted] [name=balance]").fill("123")
    page.reload()
    assert saved(page, "activity")["profile"]["balance"] == 123
    page.locator("[data-quizkit-activity][data-mounted]").wait_for()
    assert page.locator("[name=balance]").input_value() == "123"
    assert_clean(traffic)


def test_an_exercise_says_when_its_code_cannot_be_saved_and_keeps_it(page: Page, site: BuiltSite, traffic: Traffic) -> None:
    root = typing_in(page, site)
    notice = root.locator(STORAGE_NOTICE)
    assert notice.get_attribute("role") == "status", "said to screen readers too, without moving their focus"
    assert page.evaluate(FILL_STORAGE) > 1_000_000  # another script of the site filled the storage
    page.keyboard.type("\n# kept on the page")
    expect(notice).to_have_text(re.compile(r"^Your code could not be saved in this browser: its storage for this site is full "
                                           r"or turned off\. It stays in the editor until you leave or reload this page; copy "
                                           r"it somewhere to keep it\.$"))
    expect(notice).to_be_visible()
    assert code_of(page).endswith("\n# kept on the page"), "nothing is lost on the page"
    assert saved(page, f"exercise:{EXERCISE}") is None

    page.evaluate("localStorage.removeItem('another-app')")  # room again: the next save works, and the notice goes
    page.keyboard.type("\n# and saved")
    expect(notice).to_be_empty()
    assert saved(page, f"exercise:{EXERCISE}")["code"] == code_of(page)
    page.reload()
    editor_of(page, EXERCISE)
    assert code_of(page).endswith("\n# kept on the page\n# and saved")
    assert_clean(traffic)


def answer(form: Locator, index: int) -> Locator:
    """Answer the quiz's question `index` (any answer: a number, or its first option); the field answered."""
    field = form.locator("[data-question-id]").nth(index).locator("input, select").first
    if field.get_attribute("type") in ("radio", "checkbox"):
        field.check()
    elif field.evaluate("(el) => el.tagName") == "SELECT":
        field.select_option(index=1)
    else:
        field.fill("12")
    return field


@pytest.mark.parametrize("storage", ["full", "blocked"])
def test_a_quiz_says_when_its_answers_cannot_be_saved(page: Page, site: BuiltSite, traffic: Traffic, storage: str) -> None:
    """On the final quiz's page (no Python there). Blocked: every page of it still works, with no error."""
    if storage == "blocked":
        page.add_init_script(BLOCKED)
    page.goto(site.url_of(site.quiz_pages()["final"]), wait_until="load")
    form = page.locator('form.quizkit-quiz[data-quiz-id="final"]')
    notice = form.locator(STORAGE_NOTICE)
    assert notice.get_attribute("role") == "status"
    if storage == "full":
        page.evaluate(FILL_STORAGE)
    answer(form, 0)
    expect(notice).to_have_text(re.compile(r"^Your answers could not be saved in this browser: its storage for this site is full "
                                           r"or turned off\. They stay here until you leave or reload this page, and your "
                                           r"score will not be kept\.$"))
    form.locator("[data-action=submit]").click()
    assert form.locator("[data-role=score]").get_attribute("data-score") is not None, "the quiz still grades"
    if storage == "full":
        page.evaluate("localStorage.removeItem('another-app')")
        form.locator("[data-action=retry]").click()  # a new attempt is saved: the storage works again
        expect(notice).to_be_empty()
        answer(form, 0)
        kept = saved(page, "quiz:final")
        assert kept["answers"], "the answer is kept"
        page.reload()
        assert form.get_attribute("data-seed") == str(kept["seed"]), "the attempt comes back"
        field = form.locator("[data-question-id]").nth(0).locator("input, select").first
        assert field.is_checked() if field.get_attribute("type") in ("radio", "checkbox") else field.input_value()
    assert_clean(traffic)


def test_the_activity_says_when_its_answers_cannot_be_saved(page: Page, site: BuiltSite, traffic: Traffic) -> None:
    save_data(page)  # nothing is analysed: Python need not start
    page.goto(site.url_of(site.activity_pages()[0]), wait_until="load")
    root = page.locator("[data-quizkit-activity][data-mounted]")
    notice = root.locator(STORAGE_NOTICE)
    assert notice.get_attribute("role") == "status"
    page.evaluate(FILL_STORAGE)
    root.locator("[name=balance]").fill("77")
    expect(notice).to_contain_text("Your answers could not be saved in this browser")
    expect(notice).to_contain_text("“Save my answers to a file”")
    assert root.locator("[name=balance]").input_value() == "77"
    page.evaluate("localStorage.removeItem('another-app')")
    root.locator("[name=balance]").fill("78")
    expect(notice).to_be_empty()
    assert saved(page, "activity")["profile"]["balance"] == 78
    assert_clean(traffic)


# ---------------------------------------------------------------- two courses on one origin

@pytest.fixture
def one_origin(site: BuiltSite, fixture_site: BuiltSite, tmp_path: Path, traffic: Traffic) -> Iterator[str]:
    """The real course at /a/ and the fixture course at /b/ of one origin, as GitHub Pages serves two project sites
    of one account (user.github.io/a/, /b/); the origin's URL. The files are hard links of the built sites."""
    root = tmp_path / "origin"
    root.mkdir()
    shutil.copytree(site.dir, root / "a", copy_function=os.link)
    shutil.copytree(fixture_site.dir, root / "b", copy_function=os.link)
    with serving(root, traffic) as url:
        yield url


def stored_under(page: Page, prefix: str) -> dict[str, Any]:
    """The entries whose key starts with `prefix`, parsed."""
    return {key: json.loads(text) for key, text in page.evaluate(STORED_TEXT).items() if key.startswith(prefix)}


def test_two_courses_on_one_origin_never_touch_each_other(page: Page, one_origin: str, traffic: Traffic) -> None:
    save_data(page)  # nothing is run: Python need not start
    page.goto(one_origin + "a/" + LESSON_1, wait_until="load")
    page.locator("[data-action=toggle-read]").click()
    reach_for(page)
    editor_of(page, EXERCISE, "ready").locator(".cm-content").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\n# my work on course A")
    page.locator('form.quizkit-quiz[data-quiz-id="plans"] [data-action=submit]').click()  # quiz.js keys its own entries
    page.goto(one_origin + "a/progress/", wait_until="load")  # saved as the reader leaves
    a = stored_under(page, "quizkit:v1:/a/:")
    assert a["quizkit:v1:/a/:exercise:" + EXERCISE]["code"].endswith("# my work on course A")
    assert a["quizkit:v1:/a/:quiz:plans"]["submitted"] is True
    assert LESSON_1 in a["quizkit:v1:/a/:read"]["pages"]

    # Course B, another build with other exercises, quizzes and lessons: it keeps its own, and prunes none of A's.
    page.goto(one_origin + "b/lessons/plans/", wait_until="load")
    page.locator("[data-action=toggle-read]").click()
    page.wait_for_function("() => localStorage.getItem('quizkit:v1:/b/:read') !== null")
    assert stored_under(page, "quizkit:v1:/a/:") == a
    b = stored_under(page, "quizkit:v1:/b/:")
    assert b["quizkit:v1:/b/:meta"]["course"] == "Quizkit fixture course"
    assert list(b["quizkit:v1:/b/:read"]["pages"]) == ["lessons/plans/"]

    # B's reset erases B's progress only; A's Progress page then shows A's as it was.
    page.goto(one_origin + "b/progress/", wait_until="load")
    root = page.locator("[data-quizkit-progress][data-mounted]")
    root.locator("[data-action=reset]").click()
    root.locator("dialog[data-role=confirm-reset] [data-action=confirm-reset]").click()
    root.locator("[data-role=notice]").filter(has_text="was erased").wait_for()
    assert stored_under(page, "quizkit:v1:/a/:") == a
    page.goto(one_origin + "a/progress/", wait_until="load")
    row = page.locator(f'[data-quizkit-progress][data-mounted] tr[data-lesson="{LESSON_1}"]')
    expect(row.locator("[data-cell=read]")).to_have_text("yes")
    assert_clean(traffic)


def test_progress_kept_before_keys_held_the_site_path_moves_to_its_course(page: Page, one_origin: str, traffic: Traffic) -> None:
    """A reader of course A from a build whose keys had no site path: course B leaves A's entries alone, A takes them."""
    before = {**OLD, PREFIX + "quiz:plans": {"answers": {}, "submitted": True, "best": 2},
              PREFIX + "meta": {"schema": 1, "course": "Connects Learning Hub", "build": "before-paths", "quizzes": {}, "seen": []}}
    page.goto(one_origin + "a/assets/quizkit/progress.css")  # the origin, and no page of either course yet
    page.evaluate("(data) => { for (const [k, v] of Object.entries(data)) localStorage.setItem(k, JSON.stringify(v)); }", before)

    save_data(page)
    page.goto(one_origin + "b/", wait_until="load")
    page.wait_for_function("() => localStorage.getItem('quizkit:v1:/b/:meta') !== null")
    assert stored_under(page, PREFIX) == {**before, "quizkit:v1:/b/:meta": stored_under(page, "quizkit:v1:/b/:")["quizkit:v1:/b/:meta"]}

    page.goto(one_origin + "a/" + LESSON_1, wait_until="load")
    reach_for(page)
    editor_of(page, EXERCISE)
    # The widgets read them where they were (progress.js moves them once the page is parsed, after the widgets).
    assert code_of(page) == OLD[PREFIX + "exercise:monthly-allowance"]["code"]
    assert page.locator('form.quizkit-quiz[data-quiz-id="plans"] [data-role=score]').get_attribute("data-best") == "2"
    moved = stored_under(page, "quizkit:v1:/a/:")
    for key, value in before.items():
        if key != PREFIX + "meta":
            assert moved["quizkit:v1:/a/:" + key.removeprefix(PREFIX)] == value, key
    assert moved["quizkit:v1:/a/:meta"]["seen"][1:] == ["before-paths"]
    assert [key for key in stored_under(page, PREFIX) if not key.startswith("quizkit:v1:/")] == [], "none left behind"
    assert page.locator("[data-quizkit-read][data-read=true]").count() == 1, "the read mark too"
    assert_clean(traffic)


# ---------------------------------------------------------------- import: all or nothing


def test_an_import_that_fills_the_storage_midway_changes_nothing(progress: Progress) -> None:
    progress.page.add_init_script(script=f"({FAIL_AFTER})()")
    progress.open()
    progress.store(OLD)
    path = progress.file(NEW)
    progress.open()
    before = progress.raw()
    notice = progress.import_file(path, before="window.quizkitFailAfter = 2")
    assert notice.get_attribute("data-status") == "error"
    assert notice.inner_text() == ("“new.json” was not imported, and your progress is unchanged: "
                                   "this browser's storage for this site became full while importing.")
    assert len(progress.page.evaluate("window.quizkitWrites")) == 2, "two entries were written before the storage was full"
    assert progress.raw() == before, "every entry as it was, byte for byte, and none of the file's"
    root = progress.page.locator("[data-quizkit-progress]")
    assert root.locator(f'tr[data-lesson="{LESSON_1}"] [data-cell=read]').inner_text() == "yes"

    # With room again, the same file imports whole.
    notice = progress.import_file(path)
    assert "was imported" in notice.inner_text()
    assert progress.entries() == NEW


def test_an_import_that_cannot_fit_is_refused_before_anything_changes(progress: Progress) -> None:
    progress.open()
    progress.store(OLD)
    bigger = {**NEW, PREFIX + "exercise:next-refill": {**NEW[PREFIX + "exercise:next-refill"], "code": "# mine\n" * 5000}}
    path = progress.file(bigger)
    progress.open()
    before = progress.raw()
    assert progress.page.evaluate(FILL_STORAGE) > 1_000_000
    notice = progress.import_file(path)
    assert notice.get_attribute("data-status") == "error"
    text = notice.inner_text()
    assert text.startswith("“new.json” was not imported, and your progress is unchanged: "
                           "this browser's storage for this site is full (the file needs about "), text
    assert text.endswith(" KB more than is free)."), text
    assert progress.raw() == before, "nothing was written, nothing removed; no probe left behind"

    progress.page.evaluate("localStorage.removeItem('another-app')")
    assert "was imported" in progress.import_file(path).inner_text()


def test_fields_the_widgets_do_not_store_are_dropped_on_import_and_never_exported(progress: Progress) -> None:
    progress.open()
    with_extras: dict[str, Any] = {
        PREFIX + "read": {**NEW[PREFIX + "read"], "tracker": "abc"},
        PREFIX + "quiz:plans": {**NEW[PREFIX + "quiz:plans"], "extra": {"deep": [1, 2]},
                                "answers": {**NEW[PREFIX + "quiz:plans"]["answers"], "bad": {"nested": True}}},
        PREFIX + "exercise:monthly-allowance": {**NEW[PREFIX + "exercise:monthly-allowance"], "evil": "<script>",
                                                "hintsShown": -3},
        PREFIX + "exercise:next-refill": {**NEW[PREFIX + "exercise:next-refill"], "status": "hacked"},
        PREFIX + "activity": {**OLD[PREFIX + "activity"], "uploaded": "yes",
                              "profile": {**OLD[PREFIX + "activity"]["profile"], "balance": 40, "note": "<b>text</b>",
                                          "sections": {"photo": "complete", "video": {"x": 1}}}},
    }
    notice = progress.import_file(progress.file(with_extras))
    assert "was imported" in notice.inner_text()

    expected = {
        PREFIX + "read": NEW[PREFIX + "read"],
        PREFIX + "quiz:plans": NEW[PREFIX + "quiz:plans"],
        PREFIX + "exercise:monthly-allowance": {key: value for key, value in NEW[PREFIX + "exercise:monthly-allowance"].items()
                                                if key != "hintsShown"},
        PREFIX + "exercise:next-refill": {key: value for key, value in NEW[PREFIX + "exercise:next-refill"].items()
                                          if key != "status"},
        PREFIX + "activity": {**OLD[PREFIX + "activity"], "profile": {**OLD[PREFIX + "activity"]["profile"], "balance": 40}},
    }
    assert progress.entries() == expected, "what the widgets store is kept, and nothing else"
    assert progress.export("again.json")["data"] == expected, "so a later export cannot bring the unknown fields back"

    # An unknown field that reached the storage some other way is not exported either.
    progress.store({PREFIX + "quiz:plans": {**NEW[PREFIX + "quiz:plans"], "extra": 1}})
    assert progress.export("third.json")["data"][PREFIX + "quiz:plans"] == NEW[PREFIX + "quiz:plans"]


# ---------------------------------------------------------------- the service worker and `?v=`



FETCH = """async (url) => {
    try {
        const response = await fetch(url);
        return {status: response.status, text: await response.text()};
    } catch (error) {
        return {error: String(error)};
    }
}"""
MARK_KEPT_COPY = """async (path) => {
    // The service worker's kept copy of `path` (in whichever of its caches holds it) is given a body of its
    // own, so that an answer from a cache can be told from an answer from the network by its text alone.
    const text = `// the kept copy of ${path}`;
    for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) {
            if (new URL(request.url).pathname !== new URL(path, location.origin).pathname) continue;
            await cache.put(request, new Response(text, {headers: {"Content-Type": "text/javascript"}}));
            return text;
        }
    }
    return null;
}"""
OTHER_BUILD = "0123456789abcdef"


def test_a_versioned_url_of_another_build_is_never_answered_from_the_cache(site: BuiltSite, sw_context: BrowserContext,
                                                                            traffic: Traffic) -> None:
    page = sw_context.new_page()
    page.goto(site.url + LESSON_1)
    page.evaluate("window.quizkit.ready")
    offline_ready(page)  # the course precached, Python kept
    assert page.evaluate("window.quizkit.offline.python") is True
    course_version = page.evaluate("document.querySelector('script[src*=\"progress.js?v=\"]').src").partition("?v=")[2]
    runtime_version = next(url for url in runtime_list(site.dir) if "/worker.js?" in url).partition("?v=")[2]
    files = {  # a file of the precached course, a widget precached with it, a file of the kept runtime: this build's `?v=`
        "assets/quizkit/progress.js": course_version,
        "assets/quizkit/exercise.js": runtime_version,
        "assets/quizkit/worker.js": runtime_version,
    }
    # Each kept copy reads differently from the file the server sends, so the text says where an answer
    # came from (a route cannot say it: Playwright does not see every request a service worker lets through).
    kept = {path: page.evaluate(MARK_KEPT_COPY, "/" + path) for path in files}
    assert all(kept.values()), f"the service worker keeps every one of these files: {kept}"
    for path in files:
        other = page.evaluate(FETCH, f"{site.url}{path}?v={OTHER_BUILD}")
        network = (site.dir / path).read_text(encoding="utf-8")
        assert other == {"status": 200, "text": network}, f"{path}?v={OTHER_BUILD}: from the network, not the cache"

    with Failing(sw_context) as failing:
        for path, version in files.items():
            same = page.evaluate(FETCH, f"{site.url}{path}?v={version}")
            assert same == {"status": 200, "text": kept[path]}, f"{path}: this build's, offline, from the kept copy"
            other = page.evaluate(FETCH, f"{site.url}{path}?v={OTHER_BUILD}")
            assert "error" in other, f"{path}?v={OTHER_BUILD}: offline, a failure rather than this build's file: {other}"
        # At most these: a request the service worker lets through may go by unseen by the route, and
        # the failed loads are counted below from the browser's own log.
        assert {url.removeprefix(site.url) for url in failing.pages_and_files()} <= {
            f"{path}?v={OTHER_BUILD}" for path in files}, "only the other build's URLs went to the network"
    failed_loads = [error for error in traffic.console_errors if f"?v={OTHER_BUILD}" in error]
    assert len(failed_loads) == len(files), "the browser logs each failed load, as it does any"
    traffic.console_errors = [error for error in traffic.console_errors if error not in failed_loads]
    assert_clean(traffic)


# ---------------------------------------------------------------- the kept memory snapshot


KEPT_SNAPSHOT = """async () => {
    for await (const [name, handle] of (await navigator.storage.getDirectory()).entries()) {
        if (!name.startsWith("quizkit-snapshot-") || !name.endsWith(".bin")) continue;
        try {
            const file = await handle.getFile();
            const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", await file.arrayBuffer()));
            return {name, size: file.size, sha256: Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("")};
        } catch {
            return null;  // being replaced
        }
    }
    return null;
}"""
FLIP_ONE_BYTE = """async ([name, at]) => {
    const handle = await (await navigator.storage.getDirectory()).getFileHandle(name);
    const [byte] = new Uint8Array(await (await handle.getFile()).slice(at, at + 1).arrayBuffer());
    const writable = await handle.createWritable({keepExistingData: true});
    await writable.write({type: "write", position: at, data: new Uint8Array([byte ^ 0xff])});
    await writable.close();
}"""

CUT_SHORT = """async ([name, size]) => {
    const writable = await (await navigator.storage.getDirectory()).getFileHandle(name).then((h) => h.createWritable());
    await writable.write(new Uint8Array(size).fill(7));
    await writable.close();
}"""


def started_from(page: Page) -> set[str]:
    """Where the snapshot came from; Python started from it (the build's XOR undone: Pyodide restored it, no start without it)."""
    marks: dict[str, Any] = page.evaluate("window.quizkit.runtime.primary.marks")
    found = {name for name in ("snapshotFromDisk", "snapshotDecompressed") if name in marks}
    if found:
        assert {"snapshotUnmasked", "restoreSnapshot"} <= marks.keys(), marks
    return found


def open_exercise(page: Page, url: str) -> None:
    """Open the page and wait until Python is ready (no spare worker reads the kept snapshot: none starts before a Run or Check)."""
    page.goto(url)
    page.wait_for_function("() => window.quizkit && window.quizkit.ready")
    page.evaluate("window.quizkit.ready")
    assert page.evaluate("window.quizkit.runtime.spare") is None


def passes_a_check(page: Page, site: BuiltSite) -> None:
    """The first exercise of the page, its solution checked: passed (by this Check, not as an earlier visit left it)."""
    root = page.locator(".quizkit-exercise").first
    exercise_id = str(root.get_attribute("data-exercise-id"))
    page.evaluate("([id, code]) => window.quizkit.exercise(id).setCode(code)", [exercise_id, site.course.exercise(exercise_id).solution])
    check_passes(root)


def test_the_kept_snapshot_is_used_only_while_whole(page: Page, site: BuiltSite, traffic: Traffic) -> None:
    """Kept on a first visit, read back on the next; a copy with one byte changed (its size right) or cut short
    is refused by its hash and downloaded again, then kept again, whole. Python started from each passes a Check."""
    expected = hashlib.sha256(gzip.decompress((site.dir / "assets/quizkit/pyodide/snapshot.bin.gz").read_bytes())).hexdigest()
    worker = (site.dir / "assets/quizkit/worker.js").read_text(encoding="utf-8")
    assert re.search(rf'\bsnapshotSha256"?:"{expected}"', worker), "the build wrote the snapshot's hash into the worker's config"
    url = site.url + LESSON_1
    kept_whole = f"async () => (await ({KEPT_SNAPSHOT})())?.sha256 === {json.dumps(expected)}"
    open_exercise(page, url)
    assert started_from(page) == {"snapshotDecompressed"}, "a first visit downloads it"
    wait_for_async(page, kept_whole, timeout_ms=READY_TIMEOUT_MS)
    kept = page.evaluate(KEPT_SNAPSHOT)
    assert kept["size"] > 1_000_000

    open_exercise(page, url)
    assert started_from(page) == {"snapshotFromDisk"}, "the next visit reads the kept copy, checked"
    digest_ms = page.evaluate("window.quizkit.runtime.primary.marks.snapshotDigestMs")
    assert isinstance(digest_ms, (int, float))
    passes_a_check(page, site)

    for damage, args in ((FLIP_ONE_BYTE, [kept["name"], kept["size"] - 5000]), (CUT_SHORT, [kept["name"], 1000])):
        page.evaluate(damage, args)
        damaged = page.evaluate(KEPT_SNAPSHOT)
        assert damaged["sha256"] != expected
        open_exercise(page, url)
        assert started_from(page) == {"snapshotDecompressed"}, f"a damaged copy ({damaged['size']} bytes) is not used: downloaded again"
        passes_a_check(page, site)
        wait_for_async(page, kept_whole, timeout_ms=READY_TIMEOUT_MS)
    open_exercise(page, url)
    assert started_from(page) == {"snapshotFromDisk"}, (
        "and kept again, whole", expected, json.dumps(page.evaluate("window.quizkit.runtime.primary.marks")), page.evaluate(KEPT_SNAPSHOT))
    assert_clean(traffic)
