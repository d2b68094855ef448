from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "News archive"

    def ready(self) -> None:
        from reversion.signals import post_revision_commit

        from archive.derived.stories.signals import queue_catch_up
        from archive.services.revision_tags import keep_tag_origins

        article = self.get_model("Article")
        post_save.connect(queue_catch_up, sender=article, dispatch_uid="stories-after-save")
        post_delete.connect(queue_catch_up, sender=article, dispatch_uid="stories-after-delete")
        post_revision_commit.connect(keep_tag_origins, dispatch_uid="revision-tag-origins")
