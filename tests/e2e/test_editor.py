"""An editor writes an article in the admin: draft (hidden from the public), publish, search, edit —
in English and in French (the admin in Django's own French)."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import IN_BOTH_LANGUAGES, Say

pytestmark = [pytest.mark.browser, IN_BOTH_LANGUAGES]

ADDED = "The {name} “{obj}” was added successfully."
CHANGED = "The {name} “{obj}” was changed successfully."


def unique_word(prefix: str) -> str:
    """A made-up word no demo article contains (letters only, so the stemmer keeps it whole)."""
    letters = "".join(chr(ord("a") + int(c, 16) % 26) for c in uuid.uuid4().hex[:8])
    return f"{prefix}{letters}"


def choose_in_autocomplete(page, field: str, typed: str, option: str) -> None:
    """Open the select2 widget of `field`, type, wait for the server's answer and pick `option`."""
    page.locator(f".field-{field} .select2-selection").click()
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill(typed)
    choice = page.locator(".select2-results__option", has_text=re.compile(rf"^{re.escape(option)}$"))
    choice.click()
    expect(page.locator(f".field-{field} .select2-selection")).to_contain_text(option)


def add_draft_article(page, say: Say, headline: str) -> int:
    """Fill the add form (source, a place and a topic through autocomplete) and save as draft."""
    page.goto("/admin/archive/article/add/")
    page.fill("#id_headline", headline)
    page.fill("#id_published_on", "2024-03-05")
    expect(page.locator("#id_status")).to_have_value("draft")
    page.fill("#id_body", "Reported by the e2e desk from the town of Kati.")  # no headline words
    choose_in_autocomplete(page, "source", "Sahel", "Sahel Desk (demo)")
    choose_in_autocomplete(page, "places", "Kati", "Kati")
    choose_in_autocomplete(page, "topics", "armed", "Armed attack")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_contain_text(say.pattern(ADDED))
    match = re.search(r"/admin/archive/article/(\d+)/change/", page.url)
    assert match, page.url
    return int(match.group(1))


def save_change(page, say: Say, article_id: int, **fields) -> None:
    page.goto(f"/admin/archive/article/{article_id}/change/")
    if "headline" in fields:
        page.fill("#id_headline", fields["headline"])
    if "status" in fields:
        page.select_option("#id_status", fields["status"])
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_contain_text(say.pattern(CHANGED))


def search_headlines(page, words: str) -> list[str]:
    page.goto(f"/search/?q={words}")
    expect(page.get_by_role("status")).to_be_visible()
    return page.locator(".article-list h3").all_inner_texts()


def test_draft_is_hidden_from_visitors_and_shown_with_a_banner_to_staff(editor_page, new_context, say):
    headline = f"Drafted report on {unique_word('kr')} roadblocks"
    article_id = add_draft_article(editor_page, say, headline)

    visitor = new_context().new_page()  # a separate context: no session cookie
    response = visitor.goto(f"/articles/{article_id}/")
    assert response.status == 404
    expect(visitor.get_by_role("heading", level=1)).to_have_text(say("Page not found"))

    response = editor_page.goto(f"/articles/{article_id}/")
    assert response.status == 200
    expect(editor_page.get_by_role("heading", level=1)).to_have_text(headline)
    expect(editor_page.get_by_role("note")).to_contain_text(say("Draft — not public."))
    tags = editor_page.locator(".article-tags")
    expect(tags.get_by_role("link", name="Kati", exact=True)).to_be_visible()
    expect(tags.get_by_role("link", name="Armed attack")).to_be_visible()


def test_published_article_is_found_by_search_and_by_its_new_headline_after_an_edit(
    editor_page, new_context, say
):
    old_word, new_word = unique_word("zq"), unique_word("vx")
    article_id = add_draft_article(editor_page, say, f"Market report on {old_word} prices")
    visitor = new_context().new_page()
    assert search_headlines(visitor, old_word) == []  # drafts never appear in public search

    save_change(editor_page, say, article_id, status="published")
    assert search_headlines(visitor, old_word) == [f"Market report on {old_word} prices"]
    visitor.get_by_role("link", name=f"Market report on {old_word} prices").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(f"Market report on {old_word} prices")
    expect(visitor.locator(".draft-banner")).to_have_count(0)

    save_change(editor_page, say, article_id, headline=f"Market report on {new_word} prices")
    assert search_headlines(visitor, new_word) == [f"Market report on {new_word} prices"]
    assert search_headlines(visitor, old_word) == []
