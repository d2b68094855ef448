"""The interface in French in a real browser: chosen from the browser's language or the header's
switcher (without JavaScript), the search flow with its language facet, and axe on every page type."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e import helpers

pytestmark = pytest.mark.browser

FRENCH = {"locale": "fr-FR"}  # Chromium then sends Accept-Language: fr-FR


def shown_total(page) -> int:
    """The total of a French result count ("12 articles trouvés", thousands separated by a space)."""
    text = page.locator(".result-count").inner_text()
    match = re.match(r"([\d\s\u202f\u00a0]+) articles? trouvés?", text)
    assert match, f"no French total in {text!r}"
    return helpers.whole_number(match.group(1))


def test_a_french_browser_gets_the_french_interface(new_context):
    page = new_context(**FRENCH).new_page()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("link", name="Aller au contenu principal")).to_be_attached()
    expect(page.get_by_role("navigation", name="Parcourir")).to_be_visible()


def test_the_switcher_changes_the_language_without_javascript(new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/search/?q=Kati")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Interface language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=Kati$"))  # back on the same search
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert shown_total(page) > 0
    page.get_by_label("Langue de l’interface").select_option("en")
    page.get_by_role("button", name="Changer").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_a_french_search_clicks_its_language_facet_and_opens_an_article(new_context):
    page = new_context(**FRENCH).new_page()
    page.goto("/search/?q=Kati")
    before = shown_total(page)
    facets = page.get_by_role("complementary", name="Affiner les résultats")
    group = facets.locator("section.facet", has=page.get_by_role("heading", name="Langue"))
    entry = group.locator("li", has_text="français")
    promised = helpers.whole_number(entry.locator(".count").inner_text())
    assert 0 < promised < before

    entry.get_by_role("link").click()

    expect(page).to_have_url(re.compile(r"[?&]language=fr"))
    assert shown_total(page) == promised
    page.locator(".results article h3 a, .results li h3 a, .results h3 a").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("time").first).to_contain_text(re.compile(r"juillet|août|juin"))


def test_a_french_search_error_is_explained_in_french(new_context):
    page = new_context(**FRENCH).new_page()
    page.goto("/search/?q=Kati&from=2022-13-45")
    expect(page.get_by_role("alert")).to_contain_text("Cette recherche n’a pas pu être lancée")


@pytest.mark.parametrize("page_name", helpers.PAGE_NAMES)
def test_every_page_type_in_french_has_no_axe_violations(new_context, urls, request, page_name):
    page = new_context(**helpers.DESKTOP, **FRENCH, bypass_csp=True).new_page()
    helpers.open_page(page, urls[page_name])
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    results = helpers.run_axe(page)

    for item in results["incomplete"]:
        request.config.stash[helpers.AXE_INCOMPLETE].append(
            (f"{page_name}@fr", item["id"], item["help"], len(item["nodes"]))
        )
    assert not results["violations"], (
        f"axe found violations on {page_name} ({urls[page_name]}) in French:\n"
        + helpers.describe_axe_items(results["violations"])
    )


def test_french_dates_lead_from_years_to_month_to_day(new_context):
    page = new_context(**FRENCH).new_page()
    page.goto("/browse/")
    page.get_by_role("link", name="2022", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Articles publiés en 2022")
    page.locator(".month-grid").get_by_role("link", name=re.compile(r"^juillet")).click()
    calendar = page.get_by_role("table", name="Articles par jour, juillet 2022")
    expect(calendar).to_be_visible()
    calendar.get_by_role("link", name=re.compile(r"^22 ")).click()
    expect(page).to_have_url(re.compile(r"/browse/2022/07/22/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Articles publiés le vendredi 22 juillet 2022")


def test_a_french_reader_cites_an_article(new_context, urls):
    page = new_context(**FRENCH).new_page()
    page.goto(urls["article"])
    expect(page.get_by_role("heading", name="Citer cet article")).to_be_visible()
    expect(page.locator("time").first).to_contain_text("2022")


def test_the_admin_login_is_in_djangos_french(new_context):
    page = new_context(**FRENCH).new_page()
    page.goto("/admin/login/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_label("Nom d’utilisateur")).to_be_visible()
