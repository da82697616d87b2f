"""The reader's path on a phone (390 x 844, touch) and on a desktop (1280 px), checked by layout (issue 15).

Each test runs in both devices (its own browser context, recorded like the shared one: nothing
leaves localhost) and measures what a reader sees: bounding boxes against the viewport, button
sizes, the rows a wrapped code line takes, the lines a title takes, the page's width. The tests
that fill in a whole profile, analyse it and read the results share one page per device (`analysed`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from tests.browser.conftest import CONTEXT_ARGS, assert_clean, check_passes, editor_of, python_ready, reach_for, save_data

from quizkit.analysis import read_profile
from quizkit.expressions import long_date
from quizkit.load import load_rules, read_yaml

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from playwright.sync_api import Browser, Locator, Page
    from tests.browser.conftest import BuiltSite, Traffic

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
RULES = load_rules()
LESSON_2 = "lessons/02-connects-required/"
EXERCISE = "job-triage"
KEY = "quizkit:v1:/:activity"
TODAY = "2026-11-26"
DEVICES: dict[str, dict[str, Any]] = {
    "phone": {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}
TOUCH_MIN = 44

# Records every programmatic scroll and its behaviour, to tell smooth from instant (reduced motion).
SCROLL_SPY = """(() => {
  window.__scrolls = [];
  const record = (how) => window.__scrolls.push(how && typeof how === "object" ? (how.behavior || "auto") : "auto");
  const scrollBy = window.scrollBy.bind(window);
  window.scrollBy = (...args) => { record(args[0]); return scrollBy(...args); };
  const into = Element.prototype.scrollIntoView;
  Element.prototype.scrollIntoView = function (how) { record(how); return into.call(this, how); };
})();"""


class Device:
    """A page in one device, with the measures the tests take."""

    def __init__(self, name: str, page: Page, site: BuiltSite) -> None:
        self.name = name
        self.page = page
        self.site = site

    @property
    def touch(self) -> bool:
        return self.name == "phone"

    def open(self, path: str) -> Page:
        self.page.goto(self.site.url + path)
        return self.page

    def press(self, locator: Locator) -> None:
        """A tap on a phone, a click on a desktop."""
        if self.touch:
            locator.tap()
        else:
            locator.click()

    def box(self, locator: Locator) -> dict[str, float]:
        box = locator.bounding_box()
        assert box is not None, f"{locator} is not rendered"
        return box

    def visible_top(self) -> float:
        """Below Material's header, which stays on top of the page."""
        return float(self.page.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom"))

    def in_view(self, locator: Locator) -> bool:
        return bool(self.page.evaluate("""(el) => { const r = el.getBoundingClientRect();
            const top = document.querySelector('.md-header').getBoundingClientRect().bottom;
            return r.top >= top - 1 && r.bottom <= window.innerHeight + 1; }""", locator.element_handle()))

    def no_sideways_scroll(self) -> None:
        width = self.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"the page scrolls sideways on the {self.name}: {width[0]} px in {width[1]} px"

    def lines(self, locator: Locator) -> int:
        """How many lines the text of an element takes (distinct tops of its text's line boxes)."""
        return int(self.page.evaluate("""(el) => { const range = document.createRange(); range.selectNodeContents(el);
            return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size; }""",
                                      locator.element_handle()))


def _device(name: str, browser: Browser, site: BuiltSite, traffic: Traffic) -> Iterator[Device]:
    context = browser.new_context(**CONTEXT_ARGS, **DEVICES[name])  # reduced motion, but where a test asks for more
    traffic.record(context)
    try:
        yield Device(name, context.new_page(), site)
    finally:
        context.close()
    assert_clean(traffic)


@pytest.fixture(params=list(DEVICES))
def device(request: pytest.FixtureRequest, browser: Browser, site: BuiltSite, traffic: Traffic) -> Iterator[Device]:
    yield from _device(request.param, browser, site, traffic)


def shared_per_device(name: str, prepare: Callable[[Device], object], doc: str) -> tuple[Any, Any, Any]:
    """Fixtures for tests that share one page per device: `<name>_phone` and `<name>_desktop` (module scope,
    without parameters, so pytest keeps both for the whole module rather than one at a time), each a device
    `prepare`d once, and `<name>`, parametrised over the devices, which hands a test the one it asks for."""

    def shared(device_name: str) -> Any:
        def fixture(browser: Browser, site: BuiltSite, module_traffic: Traffic) -> Iterator[Device]:
            for device in _device(device_name, browser, site, module_traffic):
                prepare(device)
                yield device
        return pytest.fixture(scope="module", name=f"{name}_{device_name}")(fixture)

    def chosen(request: pytest.FixtureRequest) -> Device:
        device: Device = request.getfixturevalue(f"{name}_{request.param}")
        return device

    chosen.__doc__ = doc
    return shared("phone"), shared("desktop"), pytest.fixture(params=list(DEVICES), name=name)(chosen)


def axe(page: Page) -> list[str]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
        .map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" "))}))""")
    return [f"{v['id']} ({v['impact']}): {v['nodes']}" for v in found if v["impact"] in {"serious", "critical"}]


needs_axe = pytest.mark.skipif(not AXE.exists(), reason="axe-core is installed by `npm ci` (make deps)")


# ---------------------------------------------------------------- the exercise widget


def open_exercise(device: Device, *, python: bool = True) -> Locator:
    """The exercise with its editor, and Python ready (`python`), or as a reader who saves data sees it."""
    if not python:
        save_data(device.page)
    page = device.open(LESSON_2)
    if not python:
        reach_for(page)
    root = page.locator(f'.quizkit-exercise[data-exercise-id="{EXERCISE}"]')
    editor_of(page, EXERCISE, "ready")
    if python:
        python_ready(page)
    return root


def press_check(device: Device, root: Locator) -> None:
    """Press Check as the device does (a tap on the phone) and wait until this Check has passed."""
    check_passes(root, 90_000, press=device.press)


def set_code(device: Device, code: str) -> None:
    device.page.evaluate("([id, code]) => window.quizkit.exercise(id).setCode(code)", [EXERCISE, code])


CHECKED = pytest.mark.xdist_group("phone-checked")
"""The tests on `checking`: in one process, so each device's exercise page and Python start once."""


