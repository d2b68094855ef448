"""Imports in the admin: the list of runs with their reports, undo, and uploading a file."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from archive.importers import jobs, runs
from archive.importers.records import CANONICAL_FIELDS, format_from_name
from archive.importers.service import FORMATS, ImportOptions
from archive.models import ImportRun

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("JSON Lines, CSV or Reuters SGML, optionally gzipped; up to 10 MB."),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("", gettext_lazy("Guess from the file name"))] + [(f, f) for f in FORMATS],
        required=False,
    )
    source = forms.CharField(
        label=gettext_lazy("Source"),
        required=False,
        help_text=gettext_lazy("The source of every record (created if needed)."),
    )
    mapping = forms.CharField(
        label=gettext_lazy("Mapping"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("One FIELD=COLUMN per line, e.g. summary=short_description."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _(
                    "This file is over 10 MB: import it with the command "
                    "`python manage.py import_articles PATH` instead (no size limit there)."
                )
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None and not cleaned.get("format") and format_from_name(upload.name) is None:
            self.add_error(
                "file",
                _("%(name)s: cannot tell the format from the name; choose jsonl, csv or reuters")
                % {"name": upload.name},
            )
        return cleaned

    def clean_mapping(self):
        mapping = {}
        for number, line in enumerate(self.cleaned_data["mapping"].splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, column = line.strip().partition("=")
            if not sep or name.strip() not in CANONICAL_FIELDS or not column.strip():
                raise forms.ValidationError(
                    _("Line %(number)s: expected FIELD=COLUMN with a known FIELD.") % {"number": number}
                )
            mapping[name.strip()] = column.strip()
        return mapping


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["__str__", "started", "user", "status", "created_count", "updated_count", "skipped_count"]
    list_filter = ["status"]
    readonly_fields = [
        "started",
        "finished",
        "user",
        "files",
        "options",
        "status",
        "progress",
        "heartbeat",
        "counts",
        "report",
    ]
    actions = ["undo", "run_again"]
    change_list_template = "admin/archive/importrun/change_list.html"
    change_form_template = "admin/archive/importrun/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the record of an import is kept; undo it instead

    def changelist_view(self, request, extra_context=None):
        runs.mark_interrupted_runs()  # a run whose process died never shows as running
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        runs.mark_interrupted_runs()
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=gettext_lazy("created"))
    def created_count(self, run):
        return run.counts.get("created", 0)

    @admin.display(description=gettext_lazy("updated"))
    def updated_count(self, run):
        return run.counts.get("updated", 0)

    @admin.display(description=gettext_lazy("skipped"))
    def skipped_count(self, run):
        return run.counts.get("skipped", 0)

    @admin.action(description=gettext_lazy("Undo the selected imports"), permissions=["change"])
    def undo(self, request, queryset):
        """Each undo runs as a background job; the run's page shows its progress."""
        for run in queryset.exclude(status=ImportRun.Status.UNDONE):
            if run.status in ImportRun.ACTIVE:
                self.message_user(
                    request,
                    _("Import #%(number)s is %(status)s: undo it once it ends.")
                    % {"number": run.pk, "status": str(run.get_status_display()).lower()},
                    messages.WARNING,
                )
                continue
            runs.claim(run, status=ImportRun.Status.UNDOING, progress="Undo starting.")
            user = request.user.get_username()
            jobs.start_job("undo_import", str(run.pk), "--user", user, log_name=f"undo-{run.pk}")
            self.message_user(
                request,
                _("Import #%(number)s: undo started; its page shows the progress.") % {"number": run.pk},
                messages.SUCCESS,
            )

    @admin.action(
        description=gettext_lazy("Run the selected interrupted uploads again"), permissions=["change"]
    )
    def run_again(self, request, queryset):
        """An interrupted upload resumes: imports are idempotent, so nothing it wrote is doubled."""
        for run in queryset.filter(status__in=[ImportRun.Status.INTERRUPTED, ImportRun.Status.FAILED]):
            upload = run.options.get("upload")
            if not upload or not Path(upload["path"]).is_file():
                self.message_user(
                    request,
                    _("Import #%(number)s: no uploaded file to run again.") % {"number": run.pk},
                    messages.WARNING,
                )
                continue
            _start_import(run, note="\nRun again from the admin.")
            self.message_user(
                request, _("Import #%(number)s: started again.") % {"number": run.pk}, messages.SUCCESS
            )

    def get_urls(self):
        upload = path(
            "upload/", self.admin_site.admin_view(self.upload_view), name="archive_importrun_upload"
        )
        return [upload, *super().get_urls()]

    def upload_view(self, request):
        """Upload one file; a background job imports it with the same service as the command."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            run = _queue_upload(request, form)
            self.message_user(
                request,
                _("Import #%(number)s started; this page shows its progress.") % {"number": run.pk},
                messages.SUCCESS,
            )
            return redirect(reverse("admin:archive_importrun_change", args=[run.pk]))
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "opts": self.model._meta,
            "title": _("Import a file"),
        }
        return TemplateResponse(request, "admin/archive/importrun/upload.html", context)


def _queue_upload(request, form) -> ImportRun:
    """Keep the file where the job can read it, record a queued run, start the job."""
    upload = form.cleaned_data["file"]
    folder = Path(tempfile.mkdtemp(prefix="upload-", dir=_upload_root()))
    target = folder / f"upload{_suffixes(upload.name)}"
    with open(target, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    options = ImportOptions(
        format=form.cleaned_data["format"] or None,
        source=form.cleaned_data["source"] or None,
        mapping=form.cleaned_data["mapping"],
    )
    recorded = {
        **options.__dict__,
        "paths": [str(target)],
        "upload": {"path": str(target), "name": upload.name, "folder": str(folder)},
    }
    run = ImportRun.objects.create(user=request.user, files=[upload.name], options=recorded)
    _start_import(run)
    return run


def _start_import(run: ImportRun, note: str = "") -> None:
    if note:
        ImportRun.objects.filter(pk=run.pk).update(report=run.report + note)
    runs.claim(run, status=ImportRun.Status.QUEUED, progress="Waiting for the import job to start.")
    jobs.start_job("import_articles", "--run", str(run.pk), log_name=f"import-{run.pk}")


def _upload_root() -> Path:
    jobs.UPLOAD_ROOT.mkdir(parents=True, exist_ok=True)
    return jobs.UPLOAD_ROOT


def _suffixes(name: str) -> str:
    """The file's extensions (they tell the format), kept to safe characters."""
    return "".join(s for s in Path(name).suffixes if s[1:].isalnum())[-12:]
