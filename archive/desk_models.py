"""What a researcher keeps: saved searches, collections and frozen snapshots of result sets.

Imported by archive/models.py (their app is `archive`); they name Article and reversion's Version by
label, so this module imports nothing of the archive.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import pgettext_lazy


def new_token() -> str:
    """An unguessable URL token (256 bits)."""
    return secrets.token_urlsafe(32)


class SavedSearch(models.Model):
    """A search a researcher reruns; `last_opened_at` decides which matches are new."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(max_length=200)
    query = models.TextField()  # the search's query string, without page or cursor
    created = models.DateTimeField(auto_now_add=True)
    last_opened_at = models.DateTimeField()
    alerts = models.BooleanField(default=False)
    feed_token = models.CharField(max_length=64, unique=True, default=new_token)

    class Meta:
        app_label = "archive"
        ordering = ["-created", "-id"]
        constraints = [models.UniqueConstraint(fields=["owner", "query"], name="one_saved_search_per_query")]

    def __str__(self) -> str:
        return self.name


class CollectionQuerySet(models.QuerySet):
    def visible_to(self, user) -> CollectionQuerySet:
        """Collections `user` may see: their own, and everyone's shared or public ones."""
        shown = Q(visibility__in=[Collection.Visibility.LINK, Collection.Visibility.PUBLIC])
        if user is not None and user.is_authenticated:
            shown |= Q(owner=user)
        return self.filter(shown)


class Collection(models.Model):
    """Articles a researcher gathered, in their order, each with a note."""

    class Visibility(models.TextChoices):
        PRIVATE = "private", pgettext_lazy("collection visibility", "private")
        LINK = "link", pgettext_lazy("collection visibility", "anyone with the link")
        PUBLIC = "public", pgettext_lazy("collection visibility", "public")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collections")
    name = models.CharField(max_length=200)
    # The name's slug and a random tail: the link cannot be guessed from the name.
    slug = models.SlugField(max_length=100, unique=True, editable=False)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = CollectionQuerySet.as_manager()

    class Meta:
        app_label = "archive"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = f"{slugify(self.name)[:60].strip('-') or 'collection'}-{secrets.token_hex(6)}"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("archive:collection", args=[self.slug])


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    article = models.ForeignKey("archive.Article", on_delete=models.CASCADE, related_name="+")
    note = models.TextField(blank=True, max_length=2000)
    position = models.PositiveIntegerField()
    added = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "archive"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "article"], name="an_article_once_per_collection")
        ]

    def __str__(self) -> str:
        return f"{self.collection} #{self.position}"


class Snapshot(models.Model):
    """A result set frozen: the query, the moment, the version, and every article's revision."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # A shared snapshot outlives its author's account: it is cited.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="snapshots"
    )
    title = models.CharField(max_length=300)
    query = models.TextField(blank=True)  # the search's query string
    created = models.DateTimeField(auto_now_add=True)
    app_version = models.CharField(max_length=100)
    count = models.PositiveIntegerField()
    checksum = models.CharField(max_length=64)  # SHA-256 over the ordered (id, revision, text checksum)
    public = models.BooleanField(default=False)
    shared_at = models.DateTimeField(null=True, blank=True)  # once set, the snapshot is never deleted
    hidden = models.BooleanField(default=False)

    class Meta:
        app_label = "archive"
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("archive:snapshot", args=[self.pk])


class SnapshotItem(models.Model):
    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    article_id = models.BigIntegerField()  # no foreign key: a deleted article stays in the snapshot
    # The revision of the article's text: PROTECT keeps django-reversion from ever deleting it.
    version = models.ForeignKey("reversion.Version", on_delete=models.PROTECT, related_name="+")
    text_sha256 = models.CharField(max_length=64)

    class Meta:
        app_label = "archive"
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "position"], name="a_snapshot_position_once")
        ]

    def __str__(self) -> str:
        return f"{self.snapshot_id} #{self.position}"


class AlertSent(models.Model):
    """An article mailed to a researcher in an alert digest: never mailed to them again."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article_id = models.BigIntegerField()
    saved_search = models.ForeignKey(SavedSearch, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "archive"
        constraints = [models.UniqueConstraint(fields=["owner", "article_id"], name="an_article_mailed_once")]

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.article_id}"
