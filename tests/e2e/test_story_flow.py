"""A researcher follows a report to its story: who else published it, and what each copy changed —
in English and in French."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e import helpers
from tests.e2e.helpers import IN_BOTH_LANGUAGES

pytestmark = [pytest.mark.browser, IN_BOTH_LANGUAGES]


def test_from_a_reprint_to_its_wire_original_and_the_side_by_side_view(new_context, urls, say):
    page = new_context(bypass_csp=True).new_page()  # axe is injected as a script at the end
    page.goto(urls["article"])
    also = page.get_by_role("region", name=say("Also published by"))
    expect(also.get_by_role("link", name="Archive Wire")).to_be_visible()
    whole = say.plural(
        "The whole story: %(size)s copy, compared side by side",
        "The whole story: %(size)s copies, compared side by side",
        2,
        size="2",
    )
    also.get_by_role("link", name=whole).click()

    expect(page).to_have_url(re.compile(r"/stories/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(say.pattern("Story: %(headline)s"))
    rows = page.locator("table.story-copies tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Archive Wire")  # the wire report came first
    expect(rows.first).to_contain_text(say("first appearance"))

    comparison = page.get_by_role("region", name=say.pattern("The first appearance beside %(source)s"))
    expect(comparison.locator("del").first).to_contain_text("(AFP)")  # the reprint dropped the credit line
    expect(comparison.locator("ins").first).to_be_visible()  # and added a paragraph of its own

    results = helpers.run_axe(page)
    assert not results["violations"], helpers.describe_axe_items(results["violations"])


def test_the_story_and_its_copies_as_json(page, urls):
    story = page.request.get(urls["story"].replace("/stories/", "/api/stories/")).json()
    assert story["size"] == 2 and story["days_spanned"] == 2
    article = page.request.get(f"/api/articles/{story['copies'][0]['id']}/").json()
    assert article["story"]["id"] == story["id"] and article["copies"][0]["id"] == story["first"]["id"]


def test_counting_each_story_once_from_the_search_page(page, say):
    page.goto("/search/?q=Kati")
    every_copy = helpers.shown_total(page)
    form = page.get_by_role("search", name=say("Search the archive"))
    form.get_by_text(say("Dates, order, words, stories")).click()
    form.get_by_label(say("Count each story once (an agency story and its reprints together)")).check()
    form.get_by_role("button", name=say("Search"), exact=True).click()

    expect(page).to_have_url(re.compile(r"collapse=story"))
    stories = helpers.shown_total(page)
    assert stories == every_copy - 1  # the wire report and its reprint count once
    found = say.plural("%(shown)s story found", "%(shown)s stories found", stories, shown=str(stories))
    expect(page.locator(".result-count")).to_contain_text(found)
    others = page.get_by_role(
        "link", name=say.plural("and %(count)s other copy", "and %(count)s other copies", 1, count="1")
    )
    others.click()
    expect(page).to_have_url(re.compile(r"story=\d+"))
    assert helpers.shown_total(page) == 2
