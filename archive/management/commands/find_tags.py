from django.core.management.base import BaseCommand

from archive.finding import tagging


class Command(BaseCommand):
    help = (
        "Look for places, people and organisations in every article's text and tag them as found, "
        "with progress. Safe to stop and run again; never brings back a tag an editor rejected."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--chunk", type=int, default=tagging.CHUNK, help="Articles per transaction (default 2000)."
        )

    def handle(self, *args, **options):
        def progress(done: int, total: int, added: int) -> None:
            self.stdout.write(f"{done:,} of {total:,} articles read, {added:,} tags found")
            self.stdout.flush()

        added = tagging.find_all(progress=progress, chunk=max(1, options["chunk"]))
        self.stdout.write(f"Done: {added:,} tags found and added.")
