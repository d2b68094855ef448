"""A researcher cites an article, exports a whole search and finds its feed, in the browser — in
English and in French."""

import csv
import io
import re

import bibtexparser
import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import IN_BOTH_LANGUAGES, SAHEL_QUERY, shown_total

pytestmark = [pytest.mark.browser, IN_BOTH_LANGUAGES]


def test_the_article_page_cites_and_downloads_each_format(page, urls, say):
    page.goto(urls["article"])
    cite = page.get_by_role("region", name=say("Cite this article"))
    # The citation keeps its style's own language (Chicago, in English) whatever the interface's.
    expect(cite.locator(".citation")).to_contain_text(re.compile(r"July 22, 2022, accessed .+, http://"))
    with page.expect_download() as download_info:
        cite.get_by_role("link", name="BibTeX").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".bib")
    library = bibtexparser.parse_string(open(download.path(), encoding="utf-8").read())
    assert len(library.entries) == 1 and not library.failed_blocks
    for label in ("RIS", "CSL-JSON"):
        with page.expect_download() as other:
            cite.get_by_role("link", name=label).click()
        assert other.value.suggested_filename.split(".")[-1] in ("ris", "json")


def test_a_search_exports_every_match_as_csv_and_offers_its_feed(page, say):
    page.goto(f"/search/?q={SAHEL_QUERY}")
    total = shown_total(page)
    assert total > 20, "more than one page of results, so the export must go beyond the page"
    take_away = page.get_by_role("region", name=say("Export or follow this search"))
    with page.expect_download() as download_info:
        take_away.get_by_role("link", name="CSV").click()
    rows = list(csv.DictReader(io.StringIO(open(download_info.value.path(), encoding="utf-8").read())))
    assert len(rows) == total

    feed_href = take_away.get_by_role("link", name=say("Atom feed")).get_attribute("href")
    response = page.request.get(feed_href)
    assert response.ok and response.headers["content-type"].startswith("application/atom+xml")
    assert response.text().count("<entry>") == min(total, 50)
    assert page.locator("link[rel=alternate][type='application/atom+xml']").count() == 1
