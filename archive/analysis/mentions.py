"""What a place, person, organisation or topic is mentioned with: the commonest places, people,
organisations and topics of the articles tagged with it, each counted as its click counts.

The counts are the search `place=<slug>` (or `topic=<slug>`)'s own drill-down facets (search.run), so
each one is exactly what the search with both filters returns. The node itself, the places or topics
it sits in (every article of Kati is in Mali) and those inside it (its page lists them already) are
left out of its own tree's list.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext_lazy

from archive import search
from archive.models import Place
from archive.search.result import SearchResult

MENTIONED = 10  # the commonest of each kind
# The facets listed, in this order, with their titles.
GROUPS = (
    ("person", gettext_lazy("People")),
    ("organisation", gettext_lazy("Organisations")),
    ("place", gettext_lazy("Places")),
    ("topic", gettext_lazy("Topics")),
)


@dataclass(frozen=True)
class Mentions:
    params: QueryDict  # the node's search (its filter, and the chart's parameters kept)
    outcome: SearchResult
    groups: list[dict]  # {"name", "title", "values": facet entries}, the non-empty ones


def node_filter(node) -> tuple[str, str]:
    """The search filter that selects the node's articles (and those of every node inside it)."""
    return ("place" if isinstance(node, Place) else "topic"), node.slug


def _related_slugs(node) -> set[str]:
    """The node, the nodes it sits in and the nodes inside it: not news about it, its own tree."""
    model = type(node)
    inside = model.objects.subtree_ids([node])
    return {node.slug, *(ancestor.slug for ancestor in node.ancestors())} | set(
        model.objects.filter(pk__in=inside).values_list("slug", flat=True)
    )


def mentions(node, chart_params: QueryDict) -> Mentions:
    """The node's search, counted, and the ten commonest of each kind mentioned with it."""
    params = QueryDict(mutable=True)
    name, slug = node_filter(node)
    params[name] = slug
    for chart_param in ("interval", "measure"):
        if chart_params.get(chart_param):
            params[chart_param] = chart_params[chart_param]
    own = _related_slugs(node)
    outcome = search.run(params, facet_limit=MENTIONED + len(own))
    facets = outcome.facets() if not outcome.errors else {}
    own_tree = ("place",) if isinstance(node, Place) else ("person", "organisation", "topic")
    groups = []
    for facet, title in GROUPS:
        values = [e for e in facets.get(facet, []) if facet not in own_tree or e["value"] not in own]
        if values[:MENTIONED]:
            groups.append({"name": facet, "title": title, "values": values[:MENTIONED]})
    return Mentions(params=params, outcome=outcome, groups=groups)
