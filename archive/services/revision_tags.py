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


def give_back_tag_origins(version: Version) -> None:
    """After `version` of an article was restored: its tags as they had come then, and the restoring
    revision's own snapshot made anew (it was taken before they were given back)."""
    article_id = int(version.object_id)
    kept = RevisionTagOrigins.objects.filter(revision_id=version.revision_id, article_id=article_id).first()
    if kept is None:
        return
    tag_origins.restore_snapshot(article_id, kept.links)
    latest = Version.objects.get_for_object_reference(Article, article_id).first()
    if latest is not None and latest.revision_id != version.revision_id:
        RevisionTagOrigins.objects.update_or_create(
            revision_id=latest.revision_id,
            article_id=article_id,
            defaults={"links": tag_origins.snapshot(article_id)},
        )
