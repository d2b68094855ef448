"""The editors' admin: adding articles, searching through the stored vector, actions, the trees."""

import pytest
from django.test import Client

from archive import selectors
from archive.models import Article
from tests.factories import make_article, make_place

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/archive/article/add/"


def article_form(**fields) -> dict:
    data = {
        "headline": "",
        "body": "",
        "published_on": "",
        "status": "draft",
        "summary": "",
        "byline": "",
        "dateline": "",
        "agency": "",
        "source": "",
        "language": "en",
        "url": "",
        "external_id": "",
        "published_at_0": "",
        "published_at_1": "",
    }
    return {**data, **fields}


def test_editor_adds_published_article_with_required_fields_only_and_search_finds_it(staff_client):
    form = article_form(
        headline="Drone strike near Tessalit",
        body="A drone hit a convoy.",
        published_on="2023-09-12",
        status="published",
    )
    response = staff_client.post(ADD_URL, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(headline="Drone strike near Tessalit")
    assert article in selectors.article_search(text="Tessalit")
    html = Client().get("/search/", {"q": "tessalit"}).content.decode()
    assert "Drone strike near <mark>Tessalit</mark>" in html


def test_add_form_refuses_missing_required_fields(staff_client):
    response = staff_client.post(ADD_URL, article_form())
    assert response.status_code == 200
    assert Article.objects.count() == 0
    assert "This field is required." in response.content.decode()


def test_admin_search_uses_the_stored_vector(staff_client):
    make_article("Convoy ambushed", body="Soldiers were attacked near Boni.")
    make_article("Harvest figures", body="Millet prices rose.")
    html = staff_client.get("/admin/archive/article/", {"q": "attack"}).content.decode()
    assert "Convoy ambushed" in html and "Harvest figures" not in html


def test_bulk_publish_and_unpublish(staff_client):
    first = make_article("One", status="draft")
    second = make_article("Two", status="draft")
    staff_client.post(
        "/admin/archive/article/", {"action": "publish", "_selected_action": [first.pk, second.pk]}
    )
    assert set(Article.objects.published().values_list("pk", flat=True)) == {first.pk, second.pk}
    staff_client.post("/admin/archive/article/", {"action": "unpublish", "_selected_action": [first.pk]})
    assert list(Article.objects.published().values_list("pk", flat=True)) == [second.pk]


def test_place_parent_that_makes_a_cycle_is_refused(staff_client, mali_chain):
    mali = mali_chain["mali"]
    response = staff_client.post(
        f"/admin/archive/place/{mali.pk}/change/",
        {
            "name": "Mali",
            "slug": "mali",
            "kind": "country",
            "parent": mali_chain["kati"].pk,
            "aliases": "MLI",
            "latitude": "",
            "longitude": "",
        },
    )
    assert response.status_code == 200
    assert "cannot sit inside itself" in response.content.decode()
    mali.refresh_from_db()
    assert mali.parent == mali_chain["africa"]


def test_place_autocomplete_matches_aliases(staff_client, mali_chain):
    make_place("United States", kind="country", aliases=["USA", "US"])
    response = staff_client.get(
        "/admin/autocomplete/",
        {"term": "usa", "app_label": "archive", "model_name": "article", "field_name": "places"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["United States"]


def test_view_on_site_link_points_to_permalink(staff_client):
    draft = make_article("Unreleased", status="draft")
    html = staff_client.get(f"/admin/archive/article/{draft.pk}/change/").content.decode()
    assert "/admin/r/" in html
    response = staff_client.get(f"/articles/{draft.pk}/unreleased/")
    assert response.status_code == 200 and "Draft — not public" in response.content.decode()


def test_admin_requires_login(client):
    response = client.get("/admin/archive/article/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.fixture
def staff_without_permissions(client, django_user_model):
    user = django_user_model.objects.create_user("intern", password="unused-pass-9", is_staff=True)
    client.force_login(user)
    return client


def view_on_site_url(article: Article) -> str:
    from django.contrib.contenttypes.models import ContentType

    return f"/admin/r/{ContentType.objects.get_for_model(Article).pk}/{article.pk}/"


def test_view_on_site_never_leads_a_staff_user_without_permissions_to_a_draft(staff_without_permissions):
    draft = make_article("Minister resigns tomorrow", status="draft")
    response = staff_without_permissions.get(view_on_site_url(draft))
    assert response.status_code == 404 and "Location" not in response
    assert draft.slug not in response.content.decode()


def test_view_on_site_of_a_published_article_redirects_any_staff_user(staff_without_permissions):
    article = make_article("Rain in Bamako")
    response = staff_without_permissions.get(view_on_site_url(article))
    assert response.status_code == 302 and response["Location"].endswith(article.get_absolute_url())


def test_view_on_site_of_a_draft_redirects_an_editor_who_may_view_it(staff_client):
    draft = make_article("Minister resigns tomorrow", status="draft")
    response = staff_client.get(view_on_site_url(draft))
    assert response.status_code == 302 and response["Location"].endswith(draft.get_absolute_url())


def test_view_on_site_still_requires_a_staff_login(client):
    draft = make_article("Minister resigns tomorrow", status="draft")
    response = client.get(view_on_site_url(draft))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert draft.slug not in response["Location"]


@pytest.mark.parametrize("spelling", ["+{}", "{}_0", " {}", "0{}"])
def test_view_on_site_refuses_other_spellings_of_a_draft_s_id(staff_without_permissions, spelling):
    from urllib.parse import quote

    from django.contrib.contenttypes.models import ContentType

    draft = make_article("Minister resigns tomorrow", status="draft")
    content_type = ContentType.objects.get_for_model(Article).pk
    object_id = quote(
        spelling.format(draft.pk) if spelling != "{}_0" else f"{draft.pk // 10}_{draft.pk % 10}"
    )
    response = staff_without_permissions.get(f"/admin/r/{content_type}/{object_id}/")
    assert response.status_code == 404 and draft.slug not in response.get("Location", "")
