"""A page's marks: the hand-written statement marks exactly what SearchHeadline would, in each language."""

from __future__ import annotations

import pytest
from django.db.models import Value
from django.db.models.functions import Concat, Left

from archive.models import Article
from archive.search import highlight, textsearch
from archive.search.compiler import compile_query
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def marked_by_the_orm(article: Article, query_text: str) -> tuple[str, str]:
    query, config = compile_query(query_text).highlight_query(article.language)
    row = (
        Article.objects.filter(pk=article.pk)
        .annotate(
            h=textsearch.headline("headline", query, whole=True, config=config),
            s=textsearch.headline(
                Concat("summary", Value("\n"), Left("body", highlight.SNIPPET_SOURCE_CHARS)),
                query,
                config=config,
            ),
        )
        .values("h", "s")
        .get()
    )
    return str(textsearch.render_marked(row["h"])), str(textsearch.render_marked(row["s"]))


def test_a_page_in_two_languages_is_marked_as_searchheadline_marks_each_article():
    english = make_article(
        "Elections in <Mali> postponed", body="The OIL/GAS talks and the elections were postponed. " * 20
    )
    french = make_article(
        "Les élections au Mali reportées",
        body="Les élections régionales sont reportées. " * 20,
        language="fr",
    )
    for query in ("elections", "élection OR oil", '"elections were"'):
        page = highlight.with_highlights(
            list(Article.objects.filter(pk__in=[english.pk, french.pk])), compile_query(query)
        )
        for article in page:
            assert (str(article.headline_html), str(article.snippet_html)) == marked_by_the_orm(
                article, query
            ), query
    assert "<mark>élections</mark>" in str(page[0].headline_html + page[1].headline_html)
    assert "&lt;Mali&gt;" in str(next(a for a in page if a.pk == english.pk).headline_html)
