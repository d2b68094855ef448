"""How each tag of an article came: `editor`, `import` or `found` (with its evidence), kept on the link
rows themselves (migration 0037). Django writes links as `editor` (the column's default); the machines
that add links say what they are: imports with COPY rows or `mark_links`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

EDITOR, IMPORT, FOUND = "editor", "import", "found"
PROVENANCES = (EDITOR, IMPORT, FOUND)
LINK_TABLES = {
    "places": ("archive_article_places", "place_id"),
    "topics": ("archive_article_topics", "topic_id"),
}

ARTICLE_TAGS = """
SELECT node.slug, 'place' AS kind, node.name, link.provenance, link.evidence
FROM archive_article_places link JOIN archive_place node ON node.id = link.place_id
WHERE link.article_id = %(article)s
UNION ALL
SELECT node.slug, CASE WHEN node.kind IN ('person', 'organisation') THEN node.kind ELSE 'topic' END,
       node.name, link.provenance, link.evidence
FROM archive_article_topics link JOIN archive_topic node ON node.id = link.topic_id
WHERE link.article_id = %(article)s
ORDER BY 2, 3, 1
"""


def mark_links(name: str, links: Iterable[tuple[int, int]], provenance: str) -> None:
    """Set the provenance of these (article id, node id) links of `name` ("places" or "topics")."""
    if provenance not in PROVENANCES:
        raise ValueError(f"unknown provenance {provenance!r}")
    pairs = list(links)
    if not pairs:
        return
    table, column = LINK_TABLES[name]
    articles, nodes = zip(*pairs, strict=True)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} link SET provenance = %s, evidence = NULL "
            f"FROM unnest(%s::bigint[], %s::bigint[]) pair(article_id, node_id) "
            f"WHERE link.article_id = pair.article_id AND link.{column} = pair.node_id "
            "AND link.provenance IS DISTINCT FROM %s",
            [provenance, list(articles), list(nodes), provenance],
        )


def article_tags(article_id: int) -> list[dict]:
    """The article's places and topics: slug, kind (place, person, organisation or topic), name,
    provenance and, for a found tag, its evidence."""
    with connection.cursor() as cursor:
        cursor.execute(ARTICLE_TAGS, {"article": article_id})
        rows = cursor.fetchall()
    return [
        {"slug": slug, "kind": kind, "name": name, "provenance": provenance, "evidence": evidence}
        for slug, kind, name, provenance, evidence in rows
    ]
