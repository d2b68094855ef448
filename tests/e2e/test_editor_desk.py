"""The editors' desk in a browser: restore a revision, recover a deletion, a refused concurrent save,
merging duplicate places (and undoing it), and importing a file (and undoing it) — in English and in
French (the admin in Django's own French)."""

import json
import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import EDITOR
from tests.e2e.helpers import IN_BOTH_LANGUAGES, Say, admin_log_in, manage_py

pytestmark = [pytest.mark.browser, IN_BOTH_LANGUAGES]

CHANGED = "The {name} “{obj}” was changed successfully."

ARTICLE_SCRIPT = """
import datetime as dt
import reversion
from django.contrib.auth import get_user_model
from archive.models import Article, Place, Source
with reversion.create_revision():
    article = Article.objects.create(
        headline={headline!r}, body={body!r}, source=Source.objects.get(slug="sahel-desk"),
        published_on=dt.date(2023, 4, 5), status="published", external_id={external_id!r},
    )
    article.places.set(Place.objects.filter(slug__in={places!r}))
    reversion.set_user(get_user_model().objects.get(username="editor"))
    reversion.set_comment("Created by the e2e desk test.")
print(article.pk)
"""


def unique_word(prefix: str) -> str:
    """A made-up word no demo article contains (letters only, so the stemmer keeps it whole)."""
    letters = "".join(chr(ord("a") + int(c, 16) % 26) for c in uuid.uuid4().hex[:8])
    return f"{prefix}{letters}"


def create_article(
    env: dict, headline: str, *, body: str = "Shots were heard at dawn.", places=("kati",)
) -> int:
    """A published article with a first revision (as if saved once by the editor); returns its id."""
    script = ARTICLE_SCRIPT.format(
        headline=headline, body=body, external_id=f"e2e-desk-{uuid.uuid4().hex}", places=list(places)
    )
    return int(manage_py(env, "shell", "-c", script).split()[-1])


def change_form(page, article_id: int) -> None:
    page.goto(f"/admin/archive/article/{article_id}/change/")
    expect(page.locator("#id_headline")).to_be_visible()


def expect_success(page, text) -> None:
    expect(page.locator(".messagelist .success")).to_contain_text(text)


def run_action(page, changelist: str, rows: list[str], action: str) -> None:
    """On an admin changelist, tick the rows containing each text and run the action of that label."""
    page.goto(changelist)
    for text in rows:
        page.locator("#result_list tbody tr", has_text=text).locator("input.action-select").check()
    page.select_option("select[name=action]", label=action)
    page.locator("button[name=index]").click()


def public_article(page, article_id: int) -> None:
    response = page.goto(f"/articles/{article_id}/")
    assert response.status == 200, f"/articles/{article_id}/: HTTP {response.status}"


def search_headlines(page, words: str) -> list[str]:
    page.goto(f"/search/?q={words}")
    expect(page.get_by_role("status")).to_be_visible()
    return page.locator(".article-list h3").all_inner_texts()


def test_restoring_an_older_revision_brings_back_its_headline_and_place(
    editor_page, new_context, e2e_data, say: Say
):
    # Headlines of at most 20 characters: reversion-compare shows such values as whole lines.
    old, new = f"Convoy {unique_word('ro')}", f"Halted {unique_word('rn')}"
    article_id = create_article(e2e_data["env"], old, places=["kati", "gao"])
    page = editor_page
    change_form(page, article_id)
    page.fill("#id_headline", new)
    gao = page.locator(".field-places .select2-selection__choice", has_text="Gao")
    gao.locator(".select2-selection__choice__remove").click()
    page.keyboard.press("Escape")  # removing a choice opens the dropdown
    expect(gao).to_have_count(0)
    page.locator("input[name=_continue]").click()
    expect_success(page, say.pattern(CHANGED))

    page.get_by_role("link", name=say("History"), exact=True).click()
    page.get_by_role("button", name=say("compare")).click()
    expect(page.locator("#content")).to_contain_text(old)
    expect(page.locator("#content")).to_contain_text(new)
    page.go_back()
    page.locator("#change-history tr", has_text="Created by the e2e desk test.").get_by_role("link").click()
    expect(page.locator("#id_headline")).to_have_value(old)
    page.locator("input[name=_save]").click()
    expect_success(page, say.pattern(CHANGED))

    visitor = new_context().new_page()
    public_article(visitor, article_id)
    expect(visitor.get_by_role("heading", level=1)).to_have_text(old)
    tags = visitor.locator(".article-tags")
    expect(tags.get_by_role("link", name="Gao", exact=True)).to_be_visible()
    expect(tags.get_by_role("link", name="Kati", exact=True)).to_be_visible()


