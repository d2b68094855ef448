"""Browsing without searching: by date, by place, by topic and by source."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

KATI_HEADLINE = "Shooting and explosions at Kati military base outside Mali's capital"


def heading(page):
    return page.get_by_role("heading", level=1)


def test_year_page_shows_months_without_articles_as_gaps(page):
    page.goto("/browse/")
    page.get_by_role("link", name="2012", exact=True).click()
    expect(page).to_have_url(re.compile(r"/browse/2012/$"))
    gaps = page.locator(".month-grid li.gap")
    expect(gaps.filter(has_text="February")).to_have_count(1)
    expect(gaps.filter(has_text="February").get_by_role("link")).to_have_count(0)
    expect(page.locator(".month-grid li:not(.gap) a", has_text="March")).to_have_count(1)


def test_dates_lead_from_years_to_month_to_day_to_article(page):
    page.goto("/browse/")
    page.get_by_role("link", name="2022", exact=True).click()
    expect(heading(page)).to_have_text("Articles of 2022")
    expect(page.locator(".month-grid li.gap").first).to_be_visible()  # 2022 has months without articles

    page.locator(".month-grid").get_by_role("link", name=re.compile(r"^July")).click()
    expect(page).to_have_url(re.compile(r"/browse/2022/07/$"))
    calendar = page.get_by_role("table", name="Articles per day, July 2022")
    expect(calendar).to_be_visible()

    calendar.get_by_role("link", name=re.compile(r"^22 ")).click()
    expect(page).to_have_url(re.compile(r"/browse/2022/07/22/$"))
    expect(heading(page)).to_have_text("Articles of Friday 22 July 2022")

    page.get_by_role("link", name=KATI_HEADLINE).click()
    expect(heading(page)).to_have_text(KATI_HEADLINE)
    expect(page.locator(".article-facts")).to_contain_text("Friday 22 July 2022")


def test_empty_day_links_to_the_nearest_days_with_articles(page):
    page.goto("/browse/2022/07/24/")
    expect(page.locator(".empty")).to_contain_text("There are no articles in the archive for 24 July 2022")
    page.locator(".nearest").get_by_role("link", name="23 July 2022").click()
    expect(page).to_have_url(re.compile(r"/browse/2022/07/23/$"))
    expect(page.locator(".article-list > li")).to_have_count(1)


def test_places_lead_from_continent_to_country_to_town(page):
    page.goto("/places/")
    tree = page.locator("main > .tree")
    expect(tree.get_by_role("link", name="Africa", exact=True)).to_be_visible()
    tree.get_by_role("link", name="Africa", exact=True).click()
    expect(heading(page)).to_have_text("Africa")

    inside = page.get_by_role("region", name="Inside Africa")
    inside.get_by_role("link", name="Mali", exact=True).click()
    expect(heading(page)).to_have_text("Mali")
    expect(page.locator(".node-kind")).to_contain_text("Country")

    page.get_by_role("region", name="Inside Mali").get_by_role("link", name="Koulikoro Region").click()
    region = page.get_by_role("region", name="Inside Koulikoro Region")
    region.get_by_role("link", name="Kati", exact=True).click()
    expect(heading(page)).to_have_text("Kati")
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_have_text(
        re.compile(r"Places\s*›?\s*Africa\s*›?\s*Mali\s*›?\s*Koulikoro Region\s*›?\s*Kati")
    )
    expect(page.get_by_role("link", name=KATI_HEADLINE)).to_be_visible()


def test_topics_are_grouped_by_kind(page):
    page.goto("/topics/")
    for kind in ("Subjects", "Persons", "Organisations"):
        expect(page.get_by_role("heading", level=2, name=kind)).to_be_visible()
    people = page.get_by_role("region", name="Persons")
    people.get_by_role("link", name="Assimi Goïta").click()
    expect(heading(page)).to_have_text("Assimi Goïta")
    expect(page.locator(".node-kind")).to_contain_text("Person")
    expect(page.locator(".article-list > li").first).to_be_visible()


def test_sources_list_their_articles(page):
    page.goto("/sources/")
    table = page.get_by_role("table", name="Publishers whose articles the archive holds")
    expect(table.locator("tbody tr")).to_have_count(5)
    table.get_by_role("link", name="UrduPoint / Pakistan Point News").click()
    expect(page).to_have_url(re.compile(r"/sources/urdupoint/$"))
    expect(heading(page)).to_have_text("UrduPoint / Pakistan Point News")
    expect(page.get_by_role("link", name=KATI_HEADLINE)).to_be_visible()


def test_unknown_address_shows_the_not_found_page(page):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    expect(heading(page)).to_have_text("Page not found")
    expect(page.get_by_role("search", name="Site search")).to_be_visible()
