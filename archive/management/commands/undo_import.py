from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from archive.derived.refresh import refresh_after_write
from archive.importers.runs import mark_interrupted_runs
from archive.importers.undo import import_run_undo
from archive.models import ImportRun


class Command(BaseCommand):
    help = "Undo an import run in batches (resumes an undo that was interrupted); the admin starts it."

    def add_arguments(self, parser):
        parser.add_argument("run", type=int, metavar="RUN_ID")
        parser.add_argument("--user", help="the editor who asked for it (recorded in the revisions)")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, run, user, batch_size, **options):
        mark_interrupted_runs()
        found = ImportRun.objects.filter(pk=run).first()
        if found is None:
            raise CommandError(f"There is no import #{run}.")
        if found.status == ImportRun.Status.UNDONE:
            self.stdout.write(f"Import #{run} is undone already.")
            return
        editor = get_user_model().objects.filter(username=user).first() if user else None
        result = import_run_undo(run=found, user=editor, batch_size=batch_size)
        refresh_after_write()  # the browse counts and the vocabulary forget what the import brought
        self.stdout.write(f"Import #{run}: {result.summary()}")
