# Material's search, whose index waits for the page's Python or for the reader (overrides/partials/javascripts/search-later.html).
from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from tests.browser.conftest import assert_clean, python_ready, save_data

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from tests.browser.conftest import BuiltSite, Traffic

pytestmark = pytest.mark.browser

LESSON_1 = "lessons/01-connects-and-plans/"

SETUP_SEEN = """(() => {
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (message, ...rest) {
        if (message?.type === 0 && message?.data?.docs) window.searchIndexSentAt ??= performance.now();
        return post.call(this, message, ...rest);
    };
})();"""
"""Keeps in `window.searchIndexSentAt` when Material's search worker got its index (its setup message, type 0)."""

HELD = """document.addEventListener("DOMContentLoaded", () => window.quizkitSearch.hold(new Promise(() => {})));"""
"""A hold that never ends, as a Python start that never finishes: only the reader can release the index."""


@pytest.fixture
def watched(page: Page) -> Page:
    page.add_init_script(SETUP_SEEN)
    return page


def search_for(page: Page, words: str) -> list[str]:
    """Type `words` in Material's search box (opened from the header) and return the results' links."""
    box = page.locator(".md-search__input")
    # One query, for all the words: Material searches on each keyup, and a list rendered for a letter typed
    # earlier could be replaced while it was read (a count of 54 links, then no 54th: CI, session 25).
    box.fill(words)
    box.press("End")
    page.locator(".md-search-result__item a").first.wait_for()
    links: list[str] = page.eval_on_selector_all(".md-search-result__item a",
                                                  "links => links.map((link) => link.getAttribute('href'))")
    return links


def test_a_page_without_python_builds_the_index_once_loaded_and_search_finds_a_lesson(
        site: BuiltSite, watched: Page, traffic: Traffic) -> None:
    page = watched
    page.goto(site.url, wait_until="load")
    page.wait_for_function("window.searchIndexSentAt !== undefined")
    assert page.evaluate("window.quizkitSearch.released") is True
    page.locator(".md-search__input").click()
    links = search_for(page, "membership plans")
    assert any(LESSON_1 in link for link in links), links
    assert_clean(traffic)


def test_an_exercise_page_builds_the_index_only_once_python_is_ready(site: BuiltSite, watched: Page, traffic: Traffic) -> None:
    page = watched
    page.goto(site.url_of(LESSON_1), wait_until="load")
    python_ready(page)
    page.wait_for_function("window.searchIndexSentAt !== undefined")
    sent, ready = page.evaluate("[window.searchIndexSentAt, window.quizkit.runtime.primary.readyAt]")
    assert sent >= ready, "Material's index waited for Python"
    assert_clean(traffic)


@pytest.mark.parametrize("reach", ["the search box", "the search button on a phone", "the keyboard shortcut"])
def test_a_reader_reaching_for_search_gets_the_index_at_once(site: BuiltSite, watched: Page, traffic: Traffic, reach: str) -> None:
    page = save_data(watched)
    if reach == "the search button on a phone":
        page.set_viewport_size({"width": 390, "height": 844})
    page.add_init_script(HELD)
    page.goto(site.url_of(LESSON_1), wait_until="load")
    assert page.evaluate("[window.quizkitSearch.released, window.searchIndexSentAt ?? null]") == [False, None]
    if reach == "the search box":
        page.locator(".md-search__input").click()
    elif reach == "the search button on a phone":
        page.locator('header label[for="__search"]').first.click()
    else:
        page.keyboard.press("/")
    page.wait_for_function("window.searchIndexSentAt !== undefined")
    links = search_for(page, "proposal visibility")
    assert links, "search answers"
    assert page.evaluate("window.quizkit.runtime.startedBy") is None, "Python still waits (Save-Data)"
    assert_clean(traffic)
