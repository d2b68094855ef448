"""Phones (375 px) and desktops (1440 px): no sideways scrolling, readable text, big enough targets —
in English and in French, whose longer words must fit too."""

import pytest
from playwright.sync_api import expect

from tests.e2e import helpers

pytestmark = [pytest.mark.browser, helpers.IN_BOTH_LANGUAGES]

PAGE_NAMES = helpers.PAGE_NAMES


@pytest.fixture
def phone(new_context):
    return new_context(**helpers.PHONE).new_page()


@pytest.fixture
def desktop(new_context):
    return new_context(**helpers.DESKTOP).new_page()


@pytest.mark.parametrize("page_name", PAGE_NAMES)
def test_phone_page_does_not_scroll_sideways(phone, urls, page_name, interface_language):
    helpers.open_page(phone, urls[page_name])
    helpers.screenshot(phone, f"{page_name}-375-{interface_language}")
    size = helpers.horizontal_overflow(phone)
    assert size["scrollWidth"] <= size["clientWidth"], f"{page_name} scrolls: {size['scrollWidth']} px at 375"


@pytest.mark.parametrize("page_name", PAGE_NAMES)
def test_phone_body_text_is_at_least_16px(phone, urls, page_name):
    helpers.open_page(phone, urls[page_name])
    too_small = helpers.small_text(phone)
    assert not too_small, "text below 16 px:\n" + "\n".join(too_small)


@pytest.mark.parametrize("page_name", PAGE_NAMES)
def test_phone_touch_targets_are_at_least_24px(phone, urls, page_name):
    helpers.open_page(phone, urls[page_name])
    too_small = helpers.small_targets(phone)
    assert not too_small, "targets below 24x24 px:\n" + "\n".join(too_small)


def test_phone_search_box_and_first_results_are_visible_without_zooming(phone, urls, say):
    helpers.open_page(phone, urls["search-results"])
    assert phone.evaluate("() => window.visualViewport.scale") == 1
    search_box = phone.get_by_role("searchbox", name=say("Words to find"))
    first_result = phone.locator(".article-list > li").first.locator("h3 a")
    expect(search_box).to_be_visible()
    expect(first_result).to_be_visible()
    assert helpers.in_viewport(search_box), "the search box is outside the first screen at 375x800"
    assert helpers.in_viewport(first_result), "the first result is outside the first screen at 375x800"


@pytest.mark.parametrize("page_name", PAGE_NAMES)
def test_desktop_main_content_uses_the_width(desktop, urls, page_name, interface_language):
    helpers.open_page(desktop, urls[page_name])
    helpers.screenshot(desktop, f"{page_name}-1440-{interface_language}")
    main = desktop.locator("main").bounding_box()
    viewport_width = helpers.DESKTOP["width"]
    assert 700 < main["width"] <= viewport_width, f"main is {main['width']} px wide at {viewport_width} px"
    assert main["x"] >= 0 and main["x"] + main["width"] <= viewport_width
    size = helpers.horizontal_overflow(desktop)
    assert size["scrollWidth"] <= size["clientWidth"]