def _checking(device: Device) -> None:
    device.page.add_init_script(SCROLL_SPY)
    open_exercise(device)


checking_phone, checking_desktop, checking = shared_per_device("checking", _checking, """The exercise page in one
    device, Python ready and scrolls recorded (`window.__scrolls`), for the tests that each put the solution in and
    press Check: one page and one Python per device for all of them.""")


def exercise_root(device: Device) -> Locator:
    return device.page.locator(f'.quizkit-exercise[data-exercise-id="{EXERCISE}"]')


@CHECKED
@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
def test_check_brings_the_verdict_into_view(checking: Device, motion: str) -> None:
    """The editor in view, Check pressed: the verdict ends within the viewport, smoothly unless motion is reduced."""
    device = checking
    device.page.emulate_media(reduced_motion=motion)  # type: ignore[arg-type]
    root = exercise_root(device)
    set_code(device, device.site.course.exercise(EXERCISE).solution)
    # The reader scrolled to the editor: its top just under the header.
    device.page.evaluate("""(el) => window.scrollBy({top: el.getBoundingClientRect().top
        - document.querySelector('.md-header').getBoundingClientRect().bottom - 8, behavior: 'instant'})""",
                         root.locator("[data-role=editor]").element_handle())
    device.page.evaluate("window.__scrolls = []")
    press_check(device, root)
    verdict = root.locator("[data-role=verdict][data-status=passed]")
    device.page.wait_for_function("""(el) => { const r = el.getBoundingClientRect();
        const top = document.querySelector('.md-header').getBoundingClientRect().bottom;
        return r.top >= top - 1 && r.bottom <= window.innerHeight + 1; }""", arg=verdict.element_handle(), timeout=5_000)
    assert verdict.get_attribute("aria-live") == "polite", "the verdict is announced"
    scrolls = device.page.evaluate("window.__scrolls")
    if scrolls:  # the verdict was out of sight under the editor
        assert scrolls == ["instant" if motion == "reduce" else "smooth"]
    toolbar = device.box(root.locator(".quizkit-exercise__toolbar"))
    assert device.box(verdict)["y"] - (toolbar["y"] + toolbar["height"]) < 80, "the verdict sits right under the buttons"
    device.no_sideways_scroll()


@CHECKED
def test_a_verdict_already_in_view_does_not_move_the_page(checking: Device) -> None:
    device = checking
    root = exercise_root(device)
    set_code(device, device.site.course.exercise(EXERCISE).solution)
    press_check(device, root)
    verdict = root.locator("[data-role=verdict]")
    # The toolbar and the whole verdict on screen, then Check again: nothing scrolls.
    device.page.evaluate("""(el) => window.scrollBy({top: el.getBoundingClientRect().top
        - document.querySelector('.md-header').getBoundingClientRect().bottom - 8, behavior: 'instant'})""",
                         root.locator(".quizkit-exercise__toolbar").element_handle())
    assert device.in_view(verdict)
    before = device.page.evaluate("window.scrollY")
    device.page.evaluate("window.__scrolls = []")
    press_check(device, root)
    assert device.page.evaluate("window.__scrolls") == []
    assert device.page.evaluate("window.scrollY") == before


@CHECKED
def test_a_verdict_s_checks_take_its_whole_width(checking: Device) -> None:
    """Each check's ✓ or ✗ stands where a bullet would, at the verdict's left edge: Material's list indent (1.9em)
    once outweighed the widget's own margins, taking 30 px of a 320 px screen."""
    device = checking
    root = exercise_root(device)
    set_code(device, device.site.course.exercise(EXERCISE).solution)
    press_check(device, root)
    summary = device.box(root.locator(".quizkit-verdict__summary"))
    for mark in root.locator(".quizkit-checks > li").all():
        assert abs(device.box(mark)["x"] - summary["x"]) <= 1, f"a check indented on the {device.name}"


