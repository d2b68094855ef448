"""The editors' desk: revisions, restores, recovery, refused concurrent saves, duplicates, audit, rights."""

import pytest
import reversion
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from reversion.models import Version

from archive import tag_origins
from archive.models import Article, RevisionTagOrigins
from tests.factories import make_article, make_source, make_topic

pytestmark = pytest.mark.django_db


def change_url(article) -> str:
    return f"/admin/archive/article/{article.pk}/change/"


def form_data(article, **changes) -> dict:
    """The admin change form as an editor would submit it, starting from the saved article."""
    data = {
        "headline": article.headline,
        "body": article.body,
        "published_on": article.published_on.isoformat(),
        "status": article.status,
        "summary": article.summary,
        "byline": article.byline,
        "dateline": article.dateline,
        "agency": article.agency,
        "source": article.source_id or "",
        "language": article.language,
        "url": article.url,
        "external_id": article.external_id,
        "published_at_0": "",
        "published_at_1": "",
        "version": article.version,
        "places": [p.pk for p in article.places.all()],
        "topics": [t.pk for t in article.topics.all()],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def article(mali_chain):
    return make_article(
        "Gunfire at Kati",
        body="Shots at dawn.",
        places=[mali_chain["kati"]],
        topics=[make_topic("Armed attack")],
    )


def save_via_admin(client, article, **changes):
    return client.post(change_url(article), form_data(article, **changes))


def test_admin_save_creates_a_revision_with_user_and_comment(staff_client, article):
    response = save_via_admin(staff_client, article, headline="Gunfire and blasts at Kati")
    assert response.status_code == 302
    version = Version.objects.get_for_object(article).first()
    assert version.revision.user.username == "editor"
    assert "Headline" in version.revision.get_comment() or "Changed" in version.revision.get_comment()


def test_history_compares_two_revisions_field_by_field(staff_client, article):
    save_via_admin(staff_client, article, headline="First wording")
    article.refresh_from_db()
    save_via_admin(staff_client, article, headline="Second wording")
    older, newer = sorted(Version.objects.get_for_object(article).values_list("pk", flat=True))
    html = staff_client.get(
        f"/admin/archive/article/{article.pk}/history/compare/", {"version_id1": older, "version_id2": newer}
    ).content.decode()
    assert "First wording" in html and "Second wording" in html


def post_data_from_admin_page(response) -> dict:
    """The form of an admin page (change, revert or recover) submitted as shown, unchanged."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if name == "published_at":
            data["published_at_0"], data["published_at_1"] = "", ""
        elif isinstance(value, (list, tuple)):
            data[name] = [getattr(item, "pk", item) for item in value]
        elif value is not None and value is not False:
            data[name] = value
    return data


def revert_via_admin(client, url: str):
    return client.post(url, post_data_from_admin_page(client.get(url)))


def test_restoring_a_revision_brings_back_places_and_topics(staff_client, article, mali_chain):
    save_via_admin(staff_client, article)  # the first revision: Kati, armed attack
    first = Version.objects.get_for_object(article).first()
    article.refresh_from_db()
    save_via_admin(staff_client, article, headline="Retagged", places=[mali_chain["mali"].pk], topics=[])
    article.refresh_from_db()
    assert list(article.places.values_list("slug", flat=True)) == ["mali"]
    response = revert_via_admin(staff_client, f"/admin/archive/article/{article.pk}/history/{first.pk}/")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "Gunfire at Kati"
    assert list(article.places.values_list("slug", flat=True)) == ["kati"]
    assert list(article.topics.values_list("slug", flat=True)) == ["armed-attack"]


def test_version_numbers_never_go_back_after_a_restore(staff_client, article):
    save_via_admin(staff_client, article, headline="Two")
    first = Version.objects.get_for_object(article).first()
    article.refresh_from_db()
    save_via_admin(staff_client, article, headline="Three")
    article.refresh_from_db()
    latest = article.version
    revert_via_admin(staff_client, f"/admin/archive/article/{article.pk}/history/{first.pk}/")
    article.refresh_from_db()
    assert article.headline == "Two" and article.version > latest


def test_a_deleted_article_can_be_recovered_with_its_tags(staff_client, article):
    pk = article.pk
    staff_client.post(f"/admin/archive/article/{pk}/delete/", {"post": "yes"})
    assert not Article.objects.filter(pk=pk).exists()
    assert "Gunfire at Kati" in staff_client.get("/admin/archive/article/recover/").content.decode()
    version = Version.objects.get_deleted(Article).get(object_id=str(pk))
    response = revert_via_admin(staff_client, f"/admin/archive/article/recover/{version.pk}/")
    assert response.status_code == 302
    recovered = Article.objects.get(pk=pk)
    assert recovered.headline == "Gunfire at Kati"
    assert list(recovered.places.values_list("slug", flat=True)) == ["kati"]
    assert list(recovered.topics.values_list("slug", flat=True)) == ["armed-attack"]


def test_second_of_two_concurrent_saves_is_refused_with_what_changed(
    staff_client, django_user_model, article
):
    other = django_user_model.objects.create_superuser("colleague", "c@example.org", "another-pass-77")
    colleague = Client()
    colleague.force_login(other)
    save_via_admin(staff_client, article)  # a first revision, as if the article had been saved once
    article.refresh_from_db()
    opened = form_data(article)  # both editors open the same version
    assert (
        colleague.post(change_url(article), {**opened, "headline": "Colleague's wording"}).status_code == 302
    )
    response = staff_client.post(change_url(article), {**opened, "body": "My new body."})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Not saved: colleague saved this article" in html
    assert "<strong>headline</strong>: “Gunfire at Kati” → “Colleague&#x27;s wording”" in html
    article.refresh_from_db()
    assert article.headline == "Colleague's wording" and article.body == "Shots at dawn."


def test_duplicate_headline_date_and_source_warns_with_a_link(staff_client):
    source = make_source()
    existing = make_article("Coup in Bamako", published_on="2020-08-18", source=source)
    data = {
        "headline": "Coup in Bamako",
        "body": "Again.",
        "published_on": "2020-08-18",
        "status": "draft",
        "source": source.pk,
        "language": "en",
        "published_at_0": "",
        "published_at_1": "",
    }
    html = staff_client.post("/admin/archive/article/add/", data).content.decode()
    assert "Possible duplicate" in html and change_url(existing) in html
    assert Article.objects.count() == 1
    assert (
        staff_client.post("/admin/archive/article/add/", {**data, "confirm_duplicate": "on"}).status_code
        == 302
    )
    assert Article.objects.count() == 2


def test_duplicate_url_is_refused_with_a_link(staff_client):
    existing = make_article("Original", url="https://example.org/a")
    data = {
        "headline": "Other",
        "body": "x",
        "published_on": "2020-08-18",
        "status": "draft",
        "url": "https://example.org/a",
        "language": "en",
        "published_at_0": "",
        "published_at_1": "",
    }
    html = staff_client.post("/admin/archive/article/add/", data).content.decode()
    assert "An article with this address already exists" in html and change_url(existing) in html


def test_audit_fields_record_who_created_changed_and_published(staff_client, django_user_model):
    data = {
        "headline": "Audit me",
        "body": "x",
        "published_on": "2022-01-01",
        "status": "draft",
        "language": "en",
        "published_at_0": "",
        "published_at_1": "",
    }
    staff_client.post("/admin/archive/article/add/", data)
    article = Article.objects.get(headline="Audit me")
    assert article.created_by.username == "editor" and article.made_public_by is None
    staff_client.post("/admin/archive/article/", {"action": "publish", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.made_public_by.username == "editor" and article.made_public_at is not None
    html = staff_client.get(change_url(article)).content.decode()
    assert "Published by" in html and "Created by" in html and "Updated by" in html


def test_bulk_actions_write_a_revision_per_article(staff_client, mali_chain):
    first, second = make_article("One", status="draft"), make_article("Two", status="draft")
    staff_client.post(
        "/admin/archive/article/", {"action": "publish", "_selected_action": [first.pk, second.pk]}
    )
    staff_client.post(
        "/admin/archive/article/",
        {"action": "add_place", "_selected_action": [first.pk, second.pk], "tag": "Kati"},
    )
    for article in (first, second):
        versions = Version.objects.get_for_object(article)
        assert versions.count() == 2
        assert "Added place “Kati”" in versions.first().revision.get_comment()
        assert versions.first().revision.version_set.count() == 1
    assert set(Article.objects.filter(places__slug="kati").values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }


def test_add_topic_action_asks_for_the_topic_first(staff_client):
    article = make_article("One")
    make_topic("Coup d'état", aliases=["putsch"])
    page = staff_client.post(
        "/admin/archive/article/", {"action": "add_topic", "_selected_action": [article.pk]}
    )
    assert "Topic (name, slug or alias)" in page.content.decode()
    staff_client.post(
        "/admin/archive/article/", {"action": "add_topic", "_selected_action": [article.pk], "tag": "PUTSCH"}
    )
    assert list(article.topics.values_list("slug", flat=True)) == ["coup-detat"]


def test_make_editor_creates_a_staff_account_in_the_editors_group(monkeypatch):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", "a-long-editor-pass-1")
    call_command("make_editor", "alice", email="alice@example.org")
    client = Client()
    login = client.post(
        "/admin/login/?next=/admin/", {"username": "alice", "password": "a-long-editor-pass-1"}
    )
    assert login.status_code == 302  # through the login form, as django-axes requires
    assert client.get("/admin/archive/article/add/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403


def test_editors_group_has_exactly_the_desk_permissions():
    codenames = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert {"change_article", "add_place", "delete_topic", "view_source"} <= codenames
    assert not {c for c in codenames if c.endswith(("_user", "_group", "_permission"))}


def test_staff_without_article_permissions_cannot_change_articles(django_user_model, article):
    user = django_user_model.objects.create_user("visitor", password="visitor-pass-123", is_staff=True)
    client = Client()
    client.force_login(user)
    assert client.get(change_url(article)).status_code == 403
    assert client.post(change_url(article), form_data(article, headline="Vandalised")).status_code == 403
    article.refresh_from_db()
    assert article.headline == "Gunfire at Kati"


def test_an_article_with_an_empty_body_can_be_corrected(staff_client):
    imported = make_article("Summary-only record", body="", summary="What the feed gave.")
    response = save_via_admin(staff_client, imported, headline="Summary-only record, corrected")
    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.headline == "Summary-only record, corrected" and imported.body == ""


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("x", "too short"),
        ("password123", "too common"),
        ("83749261057", "entirely numeric"),
        ("alice-example", "too similar to the username"),
    ],
)
def test_make_editor_refuses_a_weak_password_with_the_validators_message(monkeypatch, password, message):
    from django.contrib.auth.models import User
    from django.core.management.base import CommandError

    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", password)
    with pytest.raises(CommandError, match=message):
        call_command("make_editor", "alice-example", email="alice@example.org")
    assert not User.objects.filter(username="alice-example").exists()


def test_a_date_outside_the_archive_is_refused_and_an_unlikely_one_warned(staff_client, article):
    refused = save_via_admin(staff_client, article, published_on="9999-12-31").content.decode()
    assert "is outside the archive" in refused
    saved = save_via_admin(staff_client, article, published_on="0198-01-05", version=article.version)
    assert saved.status_code == 302
    warnings = [str(m) for m in saved.wsgi_request._messages]
    assert any("0198-01-05 is before 1600" in m for m in warnings)


def test_restoring_a_revision_gives_its_tags_back_as_they_had_come(staff_client, article, mali_chain):
    """The revision keeps only the tags' ids; restoring it must not make an import's or a found tag
    the restoring editor's."""
    kati, mali = mali_chain["kati"], mali_chain["mali"]
    evidence = {"words": "Mali", "where": "headline"}
    tag_origins.mark_links("places", [(article.pk, kati.pk)], tag_origins.IMPORT)
    with transaction.atomic():
        tag_origins.add_found("places", [(article.pk, mali.pk, evidence)])
    with reversion.create_revision():
        article.save()  # the revision to come back to: Kati from the import, Mali found
    first = Version.objects.get_for_object(article).first()
    article.refresh_from_db()
    save_via_admin(staff_client, article, headline="Untagged", places=[], topics=[])
    assert not article.places.exists()
    assert (
        revert_via_admin(staff_client, f"/admin/archive/article/{article.pk}/history/{first.pk}/").status_code
        == 302
    )
    tags = {t["slug"]: (t["provenance"], t["evidence"]) for t in tag_origins.article_tags(article.pk)}
    assert tags["kati"] == ("import", None) and tags["mali"] == ("found", evidence)
    # The restoring revision remembers them so too.
    latest = Version.objects.get_for_object(article).first()
    kept = RevisionTagOrigins.objects.get(revision_id=latest.revision_id, article_id=article.pk)
    assert sorted(provenance for _, provenance, _ in kept.links["places"]) == ["found", "import"]
