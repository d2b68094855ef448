"""The one FilterSet behind the search page, the API and exports.

django-filter's `.qs` silently drops invalid values; callers check `is_valid()` first and show the
errors instead (see result.run).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from archive import tag_origins
from archive.dates import article_date_problem
from archive.models import Article, Collection, CollectionItem, Place, Source, Topic
from archive.search import compiler
from archive.search.match_summary import effective_agency
from archive.text_config import LANGUAGE_CODE

SORTS = [
    ("relevance", gettext_lazy("most relevant first")),
    ("newest", gettext_lazy("newest first")),
    ("oldest", gettext_lazy("oldest first")),
]
COLLAPSES = [("story", gettext_lazy("Count each story once"))]
PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class ListWidget(forms.Widget):
    """Every value of a repeated parameter."""

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if values is None:
            return []
        return values if isinstance(values, list) else [values]


# The error for a name that matches nothing, per kind of node (label_name).
NO_NODE_CALLED = {
    "place": gettext_lazy("There is no place called “%(name)s”."),
    "topic": gettext_lazy("There is no topic called “%(name)s”."),
    "person": gettext_lazy("There is no person called “%(name)s”."),
    "organisation": gettext_lazy("There is no organisation called “%(name)s”."),
}


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
            raise forms.ValidationError(NO_NODE_CALLED[self.label_name] % {"name": name[:60]})
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
        tagged = self.parent.form.cleaned_data.get("tagged") if self.parent else None
        if tagged:
            return self._filter_by_links(qs, value, tagged)
        column = f'"{Article._meta.db_table}"."{self.rollup}"'
        for group in value or []:
            ids = [node.pk for node in group]
            qs = qs.filter(RawSQL(f"{column} && %s::integer[]", [ids], output_field=BooleanField()))
        return qs

    def _filter_by_links(self, qs, value, tagged: list[str]):
        """Under `tagged=`: a link of one of those provenances to a node of the group's subtrees."""
        name = "places" if self.rollup == "rollup_place_ids" else "topics"
        table, column = tag_origins.LINK_TABLES[name]
        model = Place if name == "places" else Topic
        for group in value or []:
            ids = model.objects.subtree_ids(group)
            condition = (
                f"EXISTS (SELECT 1 FROM {table} link WHERE link.article_id = "
                f'"{Article._meta.db_table}"."id" AND link.provenance = ANY(%s) AND link.{column} = ANY(%s))'
            )
            qs = qs.filter(RawSQL(condition, [tagged, ids], output_field=BooleanField()))
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
                _("“%(text)s” is not a date: use YYYY, YYYY-MM or YYYY-MM-DD.") % {"text": text[:20]}
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
            raise forms.ValidationError(
                _("There is no source called “%(name)s”.") % {"name": unknown[0][:60]}
            )
        return sources


class SourcesFilter(django_filters.Filter):
    field_class = SourcesField

    def filter(self, qs, value):
        return qs.filter(source__in=value) if value else qs


MAX_LANGUAGES = 20


class LanguagesField(forms.CharField):
    """`fr` or `en,fr` (any of them): ISO codes, lower-cased; anything else is a clear error."""

    def to_python(self, value):
        codes = [c.strip().lower() for c in (super().to_python(value) or "").split(",") if c.strip()]
        wrong = [c for c in codes if not LANGUAGE_CODE.match(c)]
        if wrong:
            raise forms.ValidationError(
                _("“%(code)s” is not a language code (fr, en, und …).") % {"code": wrong[0][:20]}
            )
        if len(codes) > MAX_LANGUAGES:
            raise forms.ValidationError(_("At most %(count)s languages at once.") % {"count": MAX_LANGUAGES})
        return list(dict.fromkeys(codes))


class LanguagesFilter(django_filters.Filter):
    field_class = LanguagesField

    def filter(self, qs, value):
        return qs.filter(language__in=value) if value else qs


class TaggedField(forms.CharField):
    """`editor` or `editor,import` (any of them): how the tags that count came (tag_origins)."""

    def to_python(self, value):
        kinds = [k.strip().lower() for k in (super().to_python(value) or "").split(",") if k.strip()]
        wrong = [k for k in kinds if k not in tag_origins.PROVENANCES]
        if wrong:
            raise forms.ValidationError(
                _("“%(value)s” is not how a tag came: editor, import or found.") % {"value": wrong[0][:20]}
            )
        return list(dict.fromkeys(kinds))


