"""Editorial writes: versions for optimistic locking, audited status changes, bulk tagging, merges."""

from __future__ import annotations

import json

import reversion
from django.db import transaction
from django.utils import timezone
from reversion.models import Revision, Version

from archive.models import Article, Place, Topic, TreeMerge


def article_next_version(*, article: Article) -> int:
    """One more than any version this article ever had, so a restore never reuses an old number."""
    stored = [
        json.loads(v.serialized_data)[0]["fields"].get("version", 0)
        for v in Version.objects.get_for_object(article).only("serialized_data")
    ]
    current = Article.objects.filter(pk=article.pk).values_list("version", flat=True).first() or 0
    return max([current, *stored]) + 1


def article_stamp(*, article: Article, user, previous_status: str | None) -> None:
    """Set the audit fields for a save by `user` (not saved here)."""
    if article.pk is None:
        article.created_by = user
    article.updated_by = user
    if article.status == Article.Status.PUBLISHED and previous_status != Article.Status.PUBLISHED:
        article.made_public_by = user
        article.made_public_at = timezone.now()


def _bump(article: Article, *, user) -> None:
    """Record that `user` changed the article outside its form: new version, new audit stamp."""
    article.version += 1
    article.updated_by = user
    article.save(update_fields=["version", "updated_by", "updated"])


@transaction.atomic
def _save_each_with_revision(articles, *, user, comment: str, change) -> int:
    """Apply `change` to each article and save it in a revision of its own (restorable one by one)."""
    count = 0
    for article in articles.select_for_update(of=("self",)):
        with reversion.create_revision():
            previous_status = article.status
            change(article)
            article_stamp(article=article, user=user, previous_status=previous_status)
            article.version += 1
            article.save()
            reversion.set_user(user)
            reversion.set_comment(comment)
        count += 1
    return count


def articles_set_status(*, articles, status: str, user) -> int:
    """Publish or unpublish articles, each with a revision and an audit stamp."""
    label = "Published" if status == Article.Status.PUBLISHED else "Set back to draft"
    return _save_each_with_revision(
        articles.exclude(status=status),
        user=user,
        comment=f"{label} (bulk action).",
        change=lambda article: setattr(article, "status", status),
    )


def articles_add_tag(*, articles, node: Place | Topic, user) -> int:
    """Tag articles with a place or topic, each with a revision."""
    field = "places" if isinstance(node, Place) else "topics"

    def add(article):
        getattr(article, field).add(node)

    return _save_each_with_revision(
        articles,
        user=user,
        comment=f"Added {node._meta.verbose_name} “{node.name}” (bulk action).",
        change=add,
    )


def _snapshot(objects, *, user, comment: str) -> Revision:
    with reversion.create_revision():
        for obj in objects:
            reversion.add_to_revision(obj)
        reversion.set_user(user)
        reversion.set_comment(comment)
    return Version.objects.get_for_object(objects[0]).first().revision


@transaction.atomic
def tree_nodes_merge(*, keep: Place | Topic, merged: list, user) -> TreeMerge:
    """Merge duplicates into `keep`: articles and children re-pointed, names and slugs kept as aliases."""
    model = type(keep)
    merged = [node for node in merged if node.pk != keep.pk]
    field = "places" if model is Place else "topics"
    articles = list(Article.objects.filter(**{f"{field}__in": merged}).distinct())
    children = list(model.objects.filter(parent__in=merged).exclude(pk=keep.pk))
    names = ", ".join(node.name for node in merged)
    snapshot = _snapshot(
        [keep, *merged, *articles, *children], user=user, comment=f"Before merging {names} into {keep.name}."
    )
    with reversion.create_revision():
        for article in articles:
            getattr(article, field).remove(*merged)
            getattr(article, field).add(keep)
            _bump(article, user=user)
        for child in children:
            child.parent = keep
            child.save()
        new_aliases = [value for node in merged for value in (node.name, node.slug, *node.aliases)]
        keep.aliases = list(dict.fromkeys([*keep.aliases, *new_aliases]))
        if keep.parent_id in {node.pk for node in merged}:
            keep.parent = next(node for node in merged if node.pk == keep.parent_id).parent
        model.objects.filter(pk__in=[node.pk for node in merged]).delete()
        keep.save()
        reversion.set_user(user)
        reversion.set_comment(f"Merged {names} into {keep.name}.")
    return TreeMerge.objects.create(
        kind=model._meta.model_name,
        kept_name=keep.name,
        kept_slug=keep.slug,
        merged_names=[node.name for node in merged],
        snapshot=snapshot,
        created_by=user,
    )


