"""Editorial writes: versions for optimistic locking, audited status changes, bulk tagging, merges."""

from __future__ import annotations

import json

import reversion
from django.db import transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from reversion.models import Revision, Version

from archive import tag_origins
from archive.models import Article, Place, TagRejection, Topic, TreeMerge


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
        # Given by an editor now, even where it had been found in the text.
        tag_origins.mark_links(field, [(article.pk, node.pk)], tag_origins.EDITOR)

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
    # Every article the merge touches (tagged, or holding a rejection it moves), locked first and in
    # id order, as imports, find_tags and an editor's rejections lock them.
    tagged = set(Article.objects.filter(**{f"{field}__in": merged}).values_list("pk", flat=True))
    rejected = TagRejection.objects.filter(**{f"{field[:-1]}__in": merged}).values_list(
        "article_id", flat=True
    )
    locked = (
        Article.objects.select_for_update(of=("self",)).filter(pk__in=tagged | set(rejected)).order_by("pk")
    )
    articles = [article for article in locked if article.pk in tagged]
    children = list(model.objects.filter(parent__in=merged).exclude(pk=keep.pk))
    names = ", ".join(node.name for node in merged)
    snapshot = _snapshot(
        [keep, *merged, *articles, *children], user=user, comment=f"Before merging {names} into {keep.name}."
    )
    links = tag_origins.links_of(field, [a.pk for a in articles], [node.pk for node in [keep, *merged]])
    with reversion.create_revision():
        for article in articles:
            getattr(article, field).remove(*merged)
            getattr(article, field).add(keep)
            _bump(article, user=user)
        _give_merged_provenance(field, keep, links)
        links += _move_rejections(field, keep, merged)
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
        links=links,
        created_by=user,
    )


REJECTED = "rejected"  # a TreeMerge.links row that records a rejection the merge moved


def _move_rejections(field: str, keep, merged: list) -> list[list]:
    """An editor's rejection of a merged node on an article becomes one of the kept node (whose
    aliases now include the merged name, so a finder would find it): rows for the undo."""
    column = field[:-1]
    rows = []
    for rejection in TagRejection.objects.filter(**{f"{column}__in": merged}).order_by("pk"):
        node = getattr(rejection, f"{column}_id")
        kept = TagRejection.objects.filter(article_id=rejection.article_id, **{column: keep}).exists()
        rows.append([rejection.article_id, node, REJECTED, {"moved": not kept}])
        if kept:
            rejection.delete()
        else:
            TagRejection.objects.filter(pk=rejection.pk).update(**{column: keep})
    return rows


def _give_merged_provenance(field: str, keep, links: list[list]) -> None:
    """A tag the merge gave an article that lacked the kept node comes as the merged ones had come:
    an editor's if any was, else the import's, else found (with the evidence of the first)."""
    links = [row for row in links if row[2] != REJECTED]
    had_keep = {article for article, node, _, _ in links if node == keep.pk}
    merged: dict[int, list[list]] = {}
    for article, node, provenance, evidence in links:
        if node != keep.pk and article not in had_keep:
            merged.setdefault(article, []).append([article, node, provenance, evidence])
    rows = []
    for article, moved in merged.items():
        provenance = tag_origins.strongest(row[2] for row in moved)
        evidence = next((row[3] for row in moved if row[2] == provenance), None)
        rows.append([article, keep.pk, provenance, evidence if provenance == tag_origins.FOUND else None])
    tag_origins.restore_links(field, rows)


def _with_found(node: Place | Topic | None = None) -> Q:
    """Articles with a tag found in the text (that node's, when given)."""
    if node is not None:
        name = "places" if isinstance(node, Place) else "topics"
        return Q(pk__in=RawSQL(tag_origins.found_on(name), [node.pk]))
    either = " UNION ".join(
        f"SELECT article_id FROM {table} WHERE provenance = %s"
        for table, _ in tag_origins.LINK_TABLES.values()
    )
    return Q(pk__in=RawSQL(either, [tag_origins.FOUND] * len(tag_origins.LINK_TABLES)))


def articles_accept_found(*, articles, user) -> int:
    """Every found tag of these articles becomes the editor's: a revision each, the version moved on."""

    def accept(article):
        for name in tag_origins.LINK_TABLES:
            tag_origins.accept_found(name, article.pk)

    return _save_each_with_revision(
        articles.filter(_with_found()),
        user=user,
        comment="Accepted the tags found in the text (bulk action).",
        change=accept,
    )


def articles_reject_found(*, articles, node: Place | Topic, user) -> int:
    """Take `node` off these articles where it was found in the text, and remember that an editor
    rejected it there: nothing that finds tags adds it again (tag_origins.add_found)."""
    name = "places" if isinstance(node, Place) else "topics"

    def reject(article):
        # Checked again under the article's lock: an editor may have accepted it meanwhile.
        if tag_origins.is_found(name, article.pk, node.pk):
            getattr(article, name).remove(node)
        TagRejection.objects.get_or_create(
            article=article, **{name[:-1]: node}, defaults={"rejected_by": user}
        )

    return _save_each_with_revision(
        articles.filter(_with_found(node)),
        user=user,
        comment=f"Rejected the found {node._meta.verbose_name} “{node.name}” (bulk action).",
        change=reject,
    )
