# Pages whose widgets are built by script must not jump while they load (Lighthouse's cumulative layout shift).
"""What a reader sees first stays where it is: the quiz is built before the first paint.

Each page holding a quiz, and the activity page, is opened on a phone-sized viewport (where a
quiz at the top of the page fills the screen); once its widgets are mounted and the page has
loaded, the layout shifts the browser recorded since navigation (`PerformanceObserver`,
`layout-shift`, buffered) add up to next to nothing (`MOST`). Before the quiz script was loaded render-blocking
from the head, the final quiz's form arrived after the first paint and pushed the rest of the
page out of view (Lighthouse: CLS 0.28, 14 performance points).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from tests.browser.conftest import assert_clean, every_editor, reach_for, save_data

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator
    from tests.browser.conftest import BuiltSite, Traffic

pytestmark = pytest.mark.browser

PHONE = {"width": 412, "height": 823}
"""Lighthouse's mobile viewport (Moto G Power)."""
MOST = 0.01
"""Layout shift allowed (a tenth of what Web Vitals calls good): Material's header buttons may settle by a
few pixels when its script runs after a first paint (0.0016); the quiz built late moved 0.28."""
SHIFTS = """() => new Promise((done) => {
  new PerformanceObserver((list, observer) => {
    observer.disconnect();
    done(list.getEntries().map((entry) => ({ value: entry.value, at: entry.startTime,
      nodes: entry.sources.map((source) => source.node?.outerHTML?.slice(0, 120) ?? '') })));
  }).observe({ type: 'layout-shift', buffered: true });
  // An empty buffer calls nothing back: a paint after this one flushes it.
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => done([]), 0)));
})"""


def _pages(site: BuiltSite) -> list[str]:
    """Every page with a quiz, and the activity's."""
    return sorted({*site.quiz_pages().values(), *site.activity_pages()})


def test_pages_with_widgets_do_not_shift_while_loading(site: BuiltSite, browser: Browser, traffic: Traffic) -> None:
    pages = _pages(site)
    assert any("final-quiz" in page for page in pages), pages
    for page_path in pages:
        context = browser.new_context(viewport=PHONE, service_workers="block")
        try:
            traffic.record(context)
            page = context.new_page()
            page.goto(site.url_of(page_path), wait_until="load")
            page.wait_for_selector("form.quizkit-quiz, [data-quizkit-activity][data-mounted]", state="attached")
            shifts = page.evaluate(SHIFTS)
            assert sum(shift["value"] for shift in shifts) < MOST, f"{page_path}: {shifts}"
        finally:
            context.close()
    assert_clean(traffic)


TOOLBAR_OFFSET = "(root) => root.querySelector('.quizkit-exercise__toolbar').getBoundingClientRect().top - root.getBoundingClientRect().top"
WHEN_MOUNTED = f"""window.__toolbarOffsets = {{}};
new MutationObserver((changes) => {{
  for (const {{ target }} of changes) {{
    if (target.dataset.mounted && !target.dataset.editor) window.__toolbarOffsets[target.dataset.exerciseId] = ({TOOLBAR_OFFSET})(target);
  }}
}}).observe(document, {{ subtree: true, attributes: true, attributeFilter: ["data-mounted"] }});"""
"""Each exercise's toolbar offset in its widget when the widget is mounted (buttons enabled), before the editor arrives."""


def _offsets(root: Locator) -> list[float]:
    """The toolbar's offset where the editor arrived (often off screen), then in view, where it is pressed.

    In view, read at once and two frames later: off screen CodeMirror guesses the heights of its line
    numbers and corrects them a frame or more after it comes into view, which must move nothing.
    """
    arrived = root.evaluate(TOOLBAR_OFFSET)
    root.locator(".quizkit-exercise__toolbar").scroll_into_view_if_needed()
    return [arrived, *root.evaluate(f"""(root) => new Promise((done) => {{
        const first = ({TOOLBAR_OFFSET})(root);
        requestAnimationFrame(() => requestAnimationFrame(() => done([first, ({TOOLBAR_OFFSET})(root)])));
    }})""")]


@pytest.mark.parametrize("width", [390, 1280])
def test_the_buttons_stay_put_when_the_code_editor_replaces_the_plain_code(site: BuiltSite, browser: Browser, traffic: Traffic,
                                                                            width: int) -> None:
    """The editor arrives after the page (as the reader nears its exercise, once Python is ready, 1.5 s in or at the
    reader's first key or tap): a Check pressed as it arrived landed elsewhere.

    The plain code shown until then takes the editor's room, wrapped lines and line numbers included, so
    nothing under it moves: each toolbar keeps its place in its exercise, off screen and in view. Pages open
    as under Save-Data: Python's status does not change meanwhile, so only the editor's arrival is measured
    (`test_pages_with_widgets_do_not_shift_while_loading` covers Python's start). A key pressed once the page has
    loaded brings the editor, as it does for a reader who starts typing.
    """
    pages = sorted(set(site.exercise_pages().values()))
    assert pages
    for page_path in pages:
        context = browser.new_context(viewport={"width": width, "height": 844}, service_workers="block")
        try:
            traffic.record(context)
            context.add_init_script(WHEN_MOUNTED)
            page = save_data(context.new_page())
            page.goto(site.url_of(page_path), wait_until="load")
            reach_for(page)
            every_editor(page)  # each comes as the reader nears its exercise
            page.wait_for_function("[...document.querySelectorAll('.quizkit-exercise')].every((root) => root.dataset.editor === 'ready')")
            before = page.evaluate("window.__toolbarOffsets")
            after = {root.get_attribute("data-exercise-id"): _offsets(root) for root in page.locator(".quizkit-exercise").all()}
            assert before.keys() == after.keys(), (before, after)
            moved = {ident: [round(offset - before[ident], 1) for offset in after[ident]] for ident in after}
            assert all(abs(by) <= 1 for offsets in moved.values() for by in offsets), f"{page_path} at {width} px: toolbars moved by {moved} px"
        finally:
            context.close()
    assert_clean(traffic)


