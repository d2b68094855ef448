"""Keyboard only: after the first page load the researcher uses Tab, Shift+Tab, Enter and Space —
in English and in French."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e import helpers

pytestmark = [pytest.mark.browser, helpers.IN_BOTH_LANGUAGES]


def is_link_to(pattern: str):
    """A matcher for `tab_to`: a link whose href matches the regular expression."""
    return lambda info: info["tag"] == "a" and re.fullmatch(pattern, info["href"]) is not None


ARTICLE_LINK = is_link_to(r"/articles/\d+/[\w-]+/(\?.*)?")


def test_first_tab_focuses_a_visible_skip_link_to_main(page, say):
    page.goto("/")
    helpers.remember_unfocused_styles(page)

    page.keyboard.press("Tab")
    info = helpers.focused_element(page)
    assert (info["tag"], info["href"], info["text"]) == ("a", "#main", say("Skip to main content"))
    helpers.assert_focus_visible(info)
    assert helpers.in_viewport(page.locator(".skip-link")), "the focused skip link is off screen"

    page.keyboard.press("Enter")
    assert helpers.focused_element(page)["id"] == "main"
    page.keyboard.press("Tab")
    assert helpers.focused_element(page)["id"] == "home-q"  # the first control inside main


def test_researcher_flow_by_keyboard_alone_with_visible_focus(page, say):
    page.goto("/")
    # -- home: skip link, then the search box; type the query and press Space on the button
    helpers.remember_unfocused_styles(page)
    helpers.tab_to(page, lambda info: info["href"] == "#main")
    page.keyboard.press("Enter")
    helpers.tab_to(page, lambda info: info["id"] == "home-q")
    page.keyboard.type(helpers.SAHEL_QUERY)
    helpers.tab_to(page, lambda info: info["tag"] == "button" and info["text"] == say("Search"))
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(rf"/search/\?q={helpers.SAHEL_QUERY}$"))
    expect(page.locator("main mark").first).to_be_visible()

    # -- results: every stop down to "Next page" shows a focus indicator
    helpers.remember_unfocused_styles(page)
    helpers.tab_to(
        page, lambda info: info["text"] == say.name('Next<span class="visually-hidden"> page</span>')
    )
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"page=2$"))
    results_url = page.url

    # -- page 2: go one link past the first result and come back with Shift+Tab
    helpers.remember_unfocused_styles(page)
    first = helpers.tab_to(page, ARTICLE_LINK)
    helpers.tab_to(page, lambda info: True)
    back = helpers.tab_to(page, ARTICLE_LINK, key="Shift+Tab", limit=1)
    assert back["href"] == first["href"]
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(first["text"])

    # -- article: on to a place
    helpers.remember_unfocused_styles(page)
    place = helpers.tab_to(page, is_link_to(r"/places/[\w-]+/"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(place["href"]) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(place["text"])

    # -- the browser's Back button twice (headless Chromium has no toolbar shortcut for Alt+Left)
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text(first["text"])
    page.go_back()
    expect(page).to_have_url(results_url)
    expect(page.locator(".pagination [aria-current=page]")).to_have_text("2")
