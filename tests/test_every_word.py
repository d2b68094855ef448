"""Every word is indexed: inside angle brackets, and each part of a slash- or hyphen-joined word."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.http import QueryDict

from archive import search
from archive.models import Article
from tests.factories import make_article
from tests.import_helpers import REUTERS, run_import

pytestmark = pytest.mark.django_db
TICKER = re.compile(r"<([A-Z]{3,5})>")


def found(query: str) -> set[int]:
    result = search.run(QueryDict(query), counted=False)
    assert not result.errors, result.errors
    return set(result.matches.values_list("pk", flat=True))


def test_words_inside_angle_brackets_are_indexed():
    article = make_article("Takeover bid", body="Shares of <New London Oil Ltd> and <AAPL> rose.")
    for query in ("q=aapl", "q=london", 'q="new london oil"', "q=exact:ltd", "q=headline:takeover+aapl"):
        assert article.pk in found(query), query


def test_each_part_of_a_slash_joined_word_and_the_whole_are_found():
    article = make_article("OIL/GAS output falls", body="Crude oil/gas prices and U.S./CANADA trade.")
    for query in ("q=oil", "q=gas", "q=oil/gas", 'q="oil gas"', "q=exact:gas", "q=canada", "q=headline:gas"):
        assert article.pk in found(query), query


def test_each_part_of_a_hyphenated_word_and_the_whole_are_found():
    article = make_article("Crude-oil output", body="A mid-year review.")
    for query in ("q=crude", "q=oil", "q=crude-oil", "q=mid-year", "q=year", "q=exact:crude-oil"):
        assert article.pk in found(query), query


def test_a_hit_inside_brackets_or_after_a_slash_is_marked_and_the_text_kept(client):
    make_article("OIL/GAS talks", body="Shares of <New London Oil Ltd> rose.")
    html = client.get("/search/", {"q": "gas london"}).content.decode()
    assert "OIL/<mark>GAS</mark>" in html
    assert "&lt;New <mark>London</mark> Oil Ltd&gt;" in html


def test_kwic_lines_reach_words_in_brackets(client):
    make_article("Takeover bid", body="Shares of <New London Oil Ltd> rose.")
    response = client.get("/kwic/", {"q": "london", "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row[3] for row in rows[1:]] == ["London"]
    assert rows[1][2].endswith("<New") and rows[1][4].startswith("Oil Ltd>")


def test_reuters_tickers_in_brackets_are_found():
    """Every story of reut2-000 that names a ticker in brackets (`<AAPL>`) is found by the ticker."""
    run_import(REUTERS / "reut2-000.sgm")
    holders: dict[str, set[int]] = {}
    for pk, headline, body in Article.objects.values_list("pk", "headline", "body"):
        for ticker in TICKER.findall(f"{headline} {body}"):
            holders.setdefault(ticker, set()).add(pk)
    assert len(holders) > 100 and len(holders["AAPL"]) >= 1
    for ticker in sorted(holders, key=lambda t: -len(holders[t]))[:25]:
        assert holders[ticker] <= found(f"q={ticker}"), ticker
