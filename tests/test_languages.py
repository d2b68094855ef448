"""Each article's language: detected on import when the record gives none, kept when an editor sets it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from archive import languages
from archive.models import Article, Source
from archive.services.language_detection import articles_detect_languages
from tests.factories import make_article
from tests.import_helpers import run_import, write_jsonl
from tests.test_editorial import change_url, form_data

ROOT = Path(__file__).resolve().parents[1]

# Written for these tests, in the project's own words.
FRENCH = (
    "Attaque contre le camp militaire de Kati",
    "Des hommes armés ont visé vendredi matin le principal camp de l'armée malienne, près de Bamako. "
    "Les autorités de transition affirment que la situation est sous contrôle et qu'une enquête est ouverte.",
)
GERMAN = (
    "Angriff auf das Militärlager in Kati",
    "Bewaffnete haben am Freitagmorgen das wichtigste Lager der malischen Armee in der Nähe von Bamako "
    "angegriffen. Die Übergangsregierung erklärte, die Lage sei unter Kontrolle.",
)
SPANISH = (
    "Ataque contra el campamento militar de Kati",
    "Hombres armados atacaron el viernes por la mañana el principal campamento del ejército maliense, "
    "cerca de Bamako. Las autoridades de transición aseguran que la situación está bajo control.",
)
ENGLISH = (
    "Attack on the Kati military camp",
    "Armed men struck the main camp of the Malian army near Bamako on Friday morning. The transitional "
    "authorities say the situation is under control and that an inquiry has been opened.",
)


def record(text: tuple[str, str], n: int, **extra) -> dict:
    headline, body = text
    return {
        "external_id": f"lang-{n}",
        "headline": headline,
        "body": body,
        "published": "2022-07-22",
        **extra,
    }


def test_the_detector_reads_each_language_and_falls_back_on_short_texts():
    for text, code in ((FRENCH, "fr"), (GERMAN, "de"), (SPANISH, "es"), (ENGLISH, "en")):
        assert languages.detected_language(languages.article_text(text[0], "", text[1]), fallback="") == code
    assert languages.detected_language("Kati", fallback="fr") == "fr"  # too short to tell
    assert languages.detected_language("OPEC 1987", fallback="") == "und"


@pytest.mark.django_db
def test_an_import_without_languages_detects_each(tmp_path):
    path = write_jsonl(
        tmp_path / "wires.jsonl",
        [record(FRENCH, 1), record(GERMAN, 2), record(SPANISH, 3), record(("Kati", "Bamako"), 4)],
    )
    run = run_import(path, format="jsonl", source="Wires")
    assert run.counts["created"] == 4, run.report
    found = dict(Article.objects.values_list("external_id", "language"))
    assert found == {"lang-1": "fr", "lang-2": "de", "lang-3": "es", "lang-4": "und"}
    assert set(Article.objects.values_list("language_detected", flat=True)) == {True}


@pytest.mark.django_db
def test_a_short_text_keeps_its_sources_language(tmp_path):
    Source.objects.create(name="L'Essor", slug="lessor", language="fr")
    run_import(
        write_jsonl(tmp_path / "short.jsonl", [record(("Kati", "Bamako"), 1)]),
        format="jsonl",
        source="lessor",
    )
    assert Article.objects.get().language == "fr"


@pytest.mark.django_db
def test_a_records_language_and_the_imports_language_win(tmp_path):
    path = write_jsonl(tmp_path / "given.jsonl", [record(FRENCH, 1, language="it"), record(GERMAN, 2)])
    run_import(path, format="jsonl", language="pt")
    found = {a.external_id: (a.language, a.language_detected) for a in Article.objects.all()}
    assert found == {"lang-1": ("it", False), "lang-2": ("pt", False)}


@pytest.mark.django_db
def test_a_bad_language_code_is_reported_and_detected_instead(tmp_path):
    run = run_import(
        write_jsonl(tmp_path / "bad.jsonl", [record(SPANISH, 1, language="Spanish!")]), format="jsonl"
    )
    assert "not an ISO 639-1 code; detected instead" in run.report
    assert Article.objects.get().language == "es"


@pytest.mark.django_db
def test_the_command_takes_a_language_and_refuses_a_bad_one(tmp_path):
    path = write_jsonl(tmp_path / "fr.jsonl", [record(GERMAN, 1)])
    call_command(
        "import_articles", str(path), "--format", "jsonl", "--language", "FR", stdout=open(os.devnull, "w")
    )
    assert Article.objects.get().language == "fr"
    done = subprocess.run(
        [sys.executable, "manage.py", "import_articles", str(path), "--language", "French"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_DB_NAME": connection.settings_dict["NAME"]},
    )
    assert done.returncode != 0 and "is not a language code" in done.stderr


@pytest.mark.django_db
def test_an_editors_language_is_kept_and_never_redetected(staff_client):
    article = make_article(FRENCH[0], body=FRENCH[1], language="en", language_detected=True)
    response = staff_client.post(change_url(article), form_data(article, language="wo"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.language, article.language_detected) == ("wo", False)
    assert articles_detect_languages().checked == 0
    article.refresh_from_db()
    assert article.language == "wo"


@pytest.mark.django_db
def test_detect_languages_corrects_detections_and_reports_progress():
    wrong = [
        make_article(text[0], body=text[1], language="en", language_detected=True)
        for text in (FRENCH, GERMAN)
    ]
    given = make_article(SPANISH[0], body=SPANISH[1], language="en")  # a person's or a record's: left alone
    out = _command_output("detect_languages", "--batch-size", "1")
    assert "1 of 2 articles checked" in out and "Done: 2 of 2 articles checked, 2 changed." in out
    assert [Article.objects.get(pk=a.pk).language for a in wrong] == ["fr", "de"]
    assert Article.objects.get(pk=given.pk).language == "en"
    assert Article.objects.get(pk=wrong[0].pk).version == wrong[0].version + 1


def _command_output(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


TEXTS = (FRENCH, GERMAN, SPANISH, ENGLISH)
EXPECTED = ("fr", "de", "es", "en")


def _many_wrong(count: int) -> list[int]:
    rows = [
        Article(
            headline=f"{TEXTS[n % 4][0]} ({n})",
            slug=f"lang-{n}",
            body=TEXTS[n % 4][1],
            published_on="2022-07-22",
            language="und",
            language_detected=True,
            status=Article.Status.PUBLISHED,
        )
        for n in range(count)
    ]
    return [a.pk for a in Article.objects.bulk_create(rows)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_killed_detection_completes_when_run_again():
    pks = _many_wrong(2_000)
    command = [sys.executable, "manage.py", "detect_languages", "--batch-size", "50"]
    env = {**os.environ, "DJANGO_DB_NAME": connection.settings_dict["NAME"]}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while Article.objects.exclude(language="und").count() < 200 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, "the detection finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    done = Article.objects.exclude(language="und").count()
    assert 200 <= done < 2_000
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    languages_now = dict(Article.objects.filter(pk__in=pks).values_list("pk", "language"))
    assert [languages_now[pk] for pk in pks] == [EXPECTED[n % 4] for n in range(len(pks))]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_editors_saving_languages_during_a_detection_keep_their_edits(staff_user):
    pks = _many_wrong(1_200)
    client = Client()
    client.force_login(staff_user)
    detector = threading.Thread(
        target=_on_own_connection, args=(lambda: articles_detect_languages(batch_size=20),)
    )
    detector.start()
    saved, n = {}, 0
    while detector.is_alive() and n < 150:
        article = Article.objects.get(pk=pks[(n * 7919) % len(pks)])
        data = form_data(article, language="wo", published_at_0="", published_at_1="")
        if client.post(change_url(article), data).status_code == 302:
            saved[article.pk] = "wo"
        n += 1
    detector.join()
    assert saved, "no editor save landed during the detection"
    now = dict(Article.objects.filter(pk__in=saved).values_list("pk", "language"))
    assert {pk: now[pk] for pk in saved if now[pk] != "wo"} == {}
    assert not Article.objects.filter(pk__in=saved, language_detected=True).exists()


def _on_own_connection(work) -> None:
    try:
        work()
    finally:
        connection.close()


@pytest.mark.django_db
def test_the_language_filter_takes_any_of_several_codes_and_refuses_others(client):
    for text, code in ((FRENCH, "fr"), (GERMAN, "de"), (SPANISH, "es")):
        make_article(text[0], body=text[1], language=code)
    count = lambda **params: client.get("/api/search/", params).json()["count"]  # noqa: E731
    assert (count(language="fr"), count(language="fr,DE"), count(language="fr,de,es,en")) == (1, 2, 3)
    response = client.get("/api/search/", {"language": "French"})
    assert response.status_code == 400 and "is not a language code" in response.json()["error"]
    assert [item["language"] for item in client.get("/api/search/", {"q": "Kati"}).json()["results"]]
