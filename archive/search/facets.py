"""Facet and tree counts: the drill-down facets of a search, and the articles under each node of a tree."""

from __future__ import annotations

import datetime as dt

from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from archive import text_config
from archive.models import Article
from archive.replicas import read_connection
from archive.search.match_summary import MatchSummary
from archive.search.timeline import per_period


def subtree_article_counts(model) -> dict[int, int]:
    """Published articles tagged with each node or any node inside it (Africa ≥ Mali ≥ Kati).

    Each article's rolled-up ids hold every node it sits in, ancestors included, each once (kept by
    triggers), so one count per id is the count of distinct articles under that node.
    """
    rollup = "rollup_place_ids" if model._meta.model_name == "place" else "rollup_topic_ids"
    sql = f"""
        SELECT node, count(*) FROM {Article._meta.db_table} article, unnest(article.{rollup}) AS node
        WHERE article.status = %s GROUP BY node
    """
    with read_connection().cursor() as cursor:
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


def language_label(code: str) -> str:
    """A language's name in the interface language (Django's names), else its code."""
    if code == "und":
        return _("Undetermined")
    return text_config.language_name(code) or code


def _story_periods(periods: dict[str, int]) -> tuple[list[dict], list[dict]]:
    """Years and months under collapse=story: the stories with a matching copy in each."""
    names = {number: str(name) for number, name in MONTHS.items()}
    years = [{"value": p, "label": p, "count": n} for p, n in sorted(periods.items()) if len(p) == 4]
    months = [
        {"value": p, "label": f"{names[int(p[5:])]} {p[:4]}", "count": n}
        for p, n in sorted(periods.items())
        if len(p) == 7
    ]
    return years, months


def search_facets(summary: MatchSummary) -> dict[str, list[dict]]:
    """Exact drill-down counts of the current matches: years, months, places, topics, people, sources,
    languages."""
    if summary.periods is not None:
        years, months = _story_periods(summary.periods)
    else:
        years, months = _month_facets(summary.days)
    trees = dict(summary.trees)
    languages = trees.get("language", [])
    trees["language"] = [{**entry, "label": language_label(entry["value"])} for entry in languages]
    return {"year": years, "month": months, **trees}
