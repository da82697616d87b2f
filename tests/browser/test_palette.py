# The light/dark toggle (overrides/partials/javascripts/palette.html), which stands in for Material's palette component.
from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pytest
from tests.browser.conftest import SCHEMES, assert_clean

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from tests.browser.conftest import BuiltSite, Traffic

pytestmark = pytest.mark.browser

SWITCHES = """new MutationObserver((changes) => {
    for (const change of changes) if (change.target.hasAttribute?.("data-md-color-switching")) window.switches = (window.switches ?? 0) + 1;
}).observe(document, {attributes: true, attributeFilter: ["data-md-color-switching"], subtree: true});
new MutationObserver((changes, observer) => {
    if (!document.querySelector(".md-container")) return;
    window.schemeAtContent = document.body.dataset.mdColorScheme;
    observer.disconnect();
}).observe(document, {childList: true, subtree: true});"""
"""Counts in `window.switches` each time an element is marked `data-md-color-switching` (the whole page restyled),
and keeps in `window.schemeAtContent` the scheme the page had when its content (after the header) was parsed."""
STATE = """() => ({
    scheme: document.body.dataset.mdColorScheme,
    shown: [...document.querySelectorAll("[data-quizkit-palette] label")].filter((label) => !label.hidden).map((label) => label.title),
    colorScheme: document.querySelector('meta[name="color-scheme"]')?.content,
    themeColor: document.querySelector('meta[name="theme-color"]')?.content,
    switching: document.body.hasAttribute("data-md-color-switching"),
    switches: window.switches ?? 0,
    atContent: window.schemeAtContent,
})"""
KEY = "new URL(__md_scope).pathname + '.__palette'"
"""Where the choice is kept: Material's key and format, so a choice made before this toggle still holds."""


@pytest.fixture
def watched(page: Page) -> Page:
    """`page`, counting in `window.switches` each time a page of it is marked to restyle as a whole."""
    page.add_init_script(SWITCHES)
    return page


def open_home(page: Page, site: BuiltSite, preference: str) -> dict[str, object]:
    page.emulate_media(color_scheme=preference)
    page.goto(site.url, wait_until="load")
    return page.evaluate(STATE)


@pytest.mark.parametrize("preference", ["light", "dark"])
def test_a_first_visit_gets_the_scheme_it_prefers_without_restyling_the_page_to_switch(
        site: BuiltSite, watched: Page, traffic: Traffic, preference: str) -> None:
    page = watched
    other = {"light": "Switch to dark mode", "dark": "Switch to light mode"}[preference]
    state = open_home(page, site, preference)
    assert state == {"scheme": SCHEMES[preference], "shown": [other], "colorScheme": preference,
                     "themeColor": state["themeColor"], "switching": False, "switches": 0,
                     "atContent": SCHEMES[preference]}  # set in the header, before the content: drawn so from the start
    assert re.fullmatch(r"#[0-9a-f]{6}", str(state["themeColor"])), "the header's colour, for the browser's bar"
    assert_clean(traffic)


def test_the_toggle_switches_keeps_the_choice_and_answers_enter(site: BuiltSite, watched: Page, traffic: Traffic) -> None:
    page = watched
    open_home(page, site, "light")
    page.locator("[data-quizkit-palette] label:not([hidden])").click()
    state = page.evaluate(STATE)
    assert (state["scheme"], state["shown"], state["colorScheme"]) == (SCHEMES["dark"], ["Switch to light mode"], "dark")
    assert state["switches"] == 1, "transitions are off while the whole page switches"
    page.wait_for_function("() => !document.body.hasAttribute('data-md-color-switching')")  # and back on after
    stored = json.loads(page.evaluate(f"localStorage.getItem({KEY})"))
    assert stored["index"] == 1
    assert stored["color"]["scheme"] == SCHEMES["dark"]

    page.reload(wait_until="load")  # the reader's choice beats the browser's preference
    assert page.evaluate(STATE)["scheme"] == SCHEMES["dark"]
    page.locator("[data-quizkit-palette] input").nth(1).focus()
    page.keyboard.press("Enter")  # a radio does not switch on Enter by itself; the toggle does, like a button
    assert page.evaluate(STATE)["scheme"] == SCHEMES["light"]
    assert page.evaluate("document.activeElement.id") == "__palette_0"
    assert_clean(traffic)


@pytest.mark.parametrize(("stored", "preference", "scheme"), [
    ("{not json", "dark", "dark"),  # unreadable: the preference
    (json.dumps({"index": "dark"}), "dark", "dark"),  # not an index: the preference
    (json.dumps({"index": 7}), "light", "dark"),  # past the last option: the last (Material's rule)
    (json.dumps({"index": 0}), "dark", "light"),  # readable: the reader's choice
])
def test_a_stored_choice_is_followed_and_one_that_cannot_be_read_falls_back_to_the_preference(
        site: BuiltSite, page: Page, traffic: Traffic, stored: str, preference: str, scheme: str) -> None:
    page.goto(site.url)
    page.evaluate(f"(value) => localStorage.setItem({KEY}, value)", stored)
    assert open_home(page, site, preference)["scheme"] == SCHEMES[scheme]
    assert_clean(traffic)


BLOCKED = """Object.defineProperty(window, "localStorage", {configurable: true, get() {
    throw new DOMException("Access is denied for this document.", "SecurityError");
}});"""
"""A browser that blocks this site's data: reading `localStorage` throws, as Chromium's does then."""


def test_the_toggle_switches_where_site_data_is_blocked(site: BuiltSite, watched: Page, traffic: Traffic) -> None:
    """Material's `__md_set` reads `localStorage` before its own try: the choice is not kept, but the toggle still works."""
    page = watched
    page.add_init_script(BLOCKED)
    assert open_home(page, site, "light")["scheme"] == SCHEMES["light"]
    page.locator("[data-quizkit-palette] label:not([hidden])").click()
    state = page.evaluate(STATE)
    assert (state["scheme"], state["shown"], state["colorScheme"]) == (SCHEMES["dark"], ["Switch to light mode"], "dark")
    page.locator("[data-quizkit-palette] input").nth(1).focus()
    page.keyboard.press("Enter")
    assert page.evaluate(STATE)["scheme"] == SCHEMES["light"]
    assert_clean(traffic)
