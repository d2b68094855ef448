"""Places, topics and sources: trees with counts, and a page for each node."""

from urllib.parse import urlencode

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from archive import selectors
from archive.analysis import mentions
from archive.models import Place, Topic
from archive.search import facets, timeline
from archive.views import timeline_chart
from archive.views.paging import paginate


def _node_or_redirect(model, slug: str):
    """The node with this slug; an alias answers a temporary (302) redirect: a merge can be undone."""
    node = model.objects.filter(slug=slug).select_related("parent").first()
    if node is not None:
        return node, None
    alias_match = model.objects.matching(slug).first()
    if alias_match is None:
        message = _("No place called %(slug)s.") if model is Place else _("No topic called %(slug)s.")
        raise Http404(message % {"slug": repr(slug)})
    return None, redirect(alias_match.get_absolute_url(), permanent=False)


def _mentioned_links(node, groups: list[dict]) -> list[dict]:
    """Each value mentioned with the node, with the search its click opens (both filters)."""
    name, slug = mentions.node_filter(node)
    number = timeline.whole_number_format()
    search_url = reverse("archive:search")
    return [
        {
            **group,
            "values": [
                {
                    **entry,
                    "url": f"{search_url}?{urlencode([(name, slug), (group['name'], entry['value'])])}",
                    "count_text": number(entry["count"]),
                }
                for entry in group["values"]
            ],
        }
        for group in groups
    ]


def _node_detail(request, model, slug: str, template: str):
    node, redirection = _node_or_redirect(model, slug)
    if redirection:
        return redirection
    counts = facets.subtree_article_counts(model)
    children = list(node.children.order_by("name"))
    for child in children:
        child.article_count = counts.get(child.pk, 0)
    articles = selectors.public_articles().within(node)
    mentioned = mentions.mentions(node, request.GET)
    context = {
        "node": node,
        "ancestors": node.ancestors(),
        "children": [child for child in children if child.article_count],
        "page": paginate(request, articles.newest_first()),
        "mentioned": _mentioned_links(node, mentioned.groups),
        "search_query": urlencode([mentions.node_filter(node)]),
    }
    try:
        context["timeline"] = timeline_chart.timeline_context(mentioned.params, mentioned.outcome)
    except (timeline_chart.AnalysisError, timeline.IntervalError) as error:
        context["errors"] = [str(error)]
        return render(request, template, context, status=400)
    return render(request, template, context)


def place_list(request):
    """The gazetteer as a tree, with article counts rolled up from the places inside each."""
    show_all = request.GET.get("all") == "1"
    counts = facets.subtree_article_counts(Place)
    # "Every place" lists the gazetteer down to regions; its 34,000 cities only where articles are.
    counted = Q(pk__in=[pk for pk, count in counts.items() if count])
    shown = counted | ~Q(kind=Place.Kind.CITY) if show_all else counted
    nodes = list(Place.objects.filter(shown).order_by("name"))
    tree = facets.build_tree(nodes, counts, include_empty=show_all)
    return render(request, "archive/place_list.html", {"tree": tree, "show_all": show_all})


def place_detail(request, slug: str):
    """Articles tagged with the place or any place inside it."""
    return _node_detail(request, Place, slug, "archive/place_detail.html")


def topic_list(request):
    """Topics grouped by kind, each kind as a tree with counts."""
    show_all = request.GET.get("all") == "1"
    counts = facets.subtree_article_counts(Topic)
    groups = []
    for kind, label in Topic.Kind.choices:
        nodes = list(Topic.objects.filter(kind=kind).order_by("name"))
        tree = facets.build_tree(nodes, counts, include_empty=show_all)
        if tree:
            groups.append({"kind": kind, "label": label, "tree": tree})
    return render(request, "archive/topic_list.html", {"groups": groups, "show_all": show_all})


def topic_detail(request, slug: str):
    """Articles tagged with the topic or any topic inside it."""
    return _node_detail(request, Topic, slug, "archive/topic_detail.html")


def source_list(request):
    """Sources with their date spans and counts."""
    return render(request, "archive/source_list.html", {"sources": selectors.sources_with_spans()})


def source_detail(request, slug: str):
    """One source's span and its articles."""
    source = get_object_or_404(selectors.sources_with_spans(), slug=slug)
    page = paginate(request, selectors.public_articles().filter(source=source).newest_first())
    return render(request, "archive/source_detail.html", {"source": source, "page": page})
