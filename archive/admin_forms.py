"""Admin forms: optimistic locking and the duplicate warning for articles."""

from __future__ import annotations

import json

from django import forms
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reversion.models import Version

from archive.dates import article_date_problem
from archive.models import Article

COMPARED_FIELDS = [
    "headline",
    "summary",
    "body",
    "byline",
    "dateline",
    "agency",
    "source",
    "url",
    "external_id",
    "language",
    "published_on",
    "published_at",
    "status",
    "places",
    "topics",
]


def _state_at_version(article: Article, number: int) -> dict | None:
    """The article's stored fields as they were at version `number`, from its revisions."""
    for version in Version.objects.get_for_object(article):
        fields = json.loads(version.serialized_data)[0]["fields"]
        if fields.get("version") == number:
            return fields
    return None


def _shown(value) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value if value is not None else "")
    return text if len(text) <= 120 else text[:117] + "…"


def changed_meanwhile(article: Article, since_version: int) -> list[tuple[str, str, str]]:
    """(field, value when the editor opened it, value saved since) for every field changed meanwhile."""
    latest = Version.objects.get_for_object(article).first()
    current = json.loads(latest.serialized_data)[0]["fields"] if latest else None
    before = _state_at_version(article, since_version)
    if not current or not before:
        return []
    return [
        (name, _shown(before.get(name)), _shown(current.get(name)))
        for name in COMPARED_FIELDS
        if before.get(name) != current.get(name)
    ]


class ArticleAdminForm(forms.ModelForm):
    """Refuses a save based on an out-of-date version, and warns before adding a likely duplicate."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    url = forms.URLField(
        max_length=2000,
        required=False,
        assume_scheme="https",
        help_text=gettext_lazy("The original's address."),
    )
    confirm_duplicate = forms.BooleanField(
        required=False,
        label=gettext_lazy("Save anyway"),
        help_text=gettext_lazy(
            "Tick to add this article although one with the same headline, date and source exists."
        ),
    )

    class Meta:
        model = Article
        fields = [*COMPARED_FIELDS, "version"]

    def clean_published_on(self):
        day = self.cleaned_data["published_on"]
        if problem := article_date_problem(day):
            raise forms.ValidationError(problem, code="out_of_range")
        return day

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self._refuse_stale_version(cleaned.get("version"))
        else:
            self._warn_about_duplicates(cleaned)
        return cleaned

    def _refuse_stale_version(self, submitted: int | None) -> None:
        current = (
            Article.objects.select_for_update(of=("self",))
            .filter(pk=self.instance.pk)
            .values("version", "updated", "updated_by__username")
            .first()
        )
        if current is None or submitted == current["version"]:
            return
        changes = changed_meanwhile(self.instance, submitted or 0)
        details = (
            format_html_join("", "<li><strong>{}</strong>: “{}” → “{}”</li>", changes) if changes else ""
        )
        explanation = format_html(
            _(
                "Not saved: {user} saved this article at {time} while you were editing it "
                "(version {submitted} → {current}). Your changes are still in the form below; "
                "reload the page to see theirs, then apply yours again."
            ),
            user=current["updated_by__username"] or _("someone"),
            time=current["updated"].strftime("%Y-%m-%d %H:%M:%S UTC"),
            submitted=submitted,
            current=current["version"],
        )
        raise forms.ValidationError(
            format_html("{}{}", explanation, format_html("<ul>{}</ul>", details) if details else ""),
            code="stale",
        )

    def _warn_about_duplicates(self, cleaned: dict) -> None:
        url = cleaned.get("url")
        if url:
            same_url = Article.objects.filter(url=url).first()
            if same_url:
                self.add_error(
                    "url",
                    format_html(
                        _('An article with this address already exists: <a href="{url}">{headline}</a>.'),
                        url=reverse("admin:archive_article_change", args=[same_url.pk]),
                        headline=same_url.headline,
                    ),
                )
        same = Article.objects.filter(
            headline__iexact=(cleaned.get("headline") or "").strip(),
            published_on=cleaned.get("published_on"),
            source=cleaned.get("source"),
        ).first()
        if same and not cleaned.get("confirm_duplicate"):
            raise forms.ValidationError(
                format_html(
                    _(
                        'Possible duplicate: <a href="{url}">{headline}</a> has the same headline, date '
                        "and source. Tick “Save anyway” to add this one too."
                    ),
                    url=reverse("admin:archive_article_change", args=[same.pk]),
                    headline=same.headline,
                ),
                code="duplicate",
            )
