from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "News archive"

    def ready(self) -> None:
        from archive.derived.stories.signals import queue_catch_up

        article = self.get_model("Article")
        post_save.connect(queue_catch_up, sender=article, dispatch_uid="stories-after-save")
        post_delete.connect(queue_catch_up, sender=article, dispatch_uid="stories-after-delete")