ROOT_CHANGES = """new MutationObserver((changes) => {
    if (!document.querySelector(".md-container")) return;  // the header is still being parsed: nothing to restyle yet
    for (const change of changes) {
        const now = change.target.getAttribute(change.attributeName);
        if (now !== change.oldValue) (window.rootChanges ??= []).push(`${change.target.tagName} ${change.attributeName}: ${change.oldValue} -> ${now}`);
    }
}).observe(document, {attributes: true, attributeOldValue: true, subtree: true,
                      attributeFilter: ["class", "data-js-focus-visible", "data-md-color-scheme", "data-md-color-primary",
                                        "data-md-color-accent", "data-md-color-media", "data-md-color-switching"]});"""
"""Collects in `window.rootChanges` each change of a class or palette attribute of the root or the body made once the
page's content has started to be parsed (other elements' classes change for their own reasons and are left out)."""


@pytest.mark.parametrize("preference", ["light", "dark"])
def test_the_root_and_body_take_the_attributes_the_styles_key_on_before_the_content_is_parsed(
        site: BuiltSite, browser: Browser, traffic: Traffic, preference: str) -> None:
    # Each such change after that restyles the whole page: Material's script made six on every load (no-js -> js,
    # its focus-visible mark, the palette's switching mark set and cleared), lesson 1's longest style work.
    context = browser.new_context(viewport=PHONE, color_scheme=preference)
    traffic.record(context)
    page = save_data(context.new_page())
    page.add_init_script(ROOT_CHANGES)
    page.goto(site.url + "lessons/01-connects-and-plans/", wait_until="load")
    page.wait_for_function("() => Boolean(window.component$)")  # Material's script ran and mounted its components
    page.evaluate("() => new Promise((done) => setTimeout(done, 0))")  # and its palette's clearing task too
    changes = page.evaluate("""() => (window.rootChanges ?? []).filter((change) => /^(HTML|BODY) /.test(change))""")
    assert changes == []
    context.close()
    assert_clean(traffic)


ARTICLE_CHILDREN = """(() => {
  const changed = (window.articleChildren = []);
  let parsed = false;
  const observer = new MutationObserver((records) => {
    if (!parsed) return;
    for (const record of records) {
      // Appended at its end (the lesson's "read" control, progress.js), a child restyles only the one before it.
      if (!record.target.matches?.("article.md-content__inner") || record.nextSibling === null) continue;
      for (const node of [...record.addedNodes, ...record.removedNodes]) changed.push(node.nodeName + " " + (node.className ?? ""));
    }
  });
  observer.observe(document, { childList: true, subtree: true });
  // What the parser added is not a change: counted from the end of parsing, before any deferred script runs.
  document.addEventListener("readystatechange", () => {
    if (document.readyState !== "interactive") return;
    observer.takeRecords();
    parsed = true;
  });
})();"""
"""Collects in `window.articleChildren` each node added to or removed from the article, other than at its end, once the
page is parsed."""
CLASSLESS_TABLE = re.compile(r"<table(?![^>]*\bclass=)[^>]*>", re.IGNORECASE)


def test_no_script_changes_the_articles_children_in_its_middle_once_it_is_parsed(site: BuiltSite, browser: Browser,
                                                                                  traffic: Traffic) -> None:
    """Each such change restyles the whole article: Material's script re-inserting each table without a class in a
    scroll wrapper cost lesson 1 a restyle of 624 elements as it started. Each table has a wrapper of its own
    (quizkit/plugin/tables.py), where Material puts its scroll wrapper."""
    pages = [page for page in site.pages() if CLASSLESS_TABLE.search((site.dir / page).read_text(encoding="utf-8"))]
    assert any(page.startswith("lessons/") for page in pages), pages
    context = browser.new_context(viewport=PHONE)
    traffic.record(context)
    context.add_init_script(ARTICLE_CHILDREN)
    for page_path in pages:
        page = save_data(context.new_page())
        page.goto(site.url_of(page_path), wait_until="load")
        page.wait_for_function("() => Boolean(window.component$)")  # Material's script ran and mounted its components
        page.evaluate("() => new Promise((done) => setTimeout(done, 0))")
        assert page.evaluate("window.articleChildren") == [], page_path
        wrapped = page.evaluate("""() => [...document.querySelectorAll("article table:not([class])")]
            .map((table) => table.closest(".quizkit-table > .md-typeset__scrollwrap") !== null)""")
        assert wrapped, page_path
        assert all(wrapped), f"{page_path}: {wrapped}"
        page.close()
    context.close()
    assert_clean(traffic)
