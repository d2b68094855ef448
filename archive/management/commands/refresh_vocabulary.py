from django.core.management.base import BaseCommand

from archive.derived.refresh import refresh_vocabulary


class Command(BaseCommand):
    help = "Rebuild the word list behind “did you mean” from the published articles."

    def handle(self, *args, **options):
        refresh_vocabulary()
        self.stdout.write("Vocabulary refreshed.")
