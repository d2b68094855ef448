"""manage.py backup_archive [FILE]: a pg_dump (custom format) of the archive, with its checksum."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from archive.services import backup


class Command(BaseCommand):
    help = "Dump the archive's database (pg_dump custom format) and print its article count and checksum."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="where to write (default backups/archive-<time>.dump)")

    def handle(self, *args, **options):
        path = Path(options["file"] or f"backups/archive-{timezone.now():%Y%m%d-%H%M%S}.dump")
        try:
            backup.dump(path)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        count, digest = backup.checksum()
        self.stdout.write(f"Backed up {count:,} articles to {path} (checksum {digest}).")
