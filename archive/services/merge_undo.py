"""Undoing a tree merge: put back what the merge changed, and nothing an editor did since."""

from __future__ import annotations

import reversion
from django.db import transaction
from django.utils import timezone

from archive import tag_origins
from archive.models import Article, Place, TagRejection, Topic, TreeMerge
from archive.services.editing import REJECTED, article_next_version


class MergeUndoRefused(Exception):
    """The merge cannot be undone as it stands (its kept node is gone); the message says why."""


@transaction.atomic
def tree_merge_undo(*, merge: TreeMerge, user) -> list[str]:
    """Put back the merged nodes, the children's parents, the kept node's aliases and parent, and each
    article's tags, from the snapshot taken before the merge.

    Headlines, statuses and every other edit made since stay. An article whose tags changed since
    the merge is left alone and listed in the answer.
    """
    if merge.undone_at:
        return []
    node_model = Place if merge.kind == Place._meta.model_name else Topic
    versions = list(merge.snapshot.version_set.all())
    nodes = {v.field_dict["id"]: v for v in versions if v.content_type.model_class() is node_model}
    keep = _kept_node(merge, node_model, nodes)
    merged_ids = {
        pk for pk, v in nodes.items() if pk != keep.pk and v.field_dict["name"] in merge.merged_names
    }
    # Every article first, in id order (the order imports lock them in), before anything changes.
    article_ids = [int(v.object_id) for v in versions if v.content_type.model_class() is Article]
    articles = Article.objects.select_for_update(of=("self",)).filter(pk__in=article_ids).order_by("pk")
    articles = {article.pk: article for article in articles}
    _restore_merged_nodes(nodes, merged_ids)
    with reversion.create_revision():
        _restore_kept_node(keep, nodes, merged_ids)
        _restore_children(keep, nodes, merged_ids)
        left = [
            f"#{v.object_id}"
            for v in versions
            if v.content_type.model_class() is Article
            and int(v.object_id) in articles
            and not _restore_article_tags(
                articles[int(v.object_id)], v, keep=keep, merged_ids=merged_ids, links=merge.links, user=user
            )
        ]
        reversion.set_user(user)
        reversion.set_comment(f"Undid the merge of {', '.join(merge.merged_names)} into {merge.kept_name}.")
    _restore_rejections(merge.links, keep)
    merge.undone_at, merge.undone_by = timezone.now(), user
    merge.save(update_fields=["undone_at", "undone_by"])
    return left


def _restore_rejections(links: list[list], keep) -> None:
    """The rejections the merge moved to the kept node go back to the merged ones (restored by then)."""
    column = "place" if isinstance(keep, Place) else "topic"
    for article, node, provenance, details in links:
        if provenance != REJECTED or not Article.objects.filter(pk=article).exists():
            continue  # an article deleted since takes its rejections with it
        TagRejection.objects.get_or_create(article_id=article, **{f"{column}_id": node})
        if details.get("moved"):
            TagRejection.objects.filter(article_id=article, **{column: keep}).delete()


def _kept_node(merge: TreeMerge, model, nodes: dict):
    """The kept node by the id it had in the snapshot (its slug may have been edited since)."""
    pk = next((pk for pk, v in nodes.items() if v.field_dict["slug"] == merge.kept_slug), None)
    keep = model.objects.filter(pk=pk).first() if pk is not None else None
    if keep is None:
        raise MergeUndoRefused(f"{merge.kept_name} was deleted after the merge: nothing to undo it into.")
    return keep


def _restore_merged_nodes(nodes: dict, merged_ids: set[int]) -> None:
    """Re-create the duplicates the merge deleted, parents before children."""
    model = nodes[next(iter(nodes))].content_type.model_class()
    existing = set(model.objects.filter(pk__in=merged_ids).values_list("pk", flat=True))
    missing = {pk: nodes[pk] for pk in merged_ids if pk not in existing}
    while missing:
        ready = [pk for pk, v in missing.items() if v.field_dict["parent_id"] not in missing]
        for pk in ready or list(missing):
            missing.pop(pk).revert()


def _merge_added_aliases(nodes: dict, merged_ids: set[int]) -> set[str]:
    return {
        value
        for pk in merged_ids
        for value in (
            nodes[pk].field_dict["name"],
            nodes[pk].field_dict["slug"],
            *nodes[pk].field_dict["aliases"],
        )
    }


def _restore_kept_node(keep, nodes: dict, merged_ids: set[int]) -> None:
    """Take back the aliases the merge added, and the parent it changed; later edits stay."""
    before = nodes[keep.pk].field_dict
    added = _merge_added_aliases(nodes, merged_ids) - set(before["aliases"])
    keep.aliases = [alias for alias in keep.aliases if alias not in added]
    old_parent = before["parent_id"]
    if old_parent in merged_ids and keep.parent_id == nodes[old_parent].field_dict["parent_id"]:
        keep.parent_id = old_parent
    keep.save()


def _restore_children(keep, nodes: dict, merged_ids: set[int]) -> None:
    """Children the merge moved under the kept node go back, unless moved again since."""
    for pk, version in nodes.items():
        parent = version.field_dict["parent_id"]
        if pk == keep.pk or pk in merged_ids or parent not in merged_ids:
            continue
        child = type(keep).objects.filter(pk=pk, parent=keep).first()
        if child is not None:
            child.parent_id = parent
            child.save()


def _restore_article_tags(article: Article, version, *, keep, merged_ids: set[int], links, user) -> bool:
    """Give the article its tags from before the merge, unless they changed since; False if left."""
    field = "places" if isinstance(keep, Place) else "topics"
    before = set(version.field_dict.get(field, []))
    after_merge = (before - merged_ids) | {keep.pk}  # every article of the snapshot had a merged node
    if set(getattr(article, field).values_list("pk", flat=True)) != after_merge:
        return False
    getattr(article, field).set(before)
    given = ([a, n, p, e] for a, n, p, e in links if a == article.pk and n in before and p != REJECTED)
    tag_origins.restore_links(field, given)
    article.version = article_next_version(article=article)
    article.updated_by = user
    article.save(update_fields=["version", "updated_by", "updated"])
    return True
