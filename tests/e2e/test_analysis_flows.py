"""Analysis in the browser: the coverage chart and its table, a comparison, keyword in context, holdings."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import SAHEL_QUERY

pytestmark = pytest.mark.browser


def test_the_coverage_chart_switches_and_reads_as_a_table(page):
    page.goto(f"/search/?q={SAHEL_QUERY}")
    timeline = page.get_by_role("region", name="Coverage over time")
    chart = timeline.get_by_role("img")
    expect(chart).to_have_accessible_name(re.compile(rf"{SAHEL_QUERY}.*per "))
    timeline.get_by_role("link", name="shares").click()
    expect(page).to_have_url(re.compile(r"measure=share"))
    timeline = page.get_by_role("region", name="Coverage over time")
    timeline.get_by_text("The chart's numbers as a table").click()
    table = timeline.get_by_role("table")
    expect(table).to_be_visible()
    counts = [int(c.replace(",", "")) for c in table.locator("tbody td:nth-child(2)").all_inner_texts()]
    shown = page.locator(".result-count").inner_text()
    assert sum(counts) == int(re.match(r"([\d,]+)", shown).group(1).replace(",", ""))


def test_compare_two_queries_and_download_the_table(page):
    page.goto("/compare/")
    page.get_by_label("Query 1").fill("Kati")
    page.get_by_label("Query 2").fill("Bamako")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("svg.chart polyline")).to_have_count(2)
    with page.expect_download() as download:
        page.get_by_role("link", name="download as CSV").click()
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


def test_holdings_are_reached_from_the_navigation(page):
    page.goto("/")
    page.get_by_role("navigation", name="Browse").get_by_role("link", name="Holdings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What the archive holds")
    expect(page.locator(".holding").first.get_by_role("table")).to_be_visible()