def test_exercise_buttons_are_big_enough_to_tap(device: Device) -> None:
    root = open_exercise(device, python=False)  # the buttons are there before Python, and "Load Python" too
    assert root.locator("[data-action=load-python]:visible").count() == 1
    for button in root.locator(".quizkit-exercise__toolbar button, [data-action=load-python]").all():
        if not button.is_visible():
            continue
        box = device.box(button)
        if device.touch:
            assert box["width"] >= TOUCH_MIN, f"{button.get_attribute('data-action')}: {box}"
            assert box["height"] >= TOUCH_MIN, f"{button.get_attribute('data-action')}: {box}"
        else:
            assert box["height"] >= 24, f"{button.get_attribute('data-action')}: {box}"
    device.no_sideways_scroll()


def test_a_hint_comes_into_view_and_the_last_keeps_the_focus(device: Device) -> None:
    """The reader presses Hint with the buttons at the bottom of the screen: the hint, shown below them (after the
    verdict and the output, which a failed Check makes long), comes into view; it once appeared out of sight, the
    button's label the only change on screen. The last hint disables the button: focus goes to that hint, not to
    the page's start."""
    root = open_exercise(device, python=False)  # hints need no Python
    hint = root.locator("[data-action=hint]")
    hints = root.locator("[data-role=hints] > li")
    count = hints.count()
    assert count >= 2, "the exercise has hints to show"
    # The buttons at the bottom of the screen, as after reading the prompt and the code.
    device.page.evaluate("""(el) => window.scrollBy({top: el.getBoundingClientRect().bottom - window.innerHeight + 4,
        behavior: 'instant'})""", root.locator(".quizkit-exercise__toolbar").element_handle())
    for shown in range(count):
        hint.focus()
        device.press(hint)
        device.page.wait_for_function("""(el) => { const r = el.getBoundingClientRect();
            const top = document.querySelector('.md-header').getBoundingClientRect().bottom;
            return !el.hidden && r.top >= top - 1 && r.bottom <= window.innerHeight + 1; }""",
                                      arg=hints.nth(shown).element_handle(), timeout=5_000)
        if shown < count - 1:
            assert device.page.evaluate("document.activeElement.dataset.action") == "hint"
            # the next press starts with the button out of view again, as for a reader who reads the hint first
            device.page.evaluate("""(el) => window.scrollBy({top: el.getBoundingClientRect().bottom - window.innerHeight + 4,
                behavior: 'instant'})""", root.locator(".quizkit-exercise__toolbar").element_handle())
    assert hint.is_disabled()
    assert device.page.evaluate("(el) => document.activeElement === el", hints.nth(count - 1).element_handle()), \
        f"focus went to {device.page.evaluate('document.activeElement.outerHTML.slice(0, 80)')}"
    device.no_sideways_scroll()


def test_a_wrapped_code_line_keeps_its_indentation(device: Device) -> None:
    """A long indented line wraps onto rows that start right of its indentation: never at column 0."""
    root = open_exercise(device, python=False)  # the editor's layout: no code runs
    long = "    proposals = balance // required + " + " + ".join(f"extra_{i}" for i in range(30))
    set_code(device, f"def f(balance, required):\n{long}\n    return proposals\n")
    line = root.locator(".cm-line").nth(1)
    rows = device.page.evaluate("""(line) => {
        const text = line.firstChild && line.textContent;
        const range = document.createRange(); range.selectNodeContents(line);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0);
        const tops = [...new Set(rects.map((r) => Math.round(r.top)))].sort((a, b) => a - b);
        const lefts = tops.map((top) => Math.min(...rects.filter((r) => Math.round(r.top) === top).map((r) => r.left)));
        // Where the code starts on the first row: the first character that is not a space.
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        let start = null;
        for (let node = walker.nextNode(); node && !start; node = walker.nextNode()) {
            const i = node.textContent.search(/\\S/);
            if (i >= 0) { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1); start = r.getBoundingClientRect().left; }
        }
        const gutter = line.closest('.cm-editor').querySelector('.cm-content').getBoundingClientRect().left;
        return {rows: tops.length, lefts, start, content: gutter, text};
    }""", line.element_handle())
    assert rows["rows"] >= 2, f"the line should wrap on the {device.name}: {rows}"
    first, *rest = rows["lefts"]
    assert first <= rows["start"], rows
    for left in rest:
        assert left > rows["start"] + 1, f"a wrapped row starts left of the line's code: {rows}"
    assert root.locator(".cm-line").nth(1).get_attribute("data-hang") == "8", "4 columns of indentation + 4 of hang"
    device.no_sideways_scroll()


# ---------------------------------------------------------------- progress


def test_the_page_title_keeps_room_in_the_header(device: Device) -> None:
    """Session 33's phone review: at 390 px the words "Your progress" left the title three letters ("Con…")."""
    save_data(device.page)
    page = device.open(LESSON_2)
    title = page.locator(".md-header__topic:not([data-md-component]) .md-ellipsis, .md-header__title .md-ellipsis").first
    width = title.evaluate("(el) => el.getBoundingClientRect().width")
    assert width >= 120, f"the header's title is {width:.0f} px wide on the {device.name}"