class TaggedFilter(django_filters.Filter):
    field_class = TaggedField


class AgenciesField(forms.CharField):
    """`AFP` or `AFP,Reuters` (any of them), as the Agency facet writes them."""

    def to_python(self, value):
        names = [n.strip() for n in (super().to_python(value) or "").split(",") if n.strip()]
        if len(names) > MAX_LANGUAGES:
            raise forms.ValidationError(_("At most %(count)s agencies at once.") % {"count": MAX_LANGUAGES})
        return list(dict.fromkeys(names))


class AgenciesFilter(django_filters.Filter):
    field_class = AgenciesField

    def filter(self, qs, value):
        return (
            qs.alias(effective_agency=effective_agency()).filter(effective_agency__in=value) if value else qs
        )


class CollectionField(forms.CharField):
    """A collection's slug; which collections resolve depends on who searches (set by ArticleFilter)."""

    viewer = None

    def to_python(self, value):
        slug = (super().to_python(value) or "").strip()
        if not slug:
            return None
        collection = Collection.objects.visible_to(self.viewer).filter(slug=slug).first()
        if collection is None:  # another researcher's private collection reads as no collection at all
            raise forms.ValidationError(_("There is no collection called “%(name)s”.") % {"name": slug[:60]})
        return collection


class CollectionFilter(django_filters.Filter):
    """Articles in one collection (one its searcher may see)."""

    field_class = CollectionField

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(pk__in=CollectionItem.objects.filter(collection=value).values("article_id"))


class ArticleFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and end < start:
            raise forms.ValidationError(_("“to” is before “from”: no date can be in that range."))
        return cleaned


@dataclass(frozen=True)
class FilterSpec:
    """One search parameter of the FilterSet, and how the rest of the search treats it.

    `browse`: how the archive-wide browse counts may answer a search using it — "dates", "node" or
    "source" (each within that module's own rules), "ignore" (it changes no count), or "never"
    (the default: a new filter is counted over its matches until someone says otherwise).
    `baseline`: kept in the share's denominator (the same search without its words).
    """

    name: str
    description: str
    chip: bool = False
    chip_label: str | Promise = ""  # what its chip calls it (translated when shown); else its name
    facet: str | Promise = ""  # the title of its facet, when it has one (translated when shown)
    browse: str = "never"
    baseline: bool = True


# The search parameters, declared once: chips, facet titles, browse-count eligibility, the share's
# baseline and the OpenAPI parameters read this list (a test checks it against the FilterSet).
FILTERS = (
    FilterSpec(
        "q",
        'Words in the query language: "phrase", OR, -word, prefix*, headline:word, "a b"~5, exact:word.',
        baseline=False,
    ),
    FilterSpec(
        "exact",
        "true: match words as written (no stemming, stop words kept).",
        browse="ignore",
        baseline=False,
    ),
    FilterSpec(
        "from",
        "Earliest date, inclusive: YYYY, YYYY-MM or YYYY-MM-DD.",
        chip=True,
        chip_label=pgettext_lazy("filter chip", "from"),
        browse="dates",
    ),
    FilterSpec(
        "to",
        "Latest date, inclusive: YYYY, YYYY-MM or YYYY-MM-DD.",
        chip=True,
        chip_label=pgettext_lazy("filter chip", "to"),
        browse="dates",
    ),
    FilterSpec(
        "place",
        "Place slug or alias, including everything inside it; a comma means any; repeat for all.",
        chip=True,
        chip_label=pgettext_lazy("filter chip", "place"),
        facet=gettext_lazy("Places"),
        browse="node",
    ),
    FilterSpec(
        "topic",
        "Topic slug or alias, same rules as place.",
        chip=True,
        chip_label=pgettext_lazy("filter chip", "topic"),
        facet=gettext_lazy("Topics"),
        browse="node",
    ),
    FilterSpec(
        "person",
        "A topic of kind person, same rules.",
        chip=True,
        chip_label=pgettext_lazy("filter chip", "person"),
        facet=gettext_lazy("People"),
        browse="node",
    ),
    FilterSpec(
        "organisation",
        "A topic of kind organisation, same rules.",
        chip=True,
        chip_label=pgettext_lazy("filter chip", "organisation"),
        facet=gettext_lazy("Organisations"),
        browse="node",
    ),
    FilterSpec(
        "source",
        "Source slug; a comma means any.",
        chip=True,
        chip_label=pgettext_lazy("filter chip", "source"),
        facet=gettext_lazy("Sources"),
        browse="source",
    ),
    FilterSpec(
        "language",
        "ISO 639-1 code (und: undetermined); a comma means any.",
        chip=True,
        chip_label=pgettext_lazy("filter chip", "language"),
        facet=gettext_lazy("Language"),
    ),
    FilterSpec(
        "agency",
        "Agency (AFP, Reuters …) as the facet names it: given, read from the credit line, or the story's; "
        "a comma means any.",
        chip=True,
        chip_label=pgettext_lazy("filter chip", "agency"),
        facet=gettext_lazy("Agency"),
    ),
    FilterSpec(
        "story",
        "A story id (/stories/<id>/): every copy of that one story.",
        chip=True,
        chip_label=pgettext_lazy("filter chip", "story"),
    ),
    FilterSpec(
        "tagged",
        "editor, import or found (a comma means any): only tags that came that way count, in the place, "
        "topic, person and organisation filters and facets (editor,import: the tags people gave).",
        chip=True,
        chip_label=pgettext_lazy("filter chip", "tags given by"),
    ),
    FilterSpec(
        "collapse",
        "story: count each story once (its copies together): totals, facets, timelines, results, exports.",
    ),
    FilterSpec(
        "collection",
        "A collection's slug (/collections/<slug>/): only its articles; private ones for their owner only.",
        chip=True,
        chip_label=pgettext_lazy("filter chip", "collection"),
    ),
    FilterSpec(
        "added_after",
        "Only articles added to the archive after this moment (ISO 8601, e.g. 2026-12-01T09:00:00Z): "
        "what a saved search calls new.",
        chip=True,
        chip_label=pgettext_lazy("filter chip", "added after"),
    ),
    FilterSpec("sort", "relevance (default with q), newest (default without), oldest.", browse="ignore"),
)
FILTERS_BY_NAME = {spec.name: spec for spec in FILTERS}


