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

from archive.importers.records import CANONICAL_FIELDS
from archive.importers.service import FORMATS, ImportInputError, ImportOptions, article_import
from archive.importers.undo import import_run_undo
from archive.models import ImportRun

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class ImportUploadForm(forms.Form):
    file = forms.FileField(help_text="JSON Lines, CSV or Reuters SGML, optionally gzipped; up to 10 MB.")
    format = forms.ChoiceField(
        choices=[("", "Guess from the file name")] + [(f, f) for f in FORMATS], required=False
    )
    source = forms.CharField(required=False, help_text="The source of every record (created if needed).")
    mapping = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One FIELD=COLUMN per line, e.g. summary=short_description.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                "This file is over 10 MB: import it with the command "
                "`python manage.py import_articles PATH` instead (no size limit there)."
            )
        return upload

    def clean_mapping(self):
        mapping = {}
        for number, line in enumerate(self.cleaned_data["mapping"].splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, column = line.strip().partition("=")
            if not sep or name.strip() not in CANONICAL_FIELDS or not column.strip():
                raise forms.ValidationError(f"Line {number}: expected FIELD=COLUMN with a known FIELD.")
            mapping[name.strip()] = column.strip()
        return mapping


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["__str__", "started", "user", "status", "created_count", "updated_count", "skipped_count"]
    list_filter = ["status"]
    readonly_fields = ["started", "finished", "user", "files", "options", "counts", "status", "report"]
    actions = ["undo"]
    change_list_template = "admin/archive/importrun/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the record of an import is kept; undo it instead

    @admin.display(description="created")
    def created_count(self, run):
        return run.counts.get("created", 0)

    @admin.display(description="updated")
    def updated_count(self, run):
        return run.counts.get("updated", 0)

    @admin.display(description="skipped")
    def skipped_count(self, run):
        return run.counts.get("skipped", 0)

    @admin.action(description="Undo the selected imports", permissions=["change"])
    def undo(self, request, queryset):
        for run in queryset.exclude(status=ImportRun.Status.UNDONE):
            result = import_run_undo(run=run, user=request.user)
            self.message_user(request, f"Import #{run.pk}: {result.summary()}", messages.SUCCESS)

    def get_urls(self):
        upload = path(
            "upload/", self.admin_site.admin_view(self.upload_view), name="archive_importrun_upload"
        )
        return [upload, *super().get_urls()]

    def upload_view(self, request):
        """Upload one file and import it with the same service as the command."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            run = self._import_upload(request, form)
            if run is not None:
                return redirect(reverse("admin:archive_importrun_change", args=[run.pk]))
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "opts": self.model._meta,
            "title": "Import a file",
        }
        return TemplateResponse(request, "admin/archive/importrun/upload.html", context)

    def _import_upload(self, request, form) -> ImportRun | None:
        upload = form.cleaned_data["file"]
        suffix = "".join(Path(upload.name).suffixes)[-12:]
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / f"upload{suffix}"
            with open(target, "wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            options = ImportOptions(
                format=form.cleaned_data["format"] or None,
                source=form.cleaned_data["source"] or None,
                mapping=form.cleaned_data["mapping"],
            )
            try:
                run = article_import(paths=[target], options=options, user=request.user)
            except ImportInputError as error:
                form.add_error("file", str(error).replace(str(target), upload.name))
                return None
        run.files = [upload.name]
        run.report = run.report.replace(str(target), upload.name)
        run.save(update_fields=["files", "report"])
        self.message_user(request, run.report.splitlines()[-1], messages.SUCCESS)
        return run
