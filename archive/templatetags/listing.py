"""The hot loops of list pages rendered in Python: a page of articles, a facet's values.

The template language costs about 0.4 ms per article item (ten variable lookups and filters); a
search page lists 20 articles and up to 80 facet values, which made its template the largest part
of the page's own time. The markup is the same as a template would write, every value escaped.
"""

from __future__ import annotations

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


def _hit_suffix(q: str, back: str) -> str:
    """?q=…&back=… on a result's link, so the article highlights the hits and links back."""
    if not q:
        return ""
    return "?" + urlencode([("q", q), *([("back", back)] if back else [])])


def _meta(article) -> SafeString:
    day = article.published_on
    shown = f"{day.day} {MONTHS[day.month]} {day.year}"  # as the date filter's "j F Y", faster
    parts = [format_html('<time datetime="{}">{}</time>', day.isoformat(), shown)]
    if article.source_id:
        parts.append(format_html("· {}", article.source.name))
    if article.agency:
        parts.append(format_html("· {}", article.agency))
    return mark_safe("\n      ".join(parts))


def _snippet(article) -> SafeString:
    if article.snippet_html:
        return format_html('<p class="snippet">{}</p>', article.snippet_html)
    if article.summary:
        return format_html('<p class="snippet">{}</p>', Truncator(article.summary).words(40))
    return mark_safe("")


def _other_copies(article) -> SafeString:
    """Under collapse=story: "and N other copies", linking to every matching copy of the story."""
    count = getattr(article, "other_copies", 0)
    if not count:
        return mark_safe("")
    text = ngettext("and %(count)s other copy", "and %(count)s other copies", count) % {
        "count": intcomma(count)
    }
    return format_html('\n    <p class="other-copies"><a href="?{}">{}</a></p>', article.copies_query, text)


def _item(article, suffix: str, collect: dict | None) -> SafeString:
    return format_html(
        '<li class="article-item">\n    <h3 class="article-item-title"><a href="{}{}">{}</a></h3>\n'
        '    <p class="article-meta">\n      {}\n    </p>\n    {}{}{}\n  </li>',
        article.get_absolute_url(),
        suffix,
        article.headline_html or article.headline,
        _meta(article),
        _snippet(article),
        _other_copies(article),
        _collect_form(article, collect) if collect else "",
    )


def _collect_form(article, collect: dict) -> SafeString:
    """A logged-in researcher's "Add to a collection" form for one result (no JavaScript needed)."""
    options = format_html_join(
        "", '<option value="{}">{}</option>', ((c.slug, c.name) for c in collect["collections"])
    )
    ids = {name: f"collect-{article.pk}-{name}" for name in ("collection", "new", "note")}
    return format_html(
        '\n    <details class="collect"><summary>{}<span class="visually-hidden">: {}</span></summary>'
        '<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<input type="hidden" name="article" value="{}"><input type="hidden" name="next" value="{}">'
        '<label for="{}">{}</label><select id="{}" name="collection">{}'
        '<option value="">{}</option></select>'
        '<label for="{}">{}</label><input id="{}" type="text" name="new_name" maxlength="200">'
        '<label for="{}">{}</label>'
        '<textarea id="{}" name="note" rows="2" cols="40" maxlength="2000"></textarea>'
        '<p><button type="submit">{}</button></p></form></details>',
        _("Add to a collection"),
        article.headline,
        reverse("archive:collection-add"),
        collect["csrf"],
        article.pk,
        collect["next"],
        ids["collection"],
        _("Collection"),
        ids["collection"],
        options,
        _("A new collection, named below"),
        ids["new"],
        _("New collection's name"),
        ids["new"],
        ids["note"],
        _("Note"),
        ids["note"],
        _("Add"),
    )


@register.simple_tag
def article_items(page, q: str = "", back: str = "", collect: dict | None = None) -> SafeString:
    """The <ol> of one page of articles: headline (marked when a search highlighted it), date, source;
    with `collect` (templatetags/desk.collect_options), each with an "Add to a collection" form."""
    suffix = _hit_suffix(q, back)
    items = mark_safe("\n  ".join(_item(article, suffix, collect) for article in page.object_list))
    return format_html('<ol class="article-list" start="{}">\n  {}\n</ol>', page.start_index(), items)


@register.simple_tag
def facet_values(values: list[dict]) -> SafeString:
    """One facet's values: a link that adds the filter, and the count that link returns."""
    return format_html_join(
        "",
        '<li><a href="?{}">{}</a> <span class="count">{}</span></li>',
        ((entry["query"], entry["label"], entry["count_text"]) for entry in values),
    )
