"""Shared constants and page-level helpers for the browser tests."""

import re
from pathlib import Path

import pytest
from django.utils import formats, translation

BASE_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling out to the (closed) network.
CHROMIUM_ARGS = (
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
AXE_PATH = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = BASE_DIR / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
SERVER_LOG = ARTIFACTS / "e2e-server.log"
AXE_INCOMPLETE = pytest.StashKey[list]()

# The browser's locale (Chromium sends it as Accept-Language) for each interface language.
LOCALES = {"en": "en-US", "fr": "fr-FR"}
# A flow module marked so runs each of its tests once per interface language (the `say` fixture
# gives the words each expects).
IN_BOTH_LANGUAGES = pytest.mark.parametrize("interface_language", list(LOCALES))

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1440, "height": 900}

# Enough published articles mentioning "Sahel" for more than one page of results (20 a page).
SAHEL_QUERY = "Sahel"
EXTRA_ARTICLES_SCRIPT = """
import datetime as dt
from archive.models import Article, Place, Source, Topic
source = Source.objects.get(slug="sahel-desk")
gao = Place.objects.get(slug="gao")
humanitarian = Topic.objects.get(slug="humanitarian")
for n in range(1, 31):
    article = Article.objects.create(
        headline=f"Sahel field notes {n}: markets and roads around Gao",
        summary="A routine dispatch from the Sahel desk about trade, roads and rainfall near Gao.",
        body="Traders in the Sahel town of Gao reported steady prices. Roads north remained open.",
        source=source,
        published_on=dt.date(2016, 1, 1) + dt.timedelta(days=10 * n),
        status=Article.Status.PUBLISHED,
        external_id=f"e2e-sahel-{n:02d}",
    )
    article.places.add(gao)
    article.topics.add(humanitarian)
# The wire report UrduPoint republished (demo-0001), two days before: with it, one story of two copies.
reprint = Article.objects.get(external_id="demo-0001")
wire = Article.objects.create(
    headline="Mali: gunfire and blasts at the Kati army camp",
    body="BAMAKO, July 22 (AFP) - " + reprint.body.rsplit("\\n\\n", 1)[0],
    source=Source.objects.get(slug="archive-wire"),
    agency="AFP",
    published_on=reprint.published_on - dt.timedelta(days=2),
    status=Article.Status.PUBLISHED,
    external_id="e2e-wire-kati",
)
wire.places.set(reprint.places.all())
wire.topics.set(reprint.topics.all())
"""

EMPTY_QUERY = "xylophonic quartzberry"


def page_paths(kati_article: dict) -> dict[str, str]:
    """One address for every page type the accessibility and layout tests visit."""
    return {
        "home": "/",
        "search-results": f"/search/?q={SAHEL_QUERY}",
        "search-no-results": "/search/?q=xylophonic+quartzberry",
        "article": f"/articles/{kati_article['id']}/{kati_article['slug']}/",
        "browse-years": "/browse/",
        "browse-year": "/browse/2012/",
        "browse-year-empty": "/browse/1999/",
        "browse-month": "/browse/2022/07/",
        "browse-month-empty": "/browse/2012/02/",
        "browse-day": "/browse/2022/07/22/",
        "browse-day-empty": "/browse/2022/07/24/",
        "place-list": "/places/",
        "place": "/places/mali/",
        "topic-list": "/topics/",
        "topic": "/topics/coup-detat/",
        "source-list": "/sources/",
        "source": "/sources/urdupoint/",
        "not-found": "/no-such-page/",
        "search-filtered": "/search/?q=Kati&place=mali",
        "search-error": "/search/?q=Kati&from=2022-13-45",
        "article-with-hits": f"/articles/{kati_article['id']}/{kati_article['slug']}/?q=Kati&back=q%3DKati",
        "search-chart-shares": f"/search/?q={SAHEL_QUERY}&interval=month&measure=share",
        "compare": "/compare/?q=Kati&q=Bamako",
        "compare-empty": "/compare/",
        "kwic": "/kwic/?q=Kati",
        "coverage": "/coverage/",
        "story": f"/stories/{kati_article['story']}/",
        "search-collapsed": "/search/?q=Kati&collapse=story",
        "search-tagged": "/search/?q=Kati&tagged=editor,import",
        "map": f"/map/?q={SAHEL_QUERY}",
        "map-error": "/map/?q=Kati&from=2022-13-45",
        "login": "/accounts/login/",
        "signup": "/accounts/signup/",
        "password-reset": "/accounts/password-reset/",
    }


# Pages that answer something other than 200 on purpose.
EXPECTED_STATUS = {
    "/no-such-page/": 404,
    "/search/?q=Kati&from=2022-13-45": 400,
    "/map/?q=Kati&from=2022-13-45": 400,
}


