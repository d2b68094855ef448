"""Citation downloads for one published article."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.exports import citations
from archive.models import Article


def cited_article(request, article: Article) -> citations.CitedArticle:
    """The article's citation facts, with its absolute permalink and today's date as the accessed date."""
    return citations.CitedArticle.of(
        article,
        permalink=request.build_absolute_uri(article.get_absolute_url()),
        accessed=timezone.now().date(),
    )


def article_citation(request, pk: int):
    """/api/articles/<id>/cite/?style=ris|bibtex|csl-json, as a file download."""
    style = request.GET.get("style", "")
    if style not in citations.STYLES:
        message = _("style must be one of: %(choices)s") % {"choices": ", ".join(citations.STYLES)}
        return JsonResponse({"error": message}, status=400)
    article = Article.objects.published().select_related("source").filter(pk=pk).first()
    if article is None:
        return JsonResponse({"error": _("no such article")}, status=404)
    cited = cited_article(request, article)
    content_type, extension = citations.STYLES[style]
    response = HttpResponse(citations.formatted(style, [cited]), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{cited.key}.{extension}"'
    return response