def test_your_progress_is_one_tap_away_from_every_lesson(device: Device) -> None:
    save_data(device.page)  # no exercise is run: Python need not start
    page = device.open(LESSON_2)
    header = page.locator(".md-header [data-quizkit-progress-link=header]")
    assert header.is_visible(), "the header links to the Progress page on every width"
    if device.touch:
        box = device.box(header)
        assert box["width"] >= TOUCH_MIN
        assert box["height"] >= TOUCH_MIN
    end = page.locator("article [data-quizkit-progress-link]").get_by_role("link", name="Your progress")
    assert end.count() == 1, "the lesson ends with a link to the Progress page"
    device.no_sideways_scroll()
    device.press(header)
    page.wait_for_url("**/progress/")
    page.locator("[data-quizkit-progress][data-mounted]").wait_for()
    assert page.locator("article [data-quizkit-progress-link]").count() == 0, "no link to itself"


def test_the_progress_page_says_what_a_step_is_and_fits_a_phone(device: Device) -> None:
    page = device.open("progress/")
    page.evaluate(f"""() => {{
        localStorage.setItem("quizkit:v1:/:read", JSON.stringify({{version: 1, pages: {{"{LESSON_2}": "x"}}}}));
        localStorage.setItem("quizkit:v1:/:exercise:{EXERCISE}", JSON.stringify({{code: "", status: "passed", solved: true}}));
    }}""")
    page.reload()
    root = page.locator("[data-quizkit-progress][data-mounted]")
    root.wait_for()
    assert "A step is one thing to do in a lesson" in root.locator("[data-role=steps]").inner_text()
    for title in root.locator("tr[data-lesson] th[scope=row] a").all():
        assert device.lines(title) <= 2, f"{title.inner_text()} takes {device.lines(title)} lines on the {device.name}"
    row = root.locator(f'tr[data-lesson="{LESSON_2}"]')
    compact = row.locator("[data-cell=compact]")
    if device.touch:
        assert compact.is_visible()
        assert compact.inner_text().startswith("In progress: 1 of ")  # read; the passed exercise is optional
        assert "read: yes" in compact.inner_text()
        assert row.locator("td[data-cell=state]").is_hidden(), "one column on a phone"
    else:
        assert compact.is_hidden()
        assert row.locator("td[data-cell=state]").inner_text().startswith("In progress: 1 of ")
    device.no_sideways_scroll()


TABLE_PAGES = ("lessons/01-connects-and-plans/", LESSON_2, "lessons/03-proposal-visibility/",
               "lessons/04-profile-activity/", "reference/rules/")


def test_every_table_of_the_lessons_fits_the_screen(device: Device) -> None:
    """A table wider than a phone scrolls sideways on its own, hiding its last columns from a reader who reads down."""
    save_data(device.page)  # no exercise is run: Python need not start
    tables = 0
    for path in TABLE_PAGES:
        page = device.open(path)
        widths = page.evaluate("""() => [...document.querySelectorAll("article table")].map((table) => [
            table.rows[0].cells[0].textContent.trim(), table.scrollWidth,
            (table.closest(".md-typeset__scrollwrap") ?? table.parentElement).clientWidth])""")
        tables += len(widths)
        for head, scroll, client in widths:
            assert scroll <= client + 1, f"{path}: the table '{head}' is {scroll} px wide in {client} px on the {device.name}"
    assert tables >= 10, "the pages hold the tables this test reads"


def test_the_current_lesson_keeps_its_mark_in_the_navigation(device: Device) -> None:
    save_data(device.page)  # no exercise is run: Python need not start
    page = device.open(LESSON_2)
    page.evaluate(f"""() => localStorage.setItem("quizkit:v1:/:read", JSON.stringify({{version: 1, pages: {{"{LESSON_2}": "x"}}}}))""")
    page.reload()
    nav = page.locator(".md-nav--primary")
    if device.touch:
        page.locator('.md-header label[for="__drawer"]').tap()
        mark = nav.locator('label[for="__toc"] .quizkit-toc-mark')
    else:
        mark = nav.locator(".md-nav__item--active > a.md-nav__link .quizkit-mark")
    mark.wait_for()
    assert mark.get_attribute("data-quizkit-mark") == "started"
    assert mark.locator("[aria-hidden=true]").inner_text() == "◐"
    assert re.fullmatch(r" ?\(in progress: 1 of \d+ steps done\)", mark.locator(".quizkit-visually-hidden").inner_text())
    page.wait_for_function("(el) => { const r = el.getBoundingClientRect(); return r.left >= 0 && r.right <= window.innerWidth; }",
                           arg=mark.element_handle())
    assert mark.is_visible()
    assert nav.locator(".quizkit-mark").count() == 1, "one mark per lesson for the tests and scripts that count them"


# ---------------------------------------------------------------- the quizzes

QUIZ_PAGE = "lessons/01-connects-and-plans/"
"""The longest lesson quiz (11 questions): its feedback adds thousands of pixels above the buttons on a phone."""


def answer_every_question(form: Locator) -> None:
    """Some answer to each question (right or wrong: every question then shows its feedback when graded)."""
    for question in form.locator("fieldset[data-question-id]").all():
        kind = question.get_attribute("data-type")
        if kind == "numeric":
            question.locator("input").fill("7")
        elif kind == "match":
            for select in question.locator("select").all():
                select.select_option(index=1)
        elif kind != "order":  # an order question is answered as shown
            question.locator("input").first.check()


