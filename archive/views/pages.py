"""Home, search and article pages."""

from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from archive import search, selectors
from archive.models import Article, Place, Source, Topic
from archive.views.paging import paginate


def home(request):
    """Search box, latest articles and the ways in."""
    context = {
        "latest": selectors.public_articles().newest_first()[:10],
        "article_total": Article.objects.published().count(),
        "place_total": Place.objects.count(),
        "topic_total": Topic.objects.count(),
        "source_total": Source.objects.count(),
    }
    return render(request, "archive/home.html", context)


def search_results(request):
    """Full-text results ranked by relevance, with highlighted snippets and the exact total."""
    text = search.clean_query_text(request.GET.get("q", ""))
    page = None
    if text:
        page = paginate(request, selectors.article_search(text=text))
        selectors.with_highlights(page.object_list, text=text)
    return render(request, "archive/search.html", {"q": text, "page": page})


def article_detail(request, pk: int, slug: str = ""):
    """The permalink; a wrong or missing slug redirects permanently to the right one."""
    article = selectors.article_for_viewer(pk=pk, user=request.user)
    if article is None:
        raise Http404("No such article.")
    if slug != article.slug:
        return redirect(article.get_absolute_url(), permanent=True)
    return render(request, "archive/article.html", {"article": article})


def healthz(request):
    """200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any failure to reach the database means unhealthy
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
