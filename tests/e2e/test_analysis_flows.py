"""Analysis in the browser: the coverage chart and its table, a comparison, keyword in context,
holdings — in English and in French."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import IN_BOTH_LANGUAGES, SAHEL_QUERY, shown_total, whole_number

pytestmark = [pytest.mark.browser, IN_BOTH_LANGUAGES]


def test_the_coverage_chart_switches_and_reads_as_a_table(page, say):
    page.goto(f"/search/?q={SAHEL_QUERY}")
    timeline = page.get_by_role("region", name=say("Coverage over time"))
    chart = timeline.get_by_role("img")
    title = say(
        "%(what)s: %(unit)s per %(interval)s, %(first)s to %(last)s",
        what="W",
        unit="U",
        interval="I",
        first="F",
        last="L",
    )
    per = re.search(r"U (\S+) I", title).group(1)  # "per", "par"
    expect(chart).to_have_accessible_name(re.compile(rf"{SAHEL_QUERY}.*{per} "))
    timeline.get_by_role("link", name=say("shares"), exact=True).click()
    expect(page).to_have_url(re.compile(r"measure=share"))
    timeline = page.get_by_role("region", name=say("Coverage over time"))
    timeline.get_by_text(say("The chart's numbers as a table")).click()
    table = timeline.get_by_role("table")
    expect(table).to_be_visible()
    counts = [whole_number(c) for c in table.locator("tbody td:nth-child(2)").all_inner_texts()]
    assert sum(counts) == shown_total(page)


def test_compare_two_queries_and_download_the_table(page, say):
    page.goto("/compare/")
    page.get_by_label(say("Query %(number)s", number=1)).fill("Kati")
    page.get_by_label(say("Query %(number)s", number=2)).fill("Bamako")
    page.get_by_role("button", name=say("Compare")).click()
    expect(page.locator("svg.chart polyline")).to_have_count(2)
    with page.expect_download() as download:
        page.get_by_role("link", name=say("download as CSV")).click()
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert {r["query"] for r in rows} == {"Kati", "Bamako"}


def test_keyword_in_context_opens_the_article_at_the_hit(page):
    page.goto("/kwic/?q=Kati")
    expect(page.locator(".result-count")).to_contain_text("occurrence")
    first = page.locator("table.kwic tbody tr").first
    hit_link = first.locator(".kwic-hit a")
    target = re.search(r"#(hit-\d+)$", hit_link.get_attribute("href")).group(1)
    hit_link.click()
    expect(page).to_have_url(re.compile(rf"#{target}$"))
    expect(page.locator(f"#{target}")).to_be_in_viewport()


def test_holdings_are_reached_from_the_navigation(page, say):
    page.goto("/")
    page.get_by_role("navigation", name=say("Browse")).get_by_role("link", name=say("Holdings")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(say("What the archive holds"))
    expect(page.locator(".holding").first.get_by_role("table")).to_be_visible()


def test_the_map_of_a_search_leads_from_a_country_to_its_results(page, say):
    page.goto(f"/search/?q={SAHEL_QUERY}")
    page.get_by_role("link", name=say("These results on a map")).click()
    expect(page).to_have_url(re.compile(rf"/map/\?q={SAHEL_QUERY}$"))
    countries = page.get_by_role("table", name=say("Matches per country"))
    first = countries.locator("tbody tr").first
    name = first.get_by_role("rowheader").inner_text()
    count = whole_number(first.get_by_role("link").inner_text())
    shape = page.locator("svg").get_by_role("link", name=re.compile(rf"^{re.escape(name)}\s?: "))
    expect(shape).to_have_count(1)
    shape.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=.*&place="))
    assert shown_total(page) == count


def test_a_places_page_leads_to_the_people_mentioned_with_it(page, say):
    page.goto("/places/mali/")
    mentioned = page.get_by_role("region", name=say("Mentioned with"))
    first = mentioned.get_by_role("region", name=say("People")).get_by_role("listitem").first
    count = whole_number(first.locator(".count").inner_text())
    first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/search/\?place=mali&person="))
    assert shown_total(page) == count