def test_a_deleted_article_is_recovered_from_the_changelist_and_answers_again(
    editor_page, new_context, e2e_data, say: Say
):
    headline = f"Bridge repaired at {unique_word('dl')}"
    article_id = create_article(e2e_data["env"], headline)
    visitor = new_context().new_page()
    public_article(visitor, article_id)
    permalink = visitor.url

    page = editor_page
    change_form(page, article_id)
    page.locator("a.deletelink").click()
    page.get_by_role("button", name=say("Yes, I’m sure")).click()
    expect_success(page, say.pattern("The %(name)s “%(obj)s” was deleted successfully."))
    assert visitor.goto(permalink).status == 404

    page.goto("/admin/archive/article/")
    page.get_by_role("link", name=say.pattern("Recover deleted %(name)s")).click()
    page.locator("#change-history tr", has_text=headline).get_by_role("link").click()
    expect(page.locator("#id_headline")).to_have_value(headline)
    page.locator("input[name=_save]").click()
    expect_success(page, say.pattern(CHANGED))

    assert visitor.goto(permalink).status == 200
    expect(visitor.get_by_role("heading", level=1)).to_have_text(headline)


def test_second_of_two_concurrent_saves_is_refused_naming_the_colleague_and_the_change(
    editor_page, new_context, e2e_data, say: Say
):
    env = e2e_data["env"]
    old, new = f"Curfew lifted in {unique_word('cc')}", f"Curfew extended in {unique_word('cn')}"
    old_body, typed_body = "The curfew ends at six.", "The curfew ends at six, the governor said."
    article_id = create_article(env, old, body=old_body)
    colleague = unique_word("colleague")
    manage_py(env, "createsuperuser", "--noinput", "--username", colleague, "--email", "c@e.org")
    first = new_context().new_page()
    admin_log_in(first, colleague, EDITOR["password"])  # the session env sets DJANGO_SUPERUSER_PASSWORD
    second = editor_page
    change_form(first, article_id)
    change_form(second, article_id)

    first.fill("#id_headline", new)
    first.locator("input[name=_continue]").click()
    expect_success(first, say.pattern(CHANGED))
    second.fill("#id_body", typed_body)
    second.locator("input[name=_continue]").click()

    error = second.locator(".errorlist.nonfield")
    refused = say.pattern(
        "Not saved: {user} saved this article at {time} while you were editing it (version {submitted} → "
        "{current}). Your changes are still in the form below; reload the page to see theirs, then apply "
        "yours again.",
        user=colleague,
    )
    expect(error).to_contain_text(refused)
    expect(error.locator("li li")).to_have_text([f"headline: “{old}” → “{new}”"])
    expect(second.locator("#id_body")).to_have_value(typed_body)
    visitor = new_context().new_page()
    public_article(visitor, article_id)
    expect(visitor.get_by_role("heading", level=1)).to_have_text(new)
    expect(visitor.locator(".article-body")).to_have_text(old_body)


