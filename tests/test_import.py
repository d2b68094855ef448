"""Importing JSON Lines and CSV: counts, idempotency, editors' corrections, bad records, undo."""

import datetime as dt
import gzip
import json

import pytest
from django.core.management import CommandError, call_command
from reversion.models import Version

from archive import selectors
from archive.importers.undo import import_run_undo
from archive.models import Article, ImportRun, Place, Source, Topic
from tests.factories import make_place
from tests.import_helpers import HUFFPOST, HUFFPOST_MAP, run_import, write_jsonl
from tests.test_editorial import change_url, form_data

pytestmark = pytest.mark.django_db


def record(n: int, **fields) -> dict:
    base = {
        "headline": f"Story number {n}",
        "published": "2022-07-22",
        "body": f"Body of story {n}.",
        "external_id": f"id-{n}",
        "source": "Sahel Desk",
    }
    return {**base, **fields}


@pytest.fixture
def three_records(tmp_path):
    return write_jsonl(
        tmp_path / "three.jsonl", [record(1), record(2), record(3, places=["Kati"], topics=["coups"])]
    )


def test_jsonl_import_creates_articles_with_source_and_tags(three_records, mali_chain):
    run = run_import(three_records)
    assert run.counts["created"] == 3 and run.status == ImportRun.Status.FINISHED
    article = Article.objects.get(external_id="id-3")
    assert article.source.slug == "sahel-desk" and article.status == Article.Status.PUBLISHED
    assert list(article.places.values_list("slug", flat=True)) == ["kati"]
    assert article in selectors.article_search(text="story")


def test_date_time_goes_to_published_at_in_utc(tmp_path):
    path = write_jsonl(
        tmp_path / "t.jsonl",
        [record(1, published="2022-07-22T05:30:00"), record(2, published="2022-07-22T23:30:00-02:00")],
    )
    run_import(path)
    first, second = Article.objects.order_by("external_id")
    assert first.published_at == dt.datetime(2022, 7, 22, 5, 30, tzinfo=dt.UTC)
    assert second.published_on == dt.date(2022, 7, 22)
    assert second.published_at == dt.datetime(2022, 7, 23, 1, 30, tzinfo=dt.UTC)


def test_source_option_overrides_the_records_source(three_records):
    run_import(three_records, source="Archive Wire")
    assert set(Article.objects.values_list("source__slug", flat=True)) == {"archive-wire"}


def test_unknown_tags_are_created_with_their_value_as_alias(tmp_path):
    run_import(write_jsonl(tmp_path / "t.jsonl", [record(1, places=["Atlantis Bay"], people=["Jane Doe"])]))
    assert Place.objects.get(slug="atlantis-bay").aliases == ["Atlantis Bay"]
    assert Topic.objects.get(slug="jane-doe").kind == Topic.Kind.PERSON


def test_tags_match_aliases_whole_values_only(tmp_path, mali_chain):
    make_place("Somalia", parent=mali_chain["africa"], kind="country")
    run_import(write_jsonl(tmp_path / "t.jsonl", [record(1, places=["MALI"]), record(2, places=["mli"])]))
    for article in Article.objects.all():
        assert list(article.places.values_list("slug", flat=True)) == ["mali"]


def test_reimport_changes_nothing(three_records):
    run_import(three_records)
    before = dict(Article.objects.values_list("pk", "updated"))
    versions = Version.objects.count()
    run = run_import(three_records)
    assert run.counts["unchanged"] == 3 and run.counts["created"] == run.counts["updated"] == 0
    assert dict(Article.objects.values_list("pk", "updated")) == before
    assert Version.objects.count() == versions


