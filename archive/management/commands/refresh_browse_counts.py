import time

from django.core.management.base import BaseCommand

from archive import browse_counts


class Command(BaseCommand):
    help = (
        "Recount the archive for browsing without words (imports do it; run it after editors' changes, "
        "e.g. nightly). Writers wait while it runs."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        browse_counts.refresh()
        self.stdout.write(f"Browse counts refreshed in {time.perf_counter() - started:.1f} s.")
