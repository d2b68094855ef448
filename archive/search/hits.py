"""Every hit of a search marked in an article's text, numbered for next / previous links."""

from __future__ import annotations

import re

from django.template.defaultfilters import linebreaks_filter
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from archive.models import Article
from archive.search import textsearch
from archive.search.compiler import compile_query

MARK = re.compile(r"<mark>(.*?)</mark>", re.DOTALL)
# A 1 MB body can hold 50,000 hits: marking them all sent a 41.6 MB page. The others are a link away.
MARKS_PER_PAGE = 1000


class HitPageError(ValueError):
    """The `hits` parameter (which thousand hits to mark) is not a page number."""


def hit_page(raw: str) -> int:
    """The page of hits asked for: 1 when absent, HitPageError when not a whole number from 1."""
    if not raw:
        return 1
    if not raw.isdecimal() or int(raw) < 1:
        raise HitPageError(_("hits must be a whole number from 1 (which thousand hits to mark)"))
    return int(raw)


def page_of(hit: int) -> int:
    return (hit - 1) // MARKS_PER_PAGE + 1


def _numbered(html: str, start: int, page: int) -> tuple[str, int]:
    """Every hit numbered; the page's hits keep their <mark id="hit-N">, the others become plain text."""
    count = start

    def number(match: re.Match) -> str:
        nonlocal count
        count += 1
        return f'<mark id="hit-{count}">{match.group(1)}</mark>' if page_of(count) == page else match.group(1)

    return MARK.sub(number, html), count


def _highlighted(article: Article, query, config: str) -> list[str]:
    """Headline, summary and body with every hit between <mark> and </mark>, escaped first."""
    row = (
        Article.objects.filter(pk=article.pk)
        .annotate(
            h=textsearch.headline("headline", query, whole=True, config=config),
            s=textsearch.headline("summary", query, whole=True, config=config),
            b=textsearch.headline("body", query, whole=True, config=config),
        )
        .values("h", "s", "b")
        .first()
    )
    return [
        textsearch.render_marked(row["h"]),
        textsearch.render_marked(row["s"]),
        linebreaks_filter(textsearch.render_marked(row["b"])),
    ]


def marked_article(
    article: Article, text: str, *, exact: bool = False, page: int = 1, page_href=None
) -> dict | None:
    """Headline, summary and body with the page's hits (MARKS_PER_PAGE of them) marked and numbered.

    None when `text` searches nothing. `page_href(n)` is the address of the page marking hits page n;
    a page past the last one is the last one.
    """
    compiled = compile_query(text, exact_mode=exact)
    if compiled.is_empty:
        return None
    fields = _highlighted(article, *compiled.highlight_query(article.language))
    total = sum(len(MARK.findall(html)) for html in fields)
    page = min(page, page_of(total)) if total else 1
    numbered, hits = [], 0
    for html in fields:
        html, hits = _numbered(html, hits, page)
        numbered.append(html)
    steps = _Steps(total, page, page_href or (lambda n: f"?hits={n}"))
    headline, summary, body = numbered[0], steps.added(numbered[1]), steps.added(numbered[2])
    shown = range((page - 1) * MARKS_PER_PAGE + 1, min(page * MARKS_PER_PAGE, total) + 1)
    return {
        "headline": mark_safe(headline),
        "summary": mark_safe(summary),
        "body": mark_safe(body),
        "hits": list(shown),
        "total": total,
        "paged": total > MARKS_PER_PAGE,
        "previous_href": steps.href(shown.start - 1) if page > 1 else "",
        "next_href": steps.href(shown.stop) if shown.stop <= total else "",
        "understood": compiled.understood,
    }


NUMBERED = re.compile(r'(<mark id="hit-(\d+)">.*?</mark>)', re.DOTALL)


class _Steps:
    """Links after each marked hit to the previous and the next one, on another page of hits if need be."""

    def __init__(self, total: int, page: int, page_href):
        self.total, self.page, self.page_href = total, page, page_href

    def href(self, hit: int) -> str:
        on_page = page_of(hit) == self.page
        return f"#hit-{hit}" if on_page else f"{self.page_href(page_of(hit))}#hit-{hit}"

    def added(self, html: str) -> str:
        previous_text, next_text = escape(_("previous hit")), escape(_("next hit"))

        def steps(match: re.Match) -> str:
            n = int(match.group(2))
            links = []
            if n > 1:
                links.append(f'<a class="hit-step" href="{escape(self.href(n - 1))}">{previous_text}</a>')
            if n < self.total:
                links.append(f'<a class="hit-step" href="{escape(self.href(n + 1))}">{next_text}</a>')
            return match.group(1) + (
                f' <span class="hit-steps">({" · ".join(links)})</span>' if links else ""
            )

        return NUMBERED.sub(steps, html)