def filters_where(**wanted) -> tuple[str, ...]:
    """The names of the filters whose attributes have these values, in declaration order."""
    return tuple(spec.name for spec in FILTERS if all(getattr(spec, k) == v for k, v in wanted.items()))


class ArticleFilter(django_filters.FilterSet):
    """Search and filter parameters shared by the search page, the API and exports."""

    q = django_filters.CharFilter(method="filter_q", label=gettext_lazy("Words to find"))
    exact = django_filters.BooleanFilter(
        method="keep",
        label=gettext_lazy("Exact words (no stemming, stop words kept)"),
        widget=forms.CheckboxInput,
    )
    # `from` is a Python keyword
    locals()["from"] = PartialDateFilter(last=False, label=gettext_lazy("From"))
    to = PartialDateFilter(last=True, label=gettext_lazy("To"))
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
    source = SourcesFilter(label=gettext_lazy("Source"))
    language = LanguagesFilter(label=gettext_lazy("Language"), max_length=200)
    agency = AgenciesFilter(label=gettext_lazy("Agency"), max_length=500)
    story = django_filters.NumberFilter(
        field_name="story_member__story_id", label=gettext_lazy("Story"), min_value=1, max_value=2**31 - 1
    )
    tagged = TaggedFilter(method="keep", label=gettext_lazy("Tags given by"))
    collapse = django_filters.ChoiceFilter(
        choices=COLLAPSES, method="keep", empty_label=gettext_lazy("count every copy")
    )
    collection = CollectionFilter(label=gettext_lazy("Collection"))
    added_after = django_filters.IsoDateTimeFilter(
        field_name="made_public_at", lookup_expr="gt", label=gettext_lazy("Added after")
    )
    sort = django_filters.ChoiceFilter(choices=SORTS, method="keep", empty_label=gettext_lazy("default"))

    class Meta:
        model = Article
        fields: list[str] = []
        form = ArticleFilterForm

    def __init__(self, *args, viewer=None, **kwargs):
        self.viewer = viewer  # who searches: decides which collections `collection=` may name
        super().__init__(*args, **kwargs)

    @property
    def form(self):
        form = super().form
        form.fields["collection"].viewer = self.viewer
        return form

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

    def compiled_query(self) -> compiler.CompiledQuery | None:
        """The parsed and compiled `q` (once per request), or None without `q`."""
        if not hasattr(self, "_compiled"):
            text = (self.form.cleaned_data.get("q") or "").strip()
            exact = bool(self.form.cleaned_data.get("exact"))
            self._compiled = compiler.compile_query(text, exact_mode=exact) if text else None
        return self._compiled
