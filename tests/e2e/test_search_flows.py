"""Search in the browser: facet clicks give their counts, chips come off, hits in an article are
walked — in English and in French."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import IN_BOTH_LANGUAGES, shown_total, whole_number

pytestmark = [pytest.mark.browser, IN_BOTH_LANGUAGES]


def test_a_facet_click_returns_its_count_and_the_chip_takes_it_away(page, say):
    page.goto("/search/?q=Mali")
    before = shown_total(page)
    facets = page.get_by_role("complementary", name=say("Narrow the results"))
    place_group = facets.locator("section.facet", has=page.get_by_role("heading", name=say("Places")))
    entry = place_group.locator("li").nth(1)  # not the first: a narrower place than the top one
    label = entry.get_by_role("link").inner_text()
    promised = whole_number(entry.locator(".count").inner_text())

    entry.get_by_role("link").click()

    expect(page).to_have_url(re.compile(r"[?&]place="))
    assert shown_total(page) == promised
    chip = page.locator(".chips a.chip")
    expect(chip).to_have_count(1)
    expect(chip).to_contain_text(
        say("%(label)s: %(value)s", label=say("place", "filter chip"), value="").rstrip()
    )

    chip.click()

    expect(page).not_to_have_url(re.compile(r"[?&]place="))
    expect(page.locator(".chips a.chip")).to_have_count(0)
    assert shown_total(page) == before, f"removing {label} should restore the first search"


def test_the_understood_query_and_dropped_words_are_shown(page):
    page.goto("/search/?q=who+-coup")
    expect(page.locator(".understood")).to_contain_text("NOT coup")
    expect(page.locator(".dropped").first).to_contain_text("who")


def test_an_article_opened_from_a_search_walks_its_hits_and_returns(page, say):
    page.goto("/search/?q=Kati")
    results_url = page.url
    page.locator(".article-list > li").first.locator("h3 a").click()

    hits = page.locator("main mark[id^=hit-]")
    assert hits.count() >= 2, "the Kati report names Kati more than once"
    nav = page.get_by_role("navigation", name=say("Search hits"))
    counted = say.plural(
        "%(shown)s hit for <code>%(understood)s</code>",
        "%(shown)s hits for <code>%(understood)s</code>",
        hits.count(),
        shown=hits.count(),
        understood="Kati",
    )
    expect(nav).to_contain_text(counted.split("<code>")[0].strip())

    last = hits.count()
    page.locator(f"a.hit-step[href='#hit-{last}']", has_text=say("next hit")).click()
    expect(page).to_have_url(re.compile(rf"#hit-{last}$"))
    expect(page.locator(f"#hit-{last}")).to_be_in_viewport()
    page.locator(f"a.hit-step[href='#hit-{last - 1}']", has_text=say("previous hit")).click()
    expect(page).to_have_url(re.compile(rf"#hit-{last - 1}$"))
    expect(page.locator(f"#hit-{last - 1}")).to_be_in_viewport()

    page.get_by_role("link", name=say("← Back to the search results").lstrip("← ")).click()
    assert page.url == results_url
    expect(page.locator(".article-list > li").first).to_be_visible()


def test_a_bad_parameter_shows_what_was_wrong_and_no_results(page):
    response = page.goto("/search/?q=Kati&from=2022-13-45")
    assert response.status == 400
    expect(page.get_by_role("alert")).to_contain_text("from")
    expect(page.locator(".article-list")).to_have_count(0)