def test_merging_duplicate_places_redirects_the_duplicate_and_undo_restores_it(
    editor_page, new_context, e2e_data, say: Say
):
    env, word = e2e_data["env"], unique_word("mg")
    keep, duplicate = f"Testville {word}", f"Test Ville {word}"
    places = f"for name in {[keep, duplicate]!r}: Place.objects.create(name=name)"
    manage_py(env, "shell", "-c", f"from archive.models import Place\n{places}")
    keep_slug, duplicate_slug = f"testville-{word}", f"test-ville-{word}"
    headline = f"Well dug at {word}"
    create_article(env, headline, places=[duplicate_slug])

    page = editor_page
    run_action(
        page,
        f"/admin/archive/place/?q={word}",
        [keep, duplicate],
        say("Merge the selected duplicates into one"),
    )
    page.get_by_label(f"{keep} ({keep_slug})").check()
    page.get_by_role("button", name=say("Merge"), exact=True).click()
    expect_success(page, say.pattern("Merged into %(name)s. Undo it from “Merges”: %(merge)s.", name=keep))

    visitor = new_context().new_page()
    response = visitor.goto(f"/places/{duplicate_slug}/")
    assert response.status == 200 and response.request.redirected_from is not None
    assert visitor.url.endswith(f"/places/{keep_slug}/")
    expect(visitor.locator(".article-list h3")).to_have_text([headline])

    run_action(page, "/admin/archive/treemerge/", [f"{duplicate} → {keep}"], say("Undo the selected merges"))
    expect_success(page, say.pattern("Undid the merge %(merge)s."))
    # The same visitor: the alias redirect is temporary (302), so the browser has not cached it.
    response = visitor.goto(f"/places/{duplicate_slug}/")
    assert response.status == 200 and response.request.redirected_from is None
    expect(visitor.get_by_role("heading", level=1)).to_have_text(duplicate)


def test_an_uploaded_file_is_imported_with_a_report_and_undone(editor_page, new_context, tmp_path, say: Say):
    word = unique_word("im")
    headlines = [f"Imported {word} dispatch one", f"Imported {word} dispatch two"]
    records = [
        {
            "headline": text,
            "published": "2021-05-24",
            "body": "Filed by the desk.",
            "external_id": f"{word}-{n}",
        }
        for n, text in enumerate(headlines)
    ]
    upload = tmp_path / "desk-batch.jsonl"
    upload.write_text("".join(json.dumps(r) + "\n" for r in records) + '{"headline": "broken\n')

    page = editor_page
    page.goto("/admin/archive/importrun/")
    page.get_by_role("link", name=say("Import a file")).click()
    page.set_input_files("#id_file", upload)
    page.fill("#id_source", "E2E desk upload")
    page.get_by_role("button", name=say("Import", "button"), exact=True).click()
    expect_success(page, say.pattern("Import #%(number)s started; this page shows its progress."))
    report = page.locator(".field-report")
    expect(report).to_contain_text(re.compile(r"desk-batch\.jsonl:3: skipped: \S"), timeout=30_000)
    run_id = re.search(r"/importrun/(\d+)/change/", page.url).group(1)

    visitor = new_context().new_page()
    assert sorted(search_headlines(visitor, word)) == headlines
    run_action(page, "/admin/archive/importrun/", [f"Import #{run_id} of"], say("Undo the selected imports"))
    expect_success(
        page, say.pattern("Import #%(number)s: undo started; its page shows the progress.", number=run_id)
    )
    page.goto(f"/admin/archive/importrun/{run_id}/change/")  # it reloads itself until the job ends
    expect(page.locator(".field-status .readonly")).to_have_text(
        say("Undone", "import status"), timeout=30_000
    )
    assert search_headlines(visitor, word) == []


FOUND_SCRIPT = """
from django.db import transaction
from archive import tag_origins
from archive.models import Place
bamako = Place.objects.get(slug="bamako").pk
with transaction.atomic():
    tag_origins.add_found("places", [({pk}, bamako, {{"words": "BAMAKO", "where": "dateline"}})])
"""


def test_a_found_place_is_seen_with_its_evidence_and_rejected_in_bulk(editor_page, e2e_data, say: Say):
    headline = f"Curfew in {unique_word('found')}"
    article_id = create_article(e2e_data["env"], headline)
    manage_py(e2e_data["env"], "shell", "-c", FOUND_SCRIPT.format(pk=article_id))
    page = editor_page
    change_form(page, article_id)
    expect(page.locator(".provenance-found")).to_have_text(f"({say('found in the text')})")
    expect(page.locator(".field-tag_provenance")).to_contain_text("“BAMAKO”")
    run_action(
        page,
        "/admin/archive/article/",
        [headline],
        say("Reject a place or topic found in the text of the selected articles"),
    )
    page.get_by_label(say("Kind")).select_option("place")
    page.get_by_label(say("Name, slug or alias")).fill("Bamako")
    page.get_by_role("button", name=say("Reject")).click()
    expect_success(page, "Bamako")
    change_form(page, article_id)
    expect(page.locator(".provenance-found")).to_have_count(0)
    expect(page.locator(".provenance-editor")).to_have_count(1)  # Kati, given when it was created
