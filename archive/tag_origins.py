"""How each tag of an article came: `editor`, `import` or `found` (with its evidence), kept on the link
rows themselves (migration 0037). Django writes links as `editor` (the column's default); the machines
that add links say what they are: imports with COPY rows or `mark_links`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db import connection
from psycopg.types.json import Jsonb

from archive.replicas import read_connection

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


def found_ids(name: str, article_id: int) -> set[int]:
    """The nodes of `name` found in the article's text (not given by anyone)."""
    table, column = LINK_TABLES[name]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {table} WHERE article_id = %s AND provenance = %s", [article_id, FOUND]
        )
        return {row[0] for row in cursor.fetchall()}


def replace_given_links(article, name: str, ids: Iterable[int], provenance: str) -> None:
    """Set the tags of `name` that people gave (editor, import) to `ids`, marking the ones added
    `provenance`; the article's found tags stay (an import's or an undo's list never names them)."""
    wanted, found = set(ids), found_ids(name, article.pk)
    given_before = set(getattr(article, name).values_list("pk", flat=True)) - found
    getattr(article, name).set(wanted | found)
    mark_links(name, ((article.pk, node) for node in wanted - given_before), provenance)


def links_of(name: str, article_ids: list[int], node_ids: list[int]) -> list[list]:
    """[article, node, provenance, evidence] of each link between these articles and nodes."""
    table, column = LINK_TABLES[name]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT article_id, {column}, provenance, evidence FROM {table} "
            f"WHERE article_id = ANY(%s) AND {column} = ANY(%s) ORDER BY 1, 2",
            [article_ids, node_ids],
        )
        return [
            [article, node, provenance, _decoded(evidence)] for article, node, provenance, evidence in cursor
        ]


def restore_links(name: str, rows: Iterable[list]) -> None:
    """Give existing links back the provenance and evidence of these [article, node, provenance,
    evidence] rows (an undone merge's)."""
    rows = list(rows)
    if not rows:
        return
    table, column = LINK_TABLES[name]
    articles, nodes, provenances, evidence = zip(*rows, strict=True)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} link SET provenance = given.provenance, evidence = given.evidence "
            "FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::jsonb[]) "
            "AS given(article_id, node_id, provenance, evidence) "
            f"WHERE link.article_id = given.article_id AND link.{column} = given.node_id",
            [
                list(articles),
                list(nodes),
                list(provenances),
                [None if e is None else Jsonb(e) for e in evidence],
            ],
        )


def snapshot(article_id: int) -> dict[str, list[list]]:
    """Every tag of the article as [node, provenance, evidence], by link table name."""
    found: dict[str, list[list]] = {}
    with connection.cursor() as cursor:
        for name, (table, column) in LINK_TABLES.items():
            cursor.execute(
                f"SELECT {column}, provenance, evidence FROM {table} WHERE article_id = %s ORDER BY 1",
                [article_id],
            )
            found[name] = [[node, provenance, _decoded(evidence)] for node, provenance, evidence in cursor]
    return found


def restore_snapshot(article_id: int, links: dict[str, list[list]]) -> None:
    """Give the article's tags that are in `links` (a `snapshot`) their provenance and evidence back."""
    for name, rows in links.items():
        restore_links(name, ([article_id, node, provenance, evidence] for node, provenance, evidence in rows))


def strongest(provenances: Iterable[str]) -> str:
    """The provenance a tag keeps when several links become one: an editor's over an import's over
    one found in the text."""
    given = set(provenances)
    return next(p for p in PROVENANCES if p in given)


def article_tags(article_id: int) -> list[dict]:
    """The article's places and topics: slug, kind (place, person, organisation or topic), name,
    provenance and, for a found tag, its evidence."""
    with read_connection().cursor() as cursor:
        cursor.execute(ARTICLE_TAGS, {"article": article_id})
        rows = cursor.fetchall()
    # Django's connection hands jsonb over as text (its JSONField decodes it).
    return [
        {"slug": slug, "kind": kind, "name": name, "provenance": provenance, "evidence": _decoded(evidence)}
        for slug, kind, name, provenance, evidence in rows
    ]


def _decoded(evidence):
    return json.loads(evidence) if isinstance(evidence, str) else evidence


REJECTIONS = {"places": "place_id", "topics": "topic_id"}  # archive_tagrejection's column per link table


def add_found(name: str, found: Iterable[tuple[int, int, dict]]) -> int:
    """Link (article id, node id) pairs of `name` as `found`, each with its evidence (the matched
    words and where), unless the article has the tag already (its provenance stays) or an editor
    rejected it there. The articles are locked first, in id order, as an editor's rejection locks
    them, so a rejection under way is waited for and then seen (tests/test_tag_rejections.py races
    the two). Returns the links added; the caller holds the transaction."""
    rows = list(found)
    if not rows:
        return 0
    table, column = LINK_TABLES[name]
    articles, nodes, evidence = zip(*rows, strict=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM archive_article WHERE id = ANY(%s) ORDER BY id FOR UPDATE",
            [sorted(set(articles))],
        )
        cursor.execute(
            f"INSERT INTO {table} (article_id, {column}, provenance, evidence) "
            "SELECT found.article_id, found.node_id, %s, found.evidence "
            "FROM unnest(%s::bigint[], %s::bigint[], %s::jsonb[]) found(article_id, node_id, evidence) "
            "WHERE EXISTS (SELECT 1 FROM archive_article article WHERE article.id = found.article_id) "
            "AND NOT EXISTS (SELECT 1 FROM archive_tagrejection rejected "
            f"WHERE rejected.article_id = found.article_id AND rejected.{REJECTIONS[name]} = found.node_id) "
            f"ON CONFLICT (article_id, {column}) DO NOTHING",
            [FOUND, list(articles), list(nodes), [Jsonb(e) for e in evidence]],
        )
        return cursor.rowcount


def accept_found(name: str, article_id: int) -> int:
    """The article's found tags of `name` become the editor's (their evidence dropped); how many."""
    table, _ = LINK_TABLES[name]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET provenance = %s, evidence = NULL WHERE article_id = %s AND provenance = %s",
            [EDITOR, article_id, FOUND],
        )
        return cursor.rowcount


def found_on(name: str) -> str:
    """SQL (with one parameter, the node) for the ids of the articles where the node was found."""
    table, column = LINK_TABLES[name]
    return f"SELECT article_id FROM {table} WHERE {column} = %s AND provenance = '{FOUND}'"


def is_found(name: str, article_id: int, node_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"{found_on(name)} AND article_id = %s", [node_id, article_id])
        return cursor.fetchone() is not None
