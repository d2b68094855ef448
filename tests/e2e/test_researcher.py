"""A researcher searches, pages through ranked results, reads an article, follows a place and comes back."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import SAHEL_QUERY

pytestmark = pytest.mark.browser


def researcher_flow(page) -> None:
    """Home → query → ranked, highlighted results → page 2 → article → place → back to page 2."""
    page.goto("/")
    search_form = page.locator("main form[role=search]")
    search_form.get_by_label("Words to find").fill(SAHEL_QUERY)
    search_form.get_by_role("button", name="Search").click()

    expect(page).to_have_url(re.compile(rf"/search/\?q={SAHEL_QUERY}$"))
    expect(page.locator(".result-count")).to_contain_text("found, showing 1–20, most relevant first")
    results = page.locator(".article-list > li")
    expect(results).to_have_count(20)
    first_marks = results.first.locator(".article-item-title mark")  # best match: the word is in the headline
    expect(first_marks.first).to_have_text(re.compile(SAHEL_QUERY, re.I))
    assert page.locator("main mark").count() >= 20

    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(rf"/search/\?q={SAHEL_QUERY}&page=2$"))
    expect(page.locator(".result-count")).to_contain_text("showing 21–")
    expect(page.locator(".pagination [aria-current=page]")).to_have_text("2")
    results_url = page.url
    first_result = page.locator(".article-list > li").first.locator("h3 a")
    headline = first_result.inner_text()

    first_result.click()
    expect(page).to_have_url(re.compile(r"/articles/\d+/[\w-]+/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(headline)

    place_link = page.locator(".article-tags .tag-list").first.get_by_role("link").first
    place_name = place_link.inner_text()
    place_link.click()
    expect(page).to_have_url(re.compile(r"/places/[\w-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(place_name)
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text("Places")

    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text(headline)
    page.go_back()
    assert page.url == results_url
    expect(page.locator(".result-count")).to_contain_text("showing 21–")
    expect(page.locator(".article-list > li").first.locator("h3 a")).to_have_text(headline)
    expect(page.locator("main mark").first).to_be_visible()


def test_researcher_finds_reads_and_returns_to_the_same_results_page(page):
    researcher_flow(page)


def test_researcher_flow_works_without_javascript(new_context):
    page = new_context(java_script_enabled=False).new_page()
    researcher_flow(page)


def test_search_without_matches_says_so(page):
    page.goto("/search/?q=xylophonic+quartzberry")
    expect(page.get_by_role("status")).to_contain_text("No articles match")
    expect(page.locator(".article-list")).to_have_count(0)
