"""Counting selectors: how many published articles sit under each node of a tree."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils.dates import MONTHS

from archive.match_summary import MatchSummary
from archive.models import Article
from archive.timeline import per_period


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


def _month_facets(days: dict[dt.date, int]) -> tuple[list[dict], list[dict]]:
    """Years and months of the matches, from their counts per day."""
    per_month = per_period(days, "month")
    # Decades of months: each lazy month name translated once per call (a lazy string formatted
    # into a label runs gettext every time), and no strftime.
    names = {number: str(name) for number, name in MONTHS.items()}
    months, years = [], {}
    for m in sorted(per_month):
        count = per_month[m]
        months.append(
            {"value": f"{m.year:04d}-{m.month:02d}", "label": f"{names[m.month]} {m.year}", "count": count}
        )
        years[m.year] = years.get(m.year, 0) + count
    return [{"value": f"{y:04d}", "label": f"{y:04d}", "count": n} for y, n in years.items()], months


def search_facets(summary: MatchSummary) -> dict[str, list[dict]]:
    """Exact drill-down counts of the current matches: years, months, places, topics, people, sources…"""
    years, months = _month_facets(summary.days)
    return {"year": years, "month": months, **summary.trees}
