"""A backup restores to an identical archive: same articles, text, dates, status, places and topics."""

from __future__ import annotations

import pytest
from django.db import connection

from archive.services import backup
from tests.factories import make_article, make_place, make_topic

RESTORED_DB = "test_archive_restore_check"


@pytest.fixture
def restored_database():
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {RESTORED_DB}")
        cursor.execute(f"CREATE DATABASE {RESTORED_DB}")
    yield RESTORED_DB
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {RESTORED_DB}")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps the migrated rows for later tests
def test_backup_round_trip_into_a_fresh_database(tmp_path, restored_database):
    mali, kati = make_place("Mali"), make_place("Kati")
    coup = make_topic("Coups")
    make_article("Gunfire at Kati", body="Keïta — «quoted»\n\nline two", places=[mali, kati], topics=[coup])
    make_article("A draft", status="draft", published_on="2021-01-02")
    original = backup.checksum()
    assert original[0] == 2

    path = backup.dump(tmp_path / "archive.dump")
    backup.restore(path, dbname=restored_database)

    assert backup.checksum(restored_database) == original


@pytest.mark.django_db
def test_restoring_a_missing_file_says_so(tmp_path):
    with pytest.raises(backup.BackupError, match="no such backup file"):
        backup.restore(tmp_path / "missing.dump", dbname=RESTORED_DB)
