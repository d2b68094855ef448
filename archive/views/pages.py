"""Home and article pages, the health check and the OpenSearch description (the search page: search.py)."""

from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from archive import selectors
from archive.derived.stories import reading
from archive.exports import citations
from archive.middleware import error_response
from archive.models import Article, Place, Source, Topic
from archive.replicas import health as replica_health
from archive.search import hits, textsearch
from archive.views import citing
from archive.views.querystrings import with_params
from archive.views.sites import site_of


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


def article_detail(request, pk: int, slug: str = ""):
    """The permalink; a wrong or missing slug redirects permanently to the right one."""
    article = selectors.article_for_viewer(pk=pk, user=request.user)
    if article is None:
        raise Http404(_("No such article."))
    if slug != article.slug:
        target = article.get_absolute_url()
        return redirect(f"{target}?{request.GET.urlencode()}" if request.GET else target, permanent=True)
    text = textsearch.clean_query_text(request.GET.get("q", ""))
    try:
        marked = _marked(request, article, text) if text else None
    except hits.HitPageError as error:
        return error_response(request, str(error), 400)
    context = {
        "article": article,
        "marked": marked,
        "q": text,
        "back": request.GET.get("back", ""),
        "citation": citations.chicago_note(citing.cited_article(request, article))
        if article.is_public
        else "",
        "citation_styles": [("ris", "RIS"), ("bibtex", "BibTeX"), ("csl-json", "CSL-JSON")],
        "story": reading.story_of(article) if article.is_public else None,
    }
    context["agency"] = article.agency or (context["story"].agency if context["story"] else "")
    return render(request, "archive/article.html", context)


def _marked(request, article: Article, text: str) -> dict | None:
    """The article with the asked-for page of hits marked (`hits`, a thousand a page)."""

    def page_href(page: int) -> str:
        return f"?{with_params(request.GET, set={'hits': str(page)})}"

    return hits.marked_article(
        article,
        text,
        exact=request.GET.get("exact") in ("1", "true", "on"),
        page=hits.hit_page(request.GET.get("hits", "")),
        page_href=page_href,
    )


def healthz(request):
    """200 when the primary answers, 503 otherwise. `?detail=1` answers JSON with each read replica:
    its alias, whether reads may use it and its lag in seconds (checked at most
    DJANGO_REPLICA_CHECK_S ago); never a host, user or password."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        primary_ok = True
    except Exception:  # any failure to reach the database means unhealthy
        primary_ok = False
    status = 200 if primary_ok else 503
    if request.GET.get("detail") in ("1", "true", "yes", "on"):
        replicas = [state.as_json() for state in replica_health.states()]
        primary = "ok" if primary_ok else "unavailable"
        return JsonResponse({"primary": primary, "replicas": replicas}, status=status)
    if not primary_ok:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def opensearch(request):
    """/opensearch.xml: lets a browser add the archive as a search engine."""
    site = site_of(request)
    return render(
        request,
        "archive/opensearch.xml",
        {"site": site},
        content_type="application/opensearchdescription+xml",
    )
