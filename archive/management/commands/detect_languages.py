from django.core.management.base import BaseCommand

from archive.derived.refresh import refresh_after_write
from archive.services.language_detection import BATCH_SIZE, articles_detect_languages


class Command(BaseCommand):
    help = (
        "Detect the language of every article whose language was detected (or never given), in batches, "
        "with progress; an editor's or a record's language is never changed. Safe to stop and run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, batch_size, **options):
        def report(tally):
            self.stdout.write(tally.line())
            self.stdout.flush()

        tally = articles_detect_languages(batch_size=max(1, batch_size), report=report)
        if tally.changed:
            refresh_after_write()
        self.stdout.write(f"Done: {tally.line()}.")
