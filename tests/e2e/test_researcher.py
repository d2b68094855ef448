"""A researcher searches, pages through ranked results, reads an article, follows a place and comes
back — in English and in French."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import IN_BOTH_LANGUAGES, SAHEL_QUERY

pytestmark = [pytest.mark.browser, IN_BOTH_LANGUAGES]


def before(text: str) -> str:
    """A message's words up to its first blank (\x00)."""
    return text.split("\x00")[0]


def researcher_flow(page, say) -> None:
    """Home → query → ranked, highlighted results → page 2 → article → place → back to page 2."""
    page.goto("/")
    search_form = page.locator("main form[role=search]")
    search_form.get_by_label(say("Words to find")).fill(SAHEL_QUERY)
    search_form.get_by_role("button", name=say("Search")).click()

    expect(page).to_have_url(re.compile(rf"/search/\?q={SAHEL_QUERY}$"))
    showing = say("showing %(start)s–%(end)s", start="1", end="20")
    expect(page.locator(".result-count")).to_contain_text(f"{showing}, {say('most relevant first')}")
    results = page.locator(".article-list > li")
    expect(results).to_have_count(20)
    first_marks = results.first.locator(".article-item-title mark")  # best match: the word is in the headline
    expect(first_marks.first).to_have_text(re.compile(SAHEL_QUERY, re.I))
    assert page.locator("main mark").count() >= 20

    next_page = say.name('Next<span class="visually-hidden"> page</span>')
    page.get_by_role("navigation", name=say("Pages")).get_by_role("link", name=next_page).click()
    expect(page).to_have_url(re.compile(rf"/search/\?q={SAHEL_QUERY}&page=2$"))
    second_page = before(say("showing %(start)s–%(end)s", start="21", end="\x00"))
    expect(page.locator(".result-count")).to_contain_text(second_page)
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
    expect(page.get_by_role("navigation", name=say("Breadcrumb"))).to_contain_text(say("Places"))

    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text(headline)
    page.go_back()
    assert page.url == results_url
    expect(page.locator(".result-count")).to_contain_text(second_page)
    expect(page.locator(".article-list > li").first.locator("h3 a")).to_have_text(headline)
    expect(page.locator("main mark").first).to_be_visible()


def test_researcher_finds_reads_and_returns_to_the_same_results_page(page, say):
    researcher_flow(page, say)


def test_researcher_flow_works_without_javascript(new_context, say):
    page = new_context(java_script_enabled=False).new_page()
    researcher_flow(page, say)


def test_search_without_matches_says_so(page, say):
    page.goto("/search/?q=xylophonic+quartzberry")
    none = before(say("No articles match “%(q)s”.", q="\x00")).rstrip(" “«\u00a0\u202f")
    expect(page.get_by_role("status")).to_contain_text(none)
    expect(page.locator(".article-list")).to_have_count(0)