@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
def test_check_answers_brings_the_score_into_view(device: Device, motion: str) -> None:
    """The reader at the end of the quiz presses Check answers: the score and the buttons for what comes next end in
    view. The feedback shown above them once made them move 3,800 px down on a phone, out of sight, and the reader
    was left in the middle of the quiz (the browser's scroll anchoring gives up when the nodes in view grow)."""
    device.page.emulate_media(reduced_motion=motion)  # type: ignore[arg-type]
    save_data(device.page)  # no exercise is run: Python need not start
    page = device.open(QUIZ_PAGE)
    form = page.locator("form.quizkit-quiz")
    answer_every_question(form)
    submit = form.locator("[data-action=submit]")
    submit.scroll_into_view_if_needed()
    device.press(submit)
    score = form.locator("[data-role=score][data-score]")
    score.wait_for()
    page.wait_for_function("""([first, last]) => {
        const top = document.querySelector('.md-header').getBoundingClientRect().bottom;
        return first.getBoundingClientRect().top >= top - 1 && last.getBoundingClientRect().bottom <= window.innerHeight + 1;
    }""", arg=[form.locator(".quizkit-actions").element_handle(), score.element_handle()], timeout=5_000)
    assert device.in_view(form.locator("[data-action=retry]"))
    assert page.evaluate("document.activeElement.dataset.action") == "retry", "focus on the next step"
    assert submit.is_disabled()
    assert float(submit.evaluate("(el) => getComputedStyle(el).opacity")) < 1, "the locked Check answers looks locked"
    device.no_sideways_scroll()


TOO_SMALL = """(roots) => {
    // Every visible control of the widgets: its box (a choice's: the row it sits in) at least 44 x 44 px, and a tap
    // anywhere in a choice's row reaches the choice (its own box or its label's).
    const problems = [];
    const name = (el) => `${el.tagName.toLowerCase()}[${el.type || ""}] "${(el.innerText || el.value || el.name || el.id)
        .trim().slice(0, 30)}"`;
    for (const el of roots.flatMap((root) => [...root.querySelectorAll("button, select, input, textarea")])) {
        if (!el.getClientRects().length || getComputedStyle(el).visibility === "hidden") continue;
        const choice = el.type === "radio" || el.type === "checkbox";
        const target = choice ? el.closest(".quizkit-option, label") : el;
        const box = target.getBoundingClientRect();
        if (box.width < 44 || box.height < 44) problems.push(`${name(el)}: ${Math.round(box.width)} x ${Math.round(box.height)} px`);
        if (!choice) continue;
        target.scrollIntoView({block: "center", behavior: "instant"});
        const r = target.getBoundingClientRect();
        for (const [x, y] of [[r.left + 2, r.top + 2], [r.right - 2, r.bottom - 2], [r.left + 2, r.bottom - 2]]) {
            const hit = document.elementFromPoint(x, y);
            if (hit !== el && !(el.labels && [...el.labels].some((label) => label.contains(hit)))) {
                problems.push(`${name(el)}: a tap at the row's edge reaches ${hit && hit.outerHTML.slice(0, 60)}`);
                break;
            }
        }
    }
    return problems;
}"""


def too_small(page: Page, selector: str) -> list[str]:
    return list(page.evaluate(TOO_SMALL, page.locator(selector).element_handles()))


@pytest.fixture
def phone(browser: Browser, site: BuiltSite, traffic: Traffic) -> Iterator[Device]:
    yield from _device("phone", browser, site, traffic)


def test_every_control_of_the_quizzes_progress_and_activity_is_big_enough_to_tap(phone: Device) -> None:
    """Session 36's phone review: a one-line quiz choice took taps on its words only (26 px high, "True" 32 px wide)
    and its radio (13 px), the number fields and the match lists were 31-37 px high, the Progress page's buttons
    39 px and both file pickers 21 px."""
    save_data(phone.page)  # no exercise is run: Python need not start
    widgets = ".quizkit-quiz, .quizkit-read"
    for path in ("lessons/01-connects-and-plans/", LESSON_2, "lessons/04-profile-activity/", "final-quiz/"):
        page = phone.open(path)
        page.locator("form.quizkit-quiz").first.wait_for()
        assert too_small(page, widgets) == [], path
    page = phone.open("progress/")
    root = page.locator("[data-quizkit-progress][data-mounted]")
    root.wait_for()
    assert too_small(page, "[data-quizkit-progress]") == []
    phone.press(root.locator("[data-action=reset]"))
    root.locator("dialog[open]").wait_for()
    assert too_small(page, "dialog[open]") == []
    root.locator("[data-action=cancel-reset]").tap()
    page.goto(phone.site.url_of(phone.site.activity_pages()[0]))
    activity = activity_root(phone)
    activity.wait_for()
    activity.locator("#qk-activity-import:enabled").wait_for()
    assert too_small(page, "[data-quizkit-activity]") == []
    phone.no_sideways_scroll()