PAGE_NAMES = list(page_paths({"id": 0, "slug": "x", "story": 0}))


def open_page(page, path: str, *, expect_status: int | None = None):
    """Go to `path` and check the status (200, or 404 for the not-found page)."""
    response = page.goto(path)
    expected = expect_status or EXPECTED_STATUS.get(path, 200)
    status = response.status if response else None
    assert status == expected, f"{path}: HTTP {status}, expected {expected}"
    return response


# --------------------------------------------------------------------------- axe-core


def run_axe(page) -> dict:
    """Inject axe-core and run its default rule set on the whole document."""
    page.add_script_tag(path=str(AXE_PATH))
    return page.evaluate(
        """async () => {
            // Every default rule runs; resultTypes only trims the detail kept for passing rules.
            const results = await axe.run(document, {resultTypes: ['violations', 'incomplete']});
            const brief = (items) => items.map((item) => ({
                id: item.id, impact: item.impact, help: item.help, helpUrl: item.helpUrl,
                nodes: item.nodes.map((node) => ({
                    target: node.target.join(' '), html: node.html.slice(0, 200),
                    summary: node.failureSummary || '',
                })),
            }));
            return {violations: brief(results.violations), incomplete: brief(results.incomplete)};
        }"""
    )


def describe_axe_items(items: list[dict]) -> str:
    lines = []
    for item in items:
        lines.append(f"- {item['id']} ({item['impact']}): {item['help']} <{item['helpUrl']}>")
        for node in item["nodes"][:8]:
            lines.append(f"    {node['target']}: {node['html']}")
            if node["summary"]:
                lines.append("      " + node["summary"].replace("\n", "\n      "))
    return "\n".join(lines)


# --------------------------------------------------------------------------- layout measurements


def horizontal_overflow(page) -> dict:
    return page.evaluate(
        """() => ({scrollWidth: document.documentElement.scrollWidth,
                   clientWidth: document.documentElement.clientWidth})"""
    )


def small_text(page, min_px: float = 16) -> list[str]:
    """Visible paragraphs and list items in main whose computed font size is below min_px."""
    return page.evaluate(
        """(minPx) => [...document.querySelectorAll('main p, main li')]
            .filter((el) => el.getClientRects().length && el.textContent.trim())
            .map((el) => [el, parseFloat(getComputedStyle(el).fontSize)])
            .filter(([, size]) => size < minPx)
            .map(([el, size]) => `${el.tagName.toLowerCase()} ${size}px: `
                                 + el.textContent.trim().slice(0, 60))""",
        min_px,
    )


def small_targets(page, min_px: float = 24) -> list[str]:
    """Visible links, buttons and inputs in header, nav and main smaller than min_px square.

    Links inside a sentence of running text (a <p>) are exempt (WCAG 2.5.8, "inline"), and so is a
    shape of a drawing (an <svg>) whose address a target of full size on the page opens too (WCAG
    2.5.8, "equivalent": the map's countries and dots, each repeated in its table).
    """
    return page.evaluate(
        """(minPx) => {
            const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
            const scopes = document.querySelectorAll('header, nav, main');
            const targets = new Set();
            scopes.forEach((scope) => scope.querySelectorAll(selector).forEach((el) => targets.add(el)));
            const problems = [];
            const small = (rect) => rect.width < minPx || rect.height < minPx;
            const address = (el) => new URL(el.getAttribute('href'), document.baseURI).href;
            const fullSize = new Set([...targets].filter((el) => !el.closest('svg') && el.hasAttribute('href')
                && !small(el.getBoundingClientRect())).map(address));
            for (const el of targets) {
                if (el.tagName === 'A' && el.closest('p')) continue;  // inline link in running text
                if (el.closest('svg') && el.hasAttribute('href') && fullSize.has(address(el))) continue;
                const style = getComputedStyle(el);
                if (style.visibility === 'hidden' || style.display === 'none') continue;
                const rect = el.getBoundingClientRect();
                if (!rect.width && !rect.height) continue;
                if (small(rect)) {
                    const label = (el.textContent || el.getAttribute('aria-label') || el.name || '').trim();
                    problems.push(`${el.tagName.toLowerCase()} "${label.slice(0, 40)}" `
                                  + `${rect.width.toFixed(1)}x${rect.height.toFixed(1)}`);
                }
            }
            return problems;
        }""",
        min_px,
    )


def in_viewport(locator) -> bool:
    """The element's box lies inside the viewport without scrolling or zooming."""
    box = locator.bounding_box()
    viewport = locator.page.viewport_size
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= viewport["width"]
        and box["y"] + box["height"] <= viewport["height"]
    )


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


# --------------------------------------------------------------------------- keyboard focus

