"""The researcher's desk in a browser, as a new user would: sign up, save a search, collect three
articles with notes, search within the collection, freeze it, verify the downloaded package; a second
researcher gets 404s; an editor's change leaves the snapshot's text and shows in "What changed since".
Every desk page passes axe, in English and in French."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.desk_helpers import verify_package
from tests.e2e import helpers
from tests.e2e.conftest import EDITOR

pytestmark = pytest.mark.browser
PASSWORD = "e2e-Researcher-pass-5530"


def sign_up(page, say) -> str:
    email = f"r-{uuid.uuid4().hex[:10]}@example.org"
    page.goto("/accounts/signup/")
    page.get_by_label(say("E-mail address")).fill(email)
    page.get_by_label(say("Password"), exact=True).fill(PASSWORD)
    page.get_by_label(say("The password again")).fill(PASSWORD)
    page.get_by_role("button", name=say("Create my account")).click()
    page.wait_for_url("**/me/searches/")
    return email


def assert_no_axe_violations(page, where: str) -> None:
    results = helpers.run_axe(page)
    assert not results["violations"], f"axe on {where}:\n" + helpers.describe_axe_items(results["violations"])


def add_result_to_collection(
    page, say, headline: str, note: str, *, new_name: str = "", collection: str = ""
):
    item = page.locator(".article-item", has=page.get_by_role("link", name=headline, exact=True))
    item.locator("summary").click()
    if new_name:
        item.get_by_label(say("Collection"), exact=True).select_option(
            label=say("A new collection, named below")
        )
        item.get_by_label(say("New collection's name")).fill(new_name)
    else:
        item.get_by_label(say("Collection"), exact=True).select_option(label=collection)
    item.get_by_label(say("Note")).fill(note)
    item.get_by_role("button", name=say("Add"), exact=True).click()
    expect(page.locator(".messages")).to_contain_text(headline)


def download_and_verify(page, say) -> tuple[dict, list[dict]]:
    """Download the snapshot's data package from its page and check it from the file alone."""
    link = say("Download the data package (zip: datapackage.json and articles.csv)")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(re.escape(link))).click()
    with open(download.value.path(), "rb") as handle:
        return verify_package(handle.read())


@helpers.IN_BOTH_LANGUAGES
def test_a_new_researcher_keeps_searches_collections_and_a_verifiable_snapshot(new_context, say, base_url):
    page = new_context(bypass_csp=True).new_page()
    sign_up(page, say)
    assert_no_axe_violations(page, "saved searches, empty")

    page.goto(f"/search/?q={helpers.SAHEL_QUERY}&sort=oldest")
    page.get_by_label(say("Name"), exact=True).fill("Sahel dispatches")
    page.get_by_role("button", name=say("Save this search")).click()
    page.wait_for_url("**/me/searches/")
    expect(page.get_by_role("link", name="Sahel dispatches", exact=True)).to_be_visible()
    assert_no_axe_violations(page, "saved searches")

    saved_address = page.get_by_role("link", name="Sahel dispatches", exact=True).get_attribute("href")
    page.get_by_role("link", name="Sahel dispatches", exact=True).click()
    headlines = [f"Sahel field notes {n}: markets and roads around Gao" for n in (1, 2, 3)]
    add_result_to_collection(page, say, headlines[0], "the first dispatch", new_name="Gao markets")
    for n, headline in enumerate(headlines[1:], start=2):
        add_result_to_collection(page, say, headline, f"dispatch {n}", collection="Gao markets")
    assert_no_axe_violations(page, "search results with collect forms")

    page.get_by_role("link", name=say("Collections"), exact=True).click()
    page.get_by_role("link", name="Gao markets").click()
    collection_url = page.url
    expect(page.locator(".item-note")).to_have_text(["the first dispatch", "dispatch 2", "dispatch 3"])
    assert_no_axe_violations(page, "collection (owner)")

    page.get_by_role("link", name=say("Search within it (facets, timeline)")).click()
    assert helpers.shown_total(page) == 3

    page.go_back()
    page.get_by_role("button", name=say("Freeze these results")).click()
    page.wait_for_url(re.compile(r".*/snapshots/[0-9a-f-]{36}/$"))
    snapshot_url = page.url
    assert_no_axe_violations(page, "snapshot (private)")
    meta, rows = download_and_verify(page, say)
    assert sorted(row["headline"] for row in rows) == sorted(headlines)
    assert meta["snapshot"]["checksum"].removeprefix("sha256:") in page.locator(".checksum").inner_text()

    other = new_context().new_page()
    sign_up(other, say)
    for address in (collection_url, snapshot_url, saved_address):
        response = other.goto(address)
        assert response.status == 404, address
    expect(other.locator("main")).not_to_contain_text("Sahel dispatches")

    page.goto(snapshot_url)
    page.get_by_role("button", name=say("Share it (public, for good)")).click()
    assert other.goto(snapshot_url).status == 200

    editor = new_context().new_page()
    helpers.admin_log_in(editor, EDITOR["username"], EDITOR["password"])
    edited_id = int(rows[1]["id"])
    editor.goto(f"/admin/archive/article/{edited_id}/change/")
    editor.fill("#id_body", f"Corrected by the e2e editor ({uuid.uuid4().hex[:8]}): prices in Gao rose.")
    editor.locator("input[name=_save]").click()
    expect(editor.locator(".messagelist")).to_be_visible()

    page.goto(snapshot_url)
    _, rows_after = download_and_verify(page, say)
    assert rows_after == rows
    page.get_by_role("link", name=say("What changed since")).click()
    edited = page.locator("section", has=page.locator("#edited-heading"))
    expect(edited.get_by_role("link")).to_have_text([rows[1]["headline"]])
    assert_no_axe_violations(page, "what changed since")


def test_the_desk_pages_of_a_researcher_pass_axe_on_a_phone(new_context, say):
    page = new_context(**helpers.PHONE, bypass_csp=True).new_page()
    sign_up(page, say)
    for address in ("/me/searches/", "/me/collections/", "/me/snapshots/", "/accounts/password-reset/"):
        page.goto(address)
        assert_no_axe_violations(page, address)
        overflow = helpers.horizontal_overflow(page)
        assert overflow["scrollWidth"] <= overflow["clientWidth"], address


def test_the_desk_works_without_javascript(new_context, say):
    page = new_context(java_script_enabled=False).new_page()
    sign_up(page, say)
    page.goto(f"/search/?q={helpers.SAHEL_QUERY}")
    page.get_by_role("button", name=say("Save this search")).click()
    page.wait_for_url("**/me/searches/")
    page.goto(f"/search/?q={helpers.SAHEL_QUERY}&sort=oldest")
    add_result_to_collection(
        page, say, "Sahel field notes 1: markets and roads around Gao", "no script", new_name="Without JS"
    )
    page.get_by_role("link", name=say("Collections"), exact=True).click()
    page.get_by_role("link", name="Without JS").click()
    expect(page.locator(".item-note")).to_have_text(["no script"])
