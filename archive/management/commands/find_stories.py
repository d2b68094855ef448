from django.core.management.base import BaseCommand

from archive.derived import stories


class Command(BaseCommand):
    help = (
        "Recompute every story (articles sharing most of their text) from the published articles, "
        "with progress. Run once after upgrading; imports and edits keep the stories exact afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--chunk",
            type=int,
            default=stories.CHUNK,
            help="Articles compared per transaction (default 2000).",
        )

    def handle(self, *args, **options):
        def progress(done: int, total: int) -> None:
            self.stdout.write(
                f"{done:,} of {total:,} articles compared", ending="\r" if done < total else "\n"
            )
            self.stdout.flush()

        members = stories.find_all(progress=progress, chunk=max(1, options["chunk"]))
        with_copies = stories.story_count()
        self.stdout.write(f"{with_copies:,} stories with more than one copy, {members:,} articles in them.")
