"""Imports from the admin: upload and undo run as background jobs; the report, the limits, progress."""

import os
import socket
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from archive.importers.jobs import UPLOAD_ROOT
from archive.models import Article, ImportRun
from tests.test_import_limits import write_gzip_bomb

# The jobs are other processes: they see only committed rows.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def eventually(condition, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
    return condition()


def finished(run_pk: int, timeout: float = 60) -> ImportRun:
    """The run once its job has ended (it is no longer queued, running or undoing)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = ImportRun.objects.get(pk=run_pk)
        if run.status not in ImportRun.ACTIVE:
            return run
        time.sleep(0.1)
    raise AssertionError(f"import #{run_pk} still {run.status}: {run.progress}")


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


def test_upload_imports_in_a_job_and_shows_the_report(staff_client):
    response = upload(staff_client, GOOD)
    run = finished(ImportRun.objects.get().pk)
    assert response.status_code == 302 and response["Location"].endswith(f"/importrun/{run.pk}/change/")
    assert run.status == ImportRun.Status.FINISHED and run.pid != os.getpid()
    assert Article.objects.get().source.slug == "desk-upload"
    assert eventually(lambda: not list(UPLOAD_ROOT.glob("upload-*/*"))), "the upload is removed once imported"
    page = staff_client.get(response["Location"]).content.decode()
    assert "batch.jsonl:2: skipped: missing headline" in page and run.files == ["batch.jsonl"]


def test_upload_with_mapping(staff_client):
    content = b'{"title": "Mapped", "day": "2020-01-01"}\n'
    upload(staff_client, content, mapping="headline=title\npublished=day")
    finished(ImportRun.objects.get().pk)
    assert Article.objects.get().headline == "Mapped"


def test_upload_over_10_mb_is_refused_with_a_pointer_to_the_command(staff_client):
    response = upload(staff_client, b"x" * (10 * 1024 * 1024 + 1))
    assert "import_articles" in response.content.decode() and not ImportRun.objects.exists()


def test_upload_of_unknown_format_explains(staff_client):
    response = upload(staff_client, b"hello", name="notes.txt")
    assert "cannot tell the format" in response.content.decode()


def test_undo_from_the_admin_runs_as_a_job(staff_client):
    upload(staff_client, GOOD)
    run = finished(ImportRun.objects.get().pk)
    staff_client.post("/admin/archive/importrun/", {"action": "undo", "_selected_action": [run.pk]})
    run = finished(run.pk)
    assert not Article.objects.exists()
    assert run.status == ImportRun.Status.UNDONE and "Removed 1 created article" in run.report


def test_a_running_import_shows_its_progress_and_reloads(staff_client, staff_user):
    run = ImportRun.objects.create(
        user=staff_user, status=ImportRun.Status.RUNNING, progress="4,000 records read"
    )
    # This test process stands for the job: alive, and beating.
    ImportRun.objects.filter(pk=run.pk).update(
        pid=os.getpid(), host=socket.gethostname(), heartbeat=timezone.now()
    )
    page = staff_client.get(f"/admin/archive/importrun/{run.pk}/change/").content.decode()
    assert "4,000 records read" in page and 'http-equiv="refresh"' in page


def test_an_uploaded_gzip_bomb_is_read_by_the_job_in_bounded_memory(staff_client, tmp_path):
    bomb = write_gzip_bomb(tmp_path / "bomb.jsonl.gz", line_mib=200)
    upload(staff_client, bomb.read_bytes(), name="bomb.jsonl.gz")
    run = finished(ImportRun.objects.get().pk, timeout=120)
    assert run.pid != os.getpid() and run.status == ImportRun.Status.FINISHED
    assert "bomb.jsonl.gz:1: skipped: line longer than 8 MiB" in run.report
    assert Article.objects.get().headline == "After the bomb"


def test_editors_group_may_import(client, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("ed", password="editor-pass-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    assert client.get(UPLOAD_URL).status_code == 200


def test_an_interrupted_upload_runs_again_from_the_admin(staff_client, staff_user):
    UPLOAD_ROOT.mkdir(parents=True, exist_ok=True)
    folder = UPLOAD_ROOT / "upload-interrupted-test"
    folder.mkdir(exist_ok=True)
    (folder / "upload.jsonl").write_bytes(GOOD)
    options = {"format": None, "source": "Desk upload", "mapping": {}, "batch_size": 1000, "dry_run": False}
    stored = {"path": str(folder / "upload.jsonl"), "name": "batch.jsonl", "folder": str(folder)}
    run = ImportRun.objects.create(
        user=staff_user,
        files=["batch.jsonl"],
        status=ImportRun.Status.INTERRUPTED,
        options={**options, "paths": [stored["path"]], "upload": stored},
    )
    staff_client.post("/admin/archive/importrun/", {"action": "run_again", "_selected_action": [run.pk]})
    run = finished(run.pk)
    assert run.status == ImportRun.Status.FINISHED and Article.objects.get().headline == "Uploaded"
    assert "batch.jsonl:2: skipped: missing headline" in run.report
