"""Every hit of a search marked in an article's text, numbered for next / previous links."""

from __future__ import annotations

import re

from django.template.defaultfilters import linebreaks_filter
from django.utils.safestring import mark_safe

from archive import search
from archive.models import Article
from archive.query_compiler import compile_query

MARK = re.compile(r"<mark>(.*?)</mark>", re.DOTALL)


def _numbered(html: str, start: int) -> tuple[str, int]:
    count = start

    def number(match: re.Match) -> str:
        nonlocal count
        count += 1
        return f'<mark id="hit-{count}">{match.group(1)}</mark>'

    return MARK.sub(number, html), count


def marked_article(article: Article, text: str, *, exact: bool = False) -> dict | None:
    """Headline, summary and body with every hit marked and numbered; None when `text` searches nothing."""
    compiled = compile_query(text, exact_mode=exact)
    if compiled.is_empty:
        return None
    query, config = compiled.highlight_query()
    row = (
        Article.objects.filter(pk=article.pk)
        .annotate(
            h=search.headline("headline", query, whole=True, config=config),
            s=search.headline("summary", query, whole=True, config=config),
            b=search.headline("body", query, whole=True, config=config),
        )
        .values("h", "s", "b")
        .first()
    )
    headline, hits = _numbered(search.render_marked(row["h"]), 0)
    summary, hits = _numbered(search.render_marked(row["s"]), hits)
    body, hits = _numbered(linebreaks_filter(search.render_marked(row["b"])), hits)
    summary, body = (_with_steps(html, hits) for html in (summary, body))
    return {
        "headline": mark_safe(headline),
        "summary": mark_safe(summary),
        "body": mark_safe(body),
        "hits": list(range(1, hits + 1)),
        "understood": compiled.understood,
    }


NUMBERED = re.compile(r'(<mark id="hit-(\d+)">.*?</mark>)', re.DOTALL)


def _with_steps(html: str, total: int) -> str:
    """After each hit in running text, links to the previous and the next one."""

    def steps(match: re.Match) -> str:
        n = int(match.group(2))
        links = []
        if n > 1:
            links.append(f'<a class="hit-step" href="#hit-{n - 1}">previous hit</a>')
        if n < total:
            links.append(f'<a class="hit-step" href="#hit-{n + 1}">next hit</a>')
        return match.group(1) + (f' <span class="hit-steps">({" · ".join(links)})</span>' if links else "")

    return NUMBERED.sub(steps, html)
