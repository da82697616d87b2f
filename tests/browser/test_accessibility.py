"""Accessibility of what the reader's progress adds, and keyboard-only use of the exercise widget with it.

axe-core (from node_modules) runs on the pages in the states the reader brings them to: a lesson
after a passing Check (its navigation marks and read control included), the Progress page with
progress, after a refused import, with the reset dialog open and after a reset. No serious or
critical violation is allowed. Already covered elsewhere, not repeated here: every page with its
quizzes submitted (test_site.py), the exercise widget in every state (test_exercises.py), the
activity's results and keyboard-only use (test_activity.py), a quiz taken by keyboard (test_quizzes.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from tests.browser.conftest import assert_clean, check_passes, editor_of, in_each_scheme, python_ready

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Page
    from tests.browser.conftest import BuiltSite, Traffic

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LESSON_1 = "lessons/01-connects-and-plans/"
EXERCISE = "monthly-allowance"
SCHEMES = ["light", "dark"]

needs_axe = pytest.mark.skipif(not AXE.exists(), reason="axe-core is installed by `npm ci` (make deps)")


def serious(page: Page, include: str = "html", rules: list[str] | None = None) -> list[str]:
    """axe-core's serious and critical violations on the page (of `rules` only, if given), as `id: targets`."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate("""async ([include, rules]) => (await axe.run(include,
            {resultTypes: ["violations"], ...(rules ? {runOnly: {type: "rule", values: rules}} : {})}))
        .violations.map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" "))}))""",
        [include, rules])
    return [f"{v['id']} ({v['impact']}): {v['nodes']}" for v in found if v["impact"] in ("serious", "critical")]


@pytest.fixture
def tab(page: Page, traffic: Traffic) -> Iterator[Page]:
    yield page
    assert_clean(traffic)


def open_exercise(page: Page, site: BuiltSite) -> None:
    page.goto(site.url + LESSON_1)
    editor_of(page, EXERCISE)
    python_ready(page)


def focused(page: Page) -> str:
    return str(page.evaluate("""() => { const el = document.activeElement;
        return el ? (el.dataset.action || el.getAttribute("aria-label") || el.className || el.tagName) : ""; }"""))


# ---------------------------------------------------------------- keyboard only


def test_an_exercise_can_be_run_and_checked_with_the_keyboard_only(tab: Page, site: BuiltSite) -> None:
    open_exercise(tab, site)
    root = tab.locator(f'.quizkit-exercise[data-exercise-id="{EXERCISE}"]')
    verdict = root.locator("[data-role=verdict]")
    # The code is set through the page's hook (typing it would test CodeMirror's auto-indent, not us).
    tab.evaluate("([id, code]) => window.quizkit.exercise(id).setCode(code)",
                 [EXERCISE, site.course.exercise(EXERCISE).solution + "print('ran by keyboard')\n"])
    root.locator(".cm-content").focus()
    keys = tab.keyboard
    keys.press("Escape")  # leave the editor: Tab moves focus again
    keys.press("Tab")
    assert focused(tab) == "run"
    keys.press("Enter")
    root.locator("[data-role=output]").filter(has_text="ran by keyboard").wait_for(timeout=20_000)
    tab.wait_for_function("(el) => el.getAttribute('aria-busy') === 'false'", arg=root.element_handle())
    assert focused(tab) == "run", "focus is back on Run once the code has run"
    keys.press("Tab")
    assert focused(tab) == "check"
    keys.press("Enter")
    root.locator("[data-role=verdict][data-status=passed]").wait_for(timeout=20_000)
    tab.wait_for_function("(el) => el.getAttribute('aria-busy') === 'false'", arg=root.element_handle())
    assert focused(tab) == "check"
    assert "Passed" in verdict.inner_text()

    # The editor's own shortcut checks too: a Check of other code (the hash it stores changes), passed again.
    checks = tab.evaluate("(id) => JSON.parse(localStorage.getItem(`quizkit:v1:/:exercise:${id}`)).checkedHash", EXERCISE)
    tab.evaluate("([id, code]) => window.quizkit.exercise(id).setCode(code)", [EXERCISE, site.course.exercise(EXERCISE).solution])
    root.locator(".cm-content").focus()
    keys.press("Control+Shift+Enter")
    tab.wait_for_function("""([el, id, before]) => el.dataset.status === 'passed' && !el.closest('[aria-busy=true]')
        && JSON.parse(localStorage.getItem(`quizkit:v1:/:exercise:${id}`)).checkedHash !== before""",
        arg=[verdict.element_handle(), EXERCISE, checks])


def test_a_lesson_is_marked_read_and_progress_reset_with_the_keyboard_only(tab: Page, site: BuiltSite) -> None:
    tab.goto(site.url + "final-quiz/")
    button = tab.locator("[data-action=toggle-read]")
    button.focus()
    tab.keyboard.press("Enter")
    assert tab.locator("[data-quizkit-read][data-read=true]").count() == 1
    tab.locator(".md-nav--primary").get_by_role("link", name=re.compile(r"^Final quiz \(in progress: 1 of 2 steps done\)$")).wait_for()

    tab.goto(site.url + "progress/")
    root = tab.locator("[data-quizkit-progress][data-mounted]")
    root.wait_for()
    root.locator("[data-action=export]").focus()
    tab.keyboard.press("Tab")
    assert focused(tab) == "reset"
    tab.keyboard.press("Enter")
    dialog = root.locator("dialog[data-role=confirm-reset]")
    assert dialog.is_visible()
    assert focused(tab) == "cancel-reset", "the dialog opens on its safe choice"
    tab.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert focused(tab) == "reset", "focus comes back to Reset"
    assert tab.evaluate("localStorage.getItem('quizkit:v1:/:read')")
    tab.keyboard.press("Enter")
    tab.keyboard.press("Tab")
    assert focused(tab) == "confirm-reset"
    tab.keyboard.press("Enter")
    root.locator("[data-role=notice]").filter(has_text="was erased").wait_for()
    assert tab.evaluate("localStorage.getItem('quizkit:v1:/:read')") is None


def test_marks_are_words_for_screen_readers_not_colour_only(tab: Page, site: BuiltSite) -> None:
    tab.goto(site.url + "progress/")
    tab.evaluate("""() => localStorage.setItem("quizkit:v1:/:read", JSON.stringify({version: 1, pages: {"final-quiz/": "x"}}))""")
    tab.evaluate("""() => localStorage.setItem("quizkit:v1:/:quiz:final", JSON.stringify({answers: {}, submitted: true, best: 3}))""")
    tab.reload()
    mark = tab.locator(".md-nav--primary [data-quizkit-mark=complete]")
    mark.wait_for()
    assert mark.locator("[aria-hidden=true]").inner_text() == "✓"
    assert tab.locator(".md-nav--primary").get_by_role("link", name="Final quiz ✓ (completed)").count() == 0, "the symbol is hidden"
    assert tab.locator(".md-nav--primary").get_by_role("link", name="Final quiz (completed)").count() == 1
    row = tab.locator('tr[data-lesson="final-quiz/"]')
    row.and_(tab.locator("[data-state]")).wait_for()  # the nav's marks and the table are drawn by two scripts
    assert row.locator("th[scope=row]").count() == 1
    assert row.locator("[data-cell=state]").inner_text() == "Complete"


# ---------------------------------------------------------------- axe in the states the reader reaches


@needs_axe
def test_a_lesson_after_a_passing_check_passes_axe(tab: Page, site: BuiltSite) -> None:
    """Every rule in the light scheme, then the colour rules in the dark one: one Python for both."""
    open_exercise(tab, site)
    tab.evaluate("([id, code]) => window.quizkit.exercise(id).setCode(code)", [EXERCISE, site.course.exercise(EXERCISE).solution])
    root = tab.locator(f'.quizkit-exercise[data-exercise-id="{EXERCISE}"]')
    check_passes(root)
    tab.locator("[data-action=toggle-read]").click()
    tab.locator(".md-nav--primary .quizkit-mark").wait_for()
    tab.mouse.move(0, 0)
    for scheme, rules in in_each_scheme(tab):
        assert serious(tab, rules=rules) == [], scheme


@needs_axe
@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_progress_page_passes_axe_in_every_state(tab: Page, site: BuiltSite, scheme: str, tmp_path: Path) -> None:
    tab.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    tab.goto(site.url + "progress/")
    tab.evaluate("""() => {
        localStorage.setItem("quizkit:v1:/:read", JSON.stringify({version: 1, pages: {"lessons/01-connects-and-plans/": "x",
                                                                                   "final-quiz/": "x"}}));
        localStorage.setItem("quizkit:v1:/:quiz:final", JSON.stringify({answers: {}, submitted: true, best: 3}));
        localStorage.setItem("quizkit:v1:/:exercise:monthly-allowance", JSON.stringify({code: "", status: "passed", solved: true}));
    }""")
    tab.reload()
    root = tab.locator("[data-quizkit-progress][data-mounted]")
    root.wait_for()
    tab.mouse.move(0, 0)
    assert serious(tab) == [], "with progress"

    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    root.locator("[data-action=import]").set_input_files(bad)
    root.locator("[data-role=notice][data-status=error]").wait_for()
    assert serious(tab) == [], "after a refused import"

    root.locator("[data-action=reset]").click()
    assert root.locator("dialog[data-role=confirm-reset]").is_visible()
    tab.mouse.move(0, 0)
    assert serious(tab) == [], "with the reset dialog open"
    root.locator("[data-action=confirm-reset]").click()
    root.locator("[data-role=notice]").filter(has_text="was erased").wait_for()
    tab.mouse.move(0, 0)
    assert serious(tab) == [], "after a reset"


@needs_axe
@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_update_notice_passes_axe(tab: Page, site: BuiltSite, scheme: str) -> None:
    """The notice a new build shows to a reader at work (its logic is tested in test_offline.py)."""
    tab.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    tab.goto(site.url + "progress/")
    tab.locator("[data-quizkit-progress][data-mounted]").wait_for()
    tab.evaluate("""async () => {
        const here = document.querySelector('script[src*="assets/quizkit/progress.js"]').src;
        const offline = await import(new URL("offline.js" + new URL(here).search, here).href);
        offline.showUpdate(() => {});
    }""")
    tab.locator("[data-quizkit-update][role=status]").wait_for()
    assert serious(tab) == []
