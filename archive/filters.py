"""The one FilterSet behind the search page, the API and exports.

django-filter's `.qs` silently drops invalid values; callers check `is_valid()` first and show the
errors instead (see selectors.article_search).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

import django_filters
from django import forms
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from archive import query_compiler
from archive.dates import article_date_problem
from archive.models import Article, Place, Source, Topic

SORTS = [("relevance", "most relevant first"), ("newest", "newest first"), ("oldest", "oldest first")]
PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class ListWidget(forms.Widget):
    """Every value of a repeated parameter."""

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if values is None:
            return []
        return values if isinstance(values, list) else [values]


class NodeGroupsField(forms.Field):
    """place=a,b&place=c → [[a, b], [c]]: a comma means any of them, repeating means all."""

    widget = ListWidget

    def __init__(self, *, model, kind=None, label_name: str, **kwargs):
        self.model, self.kind, self.label_name = model, kind, label_name
        super().__init__(**kwargs)

    def to_python(self, value):
        groups = []
        for raw in value or []:
            names = [name.strip() for name in str(raw).split(",") if name.strip()]
            if names:
                groups.append([self._node(name) for name in names])
        return groups

    def _node(self, name: str):
        nodes = self.model.objects.matching(name)
        if self.kind:
            nodes = nodes.filter(kind=self.kind)
        node = nodes.first()
        if node is None:
            raise forms.ValidationError(f"There is no {self.label_name} called “{name[:60]}”.")
        return node


class NodeGroupsFilter(django_filters.Filter):
    """Articles tagged within every group (within any node of a group, at any depth).

    Each article's rolled-up ids hold every node it sits in, ancestors included (migration 0014), so
    "inside any node of the group" is one array overlap, served by a GIN index and estimated by
    PostgreSQL from the arrays' element statistics (it knows `usa` holds 58 % of the archive).
    """

    field_class = NodeGroupsField

    def __init__(self, *, rollup: str, **kwargs):
        self.rollup = rollup
        super().__init__(**kwargs)

    def filter(self, qs, value):
        column = f'"{Article._meta.db_table}"."{self.rollup}"'
        for group in value or []:
            ids = [node.pk for node in group]
            qs = qs.filter(RawSQL(f"{column} && %s::integer[]", [ids], output_field=BooleanField()))
        return qs


class PartialDateField(forms.CharField):
    """YYYY, YYYY-MM or YYYY-MM-DD as the first (or last) day it covers."""

    def __init__(self, *, last: bool, **kwargs):
        self.last = last
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value).strip()
        if not text:
            return None
        match = PARTIAL_DATE.match(text)
        try:
            year, month, day = int(match[1]), int(match[2] or 0), int(match[3] or 0)
            if self.last:
                month = month or 12
                day = day or calendar.monthrange(year, month)[1]
            date = dt.date(year, month or 1, day or 1)
        except (TypeError, ValueError) as error:
            raise forms.ValidationError(
                f"“{text[:20]}” is not a date: use YYYY, YYYY-MM or YYYY-MM-DD."
            ) from error
        problem = article_date_problem(date)
        if problem:
            raise forms.ValidationError(problem)
        return date


class PartialDateFilter(django_filters.Filter):
    field_class = PartialDateField

    def __init__(self, *, last: bool, **kwargs):
        super().__init__(field_name="published_on", lookup_expr="lte" if last else "gte", **kwargs)
        self.extra["last"] = last


class SourcesField(forms.CharField):
    def to_python(self, value):
        slugs = [s.strip() for s in (super().to_python(value) or "").split(",") if s.strip()]
        sources = list(Source.objects.filter(slug__in=slugs))
        unknown = sorted(set(slugs) - {s.slug for s in sources})
        if unknown:
            raise forms.ValidationError(f"There is no source called “{unknown[0][:60]}”.")
        return sources


class SourcesFilter(django_filters.Filter):
    field_class = SourcesField

    def filter(self, qs, value):
        return qs.filter(source__in=value) if value else qs


class ArticleFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and end < start:
            raise forms.ValidationError("“to” is before “from”: no date can be in that range.")
        return cleaned


class ArticleFilter(django_filters.FilterSet):
    """Search and filter parameters shared by the search page, the API and exports."""

    q = django_filters.CharFilter(method="filter_q", label="Words to find")
    exact = django_filters.BooleanFilter(
        method="keep", label="Exact words (no stemming, stop words kept)", widget=forms.CheckboxInput
    )
    locals()["from"] = PartialDateFilter(last=False, label="From")  # `from` is a Python keyword
    to = PartialDateFilter(last=True, label="To")
    place = NodeGroupsFilter(rollup="rollup_place_ids", model=Place, label_name="place")
    topic = NodeGroupsFilter(rollup="rollup_topic_ids", model=Topic, label_name="topic")
    person = NodeGroupsFilter(
        rollup="rollup_topic_ids", model=Topic, kind=Topic.Kind.PERSON, label_name="person"
    )
    organisation = NodeGroupsFilter(
        rollup="rollup_topic_ids",
        model=Topic,
        kind=Topic.Kind.ORGANISATION,
        label_name="organisation",
    )
    source = SourcesFilter(label="Source")
    language = django_filters.CharFilter(field_name="language", max_length=8)
    sort = django_filters.ChoiceFilter(choices=SORTS, method="keep", empty_label="default")

    class Meta:
        model = Article
        fields: list[str] = []
        form = ArticleFilterForm

    def keep(self, queryset, name, value):
        """Parameters that shape the search rather than filter it (read by the selectors)."""
        return queryset

    def filter_q(self, queryset, name, value) -> QuerySet:
        compiled = self.compiled_query()
        if compiled is None:
            return queryset
        if compiled.is_empty:
            return queryset.none()
        return queryset.filter(compiled.condition())

    def compiled_query(self) -> query_compiler.CompiledQuery | None:
        """The parsed and compiled `q` (once per request), or None without `q`."""
        if not hasattr(self, "_compiled"):
            text = (self.form.cleaned_data.get("q") or "").strip()
            exact = bool(self.form.cleaned_data.get("exact"))
            self._compiled = query_compiler.compile_query(text, exact_mode=exact) if text else None
        return self._compiled
