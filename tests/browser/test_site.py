# Every page of the built course in Chromium: offline, no errors, Python only where an exercise is, accessible.
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from tests.browser.conftest import (
    COLOUR_RULES,
    SCHEMES,
    assert_clean,
    every_editor,
    in_each_scheme,
    reach_for,
    save_data,
    switch_scheme,
)

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page
    from tests.browser.conftest import BuiltSite, Traffic

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SITES = ["site", "fixture_site"]
QUIZ_ASSETS = ("assets/quizkit/quiz.js", "assets/quizkit/quizkit.css")
PROGRESS_ASSETS = ("assets/quizkit/progress.js", "assets/quizkit/progress.css", "assets/quizkit/progress-page.js",
                   "assets/quizkit/offline.js")
"""On every page: the progress marks, the Progress page's part (there only) and the service worker's registration."""


def _python_runtime(requests: list[str], site: BuiltSite) -> list[str]:
    """Requests of the exercise runtime: anything quizkit serves but the quiz and progress scripts, and Pyodide."""
    own = [url.removeprefix(site.url).split("?")[0] for url in requests if url.startswith(site.url)]
    return [url for url in own
            if "pyodide" in url or (url.startswith("assets/quizkit/") and url not in QUIZ_ASSETS + PROGRESS_ASSETS)]


def recorded(page: Page) -> list[str]:
    """The URLs `page` and its workers ask for from now on."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    return requests


@pytest.mark.parametrize("site_fixture", SITES)
def test_every_page_loads_offline_without_errors(site_fixture: str, request: pytest.FixtureRequest,
                                                 context: BrowserContext, traffic: Traffic) -> None:
    site: BuiltSite = request.getfixturevalue(site_fixture)
    with_exercises = set(site.exercise_pages().values())
    with_python = with_exercises | set(site.activity_pages())  # the activity runs the analysis in the same worker
    with_quizzes = set(site.quiz_pages().values())
    pages = site.pages()
    assert "index.html" in pages
    assert "reference/rules/index.html" in pages
    for name in pages:
        # A page of its own for each: the requests are this page's and its workers', never a late one of the
        # page before (a busy machine could deliver the previous page's editor request after the next began).
        page = context.new_page()
        requests = recorded(page)
        if name in with_python:
            # Python starts here: its worker's first request for Pyodide says so (and shows that the recorder
            # sees the worker's requests, so an empty list on the other pages means something). The page
            # closes then: the rest of the start (20 MB, two CPU-seconds) is other tests' subject.
            with page.expect_request(lambda request: "pyodide" in request.url):
                page.goto(site.url_of(name), wait_until="load")
            assert any("pyodide" in url for url in _python_runtime(requests, site)), name
        else:
            # By `load` every script of the page has run (the widgets mount on DOMContentLoaded): a page
            # without an exercise script has nothing left that could start Python (asserted just below).
            page.goto(site.url_of(name), wait_until="load")
            assert _python_runtime(requests, site) == [], name
            assert page.locator("script[src*='exercise']").count() == 0, name
        assert "Not affiliated with Upwork" in page.locator("footer").inner_text(), name
        if name in with_quizzes:
            assert page.locator("form.quizkit-quiz[data-quiz-id]").count() >= 1, name
        else:
            widgets = page.locator("script[src*='assets/quizkit/']:not([src*='assets/quizkit/progress.js'])")
            assert widgets.count() == (name in with_python), name
        if name != "404.html":  # MkDocs renders the 404 page from the theme alone: no plugin page events
            assert page.locator("script#quizkit-course").count() == 1, name
            assert page.locator("script[src*='assets/quizkit/progress.js?v=']").count() == 1, name
        page.close()
    assert_clean(traffic)


def test_the_real_course_has_every_page_of_the_nav(site: BuiltSite) -> None:
    pages = set(site.pages())
    for name in ("index.html", "lessons/01-connects-and-plans/index.html", "lessons/02-connects-required/index.html",
                 "lessons/03-proposal-visibility/index.html", "lessons/04-profile-activity/index.html",
                 "final-quiz/index.html", "progress/index.html", "reference/rules/index.html"):
        assert name in pages


def _axe(page: Page, context: dict[str, Any], rules: list[str] | None = None) -> list[dict[str, Any]]:
    if not page.evaluate("Boolean(window.axe)"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async ([context, rules]) => {
        const options = {resultTypes: ["violations"], ...(rules ? {runOnly: {type: "rule", values: rules}} : {})};
        const result = await axe.run(context, options);
        return result.violations.map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" "))}));
    }""", [context, rules])
    return list(result)


