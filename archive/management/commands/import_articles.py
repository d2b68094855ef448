import argparse
import shutil
import sys

from django.core.management.base import BaseCommand, CommandError

from archive.importers.records import CANONICAL_FIELDS
from archive.importers.service import FORMATS, ImportInputError, ImportOptions, article_import, as_uploaded
from archive.models import ImportRun
from archive.text_config import LANGUAGE_CODE


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """FIELD=COLUMN pairs into a dict; the field must be a canonical one."""
    mapping = {}
    for pair in pairs:
        name, sep, column = pair.partition("=")
        if not sep or not column or name not in CANONICAL_FIELDS:
            raise CommandError(
                f"--map {pair!r}: expected FIELD=COLUMN with FIELD one of {', '.join(CANONICAL_FIELDS)}"
            )
        mapping[name] = column
    return mapping


def _language_code(value: str) -> str:
    code = value.strip().lower()
    if not LANGUAGE_CODE.match(code):
        raise argparse.ArgumentTypeError(f"{value!r} is not a language code (fr, en, und …)")
    return code


class Command(BaseCommand):
    help = "Import articles from JSON Lines, CSV or Reuters-21578 SGML files (safe to repeat)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH")
        parser.add_argument("--format", choices=FORMATS, help="default: guessed from the extension")
        parser.add_argument("--source", help="the source of every record (created if needed)")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help="read a canonical FIELD from another COLUMN; repeatable",
        )
        parser.add_argument("--dry-run", action="store_true", help="report what would happen, write nothing")
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument(
            "--run", type=int, metavar="RUN_ID", help="carry out a queued run (an admin upload)"
        )
        parser.add_argument(
            "--language",
            type=_language_code,
            help="the language (ISO 639-1) of every record without its own; default: detected from the text",
        )
        parser.add_argument(
            "--no-find",
            dest="find",
            action="store_false",
            help="do not look for places in the text (a bulk load; run `find_tags` afterwards)",
        )

    def handle(self, *args, paths, format, source, map, dry_run, batch_size, run, language, find, **options):
        if run is not None:
            return self._carry_out(run)
        if not paths:
            raise CommandError("Name at least one PATH to import.")
        import_options = ImportOptions(
            format=format,
            source=source,
            mapping=parse_mapping(map),
            dry_run=dry_run,
            batch_size=batch_size,
            language=language,
            find=find,
        )
        try:
            run = article_import(paths=paths, options=import_options, stream=sys.stderr)
        except ImportInputError as error:
            raise CommandError(str(error)) from error
        self._report(run)

    def _carry_out(self, run_id: int) -> None:
        """A queued run: its files and options are in its record; an uploaded file goes once imported."""
        queued = ImportRun.objects.filter(pk=run_id).first()
        if queued is None:
            raise CommandError(f"There is no import #{run_id}.")
        stored = queued.options.get("paths", [])
        known = {name: queued.options[name] for name in ("format", "source", "mapping", "batch_size")}
        try:
            run = article_import(paths=stored, options=ImportOptions(**known), user=queued.user, run=queued)
        except ImportInputError as error:
            text = as_uploaded(queued, str(error))
            ImportRun.objects.filter(pk=run_id).update(
                status=ImportRun.Status.FAILED, report=text, progress=""
            )
            raise CommandError(text) from error
        if queued.options.get("upload"):
            shutil.rmtree(queued.options["upload"]["folder"], ignore_errors=True)
        self._report(run)

    def _report(self, run) -> None:
        self.stdout.write(run.report)
        if run.pk:
            self.stdout.write(f"Recorded as import #{run.pk}; undo it from the admin (Import runs).")
        counts = run.counts
        if counts["created"] + counts["updated"] + counts["unchanged"] == 0:
            raise CommandError("Nothing could be imported.")
