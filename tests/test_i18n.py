"""The interface in French: chosen from Accept-Language or the switcher, every string catalogued.

`makemessages` run on a copy of the code must find exactly the catalogue's strings (a string added
to a template without being marked, or marked without being translated, fails here), the French
catalogue must have no untranslated or fuzzy entry, and the compiled .mo must be the .po's.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import make_article

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
MAKEMESSAGES = ("makemessages", "-l", "fr", "-e", "html,txt,py,xml", "--no-location", "--no-obsolete")
IGNORED = ("tests", "bench", "node_modules", "staticfiles", "test-artifacts", "backups")

needs_gettext = pytest.mark.skipif(
    not (shutil.which("msgfmt") and shutil.which("xgettext") and shutil.which("msgcmp")),
    reason="GNU gettext is not installed (make test installs it)",
)


def msgids(path: Path) -> set[str]:
    """The msgids of a .po file, as msgcat prints them one per entry (no header)."""
    printed = subprocess.run(
        ["msgcat", "--no-wrap", "--sort-output", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return {entry for entry in re.findall(r'^msgid "(.*)"$', printed, re.M) if entry}


@needs_gettext
def test_makemessages_finds_no_string_the_catalogue_lacks(tmp_path):
    copy = tmp_path / "code"
    shutil.copytree(
        ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".git", *IGNORED, "__pycache__", "*.mo")
    )
    subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES, *(f"--ignore={name}/*" for name in IGNORED)],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    extracted, catalogued = msgids(copy / "locale/fr/LC_MESSAGES/django.po"), msgids(CATALOGUE)
    assert extracted - catalogued == set(), "marked but not in the catalogue: run `make messages`"
    assert catalogued - extracted == set(), "in the catalogue but marked nowhere: run `make messages`"


@needs_gettext
def test_the_french_catalogue_translates_every_entry():
    statistics = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert re.fullmatch(r"\d+ translated messages\.\n", statistics), statistics


@needs_gettext
def test_the_compiled_catalogue_is_the_catalogue(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(CATALOGUE)], check=True)
    assert compiled.read_bytes() == COMPILED.read_bytes(), "run `make messages` (compilemessages)"


@pytest.mark.django_db
def test_accept_language_french_answers_in_french(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").content.decode()
    assert '<html lang="fr">' in html
    assert "Aller au contenu principal" in html and "Skip to main content" not in html


@pytest.mark.django_db
def test_english_stays_the_default(client):
    for accept in ("", "de-DE,de;q=0.9", "en-GB"):
        html = client.get("/", HTTP_ACCEPT_LANGUAGE=accept).content.decode()
        assert '<html lang="en">' in html and "Skip to main content" in html, accept


@pytest.mark.django_db
def test_the_switcher_sets_the_language_and_returns_to_the_page(client):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/search/?q=Kati"})
    assert response.status_code == 302 and response["Location"] == "/search/?q=Kati"
    assert '<html lang="fr">' in client.get("/search/", {"q": "Kati"}).content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_switcher_never_sends_anyone_elsewhere(client):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "https://evil.example/"})
    assert response.status_code == 302 and not response["Location"].startswith("https://evil")


@pytest.mark.django_db
def test_dates_numbers_and_messages_follow_the_language(client):
    article = make_article("Attaque contre le camp de Kati", published_on=dt.date(2022, 7, 22), language="fr")
    french = {"HTTP_ACCEPT_LANGUAGE": "fr"}
    page = client.get(article.get_absolute_url(), **french).content.decode()
    assert "22 juillet 2022" in page
    results = client.get("/search/", {"q": "Kati"}, **french).content.decode()
    assert "1 article trouvé" in results and "Langue" in results
    error = client.get("/search/", {"q": "Kati", "from": "2022-13-45"}, **french).content.decode()
    assert "Cette recherche n’a pas pu être lancée" in error
    api = client.get("/api/search/", {"q": "Kati"}, **french).json()
    assert api["count"] == 1 and api["results"][0]["language"] == "fr"  # the data itself is not translated


@pytest.mark.django_db
def test_the_admin_follows_djangos_own_french(admin_client):
    html = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr"' in html and "Administration" in html


def test_every_choice_an_editor_or_reader_sees_is_translated():
    # A TextChoices member without a label gets an English one made from its name ("Country"),
    # which no catalogue translates: the node pages and the admin would show it in English.
    from django.apps import apps
    from django.utils import translation
    from django.utils.functional import Promise

    untranslated = []
    for model in apps.get_app_config("archive").get_models():
        for field in model._meta.get_fields():
            for value, label in getattr(field, "choices", None) or []:
                with translation.override("fr"):
                    french = str(label)
                if not isinstance(label, Promise) or (french == str(label) and value not in KEPT_IN_FRENCH):
                    untranslated.append(f"{model.__name__}.{field.name}={value}")
    assert not untranslated, untranslated


KEPT_IN_FRENCH = {"continent", "site", "organisation"}  # the same word in French
