"""Research-grade search: filters, query language, exact facets, cursor walks, the API, bad input."""

import jsonschema
import pytest
from django.core.management import call_command
from django.test import Client

from archive import openapi
from archive.models import Article
from tests.factories import make_article, make_place, make_source, make_topic
from tests.import_helpers import REUTERS, run_import

pytestmark = pytest.mark.django_db


def api(client, **params):
    return client.get("/api/search/", params)


@pytest.fixture
def demo():
    call_command("load_demo")


def ids(response) -> set[int]:
    return {r["id"] for r in response.json()["results"]}


def total(client, **params) -> int:
    response = api(client, page_size=100, **params)
    assert response.status_code == 200, response.content
    return response.json()["count"]


def test_every_filter_works_without_q(client, demo):
    assert total(client, place="africa") >= total(client, place="mali") >= total(client, place="kati") >= 1
    assert total(client, topic="coup-detat") >= 1
    assert total(client, person="ibrahim-boubacar-keita") >= 1
    assert total(client, organisation="minusma") >= 1
    assert total(client, source="urdupoint") == 1
    french = total(client, language="fr")
    assert french >= 4 and total(client, language="en") + french == Article.objects.published().count()
    assert total(client, language="en,fr") == Article.objects.published().count()
    assert total(client, **{"from": "2022-07", "to": "2022-07"}) >= 3


def test_comma_means_any_and_repeating_means_all(client, demo):
    either = total(client, place="niger,burkina-faso")
    both = client.get("/api/search/", [("place", "niger"), ("place", "burkina-faso")]).json()["count"]
    assert either >= max(total(client, place="niger"), total(client, place="burkina-faso")) >= both >= 1


def test_place_filter_accepts_alias_and_rolls_up_three_levels(client, mali_chain):
    make_article("At Kati", places=[mali_chain["kati"]])
    for value in ["kati", "koulikoro-region", "MLI", "africa"]:
        assert total(client, place=value) == 1, value


@pytest.mark.parametrize(
    "params,message",
    [
        ({"place": "nowhere"}, "no place called"),
        ({"from": "2022-13-45"}, "is not a date"),
        ({"from": "2022", "to": "2021"}, "before"),
        ({"sort": "sideways"}, "valid choice"),
        ({"page_size": "500"}, "page_size"),
        ({"page": "-1"}, "page"),
        ({"page": "999999"}, "past the last page"),
        ({"cursor": "garbage"}, "cursor"),
        ({"source": "nobody"}, "no source"),
    ],
)
def test_invalid_values_are_400_in_the_api_and_explained_on_the_page(client, demo, params, message):
    response = api(client, **params)
    assert response.status_code == 400 and message in response.json()["error"]


def test_invalid_value_on_the_page_shows_the_error_and_no_results(client, demo):
    response = client.get("/search/", {"q": "Kati", "from": "2022-13-45"})
    html = response.content.decode()
    assert response.status_code == 400 and "is not a date" in html and "article-item" not in html


@pytest.mark.parametrize(
    "q",
    [
        "a" * 10_000,
        "\x00",
        '"unbalanced',
        "-",
        "OR",
        "*",
        "a & & b",
        "!(",
        "x:'y'|z",
        "((",
        "<->",
        "'",
        "\\",
        "headline:",
        "exact:",
        '""~3',
    ],
)
def test_hostile_queries_never_fail(client, demo, q):
    assert client.get("/search/", {"q": q}).status_code in (200, 400)
    assert api(client, q=q).status_code in (200, 400)


def test_understood_and_dropped_are_reported(client, demo):
    # "on" is a stop word in both languages of the demo (English, French): left out everywhere.
    body = api(client, q="Kati -France on").json()["query"]
    assert body["understood"] == "Kati AND NOT France"
    assert any("stop word in English and French" in note for note in body["dropped"])
    # "the" is one in English only: French articles are searched with it, English ones without.
    body = api(client, q="Kati the").json()["query"]
    assert any("“the” is a stop word in English" in note for note in body["dropped"])