def test_a_changed_record_updates_its_article_only(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", [record(n) for n in range(5)])
    run_import(path)
    write_jsonl(
        path, [record(n, headline="Corrected at the source") if n == 2 else record(n) for n in range(5)]
    )
    run = run_import(path)
    assert (run.counts["updated"], run.counts["unchanged"]) == (1, 4)
    assert Article.objects.get(external_id="id-2").headline == "Corrected at the source"


def test_an_editors_correction_survives_a_reimport(tmp_path, staff_user):
    path = write_jsonl(tmp_path / "t.jsonl", [record(1)])
    run_import(path)
    article = Article.objects.get()
    article.headline, article.version = "Editor's headline", article.version + 1
    article.save()
    write_jsonl(path, [record(1, headline="Source's new headline", body="New body.")])
    run = run_import(path)
    article.refresh_from_db()
    assert article.headline == "Editor's headline" and article.body == "New body."
    assert run.counts["conflicts"] == 1 and "kept an editor's change to headline" in run.report


def test_upsert_by_canonical_url_when_there_is_no_id(tmp_path):
    first = {"headline": "A", "published": "2020-01-01", "url": "HTTPS://Example.org/a/?utm_source=x"}
    run_import(write_jsonl(tmp_path / "a.jsonl", [first]))
    run = run_import(write_jsonl(tmp_path / "b.jsonl", [{**first, "url": "https://example.org/a"}]))
    assert run.counts["unchanged"] == 1 and Article.objects.get().url == "https://example.org/a"


def test_upsert_by_content_hash_without_id_or_url(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", [{"headline": "Plain", "published": "2020-01-01", "body": "x"}])
    run_import(path)
    assert run_import(path).counts["unchanged"] == 1 and Article.objects.count() == 1


def test_bad_records_are_reported_by_line_and_the_rest_lands(tmp_path):
    path = tmp_path / "bad.jsonl"
    good = [record(n) for n in range(3)]
    lines = [
        good[0],
        {"published": "2020-01-01"},
        '{"headline": "broken',
        record(9, published="2022-13-45"),
        good[1],
        record(10, body="x" * 1_100_000),
        good[2],
    ]
    write_jsonl(path, lines)
    with open(path, "ab") as handle:
        handle.write(b'{"headline": "Caf\xe9", "published": "2020-01-01"}\n')
    run = run_import(path)
    assert run.counts["created"] == 4 and run.counts["skipped"] == 4
    assert f"{path}:2: skipped: missing headline" in run.report
    assert f"{path}:3: skipped: broken JSON" in run.report
    assert f"{path}:4: skipped: unparsable date '2022-13-45'" in run.report
    assert f"{path}:6: warning: body longer than 1,000,000 characters, truncated" in run.report
    assert f"{path}:8: skipped: not valid UTF-8" in run.report
    assert len(Article.objects.get(external_id="id-10").body) == 1_000_000


def test_csv_import_with_lists_quotes_and_newlines(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        'headline,published,body,places,topics\n"Coup, again",2021-05-24,"Line one\nline ""two""",'
        "Kati;Bamako,coups\nSecond,2021-05-25,Body,,\n",
        encoding="utf-8",
    )
    run = run_import(path)
    assert run.counts["created"] == 2
    article = Article.objects.get(headline="Coup, again")
    assert article.body == 'Line one\nline "two"'
    assert sorted(article.places.values_list("name", flat=True)) == ["Bamako", "Kati"]


def test_gzipped_files_are_read(tmp_path):
    path = tmp_path / "t.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write('{"headline": "Zipped", "published": "2020-01-01"}\n')
    assert run_import(path).counts["created"] == 1


def test_dry_run_writes_nothing(three_records):
    run = run_import(three_records, dry_run=True)
    assert run.counts["created"] == 3 and run.pk is None
    assert not Article.objects.exists() and not ImportRun.objects.exists()


def test_undo_removes_created_restores_updated_and_keeps_edited(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", [record(1), record(2)])
    run_import(path)
    write_jsonl(path, [record(1, headline="Changed"), record(2), record(3), record(4)])
    second = run_import(path)
    edited = Article.objects.get(external_id="id-4")
    edited.body, edited.version = "An editor's body", edited.version + 1
    edited.save()
    result = import_run_undo(run=second)
    assert (result.removed, result.restored, result.kept_count) == (1, 1, 1)
    assert Article.objects.get(external_id="id-1").headline == "Story number 1"
    assert set(Article.objects.values_list("external_id", flat=True)) == {"id-1", "id-2", "id-4"}
    assert ImportRun.objects.get(pk=second.pk).status == ImportRun.Status.UNDONE


def test_huffpost_sample_with_map_collapses_its_duplicates():
    run = run_import(HUFFPOST, format="jsonl", source="HuffPost", mapping=HUFFPOST_MAP)
    assert run.counts["read"] == 10_000
    assert run.counts["created"] + run.counts["duplicates"] == 10_000 and run.counts["duplicates"] >= 2
    assert Article.objects.filter(source__slug="huffpost").count() == run.counts["created"]
    assert "collapsed into one article" in run.report
    again = run_import(HUFFPOST, format="jsonl", source="HuffPost", mapping=HUFFPOST_MAP)
    assert again.counts["unchanged"] == run.counts["created"] and again.counts["created"] == 0
    article = Article.objects.filter(source__slug="huffpost", topics__slug="politics").first()
    assert article is not None and article.summary and article.url.startswith("https://")


def test_command_reports_and_exits_non_zero_when_nothing_imports(tmp_path, capsys):
    path = write_jsonl(tmp_path / "t.jsonl", [{"published": "2020-01-01"}])
    with pytest.raises(CommandError, match="Nothing could be imported"):
        call_command("import_articles", str(path))
    assert "t.jsonl:1: skipped: missing headline" in capsys.readouterr().out


def test_command_rejects_a_missing_file_and_an_unknown_format(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_articles", str(tmp_path / "missing.jsonl"))
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(CommandError, match="cannot tell the format"):
        call_command("import_articles", str(tmp_path / "notes.txt"))


def test_command_map_option_is_validated(tmp_path, three_records):
    with pytest.raises(CommandError, match="expected FIELD=COLUMN"):
        call_command("import_articles", str(three_records), "--map", "nonsense")
    assert not Source.objects.exists()


def test_a_field_set_by_an_editor_before_any_import_stays_theirs(tmp_path):
    from tests.factories import make_source

    source = make_source(name="Sahel Desk", slug="sahel-desk")
    Article.objects.create(
        headline="Typed by an editor",
        body="x",
        published_on=dt.date(2022, 7, 22),
        source=source,
        external_id="id-1",
    )
    path = write_jsonl(tmp_path / "t.jsonl", [record(1)])
    assert run_import(path).counts["conflicts"] >= 1
    write_jsonl(path, [record(1, body="The source changed its body.")])
    run_import(path)
    article = Article.objects.get()
    assert article.headline == "Typed by an editor"


def test_undo_keeps_an_editor_s_fix_made_after_the_import(tmp_path, staff_client):
    path = write_jsonl(tmp_path / "t.jsonl", [record(1)])
    run_import(path)
    write_jsonl(path, [record(1, headline="Imported wording", body="Imported body.")])
    fifth = run_import(path)
    article = Article.objects.get(external_id="id-1")
    data = form_data(article, headline="The editor's wording", published_at_0="", published_at_1="")
    assert staff_client.post(change_url(article), data).status_code == 302
    result = import_run_undo(run=fifth)
    article.refresh_from_db()
    assert article.headline == "The editor's wording" and result.restored == 0
    assert result.kept_count == len(result.kept) == 1


def test_a_tag_too_long_or_a_lone_surrogate_skips_that_record_only(tmp_path):
    lines = [
        json.dumps(record(1)),
        json.dumps(record(2, places=["K" * 250])),
        '{"headline": "Broken \\ud800 text", "published": "2022-07-22", "external_id": "id-3"}',
        json.dumps(record(4, source="S" * 300)),
        json.dumps(record(5, topics=["coups"], people=["P" * 201])),
        json.dumps(record(6)),
    ]
    run = run_import(write_jsonl(tmp_path / "bad.jsonl", lines))
    assert (run.counts["created"], run.counts["skipped"]) == (2, 4)
    assert set(Article.objects.values_list("external_id", flat=True)) == {"id-1", "id-6"}
    for line, reason in [(2, "places: a name"), (3, "surrogate"), (4, "source name"), (5, "people: a name")]:
        assert any(f"bad.jsonl:{line}: skipped: " in row and reason in row for row in run.report.splitlines())
    assert not Place.objects.filter(name__startswith="KKK").exists()


def test_the_same_import_after_an_undo_applies_again(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", [record(1)])
    run_import(path)
    write_jsonl(path, [record(1, headline="Changed")])
    import_run_undo(run=run_import(path))
    assert Article.objects.get().headline == "Story number 1"
    again = run_import(path)
    assert (again.counts["updated"], again.counts["conflicts"]) == (1, 0)
    assert Article.objects.get().headline == "Changed"


def test_a_date_outside_the_archive_is_skipped_and_an_unlikely_one_warned(tmp_path):
    lines = [record(1, published="9999-12-31"), record(2, published="0198-01-05"), record(3)]
    run = run_import(write_jsonl(tmp_path / "dates.jsonl", lines))
    assert (run.counts["created"], run.counts["skipped"], run.counts["warned"]) == (2, 1, 1)
    assert "dates.jsonl:1: skipped: 9999-12-31 is outside the archive's dates" in run.report
    assert "dates.jsonl:2: warning: 0198-01-05 is before 1600: is the year right?" in run.report


def test_undo_of_a_run_undone_already_changes_nothing(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", [record(1), record(2)])
    run = run_import(path)
    assert import_run_undo(run=run).removed == 2
    again = import_run_undo(run=ImportRun.objects.get(pk=run.pk))
    run.refresh_from_db()
    assert again.removed == 2 and run.counts["undo"]["removed"] == 2
    assert run.status == ImportRun.Status.UNDONE and run.report.count("Undone ") == 1


def test_undo_after_a_tag_was_deleted_restores_the_rest(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", [record(1, topics=["Coups"])])
    run_import(path)
    write_jsonl(path, [record(1, topics=["Elections"], headline="Changed")])
    second = run_import(path)
    Topic.objects.filter(slug="coups").delete()
    result = import_run_undo(run=second)
    article = Article.objects.get()
    assert result.restored == 1 and article.headline == "Story number 1"
    assert list(article.topics.values_list("slug", flat=True)) == []
    assert ImportRun.objects.get(pk=second.pk).status == ImportRun.Status.UNDONE


def test_a_repeated_key_and_a_reused_url_name_the_first_record_even_in_another_file(tmp_path):
    def record(headline: str, key: str, **extra) -> dict:
        return {
            "headline": headline,
            "published": "2020-01-02",
            "source": "Wire",
            "external_id": key,
            **extra,
        }

    first = write_jsonl(
        tmp_path / "a.jsonl", [record("One", "k1", url="https://e.test/1"), record("Two", "k2")]
    )
    second = write_jsonl(
        tmp_path / "b.jsonl", [record("Two again", "k2"), record("Three", "k3", url="https://e.test/1")]
    )
    run = run_import(first, second)
    assert (run.counts["created"], run.counts["duplicates"]) == (3, 1)
    assert f"{second}:1: duplicate of the record at {first}:2; collapsed into one article" in run.report
    assert f"{second}:2: warning: url already given by the record at {first}:1; left out" in run.report
    assert Article.objects.get(external_id="k3").url == ""
