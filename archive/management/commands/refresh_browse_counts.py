import time

from django.core.management.base import BaseCommand

from archive.derived.refresh import refresh_browse_counts


class Command(BaseCommand):
    help = (
        "Recount the archive for browsing without words (imports do it; run it after editors' changes, "
        "e.g. nightly). Writers wait while it runs."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        refresh_browse_counts()
        self.stdout.write(f"Browse counts refreshed in {time.perf_counter() - started:.1f} s.")