def test_an_order_question_keeps_its_words_readable_in_large_text(phone: Device) -> None:
    """Text at twice the size (a phone's accessibility setting): an order item's Move buttons once kept their place
    beside its words, which had room for a letter or two a line; now they go under the words."""
    save_data(phone.page)
    page = phone.open("lessons/04-profile-activity/")
    item = page.locator("ol.quizkit-order li[data-item-id]").first
    item.wait_for()
    page.add_style_tag(content="html { font-size: 250% !important; }")  # Material's 125%, doubled
    text = item.locator(".quizkit-order__text")
    width = text.evaluate("(el) => el.getBoundingClientRect().width")
    size = text.evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)")
    assert width >= 4 * size, f"the item's words have {width:.0f} px at {size:.0f} px text"
    words = phone.box(text)
    for button in item.locator("button").all():
        box = phone.box(button)
        assert box["y"] >= words["y"] + words["height"] - 1, "the buttons under the words"
        assert box["x"] >= 0, f"a Move button off the screen: {box}"
        assert box["x"] + box["width"] <= DEVICES["phone"]["viewport"]["width"], f"a Move button off the screen: {box}"


def test_the_reader_s_path_fits_a_phone_at_200_percent_zoom(browser: Browser, site: BuiltSite, traffic: Traffic) -> None:
    """A 390 px phone zoomed to 200 % (Chrome's accessibility zoom) lays pages out in 195 CSS px. Session 36's review
    found the page scrolling sideways there: the header's search button off the screen (its buttons' and title's
    margins), the Progress page's file picker (253 px) and an order question's Move buttons (the words beside them
    left a letter a line)."""
    zoomed = {**DEVICES["phone"], "viewport": {"width": 195, "height": 422}, "device_scale_factor": 4}
    context = browser.new_context(**CONTEXT_ARGS, **zoomed)
    traffic.record(context)
    try:
        page = save_data(context.new_page())  # no exercise is run: Python need not start
        for path in ("", "lessons/01-connects-and-plans/", "lessons/04-profile-activity/", "progress/", "activity/"):
            page.goto(site.url + path)
            page.locator("article").wait_for()
            Device("phone", page, site).no_sideways_scroll()
            search = page.locator('.md-header label[for="__search"]').first.bounding_box()
            assert search is not None
            assert search["x"] + search["width"] <= 195 + 1, f"{path}: the search button is off the screen: {search}"
    finally:
        context.close()
    assert_clean(traffic)


# ---------------------------------------------------------------- the activity


def example() -> dict[str, Any]:
    data = read_yaml(ROOT / "exercises" / "profiles" / "example.yml").data
    assert isinstance(data, dict)
    return {key: value for key, value in data.items() if key != "today"}


def activity_root(device: Device) -> Locator:
    """The activity of the device's page, once mounted."""
    return device.page.locator("[data-quizkit-activity][data-mounted]")


def open_activity(device: Device, *, python: bool = True) -> Locator:
    """The activity, with Python ready (`python`), or as a reader who saves data sees it before Analyse."""
    pages = device.site.activity_pages()
    device.page.clock.set_fixed_time(f"{TODAY}T12:00:00")
    if not python:
        save_data(device.page)
    device.page.goto(device.site.url_of(pages[0]))
    root = activity_root(device)
    root.wait_for()
    if python:
        python_ready(device.page)
    return root


def fill(root: Locator, profile: dict[str, Any]) -> None:
    for section_id, status in profile["sections"].items():
        root.locator(f'input[name="sections.{section_id}"][value="{status}"]').check()
    root.locator('[name="plan"]').select_option(profile["plan"])
    for name, value in profile.items():
        if name not in {"sections", "plan"}:
            root.locator(f'[name="{name}"]').fill(str(value))


def analyse(device: Device, root: Locator, ends: str = "done") -> None:
    """Press Analyse and wait for the analysis to end, in state `ends`."""
    before = int(root.get_attribute("data-runs") or 0)
    device.press(root.locator("[data-action=analyse]"))
    device.page.wait_for_function("([el, n]) => Number(el.dataset.runs || 0) > n", arg=[root.element_handle(), before],
                                  timeout=90_000)
    assert root.get_attribute("data-state") == ends


ANALYSED = pytest.mark.xdist_group("phone-analysed")
"""The tests on `analysed`: in one process, so each device's page and Python start once."""


analysed_phone, analysed_desktop, analysed = shared_per_device("analysed", open_activity, """The activity in one
    device, Python ready, for tests that each fill in a whole profile, analyse it and read the results: one page and
    one Python per device for all of them.""")