FOCUS_STYLE_JS = """(el) => {
    const s = getComputedStyle(el);
    return {outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
            outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth),
            boxShadow: s.boxShadow};
}"""


def remember_unfocused_styles(page) -> None:
    """Record every focusable element's outline and box-shadow while nothing is focused."""
    page.evaluate(
        """() => {
            const focusable = 'a[href], button, input, select, textarea, [tabindex]';
            for (const el of document.querySelectorAll(focusable)) {
                const s = getComputedStyle(el);
                el.__unfocused = {outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
                                  boxShadow: s.boxShadow};
            }
        }"""
    )


def focused_element(page) -> dict:
    """What has the focus now, with its focused style compared to its recorded unfocused style."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || el === document.body) return {tag: 'body', text: '', indicator: false, changed: false};
            const s = getComputedStyle(el);
            const before = el.__unfocused || {outline: 'none 0px', boxShadow: 'none'};
            const outline = `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`;
            const visibleOutline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1
                && !/rgba\\(.*, 0\\)$/.test(s.outlineColor);
            const visibleShadow = s.boxShadow !== 'none';
            return {
                tag: el.tagName.toLowerCase(), id: el.id, href: el.getAttribute('href') || '',
                text: (el.textContent || el.value || '').trim().slice(0, 80),
                className: typeof el.className === 'string' ? el.className : '',
                outline, boxShadow: s.boxShadow, before,
                indicator: visibleOutline || visibleShadow,
                changed: outline !== before.outline || s.boxShadow !== before.boxShadow,
            };
        }"""
    )


def assert_focus_visible(info: dict) -> None:
    assert info["indicator"] and info["changed"], (
        f"focused {info['tag']} '{info['text']}' shows no focus indicator: "
        f"focused outline={info.get('outline')!r} box-shadow={info.get('boxShadow')!r}, "
        f"unfocused {info.get('before')!r}"
    )


def tab_to(page, matches, *, key: str = "Tab", limit: int = 60) -> dict:
    """Press Tab (or Shift+Tab) until `matches(info)` is true, checking every stop's focus indicator."""
    for _ in range(limit):
        page.keyboard.press(key)
        info = focused_element(page)
        if info["tag"] != "body":
            assert_focus_visible(info)
        if matches(info):
            return info
    raise AssertionError(f"no focusable element matched after {limit} presses of {key}")


# --------------------------------------------------------------------------- the admin and manage.py


def manage_py(env: dict, *args: str) -> str:
    """Run `manage.py` against the e2e database (env from the e2e_data fixture); return its stdout."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def admin_log_in(page, username: str, password: str) -> None:
    """Log `page`'s context in to the admin through its login form."""
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


class Say:
    """What the interface says in one language, from the catalogue the site itself translates with."""

    def __init__(self, language: str):
        self.language = language

    def __call__(self, text: str, context: str = "", **values) -> str:
        with translation.override(self.language):
            said = translation.pgettext(context, text) if context else translation.gettext(text)
        return said % values if values else said

    def name(self, text: str, context: str = "", **values) -> str:
        """An accessible name: the words without their markup (`Next<span …> page</span>`)."""
        return re.sub(r"<[^>]+>", "", self(text, context, **values))

    def pattern(self, text: str, context: str = "", **values) -> re.Pattern:
        """A message as a regular expression: the blanks given in `values` filled in, the others
        (`{obj}`, `%(name)s`) matching anything, any run of spaces matching any other."""
        pieces = re.split(r"(\{\w*\}|%\(\w+\)s|%s)", self(text, context))
        regex = []
        for piece in pieces:
            blank = re.fullmatch(r"\{(\w*)\}|%\((\w+)\)s|%s", piece)
            if blank:
                name = blank.group(1) or blank.group(2)
                regex.append(re.escape(str(values[name])) if name in values else ".+?")
            else:
                regex.append(r"\s+".join(re.escape(chunk) for chunk in re.split(r"\s+", piece)))
        return re.compile("".join(regex))

    def plural(self, singular: str, plural: str, count: int, /, **values) -> str:
        with translation.override(self.language):
            return translation.ngettext(singular, plural, count) % values

    def date(self, value, format_string: str) -> str:
        """A date as the templates write it (`|date:"j F Y"`) in this language."""
        with translation.override(self.language):
            return formats.date_format(value, format_string)


def shown_total(page) -> int:
    """The total of a result count in either language ("1,234 articles found", "1 234 articles trouvés")."""
    text = page.locator(".result-count").inner_text()
    match = re.match(r"(\d[\d,\s\u202f\u00a0.]*) ", text)
    assert match, f"no total in {text!r}"
    return int(re.sub(r"\D", "", match.group(1)))


def whole_number(text: str) -> int:
    """A count as a page writes it, in either language (1,234 or 1 234)."""
    return int(re.sub(r"\D", "", text))