def test_exact_mode_finds_a_stop_word(client):
    make_article("WHO warns of cholera", body="The WHO said so.")
    make_article("Who is who", body="x")
    assert total(client, q="WHO") == 0
    assert total(client, q="exact:WHO") == 2
    assert total(client, q="WHO", exact="true") == 2


def test_exact_mode_does_not_stem(client):
    make_article("Attacked at dawn", body="x")
    assert total(client, q="attack") == 1 and total(client, q="exact:attack") == 0


def test_prefix_and_field_scopes(client):
    make_article("Inflation rises", body="Prices.", byline="Jane Roe")
    make_article("Prices", body="Inflationary pressure.")
    assert total(client, q="infla*") == 2
    assert total(client, q="headline:inflation") == 1
    assert total(client, q="byline:roe") == 1


@pytest.mark.parametrize(
    "body,found",
    [
        ("coffee prices in brazil", True),
        ("brazil raised coffee output", True),
        ("coffee one two three four brazil", True),
        ("coffee one two three four five six brazil", False),
    ],
)
def test_proximity_in_either_order_and_within_the_distance(client, body, found):
    make_article("Story", body=body)
    assert (total(client, q='"coffee brazil"~5') == 1) is found


def test_proximity_marks_both_words_in_the_extract_and_the_article(client):
    article = make_article("Story", body="Prices rose. Brazil raised coffee output this year.")
    result = api(client, q='"coffee brazil"~5').json()["results"][0]
    assert "<mark>coffee</mark>" in result["snippet"] and "<mark>Brazil</mark>" in result["snippet"]
    html = client.get(article.get_absolute_url(), {"q": '"coffee brazil"~5'}).content.decode()
    assert 'id="hit-1">Brazil</mark>' in html and 'id="hit-2">coffee</mark>' in html


def test_proximity_is_marked_by_its_words_not_the_ten_way_alternation():
    from archive.search.compiler import compile_query

    compiled = compile_query('"coffee brazil"~5 -tea')
    assert "<5>" in compiled.stemmed
    marking = compiled.highlight_query()[0].text
    assert marking == "(((('coffe') & ('brazil')))) & (!('tea'))"


def test_did_you_mean_suggests_archive_words(client, demo):
    call_command("refresh_vocabulary")
    html = client.get("/search/", {"q": "Bamakko"}).content.decode()
    assert "Did you mean" in html and "bamako" in html


def test_cursor_walk_returns_every_match_exactly_once(client, demo):
    expected = total(client, place="africa")
    seen, url, pages = [], "/api/search/?place=africa&page_size=7", 0
    while url:
        body = client.get(url).json()
        seen += [r["id"] for r in body["results"]]
        url, pages = body["next"], pages + 1
        if url:
            url = url.replace("http://testserver", "")
    assert len(seen) == len(set(seen)) == expected and pages > 1


def test_cursor_walk_with_relevance_and_ties(client):
    for _ in range(25):
        make_article("Same words", body="identical text", published_on="2020-01-01")
    seen, url = [], "/api/search/?q=identical&page_size=4"
    while url:
        body = client.get(url).json()
        seen += [r["id"] for r in body["results"]]
        url = body["next"] and body["next"].replace("http://testserver", "")
    assert len(seen) == len(set(seen)) == 25


def test_previous_cursor_goes_back(client, demo):
    first = api(client, place="africa", page_size=5).json()
    second = client.get(first["next"].replace("http://testserver", "")).json()
    back = client.get(second["previous"].replace("http://testserver", "")).json()
    assert [r["id"] for r in back["results"]] == [r["id"] for r in first["results"]]


def test_api_responses_match_the_openapi_schema(client, demo):
    document = openapi.document(server="http://testserver/")
    schemas = {"components": document["components"]}
    search_schema = {**document["components"]["schemas"]["Search"], **schemas}
    article_schema = {**document["components"]["schemas"]["Article"], **schemas}
    body = api(client, q="Kati", place="mali").json()
    jsonschema.validate(body, search_schema)
    jsonschema.validate(client.get(f"/api/articles/{body['results'][0]['id']}/").json(), article_schema)
    jsonschema.validate(api(client, place="nowhere").json(), document["components"]["schemas"]["Error"])
    assert client.get("/api/openapi.json").json()["openapi"] == "3.1.0"