def _axe_pages(site: BuiltSite, page: Page, context: dict[str, Any], names: list[str]) -> str:
    """axe-core's violations on `names` with every quiz submitted (feedback shown): every rule in the light
    scheme, then the colour rules in the dark one (one load per page, not one per scheme)."""
    found = []
    for name in names:
        page.goto(site.url_of(name), wait_until="load")  # the quizzes and marks mount on DOMContentLoaded
        # Each exercise's code editor in place of its plain code (or the plain code kept, where it failed).
        reach_for(page)
        every_editor(page)
        for form in page.locator("form.quizkit-quiz").all():
            form.locator("[data-action=submit]").click()
        for scheme, rules in in_each_scheme(page):
            found += [f"{name} ({scheme}): {v['id']} ({v['impact']}) {v['nodes']}" for v in _axe(page, context, rules)]
            assert page.evaluate("document.body.dataset.mdColorScheme") == SCHEMES[scheme], "still in that scheme"
    return "\n".join(found)


needs_axe = pytest.mark.skipif(not AXE.exists(), reason="axe-core is installed by `npm ci` (make deps)")


@needs_axe
@pytest.mark.parametrize("site_fixture", SITES)
def test_pages_pass_axe(site_fixture: str, request: pytest.FixtureRequest, page: Page, traffic: Traffic) -> None:
    """Theme, lessons, quizzes and reference page; the exercise widget has a test of its own, below (so Python waits)."""
    site: BuiltSite = request.getfixturevalue(site_fixture)
    context = {"include": ["html"], "exclude": [".quizkit-exercise"]}
    assert _axe_pages(site, save_data(page), context, site.pages()) == ""
    assert_clean(traffic)


@needs_axe
@pytest.mark.parametrize("site_fixture", SITES)
def test_exercise_widgets_pass_axe(site_fixture: str, request: pytest.FixtureRequest, page: Page, traffic: Traffic) -> None:
    """Every exercise's widget as it waits for the reader to load Python (Save-Data): its prompt, hints, editor and
    buttons. The states Python brings (running, passed, failed, the solution) are test_exercises.py's, on one."""
    site: BuiltSite = request.getfixturevalue(site_fixture)
    pages = sorted(set(site.exercise_pages().values()))
    assert _axe_pages(site, save_data(page), {"include": [".quizkit-exercise"]}, pages) == ""
    assert_clean(traffic)


def test_axe_reports_what_breaks_a_rule_in_either_scheme(fixture_site: BuiltSite, page: Page) -> None:
    """The harness itself: text too faint for the dark scheme only is found by its colour pass."""
    page.goto(fixture_site.url_of("plain/index.html"), wait_until="load")
    page.evaluate("""() => { const style = document.createElement("style");
        style.textContent = "[data-md-color-scheme=slate] article p:first-of-type { color: #333 !important }";
        document.head.append(style); }""")
    switch_scheme(page, "dark")
    assert [v["id"] for v in _axe(page, {"include": ["article"]}, COLOUR_RULES)] == ["color-contrast"]


def test_the_harness_blocks_and_records_other_hosts(fixture_site: BuiltSite, page: Page, traffic: Traffic) -> None:
    page.goto(fixture_site.url_of("plain/index.html"), wait_until="load")
    outcome = page.evaluate("""() => fetch("https://cdn.example.com/lib.js").then(() => "fetched", () => "blocked")""")
    assert outcome == "blocked"
    assert traffic.foreign == ["https://cdn.example.com/lib.js"]
    assert traffic.console_errors  # the browser reports the failed request
    with pytest.raises(AssertionError, match="requests to other hosts"):
        assert_clean(traffic)
