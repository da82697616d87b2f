"""The Progress page's look (issue 12, item 8), checked by layout in Chromium at 390 and 1280 px in both colour schemes.

The table is styled like Material's tables (border, shaded header row, left-aligned text), each lesson and
the course have a progress bar whose fill is as long as its value says, nothing in a row overlaps and the
page never scrolls sideways; axe-core finds nothing serious in either scheme.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

import pytest
from tests.browser.conftest import SCHEMES, assert_clean
from tests.browser.test_accessibility import needs_axe, serious
from tests.browser.test_progress import course_data

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Locator, Page
    from tests.browser.conftest import BuiltSite, Traffic

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("progress-look")]  # one page per width and scheme

LESSON_1 = "lessons/01-connects-and-plans/"
FINAL = "final-quiz/"
WIDTHS = {"phone": {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True},
          "desktop": {"viewport": {"width": 1280, "height": 800}}}
SLACK = 1.0
"""Pixels of rounding allowed when comparing boxes."""


def steps(lesson: dict[str, Any]) -> int:
    """Reading the lesson, each quiz, the analysis: exercises are optional, not steps (progress.py `steps`)."""
    return 1 + len(lesson["quizzes"]) + int(lesson["activity"])


@pytest.fixture(scope="module", params=[(w, s) for w in WIDTHS for s in SCHEMES], ids=lambda p: f"{p[0]}-{p[1]}")
def progress_page(request: pytest.FixtureRequest, browser: Browser, site: BuiltSite, module_traffic: Traffic) -> Iterator[Page]:
    """The Progress page with a lesson in progress and one complete, in one width and one colour scheme.

    One page per width and scheme, shared by the tests that only look at it (a new context and page
    for each took about 2.5 s of the test run's two cores, 50 s in all).
    """
    width, scheme = request.param
    traffic = module_traffic
    context = browser.new_context(service_workers="block", color_scheme=scheme, **WIDTHS[width])  # type: ignore[arg-type]
    traffic.record(context)
    try:
        page = context.new_page()
        page.goto(site.url + "progress/")
        final = next(lesson for lesson in course_data(site)["lessons"] if lesson["url"] == FINAL)
        page.evaluate("""([lesson, final, exercise, quizzes]) => {
            localStorage.setItem("quizkit:v1:/:read", JSON.stringify({version: 1, pages: {[lesson]: "x", [final]: "x"}}));
            localStorage.setItem(`quizkit:v1:/:exercise:${exercise}`, JSON.stringify({code: "", status: "passed", solved: true}));
            for (const quiz of quizzes) localStorage.setItem(`quizkit:v1:/:quiz:${quiz}`, JSON.stringify({answers: {}, submitted: true, best: 1}));
        }""", [LESSON_1, FINAL, "monthly-allowance", [q["id"] for q in final["quizzes"]]])
        page.reload()
        page.locator("[data-quizkit-progress][data-mounted]").wait_for()
        assert page.evaluate("document.body.dataset.mdColorScheme") == SCHEMES[scheme]
        page.mouse.move(0, 0)  # no row under the pointer (hover shading)
        yield page
    finally:
        context.close()
    assert_clean(traffic)


def boxes(page: Page, locator: Locator) -> list[dict[str, Any]]:
    """The rendered boxes of what a row shows: its cells, and in each cell the link, the compact line and the bar."""
    return list(page.evaluate("""(row) => [...row.querySelectorAll("th, td, th > *, td > *")]
        .filter((el) => el.getClientRects().length && getComputedStyle(el).visibility !== "hidden")
        .map((el) => { const r = el.getBoundingClientRect();
            return {name: el.dataset.cell || el.dataset.role || el.tagName, cell: el.matches("th, td"),
                    left: r.left, right: r.right, top: r.top, bottom: r.bottom}; })""", locator.element_handle()))


def overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return bool(min(a["right"], b["right"]) - max(a["left"], b["left"]) > SLACK
            and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > SLACK)


def bar_state(page: Page, bar: Locator) -> dict[str, Any]:
    """A bar's value and maximum (ARIA), its inner width and its fill's width, in pixels."""
    return dict(page.evaluate("""(bar) => ({now: Number(bar.getAttribute("aria-valuenow")),
        max: Number(bar.getAttribute("aria-valuemax")), track: bar.clientWidth, height: bar.getBoundingClientRect().height,
        fill: bar.querySelector(".quizkit-progress__fill").getBoundingClientRect().width,
        text: bar.getAttribute("aria-valuetext")})""", bar.element_handle()))


# ---------------------------------------------------------------- before any script


def test_the_bars_are_in_the_page_before_any_script_runs(site: BuiltSite) -> None:
    text = (site.dir / "progress" / "index.html").read_text(encoding="utf-8")
    lessons = course_data(site)["lessons"]
    for lesson in lessons:
        row = text[text.index(f'<tr data-lesson="{lesson["url"]}">'):]
        row = row[:row.index("</tr>")]
        label = f'Steps done in {html.escape(lesson["title"])}'
        assert (f'data-role="bar" role="progressbar" aria-label="{label}" aria-valuemin="0" '
                f'aria-valuemax="{steps(lesson)}" aria-valuenow="0"') in row
    total = sum(steps(lesson) for lesson in lessons)
    course = ('data-role="course-bar" role="progressbar" aria-label="Steps done in the whole course" '
              f'aria-valuemin="0" aria-valuemax="{total}" aria-valuenow="0" aria-valuetext="0 of {total} steps"')
    assert course in text


# ---------------------------------------------------------------- layout, at both widths and in both schemes


def test_the_page_never_scrolls_sideways(progress_page: Page) -> None:
    width = progress_page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page is {width[0]} px wide in {width[1]} px"
    wrap = progress_page.evaluate("""() => { const w = document.querySelector(".quizkit-progress .md-typeset__scrollwrap");
        return [w.scrollWidth, w.clientWidth]; }""")
    assert wrap[0] <= wrap[1], f"the table scrolls sideways: {wrap[0]} px in {wrap[1]} px"


def test_the_table_looks_like_materials_tables(progress_page: Page) -> None:
    style = progress_page.evaluate("""() => {
        const table = document.querySelector(".quizkit-progress__table"), css = (el) => getComputedStyle(el);
        const cells = [...table.querySelectorAll("th, td")].filter((el) => el.getClientRects().length);
        return {border: css(table).borderTopWidth, borderColor: css(table).borderTopColor,
                aligns: [...new Set(cells.map((el) => css(el).textAlign))],
                header: css(table.querySelector("thead th")).backgroundColor,
                page: css(document.body).backgroundColor,
                rowLine: css(table.querySelector("tbody th")).borderTopWidth}; }""")
    assert style["aligns"] == ["left"], f"cells aligned {style['aligns']}"
    assert float(style["border"].removesuffix("px")) > 0, "the table has a border"
    assert float(style["rowLine"].removesuffix("px")) > 0, "rows are divided by a line"
    assert style["header"] not in {"rgba(0, 0, 0, 0)", "transparent", style["page"]}, "the header row is shaded"


def test_every_lesson_and_the_course_have_a_bar_as_long_as_their_value(progress_page: Page, site: BuiltSite) -> None:
    lessons = course_data(site)["lessons"]
    expected = {lesson["url"]: 0 for lesson in lessons}
    expected[LESSON_1] = 1  # read; the exercise it passed is optional, not a step
    expected[FINAL] = next(steps(lesson) for lesson in lessons if lesson["url"] == FINAL)  # complete
    rows = progress_page.locator("tr[data-lesson]")
    assert rows.count() == len(lessons)
    bars = {str(row.get_attribute("data-lesson")): bar_state(progress_page, row.locator("[data-role=bar]")) for row in rows.all()}
    bars["course"] = bar_state(progress_page, progress_page.locator("[data-role=course-bar]"))
    expected["course"] = sum(expected.values())
    for name, bar in bars.items():
        assert bar["now"] == expected[name], f"{name}: {bar['now']} steps"
        assert bar["text"] == f"{bar['now']:.0f} of {bar['max']:.0f} steps" or bar["text"] == "0 of 1 step"
        assert bar["track"] > 0, f"{name}: the bar is not shown"
        assert bar["height"] > 0, f"{name}: the bar has no height"
        assert abs(bar["fill"] - bar["track"] * bar["now"] / bar["max"]) <= SLACK, f"{name}: {bar}"
    assert bars[LESSON_1]["fill"] > 0
    assert bars[FINAL]["fill"] == pytest.approx(bars[FINAL]["track"], abs=SLACK)
    percent = int(str(progress_page.locator("[data-role=summary]").get_attribute("data-percent")))
    assert percent == 100 * bars["course"]["now"] // bars["course"]["max"]


def test_nothing_in_a_row_overlaps(progress_page: Page) -> None:
    for row in progress_page.locator("tr[data-lesson]").all():
        shown = boxes(progress_page, row)
        cells = [b for b in shown if b["cell"]]
        inner = [b for b in shown if not b["cell"]]
        for group in (cells, inner):
            for i, a in enumerate(group):
                for b in group[i + 1:]:
                    assert not overlap(a, b), f"{row.get_attribute('data-lesson')}: {a['name']} overlaps {b['name']}"
        for box in inner:
            assert any(c["left"] - SLACK <= box["left"] and box["right"] <= c["right"] + SLACK
                       and c["top"] - SLACK <= box["top"] and box["bottom"] <= c["bottom"] + SLACK for c in cells), \
                f"{row.get_attribute('data-lesson')}: {box['name']} leaves its cell"


@needs_axe
def test_the_progress_page_passes_axe(progress_page: Page) -> None:
    assert serious(progress_page) == []
    assert re.fullmatch(r"\d+", str(progress_page.locator("[data-role=summary]").get_attribute("data-percent")))
