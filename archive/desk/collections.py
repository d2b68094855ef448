"""Collections: articles a researcher gathers, in their own order, each with a note.

Every change locks the collection's row first, so two tabs (or two researchers' imports) adding at
once never give two items the same position.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from archive.desk.text import typed
from archive.models import Article, Collection, CollectionItem

MAX_COLLECTIONS = 200  # per researcher
MAX_ITEMS = 10_000  # per collection
MAX_NOTE = 2000


class CollectionError(ValueError):
    """A change that cannot be made; the message says why."""


def collection_create(*, owner, name: str, visibility: str = Collection.Visibility.PRIVATE) -> Collection:
    """A new, empty collection (private unless said otherwise)."""
    name = typed(name, 200)
    if not name:
        raise CollectionError("A collection needs a name.")
    if Collection.objects.filter(owner=owner).count() >= MAX_COLLECTIONS:
        raise CollectionError(f"At most {MAX_COLLECTIONS} collections: delete one first.")
    return Collection.objects.create(owner=owner, name=name, visibility=visibility)


def _locked(collection: Collection) -> Collection:
    return Collection.objects.select_for_update().get(pk=collection.pk)


def collection_add(*, collection: Collection, article: Article, note: str = "") -> CollectionItem:
    """Add a published article at the end (already in it: its note is replaced when one is given)."""
    if not article.is_public:
        raise CollectionError("Only published articles can be collected.")
    with transaction.atomic():
        _locked(collection)
        item = CollectionItem.objects.filter(collection=collection, article=article).first()
        if item is not None:
            if typed(note, MAX_NOTE):
                item.note = typed(note, MAX_NOTE)
                item.save(update_fields=["note"])
            return item
        return _append(collection, [article.pk], {article.pk: note})[0]


def _append(collection: Collection, article_ids: list[int], notes: dict[int, str]) -> list[CollectionItem]:
    """New items at the end, in this order (the caller holds the collection's lock)."""
    present = collection.items.count()
    if present + len(article_ids) > MAX_ITEMS:
        raise CollectionError(f"A collection holds at most {MAX_ITEMS:,} articles.")
    last = collection.items.aggregate(last=Max("position"))["last"] or 0
    items = [
        CollectionItem(
            collection=collection,
            article_id=pk,
            note=typed(notes.get(pk, ""), MAX_NOTE),
            position=last + offset,
        )
        for offset, pk in enumerate(article_ids, start=1)
    ]
    created = CollectionItem.objects.bulk_create(items)
    Collection.objects.filter(pk=collection.pk).update(updated=timezone.now())
    return created


def collection_add_many(*, collection: Collection, article_ids: list[int]) -> int:
    """Add these articles (published, not yet in it) at the end; how many were added."""
    with transaction.atomic():
        _locked(collection)
        present = set(collection.items.values_list("article_id", flat=True))
        wanted = [pk for pk in dict.fromkeys(article_ids) if pk not in present]
        public = set(Article.objects.published().filter(pk__in=wanted).values_list("pk", flat=True))
        new = [pk for pk in wanted if pk in public]
        _append(collection, new, {})
        return len(new)


def item_note(*, item: CollectionItem, note: str) -> None:
    item.note = typed(note, MAX_NOTE)
    item.save(update_fields=["note"])


def item_move(*, item: CollectionItem, direction: str) -> None:
    """Swap an item with its neighbour above ("up") or below ("down"); at an end, nothing moves."""
    with transaction.atomic():
        _locked(item.collection)
        item = CollectionItem.objects.get(pk=item.pk)
        items = item.collection.items
        if direction == "up":
            neighbour = items.filter(position__lt=item.position).order_by("-position").first()
        else:
            neighbour = items.filter(position__gt=item.position).order_by("position").first()
        if neighbour is None:
            return
        item.position, neighbour.position = neighbour.position, item.position
        CollectionItem.objects.bulk_update([item, neighbour], ["position"])


def item_remove(*, item: CollectionItem) -> None:
    with transaction.atomic():
        _locked(item.collection)
        CollectionItem.objects.filter(pk=item.pk).delete()


def collection_rename(*, collection: Collection, name: str) -> None:
    """A new name; the slug, and so every link already shared, stays."""
    name = typed(name, 200)
    if not name:
        raise CollectionError("A collection needs a name.")
    collection.name = name
    collection.save(update_fields=["name", "updated"])


def collection_set_visibility(*, collection: Collection, visibility: str) -> None:
    if visibility not in Collection.Visibility.values:
        raise CollectionError("Choose private, anyone with the link, or public.")
    collection.visibility = visibility
    collection.save(update_fields=["visibility", "updated"])
