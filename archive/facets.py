"""Counting selectors: how many published articles sit under each node of a tree."""

from __future__ import annotations

from django.db import connection
from django.db.models import Count
from django.db.models.functions import TruncMonth

from archive.models import Article


def subtree_article_counts(model) -> dict[int, int]:
    """Distinct published articles tagged with each node or any node inside it (Africa ≥ Mali ≥ Kati)."""
    node_table = model._meta.db_table
    field = "places" if model._meta.model_name == "place" else "topics"
    through = Article._meta.get_field(field).remote_field.through._meta
    link_column = through.get_field(model._meta.model_name).column
    sql = f"""
        WITH RECURSIVE closure(ancestor_id, descendant_id) AS (
            SELECT id, id FROM {node_table}
            UNION ALL
            SELECT closure.ancestor_id, child.id
            FROM closure JOIN {node_table} child ON child.parent_id = closure.descendant_id
        )
        SELECT closure.ancestor_id, COUNT(DISTINCT link.article_id)
        FROM closure
        JOIN {through.db_table} link ON link.{link_column} = closure.descendant_id
        JOIN {Article._meta.db_table} article ON article.id = link.article_id AND article.status = %s
        GROUP BY closure.ancestor_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [Article.Status.PUBLISHED])
        return dict(cursor.fetchall())


def build_tree(nodes, counts: dict[int, int], *, include_empty: bool) -> list:
    """Nest nodes under their parents, attaching `article_count`; empty branches only if asked."""
    children: dict[int | None, list] = {}
    for node in nodes:
        node.article_count = counts.get(node.pk, 0)
        if include_empty or node.article_count:
            children.setdefault(node.parent_id, []).append(node)
    for node in nodes:
        node.child_nodes = children.get(node.pk, [])
    known = {node.pk for node in nodes if include_empty or node.article_count}
    roots = [node for parent_id, group in children.items() if parent_id not in known for node in group]
    return sorted(roots, key=lambda node: node.name)


FACET_LIMIT = 12


def _tree_facet(matches, *, field: str, closure, node_model, kinds, limit: int) -> list[dict]:
    """Per node, rolled up over its subtree: matches inside it = what adding it as a filter returns."""
    through = Article._meta.get_field(field).remote_field.through._meta
    column = f"{field[:-1]}_id"
    ids_sql, ids_params = matches.order_by().values("id").query.sql_with_params()
    kind_clause = "AND node.kind = ANY(%s)" if kinds else ""
    # The matches are computed once (MATERIALIZED), whatever the planner's row estimates say.
    sql = f"""
        WITH matched AS MATERIALIZED ({ids_sql})
        SELECT node.id, node.slug, node.name, COUNT(DISTINCT link.article_id) AS n
        FROM matched
        JOIN {through.db_table} link ON link.article_id = matched.id
        JOIN {closure._meta.db_table} c ON c.descendant_id = link.{column}
        JOIN {node_model._meta.db_table} node ON node.id = c.ancestor_id {kind_clause}
        GROUP BY node.id, node.slug, node.name
        ORDER BY n DESC, node.name
        LIMIT %s
    """
    params = list(ids_params) + ([list(kinds)] if kinds else []) + [limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [{"value": slug, "label": name, "count": n} for _, slug, name, n in cursor.fetchall()]


def _month_facet(matches) -> tuple[list[dict], list[dict]]:
    rows = (
        matches.order_by()
        .annotate(month=TruncMonth("published_on"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    months = [
        {"value": row["month"].strftime("%Y-%m"), "label": row["month"].strftime("%B %Y"), "count": row["n"]}
        for row in rows
    ]
    years: dict[str, int] = {}
    for month in months:
        years[month["value"][:4]] = years.get(month["value"][:4], 0) + month["count"]
    return [{"value": y, "label": y, "count": n} for y, n in years.items()], months


def _source_facet(matches) -> list[dict]:
    rows = (
        matches.order_by()
        .exclude(source=None)
        .values("source__slug", "source__name")
        .annotate(n=Count("id"))
        .order_by("-n", "source__name")
    )
    return [
        {"value": r["source__slug"], "label": r["source__name"], "count": r["n"]} for r in rows[:FACET_LIMIT]
    ]


def search_facets(matches, *, limit: int = FACET_LIMIT) -> dict[str, list[dict]]:
    """Exact drill-down counts of the current matches: years, months, places, topics, people, sources…"""
    from archive.models import Place, PlaceClosure, Topic, TopicClosure

    if matches.query.is_empty():
        return {name: [] for name in ("year", "month", "place", "topic", "person", "organisation", "source")}

    years, months = _month_facet(matches)
    tree = {"limit": limit}
    return {
        "year": years,
        "month": months,
        "place": _tree_facet(
            matches, field="places", closure=PlaceClosure, node_model=Place, kinds=None, **tree
        ),
        "topic": _tree_facet(
            matches,
            field="topics",
            closure=TopicClosure,
            node_model=Topic,
            kinds=[Topic.Kind.SUBJECT, Topic.Kind.OTHER],
            **tree,
        ),
        "person": _tree_facet(
            matches, field="topics", closure=TopicClosure, node_model=Topic, kinds=[Topic.Kind.PERSON], **tree
        ),
        "organisation": _tree_facet(
            matches,
            field="topics",
            closure=TopicClosure,
            node_model=Topic,
            kinds=[Topic.Kind.ORGANISATION],
            **tree,
        ),
        "source": _source_facet(matches),
    }