def test_the_activity_speaks_the_readers_words_and_offers_files_after_the_results(device: Device) -> None:
    root = open_activity(device)
    article = device.page.locator("article").inner_text()
    assert "quizkit profile" not in article
    assert "terminal" not in article
    report, printout = root.locator("[data-action=export-markdown]"), root.locator("[data-action=print]")
    assert report.is_hidden()
    assert printout.is_hidden()
    assert "once you select Analyse" in root.locator("[data-role=files-note]").inner_text()
    assert root.locator("button:disabled:visible").count() == 0, "no disabled button without a word why"
    fill(root, example())
    analyse(device, root)
    assert report.is_visible()
    assert printout.is_visible()
    assert root.locator("[data-role=files-note]").is_hidden()
    # Both edges in one frame: the verdict may still be scrolling into view, which moves viewport coordinates.
    gap = device.page.evaluate("""([results, report]) =>
        report.getBoundingClientRect().top - results.getBoundingClientRect().bottom""",
                               [root.locator("[data-role=results]").element_handle(), report.element_handle()])
    assert gap >= 0, "save, download and print come after the results"
    if device.touch:
        for button in root.locator("button:visible").all():
            box = device.box(button)
            assert box["height"] >= TOUCH_MIN, f"{button.inner_text()}: {box}"
    device.no_sideways_scroll()


def test_a_refused_value_is_kept_with_its_message_after_a_reload(device: Device) -> None:
    root = open_activity(device, python=False)  # the form refuses it: no analysis, no Python
    fill(root, example())
    root.locator('[name="balance"]').fill("-5")
    root.locator('[name="billing_day"]').focus()
    device.page.wait_for_function(f"() => JSON.parse(localStorage.getItem('{KEY}') || '{{}}').profile?.balance === -5")
    device.page.reload()
    root.wait_for()
    assert root.locator('[name="balance"]').input_value() == "-5"
    assert root.locator('[data-error-for="balance"]').inner_text().endswith("Cannot be negative.")
    assert root.locator('[name="balance"]').get_attribute("aria-invalid") == "true"
    assert root.locator('[name="billing_day"]').input_value() == str(example()["billing_day"]), "the rest is kept too"


def test_a_value_the_analysis_refused_comes_back_with_its_message_after_a_reload(device: Device) -> None:
    """More boosts than proposals passes the form's own checks; only Python's analysis refuses it."""
    root = open_activity(device)
    profile = example()
    fill(root, {**profile, "boosts_per_month": profile["proposals_per_month"] + 1})
    analyse(device, root, ends="refused")
    message = root.locator('[data-error-for="boosts_per_month"]')
    said = message.inner_text()
    assert said.endswith("You cannot boost more proposals than you send.")
    device.page.wait_for_function(f"() => JSON.parse(localStorage.getItem('{KEY}') || '{{}}').refused === true")
    device.page.reload()
    root.wait_for()
    root.page.wait_for_function("(el) => el.dataset.state === 'refused'", arg=root.element_handle(), timeout=90_000)
    assert root.locator('[name="boosts_per_month"]').input_value() == str(profile["proposals_per_month"] + 1)
    assert message.inner_text() == said
    assert root.locator('[name="boosts_per_month"]').get_attribute("aria-invalid") == "true"
    assert root.locator("[data-role=results]").is_hidden()
    assert device.page.evaluate("document.activeElement === document.body"), "a reload steals no focus"
    root.locator('[name="boosts_per_month"]').fill(str(profile["proposals_per_month"]))
    assert message.inner_text() == "", "fixing the value clears its message"
    device.page.wait_for_function(f"() => !('refused' in JSON.parse(localStorage.getItem('{KEY}') || '{{}}'))")


@ANALYSED
def test_advice_says_each_point_once(analysed: Device) -> None:
    device = analysed
    root = activity_root(device)
    fill(root, {**example(), "plan": "plus", "proposals_per_month": 3, "boosts_per_month": 0})
    analyse(device, root)
    text = root.locator("[data-role=results]").inner_text()
    summary = root.locator("[data-result=advice]").inner_text()
    for sentence in re.split(r"(?<=\.) ", summary):
        assert text.count(sentence.strip()) == 1, f"said more than once: {sentence!r}"
    assert root.locator("[data-result=break-even]").count() == 0


@ANALYSED
def test_the_activity_s_tables_fit_the_screen(analysed: Device) -> None:
    """Session 33's phone review: at 390 px the projection's last column, the balance at the end, was off the screen."""
    device = analysed
    root = activity_root(device)
    fill(root, {**example(), "plan": "basic", "balance": 35, "proposals_per_month": 3, "boosts_per_month": 1})
    analyse(device, root)
    widths = root.locator(".quizkit-activity__table").evaluate_all("""(tables) => tables.map((table) => [
        table.dataset.result, table.scrollWidth, table.closest('.quizkit-activity__scroll').clientWidth])""")
    assert [name for name, *_ in widths] == ["projection", "options"]
    for name, scroll, client in widths:
        assert scroll <= client + 1, f"the {name} table is {scroll} px wide in {client} px on the {device.name}"


