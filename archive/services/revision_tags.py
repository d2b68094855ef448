"""How an article's tags had come, kept with each revision of it (`RevisionTagOrigins`), and given
back when a revision is restored: django-reversion keeps only the tags' ids, so without this a
restored import's or found tag would come back as an editor's."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from reversion.models import Version

from archive import tag_origins
from archive.models import Article, RevisionTagOrigins


def keep_tag_origins(sender, revision, versions, **kwargs) -> None:
    """reversion's post_revision_commit: a snapshot of the tags of each article in the revision."""
    article_type = ContentType.objects.get_for_model(Article)
    rows = [
        RevisionTagOrigins(
            revision=revision, article_id=int(v.object_id), links=tag_origins.snapshot(int(v.object_id))
        )
        for v in versions
        if v.content_type_id == article_type.pk
    ]
    RevisionTagOrigins.objects.bulk_create(rows, ignore_conflicts=True)


def latest_revision_id(version: Version) -> int | None:
    """The newest revision of the object `version` is of."""
    latest = Version.objects.get_for_object_reference(version._model, version.object_id).first()
    return latest.revision_id if latest is not None else None


def give_back_tag_origins(version: Version) -> None:
    """After `version`'s revision was restored — every article in it, as django-reversion restores
    them all —: their tags as they had come then, and each restoring revision's own snapshot made
    anew (it was taken before they were given back)."""
    for kept in RevisionTagOrigins.objects.filter(revision_id=version.revision_id):
        tag_origins.restore_snapshot(kept.article_id, kept.links)
        latest = Version.objects.get_for_object_reference(Article, kept.article_id).first()
        if latest is not None and latest.revision_id != version.revision_id:
            RevisionTagOrigins.objects.update_or_create(
                revision_id=latest.revision_id,
                article_id=kept.article_id,
                defaults={"links": tag_origins.snapshot(kept.article_id)},
            )
