"""Places found in real text with the whole gazetteer: Reuters datelines, HuffPost headlines, the
French demo articles — on import and by `find_tags` — and a rejected tag that never comes back."""

from __future__ import annotations

import itertools
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from archive import tag_origins
from archive.finding import tagging
from archive.models import Article, Place, TagRejection, Topic
from archive.services import editing
from archive.services.gazetteer import gazetteer_load
from tests.import_helpers import HUFFPOST, HUFFPOST_MAP, REUTERS, run_import, write_jsonl

ROOT = Path(__file__).resolve().parents[1]
BUENOS_AIRES = {"words": "BUENOS AIRES", "where": "dateline"}
CLOSURE_MISMATCHES = """
WITH RECURSIVE pairs(ancestor_id, descendant_id, depth) AS (
    SELECT id, id, 0 FROM archive_place
    UNION ALL
    SELECT pairs.ancestor_id, child.id, pairs.depth + 1
    FROM pairs JOIN archive_place child ON child.parent_id = pairs.descendant_id
), whole AS (SELECT DISTINCT ON (ancestor_id, descendant_id) * FROM pairs)
SELECT (SELECT count(*) FROM (SELECT * FROM whole EXCEPT
            SELECT ancestor_id, descendant_id, depth FROM archive_placeclosure) missing),
       (SELECT count(*) FROM (SELECT ancestor_id, descendant_id, depth FROM archive_placeclosure EXCEPT
            SELECT * FROM whole) extra)
"""


@pytest.fixture
def gazetteer(db):
    call_command("load_demo")
    gazetteer_load(cities=True)


def found_places(article: Article) -> dict[str, dict]:
    return {
        tag["slug"]: tag["evidence"]
        for tag in tag_origins.article_tags(article.pk)
        if tag["kind"] == "place" and tag["provenance"] == tag_origins.FOUND
    }


def test_the_gazetteer_grows_to_cities_and_states_and_loading_again_changes_nothing(gazetteer):
    cities = Place.objects.filter(kind=Place.Kind.CITY)
    assert cities.count() > 30_000 and not cities.filter(latitude=None, population=None).exists()
    states = Place.objects.filter(kind=Place.Kind.REGION, parent__slug="united-states")
    assert states.count() == 51 and states.filter(slug="georgia-us", name="Georgia").exists()
    buenos_aires = Place.objects.get(slug="buenos-aires")
    assert buenos_aires.parent.slug == "argentina" and round(buenos_aires.latitude) == -35
    assert Place.objects.get(slug="atlanta").parent.slug == "georgia-us"
    assert Place.objects.get(slug="paris").parent.slug == "france"
    assert Place.objects.get(slug="paris-us").parent.slug == "texas"
    assert "New York" in Place.objects.get(slug="new-york-city").aliases
    assert "Peking" in Place.objects.get(slug="beijing").aliases
    assert Place.objects.get(slug="bamako").kind == Place.Kind.CITY  # the demo's own, kept
    with connection.cursor() as cursor:  # the closure rows each new place added are the whole closure
        cursor.execute(CLOSURE_MISMATCHES)
        assert cursor.fetchone() == (0, 0)
    Place.objects.filter(slug="buenos-aires").update(name="Buenos Aires (capital)")
    assert gazetteer_load(cities=True) == 0
    assert Place.objects.get(slug="buenos-aires").name == "Buenos Aires (capital)"


def test_reuters_datelines_are_found_on_import(gazetteer, client):
    run_import(REUTERS / "reut2-000.sgm")
    reuters = Article.objects.filter(source__slug="reuters")
    datelined = reuters.filter(dateline__regex=r"^BUENOS AIRES,")
    assert datelined.count() >= 3
    for article in datelined:
        assert found_places(article)["buenos-aires"] == BUENOS_AIRES
    detail = client.get(f"/api/articles/{datelined[0].pk}/").json()
    assert {"slug": "buenos-aires", "kind": "place", "provenance": "found"}.items() <= next(
        tag for tag in detail["tags"] if tag["slug"] == "buenos-aires"
    ).items()
    # Most datelines name a city of the gazetteer; the rest are towns under 15,000 people.
    with_dateline = [a for a in reuters.exclude(dateline="") if re.match(r"[A-Z]", a.dateline)]
    named = [a for a in with_dateline if any(e["where"] == "dateline" for e in found_places(a).values())]
    assert len(named) >= 0.85 * len(with_dateline)
    # "WASHINGTON" is the capital, "NEW YORK" the city, "CAMBRIDGE, Mass." the one in Massachusetts.
    by_city = {
        "WASHINGTON,": "washington-us",
        "NEW YORK,": "new-york-city",
        "LONDON,": "london",
        "PARIS,": "paris",
    }
    for start, slug in by_city.items():
        article = reuters.filter(dateline__startswith=start).first()
        assert slug in found_places(article), start


