"""A story on the article page, its own page and the API: copies, overlaps, the side-by-side view."""

from __future__ import annotations

import datetime as dt

import jsonschema
import pytest

from archive import openapi
from archive.derived import stories
from archive.models import Article
from tests.factories import make_article, make_source

pytestmark = pytest.mark.django_db

WIRE = (
    "Gunfire and explosions were heard early on Friday at the Kati military camp, the largest army base "
    "in Mali, about fifteen kilometres from the capital Bamako, residents and a military source said. "
    "The army said the attackers had been pushed back and that the situation was under control. "
    "Kati is where the officers who took power in 2020 are based, and the transition leader lives there."
)


def schema(name: str) -> dict:
    document = openapi.document(server="http://testserver/")
    return {**document["components"]["schemas"][name], "components": document["components"]}


@pytest.fixture
def story():
    """A wire report, a verbatim reprint two days later, a trimmed one, and an unrelated draft reprint."""
    wire = make_source(name="Wire <Desk>", slug="wire-desk")
    urdu = make_source(name="UrduPoint", slug="urdupoint")
    gazette = make_source(name="Gazette", slug="gazette")
    first = make_article("Gunfire at Kati <camp>", body=WIRE, source=wire, published_on="2022-07-22")
    reprint = make_article(
        "Shooting at Kati base", body="BAMAKO (AFP) - " + WIRE, source=urdu, published_on="2022-07-24"
    )
    trimmed = make_article(
        "Kati camp attacked", body=WIRE.rsplit(" Kati is", 1)[0], source=gazette, published_on="2022-07-23"
    )
    draft = make_article("Draft reprint", body=WIRE, source=gazette, status=Article.Status.DRAFT)
    stories.catch_up()
    return {"first": first, "reprint": reprint, "trimmed": trimmed, "draft": draft}


def test_the_api_names_the_story_and_the_other_copies(client, story):
    body = client.get(f"/api/articles/{story['reprint'].pk}/").json()
    first = story["first"]
    assert body["story"] == {
        "id": first.pk,
        "size": 3,
        "first_published": "2022-07-22",
        "days_spanned": 2,
        "url": f"/stories/{first.pk}/",
    }
    assert [c["id"] for c in body["copies"]] == [first.pk, story["trimmed"].pk]
    assert body["copies"][0]["source"] == "wire-desk" and body["copies"][0]["published"] == "2022-07-22"
    assert body["copies"][0]["overlap"] == 1.0 and 0 < body["copies"][1]["overlap"] <= 1
    document = openapi.document(server="http://testserver/")
    jsonschema.validate(
        body, {**document["components"]["schemas"]["Article"], **{"components": document["components"]}}
    )


def test_an_article_with_no_copy_has_a_null_story(client):
    alone = make_article(
        "Alone", body="Nothing else in the archive says this, not in any words at all today."
    )
    stories.catch_up()
    body = client.get(f"/api/articles/{alone.pk}/").json()
    assert body["story"] is None and body["copies"] == []


def test_the_story_api_lists_every_copy_by_date_with_its_overlap(client, story):
    first = story["first"]
    body = client.get(f"/api/stories/{first.pk}/").json()
    assert body["size"] == 3 and body["first"]["id"] == first.pk
    assert [c["id"] for c in body["copies"]] == [story["trimmed"].pk, story["reprint"].pk]
    document = openapi.document(server="http://testserver/")
    jsonschema.validate(
        body, {**document["components"]["schemas"]["Story"], **{"components": document["components"]}}
    )


def test_drafts_are_never_part_of_a_story_anyone_sees(client, story):
    draft = story["draft"]
    for path in (f"/api/stories/{story['first'].pk}/", f"/stories/{story['first'].pk}/"):
        text = client.get(path).content.decode()
        assert "Draft reprint" not in text and f"/articles/{draft.pk}/" not in text
    assert client.get(f"/api/articles/{draft.pk}/").status_code == 404


def test_the_article_page_says_also_published_by(client, story):
    html = client.get(story["reprint"].get_absolute_url()).content.decode()
    assert "Also published by" in html
    assert story["first"].get_absolute_url() in html and "Wire &lt;Desk&gt;" in html
    assert f'href="/stories/{story["first"].pk}/"' in html


def test_the_story_page_compares_a_copy_with_the_first(client, story):
    first, trimmed = story["first"], story["trimmed"]
    html = client.get(f"/stories/{first.pk}/", {"compare": trimmed.pk}).content.decode()
    assert "Gunfire at Kati &lt;camp&gt;" in html and "<camp>" not in html
    assert "<del>Kati is where the officers" in html  # what the trimmed copy cut
    assert "travelling 2 days" in html and "3 copies" in html
    reprint_view = client.get(f"/stories/{first.pk}/", {"compare": story["reprint"].pk}).content.decode()
    assert "<ins>BAMAKO (AFP) -</ins>" in reprint_view  # what the reprint added


@pytest.mark.parametrize("compare", ["", "nonsense", "999999999", "-1"])
def test_any_compare_value_shows_a_page(client, story, compare):
    assert client.get(f"/stories/{story['first'].pk}/", {"compare": compare}).status_code == 200


def test_a_story_of_one_or_none_is_not_found(client, story):
    alone = make_article("Alone", body="Nothing else says this.", published_on=dt.date(2001, 1, 1))
    stories.catch_up()
    assert client.get(f"/stories/{alone.pk}/").status_code == 404
    assert client.get(f"/api/stories/{alone.pk}/").json() == {"error": "no such story"}
    assert client.get("/stories/99999999999/").status_code == 404


def test_a_copy_naming_no_agency_is_credited_with_its_storys(client, story):
    first, reprint = story["first"], story["reprint"]
    first.agency = "AFP"
    first.save()
    stories.catch_up()
    body = client.get(f"/api/articles/{reprint.pk}/").json()
    assert reprint.agency == "" and body["agency"] == "AFP"
    assert "AFP (as its story" in client.get(reprint.get_absolute_url()).content.decode()


def test_the_coverage_page_gives_each_sources_share_of_agency_copy(client, story):
    story["first"].agency = "AFP"
    story["first"].save()
    stories.catch_up()
    html = client.get("/coverage/").content.decode()
    # UrduPoint's one article names no agency but is a copy of an AFP story: all of it is agency copy.
    urdupoint = html[html.index(">UrduPoint<") :]
    assert "1 of them credits a news agency (100 %)." in urdupoint[:2000]