def test_api_never_shows_drafts(client):
    draft = make_article("Secret Kati draft", status="draft")
    assert total(client, q="secret") == 0
    assert client.get(f"/api/articles/{draft.pk}/").status_code == 404


def test_search_result_snippets_are_escaped_with_real_marks(client):
    make_article("<b>Kati</b>", body="<script>x</script> Kati")
    result = api(client, q="Kati").json()["results"][0]
    assert "<mark>Kati</mark>" in result["snippet"] and "<script>" not in result["snippet"]


def test_article_opened_from_a_search_marks_every_hit_with_navigation(client):
    article = make_article("Kati attack", body="First Kati.\n\nThen Kati again, and Kati once more.")
    html = client.get(article.get_absolute_url(), {"q": "Kati", "back": "q=Kati&page=1"}).content.decode()
    assert html.count('<mark id="hit-') == 4
    assert 'href="#hit-3">next hit</a>' in html and 'href="#hit-1">previous hit</a>' in html
    assert 'href="/search/?q=Kati&amp;page=1"' in html


def test_facet_counts_equal_their_click_through(client, demo):
    body = api(client, q="Mali").json()
    checked = 0
    for name, values in body["facets"].items():
        for entry in values[:5]:
            params = {"q": "Mali"}
            params.update(
                {"from": entry["value"], "to": entry["value"]}
                if name in ("year", "month")
                else {name: entry["value"]}
            )
            assert total(client, **params) == entry["count"], (name, entry)
            checked += 1
    assert checked >= 15


def test_reuters_facet_counts_equal_click_through_for_ten_queries(client):
    run_import(REUTERS / "reut2-000.sgm")
    for q in [
        "coffee",
        "oil prices",
        "bank",
        "wheat",
        "dollar",
        "trade OR tariff",
        "opec",
        "gold",
        "sugar -cane",
        '"interest rates"',
    ]:
        body = api(client, q=q).json()
        for name, values in body["facets"].items():
            for entry in values[:3]:
                params = {
                    "q": q,
                    **(
                        {"from": entry["value"], "to": entry["value"]}
                        if name in ("year", "month")
                        else {name: entry["value"]}
                    ),
                }
                assert total(client, **params) == entry["count"], (q, name, entry)


def test_search_page_shows_facets_chips_and_understood_query(client, demo):
    html = client.get("/search/", {"q": "Kati", "place": "mali"}).content.decode()
    assert "Narrow the results" in html and "Searched for:" in html
    assert 'class="chip"' in html and "place: mali" in html


def test_place_and_topic_and_source_factories_combine(client):
    source = make_source(slug="desk")
    place = make_place("Gao")
    topic = make_topic("Drought")
    make_article(
        "Dry season in Gao", source=source, places=[place], topics=[topic], published_on="2021-03-01"
    )
    assert (
        total(client, q="dry", place="gao", topic="drought", source="desk", **{"from": "2021", "to": "2021"})
        == 1
    )


def test_page_past_the_end_is_404_on_the_page(client, demo):
    assert client.get("/search/", {"q": "Kati", "page": 999999}).status_code == 404
    assert Client().get("/search/", {"q": "Kati", "page": "abc"}).status_code == 404


def test_months_are_listed_within_two_years_and_reached_through_a_year_beyond(client):
    for year in (2019, 2020, 2021):
        for month in range(1, 13):
            make_article("Harvest report", published_on=f"{year}-{month:02d}-15")
    html = client.get("/search/", {"q": "harvest"}).content.decode()
    assert "Choose a year to see its months." in html and "from=2020-03" not in html
    assert len(api(client, q="harvest").json()["facets"]["month"]) == 36  # the API lists them all
    html = client.get("/search/", {"q": "harvest", "from": "2020", "to": "2020"}).content.decode()
    assert "Choose a year" not in html and "from=2020-03&amp;to=2020-03" in html
