"""manage.py restore_archive FILE: replace the archive's database contents with a backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.services import backup


class Command(BaseCommand):
    help = "Restore a backup made by backup_archive (pg_restore --clean, in one transaction)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .dump file")

    def handle(self, *args, **options):
        try:
            backup.restore(Path(options["file"]))
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        count, digest = backup.checksum()
        self.stdout.write(f"Restored {count:,} articles from {options['file']} (checksum {digest}).")
