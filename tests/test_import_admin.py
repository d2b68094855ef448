"""Imports from the admin: upload, the report, the size limit, and undo."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from archive.models import Article, ImportRun

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/admin/archive/importrun/upload/"
GOOD = b'{"headline": "Uploaded", "published": "2021-05-24", "external_id": "u1"}\n{"headline": ""}\n'


def upload(client, content: bytes, name: str = "batch.jsonl", **fields):
    data = {
        "file": SimpleUploadedFile(name, content),
        "format": "",
        "source": "Desk upload",
        "mapping": "",
        **fields,
    }
    return client.post(UPLOAD_URL, data)


def test_upload_imports_and_shows_the_report(staff_client):
    response = upload(staff_client, GOOD)
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/importrun/{run.pk}/change/")
    assert Article.objects.get().source.slug == "desk-upload"
    page = staff_client.get(response["Location"]).content.decode()
    assert "batch.jsonl:2: skipped: missing headline" in page and run.files == ["batch.jsonl"]


def test_upload_with_mapping(staff_client):
    content = b'{"title": "Mapped", "day": "2020-01-01"}\n'
    upload(staff_client, content, mapping="headline=title\npublished=day")
    assert Article.objects.get().headline == "Mapped"


def test_upload_over_10_mb_is_refused_with_a_pointer_to_the_command(staff_client):
    response = upload(staff_client, b"x" * (10 * 1024 * 1024 + 1))
    assert "import_articles" in response.content.decode() and not ImportRun.objects.exists()


def test_upload_of_unknown_format_explains(staff_client):
    response = upload(staff_client, b"hello", name="notes.txt")
    assert "cannot tell the format" in response.content.decode()


def test_undo_from_the_admin(staff_client):
    upload(staff_client, GOOD)
    run = ImportRun.objects.get()
    staff_client.post("/admin/archive/importrun/", {"action": "undo", "_selected_action": [run.pk]})
    assert not Article.objects.exists()
    assert ImportRun.objects.get().status == ImportRun.Status.UNDONE


def test_editors_group_may_import(client, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("ed", password="editor-pass-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    assert client.get(UPLOAD_URL).status_code == 200