@transaction.atomic
def tree_merge_undo(*, merge: TreeMerge, user) -> list[str]:
    """Put back what the merge changed (nodes, parents, aliases, tags) and nothing else.

    Headlines, statuses and every other field edited since the merge stay as they are. An article
    whose tags changed since the merge is left alone and listed in the answer.
    """
    if merge.undone_at:
        return []
    versions = list(merge.snapshot.version_set.all())
    article_versions = [v for v in versions if v.content_type.model_class() is Article]
    node_model = Place if merge.kind == Place._meta.model_name else Topic
    nodes = {v.field_dict["id"]: v for v in versions if v.content_type.model_class() is node_model}
    keep = node_model.objects.get(slug=merge.kept_slug)
    merged_ids = _restore_merged_nodes(nodes, keep)
    with reversion.create_revision():
        _restore_tree(nodes, keep, merged_ids)
        left = [
            f"#{v.object_id}"
            for v in article_versions
            if not _restore_article_tags(v, keep=keep, merged_ids=merged_ids, user=user)
        ]
        reversion.set_user(user)
        reversion.set_comment(f"Undid the merge of {', '.join(merge.merged_names)} into {merge.kept_name}.")
    merge.undone_at = timezone.now()
    merge.undone_by = user
    merge.save(update_fields=["undone_at", "undone_by"])
    return left


def _restore_merged_nodes(nodes: dict, keep) -> set[int]:
    """Re-create the duplicates the merge deleted, parents before children; their ids."""
    model = type(keep)
    existing = set(model.objects.filter(pk__in=list(nodes)).values_list("pk", flat=True))
    missing = {pk: v for pk, v in nodes.items() if pk not in existing}
    merged_ids = set(missing)
    while missing:
        ready = [pk for pk, v in missing.items() if v.field_dict["parent_id"] not in missing]
        for pk in ready or list(missing):
            missing.pop(pk).revert()
    return merged_ids


def _restore_tree(nodes: dict, keep, merged_ids: set[int]) -> None:
    """The kept node's aliases and parent as before; children moved by the merge go back."""
    before = nodes[keep.pk].field_dict
    keep.aliases, keep.parent_id = before["aliases"], before["parent_id"]
    keep.save()
    for pk, version in nodes.items():
        if pk == keep.pk or pk in merged_ids:
            continue
        child = type(keep).objects.filter(pk=pk, parent=keep).first()
        if child is not None and version.field_dict["parent_id"] != keep.pk:
            child.parent_id = version.field_dict["parent_id"]
            child.save()


def _restore_article_tags(version, *, keep, merged_ids: set[int], user) -> bool:
    """Give the article its tags from before the merge, unless they changed since; False if left."""
    field = "places" if isinstance(keep, Place) else "topics"
    article = Article.objects.select_for_update(of=("self",)).filter(pk=version.object_id).first()
    if article is None:
        return True
    before = set(version.field_dict.get(field, []))
    after_merge = (before - merged_ids) | {keep.pk}
    if set(getattr(article, field).values_list("pk", flat=True)) != after_merge:
        return False
    getattr(article, field).set(before)
    article.version = article_next_version(article=article)
    article.updated_by = user
    article.save(update_fields=["version", "updated_by", "updated"])
    return True
