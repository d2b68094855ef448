"""Browsing without searching: by date, by place, by topic and by source — in English and in French."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import IN_BOTH_LANGUAGES

pytestmark = [pytest.mark.browser, IN_BOTH_LANGUAGES]

KATI_HEADLINE = "Shooting and explosions at Kati military base outside Mali's capital"


def heading(page):
    return page.get_by_role("heading", level=1)


def month_name(say, month: int) -> str:
    return say.date(dt.date(2012, month, 1), "F")


def test_year_page_shows_months_without_articles_as_gaps(page, say):
    page.goto("/browse/")
    page.get_by_role("link", name="2012", exact=True).click()
    expect(page).to_have_url(re.compile(r"/browse/2012/$"))
    gaps = page.locator(".month-grid li.gap")
    february = gaps.filter(has_text=month_name(say, 2))
    expect(february).to_have_count(1)
    expect(february.get_by_role("link")).to_have_count(0)
    expect(page.locator(".month-grid li:not(.gap) a", has_text=month_name(say, 3))).to_have_count(1)


def test_dates_lead_from_years_to_month_to_day_to_article(page, say):
    page.goto("/browse/")
    page.get_by_role("link", name="2022", exact=True).click()
    expect(heading(page)).to_have_text(say("Articles of %(year)s", year="2022"))
    expect(page.locator(".month-grid li.gap").first).to_be_visible()  # 2022 has months without articles

    july = dt.date(2022, 7, 1)
    page.locator(".month-grid").get_by_role("link", name=re.compile("^" + say.date(july, "F"))).click()
    expect(page).to_have_url(re.compile(r"/browse/2022/07/$"))
    calendar = page.get_by_role("table", name=say("Articles per day, %(month)s", month=say.date(july, "F Y")))
    expect(calendar).to_be_visible()

    calendar.get_by_role("link", name=re.compile(r"^22 ")).click()
    expect(page).to_have_url(re.compile(r"/browse/2022/07/22/$"))
    day = dt.date(2022, 7, 22)
    expect(heading(page)).to_have_text(say("Articles of %(day)s", day=say.date(day, "l j F Y")))

    page.get_by_role("link", name=KATI_HEADLINE).click()
    expect(heading(page)).to_have_text(KATI_HEADLINE)
    expect(page.locator(".article-facts")).to_contain_text(say.date(day, "l j F Y"))


def test_empty_day_links_to_the_nearest_days_with_articles(page, say):
    page.goto("/browse/2022/07/24/")
    empty = say(
        "There are no articles in the archive for %(day)s.", day=say.date(dt.date(2022, 7, 24), "j F Y")
    )
    expect(page.locator(".empty")).to_contain_text(empty)
    page.locator(".nearest").get_by_role("link", name=say.date(dt.date(2022, 7, 23), "j F Y")).click()
    expect(page).to_have_url(re.compile(r"/browse/2022/07/23/$"))
    expect(page.locator(".article-list > li")).to_have_count(1)


def test_places_lead_from_continent_to_country_to_town(page, say):
    page.goto("/places/")
    tree = page.locator("main > .tree")
    expect(tree.get_by_role("link", name="Africa", exact=True)).to_be_visible()
    tree.get_by_role("link", name="Africa", exact=True).click()
    expect(heading(page)).to_have_text("Africa")

    inside = page.get_by_role("region", name=say("Inside %(name)s", name="Africa"))
    inside.get_by_role("link", name="Mali", exact=True).click()
    expect(heading(page)).to_have_text("Mali")
    expect(page.locator(".node-kind")).to_contain_text(say("Country", "kind of place"))

    page.get_by_role("region", name=say("Inside %(name)s", name="Mali")).get_by_role(
        "link", name="Koulikoro Region"
    ).click()
    region = page.get_by_role("region", name=say("Inside %(name)s", name="Koulikoro Region"))
    region.get_by_role("link", name="Kati", exact=True).click()
    expect(heading(page)).to_have_text("Kati")
    expect(page.get_by_role("navigation", name=say("Breadcrumb"))).to_have_text(
        re.compile(say("Places") + r"\s*›?\s*Africa\s*›?\s*Mali\s*›?\s*Koulikoro Region\s*›?\s*Kati")
    )
    expect(page.get_by_role("link", name=KATI_HEADLINE)).to_be_visible()


def test_topics_are_grouped_by_kind(page, say):
    page.goto("/topics/")
    for kind in ("Subjects", "Persons", "Organisations"):
        expect(page.get_by_role("heading", level=2, name=say(kind, "kinds of topic"))).to_be_visible()
    people = page.get_by_role("region", name=say("Persons", "kinds of topic"))
    people.get_by_role("link", name="Assimi Goïta").click()
    expect(heading(page)).to_have_text("Assimi Goïta")
    expect(page.locator(".node-kind")).to_contain_text(say("Person", "kind of topic"))
    expect(page.locator(".article-list > li").first).to_be_visible()


def test_sources_list_their_articles(page, say):
    page.goto("/sources/")
    table = page.get_by_role("table", name=say("Publishers whose articles the archive holds"))
    expect(table.locator("tbody tr")).to_have_count(5)
    table.get_by_role("link", name="UrduPoint / Pakistan Point News").click()
    expect(page).to_have_url(re.compile(r"/sources/urdupoint/$"))
    expect(heading(page)).to_have_text("UrduPoint / Pakistan Point News")
    expect(page.get_by_role("link", name=KATI_HEADLINE)).to_be_visible()


def test_unknown_address_shows_the_not_found_page(page, say):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    expect(heading(page)).to_have_text(say("Page not found"))
    expect(page.get_by_role("search", name=say("Site search"))).to_be_visible()