@ANALYSED
def test_the_chart_shows_one_number_per_mark_at_body_size(analysed: Device) -> None:
    device = analysed
    root = activity_root(device)
    profile = {**example(), "balance": 300, "plan": "plus", "months": 8}
    fill(root, profile)
    analyse(device, root)
    chart = root.locator("[data-result=chart]")
    assert chart.get_attribute("role") == "img"
    described = device.page.locator(f"#{chart.get_attribute('aria-describedby')}")
    assert described.inner_text().startswith(f"You start with {profile['balance']} Connects.")
    rows = chart.locator(".quizkit-chart__row")
    assert rows.count() > 8
    for row in rows.all():
        values = row.locator(".quizkit-chart__value").all_inner_texts()
        assert len(values) == 1, f"one number per mark: {values}"
        assert re.fullmatch(r"[\d,]+", values[0])
        assert row.locator(".quizkit-chart__label").inner_text()
    opening = chart.locator("[data-kind=opening] .quizkit-chart__value")
    assert opening.inner_text() == str(profile["balance"])
    body = float(device.page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset p')).fontSize)"))
    sizes = chart.locator(".quizkit-chart__value, .quizkit-chart__label").evaluate_all(
        "(nodes) => nodes.map((n) => parseFloat(getComputedStyle(n).fontSize))")
    assert min(sizes) >= body, f"labels at least the body's {body} px: {min(sizes)}"
    months = chart.locator("[data-month]")
    assert months.count() == profile["months"] + 1
    projection = root.locator("table[data-result=projection]")
    assert projection.locator("caption").count() == 1, "the table stays as the chart's text alternative"
    figure = device.box(root.locator(".quizkit-activity__chart"))
    column = device.box(device.page.locator("article"))
    assert figure["x"] >= column["x"] - 1
    assert figure["x"] + figure["width"] <= column["x"] + column["width"] + 1, "the chart fits the column"
    for value in chart.locator(".quizkit-chart__value").all():
        box = device.box(value)
        assert box["x"] + box["width"] <= figure["x"] + figure["width"] + 1, "every number inside the chart"
    device.no_sideways_scroll()


@ANALYSED
def test_a_shortfall_is_marked_in_the_chart(analysed: Device) -> None:
    device = analysed
    root = activity_root(device)
    fill(root, example())  # the example runs short from month 1
    analyse(device, root)
    chart = root.locator("[data-result=chart]")
    short = chart.locator("[data-month][data-short=true]")
    assert short.count() >= 1
    first = short.first
    assert "short" in first.locator(".quizkit-chart__heading").inner_text()
    assert first.locator("[data-kind=short] .quizkit-chart__label").inner_text() == "Short"
    shown = {int(g.get_attribute("data-month") or 0): g.locator("[data-kind=short] .quizkit-chart__value").inner_text()
             for g in short.all()}
    table = root.locator("table[data-result=projection] tbody tr").all()
    expected = {int(r.get_attribute("data-month") or -1): r.locator("td").nth(3).inner_text() for r in table
                if r.locator("td").nth(3).inner_text() != "0"}
    assert shown == expected


@ANALYSED
def test_the_report_and_the_printout_say_what_the_page_says(analysed: Device) -> None:
    device = analysed
    root = activity_root(device)
    profile = {**example(), "plan": "plus"}
    fill(root, profile)
    analyse(device, root)
    with device.page.expect_download() as download:
        device.press(root.locator("[data-action=export-markdown]"))
    report = Path(download.value.path()).read_text(encoding="utf-8")
    about = root.locator("[data-result=about]").inner_text()
    assert about.startswith(f"Analysed on {long_date(TODAY)} (figures dated ")
    assert about in report
    for item in root.locator("[data-result=inputs] li").all_inner_texts():
        assert f"- {item}" in report, item
    assert "Needs an update" in report
    assert "(update)" not in report
    for figure in root.locator("[data-result=prices] li").all():
        label, value = figure.inner_text().split(": ", 1)[0], figure.locator("strong").first.inner_text()
        assert f"- {label}: **{value}**" in report
    price = RULES.figures["purchase.price_per_connect_usd"]
    assert f"Price of one Connect: **${price.value:,.2f}**" in report
    for figure_id, figure in RULES.figures.items():
        if figure.confidence == "low" and f"- {figure.label}:" in report:
            line = next(li for li in report.splitlines() if li.startswith(f"- {figure.label}:"))
            assert "low confidence" in line, figure_id
            assert figure.as_of_text in line, figure_id
    read_profile(RULES, {**profile, "today": TODAY})  # the inputs are a valid profile
    device.page.emulate_media(media="print")
    try:
        assert root.locator("[data-result=about]").is_visible()
        assert root.locator("[data-result=inputs]").is_visible()
        assert root.locator("[data-result=chart]").is_visible()
        assert root.locator("[data-role=form]").is_hidden()
        assert root.locator(".quizkit-activity__files").is_hidden()
    finally:
        device.page.emulate_media(media="screen")  # the page as the next test expects it


# ---------------------------------------------------------------- axe at both widths


@needs_axe
def test_axe_is_clean_on_the_readers_path(device: Device) -> None:
    root = open_exercise(device)
    set_code(device, device.site.course.exercise(EXERCISE).solution)
    press_check(device, root)
    assert axe(device.page) == [], "a lesson after a Check"
    device.open("progress/")
    device.page.locator("[data-quizkit-progress][data-mounted]").wait_for()
    assert axe(device.page) == [], "the Progress page"


@needs_axe
@ANALYSED
def test_axe_is_clean_on_the_activitys_results(analysed: Device) -> None:
    device = analysed
    root = activity_root(device)
    fill(root, example())
    analyse(device, root)
    assert axe(device.page) == []
