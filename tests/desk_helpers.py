"""Researchers for the desk's tests, and a snapshot package checked from its bytes alone."""

import csv
import hashlib
import io
import json
import zipfile

from django.contrib.auth.models import User

PASSWORD = "a-researchers-pass-8812"


def researcher(client, email: str = "ada@example.org"):
    """A researcher account, logged in on `client` (through the real log-in form, as axes wants)."""
    user = User.objects.create_user(email, email, PASSWORD)
    response = client.post("/accounts/login/", {"username": email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return user


def verify_package(data: bytes) -> tuple[dict, list[dict]]:
    """Check a downloaded package from its bytes alone: each resource's size and SHA-256, each
    article's text checksum, and the snapshot's checksum over the ordered (id, revision, text) rows."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        meta = json.loads(package.read("datapackage.json"))
        files = {name: package.read(name) for name in package.namelist()}
    for resource in meta["resources"]:
        content = files[resource["path"]]
        assert resource["bytes"] == len(content)
        assert resource["hash"] == "sha256:" + hashlib.sha256(content).hexdigest()
    rows = list(csv.DictReader(io.StringIO(files["articles.csv"].decode("utf-8"), newline="")))
    lines = hashlib.sha256()
    for row in rows:
        text = "\n".join([row["headline"], row["summary"], row["body"]])
        if row["withheld"] == "false":  # a withheld article's text is not in the file to check
            assert row["text_sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
        lines.update(f"{row['id']}\t{row['revision']}\t{row['text_sha256']}\n".encode("ascii"))
    assert meta["snapshot"]["checksum"] == "sha256:" + lines.hexdigest()
    assert meta["snapshot"]["count"] == len(rows)
    return meta, rows
