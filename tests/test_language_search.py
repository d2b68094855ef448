"""Queries across languages: each article stemmed by its own language, each query compiled in each."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from archive import search
from archive.search.compiler import compile_query
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def found(query: str) -> set[int]:
    result = search.run(QueryDict(query), counted=False)
    assert not result.errors, result.errors
    return set(result.matches.values_list("pk", flat=True))


@pytest.fixture
def reports():
    """One report of the Kati attack in each of four languages (the project's own words)."""
    return {
        "en": make_article(
            "Attack on the Kati camp",
            body="National and regional newspapers report elections.",
            language="en",
        ),
        "fr": make_article(
            "Attaque contre le camp de Kati",
            body="Les journaux nationaux et régionaux parlent des élections. Une élection est prévue.",
            language="fr",
        ),
        "de": make_article("Angriff auf das Lager Kati", body="Die Wahlen wurden verschoben.", language="de"),
        "es": make_article(
            "Ataque contra el campamento de Kati", body="Las elecciones fueron aplazadas.", language="es"
        ),
    }


def test_french_words_find_their_inflections(reports):
    french = reports["fr"].pk
    for query in (
        "q=journal",
        "q=journaux",
        "q=régional",
        "q=regionaux",
        "q=national",
        "q=élection",
        "q=elections",
    ):
        assert french in found(query), query


def test_an_unaccented_word_finds_the_accented_one_and_back(reports):
    french = reports["fr"].pk
    assert french in found("q=election") and french in found("q=élections") and french in found("q=Élection")


def test_german_and_spanish_are_stemmed_by_their_own_rules(reports):
    assert reports["de"].pk in found("q=Wahl")
    assert reports["es"].pk in found("q=elección")
    assert reports["es"].pk in found("q=eleccion")


def test_french_stop_words_are_not_indexed_but_exact_mode_finds_them(reports):
    assert reports["fr"].pk not in found("q=des") and reports["fr"].pk not in found("q=une")
    assert reports["fr"].pk in found("q=exact:des")
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM archive_article WHERE id = %s", [reports["fr"].pk])
        vector = cursor.fetchone()[0]
    assert "'des'" not in vector and "'une'" not in vector and "'journal'" in vector


def test_one_query_finds_the_reports_in_every_language(reports):
    assert found("q=Kati") == {article.pk for article in reports.values()}


def test_the_query_says_which_languages_it_searched_and_what_each_dropped(reports, client):
    compiled = compile_query("des attaques")
    assert compiled.languages == ["de", "en", "es", "fr"]
    assert any("“des” is a stop word in French" in note for note in compiled.dropped)
    html = client.get("/search/", {"q": "Kati"}).content.decode()
    assert "Searched in German, English, Spanish and French" in html
    answer = client.get("/api/search/", {"q": "Kati"}).json()
    assert answer["query"]["languages"] == ["de", "en", "es", "fr"] and answer["count"] == 4


def test_hits_are_marked_in_each_articles_own_language(reports, client):
    html = client.get("/search/", {"q": "journaux"}).content.decode()
    assert "<mark>journaux</mark>" in html
    page = client.get(reports["fr"].get_absolute_url(), {"q": "élection"}).content.decode()
    assert "<mark" in page and "élections</mark>" in page


def test_a_page_in_four_languages_is_marked_in_one_statement_each_by_its_rules(reports, client):
    with CaptureQueriesContext(connection) as captured:
        answer = client.get("/search/", {"q": "élections OR Wahlen OR elecciones OR newspapers"})
    html = answer.content.decode()
    assert sum("ts_headline" in query["sql"] for query in captured.captured_queries) == 1
    assert "<mark>élections</mark>" in html and "<mark>Wahlen</mark>" in html
    assert "<mark>elecciones</mark>" in html and "<mark>newspapers</mark>" in html


def test_a_language_that_appears_is_searched_at_once_and_one_that_goes_is_not(reports):
    assert "it" not in compile_query("Kati").languages
    italian = make_article("Attacco al campo di Kati", body="Le elezioni sono state rinviate.", language="it")
    assert "it" in compile_query("Kati").languages and italian.pk in found("q=elezione")
    italian.delete()
    assert "it" not in compile_query("Kati").languages


def test_kwic_reads_each_article_in_its_own_language(reports, client):
    def hits(query: str) -> list[tuple[str, str]]:
        response = client.get("/kwic/", {"q": query, "format": "csv"})
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))[1:]
        return sorted((row[0], row[3]) for row in rows)

    french, english = str(reports["fr"].pk), str(reports["en"].pk)
    assert hits("journal") == [(french, "journaux")]  # French rules: journaux is journal
    assert hits("elections") == sorted([(english, "elections"), (french, "élection"), (french, "élections")])
    assert hits("des") == []  # a French stop word is no hit in French text
    assert (french, "Kati") in hits("Kati") and (str(reports["de"].pk), "Kati") in hits("Kati")


def test_a_word_that_is_a_stop_word_in_one_language_only_asks_nothing_of_it(reports):
    # "des" is a French (and German) stop word: there the query is only exact:kati, which the French
    # report meets; OR-ing the English stemmed part into it must not ask "des" of the French report.
    assert reports["fr"].pk in found("q=des+exact:kati")


def test_each_article_matches_only_its_own_languages_reading_of_the_query(reports, client):
    # French rules stem "parties" to "part"; an English report that only says "part" is not about
    # parties, and must not match through the French reading of the word.
    took_part = make_article("Observers took part", body="Observers took part in the count.", language="en")
    parties = make_article("Les parties signent", body="Les parties ont signé l'accord.", language="fr")
    compiled = compile_query("parties")
    assert compiled.by_language, "the languages read 'parties' differently"
    assert found("q=parties") == {parties.pk}
    answer = client.get("/api/search/", {"q": "parties"}).json()
    assert answer["count"] == 1
    assert {entry["value"]: entry["count"] for entry in answer["facets"]["language"]} == {"fr": 1}
    assert took_part.pk in found("q=part")  # the English word still finds it by English rules


def test_languages_that_read_a_query_alike_need_no_recheck(reports):
    assert not compile_query("camp").by_language  # 'camp' in all four
    assert "CASE" not in str(search.run(QueryDict("q=camp"), counted=False).matches.query)
    assert compile_query("Kati").by_language  # French rules read 'kat'
    assert found("q=Kati") == {report.pk for report in reports.values()}


def test_a_phrase_the_languages_read_differently_keeps_its_word_order(reports):
    # The index is asked for the words in any order (the languages' readings ANDed); each row's own
    # language's phrase then decides.
    in_order = make_article("Les parties signent", body="Les parties signent l'accord.", language="fr")
    reversed_order = make_article("Signent les parties", body="Ils signent, les parties.", language="fr")
    negated = make_article("Les parties votent", body="Les parties votent.", language="fr")
    assert compile_query('"parties signent"').by_language
    assert found('q="parties signent"') == {in_order.pk}
    assert found('q=parties+-"parties signent"') == {negated.pk, reversed_order.pk}
