"""Analysis: coverage over time, comparison, keyword in context, holdings — numbers counted by hand."""

from __future__ import annotations

import csv
import io

import pytest

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