def test_huffpost_headlines_naming_a_us_state_carry_that_state(gazetteer):
    run_import(HUFFPOST, format="jsonl", mapping=HUFFPOST_MAP, source="HuffPost")
    call_command("find_tags", stdout=open(os.devnull, "w"))  # the source's home country known from the start
    states = dict(
        Place.objects.filter(parent__slug="united-states", kind="region").values_list("name", "slug")
    )
    named, carried, georgia = 0, 0, []
    for article in Article.objects.filter(source__slug="huffpost").only("pk", "headline"):
        places = {tag["slug"] for tag in tag_origins.article_tags(article.pk)}
        for name, slug in states.items():
            # A state's name on its own: not "West Virginia", "New York City", nor "Washington" (the capital).
            if name != "Washington" and re.search(
                rf"(?<![\w-])(?<!West ){name}(?![\w-])(?! City)", article.headline
            ):
                named += 1
                carried += slug in places
                if name == "Georgia":
                    georgia.append(slug in places)
    assert named > 600 and carried >= 0.98 * named, (carried, named)
    assert len(georgia) > 30 and all(georgia)  # the state, not the country: HuffPost's home is the US


def test_the_french_demo_articles_have_their_places_found(gazetteer):
    call_command("find_tags", stdout=open(os.devnull, "w"))
    french = Article.objects.filter(language="fr")
    found = {slug for article in french for slug in found_places(article)}
    assert "bamako" in {tag["slug"] for article in french for tag in tag_origins.article_tags(article.pk)}
    assert found, "nothing found in the French articles"
    assert not found & {"paris", "georgia", "georgia-us"}


def test_a_rejected_found_tag_never_comes_back(gazetteer, tmp_path, staff_user):
    record = {
        "headline": "Grain exports rise",
        "dateline": "BUENOS AIRES, Feb 26",
        "body": "Argentine grain exports rose in the week, the board said.",
        "published": "1987-02-26",
        "external_id": "ba-1",
        "source": "Wire",
    }
    path = write_jsonl(tmp_path / "wire.jsonl", [record])
    run_import(path)
    article = Article.objects.get(external_id="ba-1")
    assert found_places(article) == {"buenos-aires": BUENOS_AIRES}
    buenos_aires = Place.objects.get(slug="buenos-aires")
    editing.articles_reject_found(
        articles=Article.objects.filter(pk=article.pk), node=buenos_aires, user=staff_user
    )
    assert found_places(article) == {}
    run_import(path)  # the same record again: unchanged
    write_jsonl(path, [{**record, "body": record["body"] + " Prices fell."}])
    assert run_import(path).counts["updated"] == 1  # a changed record: its article is read by find_tags
    call_command("find_tags", stdout=open(os.devnull, "w"))
    assert found_places(article) == {} and TagRejection.objects.filter(article=article).count() == 1
    assert not article.places.filter(pk=buenos_aires.pk).exists()


def test_an_import_without_finding_finds_nothing_until_find_tags(gazetteer):
    run_import(REUTERS / "reut2-000.sgm", find=False)
    article = Article.objects.filter(dateline__startswith="BUENOS AIRES,").first()
    assert found_places(article) == {}
    lines = []
    added = tagging.find_all(
        progress=lambda done, total, added: lines.append((done, total, added)), chunk=300
    )
    assert found_places(article)["buenos-aires"] == BUENOS_AIRES
    assert lines[-1][:2] == (Article.objects.count(), Article.objects.count()) and lines[-1][2] == added > 500
    assert tagging.find_all() == 0  # a second run adds nothing


def _found_links() -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT article_id, place_id FROM archive_article_places WHERE provenance = 'found'")
        return set(cursor.fetchall())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_find_tags_killed_half_way_completes_when_run_again():
    call_command("load_demo")
    gazetteer_load(cities=True)
    run_import(REUTERS / "reut2-000.sgm", find=False)
    env = {**os.environ, "DJANGO_DB_NAME": connection.settings_dict["NAME"]}
    command = [sys.executable, "manage.py", "find_tags", "--chunk", "20"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    progress = list(itertools.islice(process.stdout, 5))  # five chunks done
    assert process.poll() is None, "find_tags finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert progress[-1].startswith("100 of 1,0")
    part = _found_links()
    assert part, "nothing was kept from the killed run"
    time.sleep(0.1)
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    whole = _found_links()
    assert part < whole
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM archive_article_places WHERE provenance = 'found'")
    call_command("find_tags", stdout=open(os.devnull, "w"))
    assert _found_links() == whole  # the same as one uninterrupted run
    assert json.dumps(sorted(whole))  # plain ids


def test_people_and_organisations_of_the_archive_are_found_in_other_articles(gazetteer):
    run_import(REUTERS / "reut2-000.sgm")  # the dictionary is built before the run: its topics come next
    call_command("find_tags", stdout=open(os.devnull, "w"))
    imf = Topic.objects.get(slug="international-monetary-fund")
    named = [
        tag
        for article in Article.objects.filter(body__contains="International Monetary Fund")
        for tag in tag_origins.article_tags(article.pk)
        if tag["slug"] == imf.slug
    ]
    assert named and {tag["provenance"] for tag in named} == {"import", "found"}
    found = [tag for tag in named if tag["provenance"] == "found"]
    assert {tag["evidence"]["words"] for tag in found} == {"International Monetary Fund"}
    # Never a surname alone: Reuters' people codes ("reagan") name no one by themselves.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT evidence->>'words' FROM archive_article_topics link "
            "JOIN archive_topic topic ON topic.id = link.topic_id "
            "WHERE provenance = 'found' AND topic.kind = 'person'"
        )
        assert all(" " in words for (words,) in cursor.fetchall())
