"""The editors' desk: articles, places, topics and sources in the Django admin."""

from django.contrib import admin, messages
from django.db import models
from django.db.models import Q
from django.utils import timezone

from archive import search
from archive.models import Article, Place, Source, Topic, lookup_key

# An address typed without a scheme is taken as https (Django 6.0's default).
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = ["name", "slug", "country", "language"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class TreeNodeAdmin(admin.ModelAdmin):
    """Places and topics: edited with their parents and aliases, found by any alias."""

    list_display = ["name", "slug", "kind", "parent"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}

    def get_search_results(self, request, queryset, search_term):
        """Name and slug as usual, plus a whole-value match on any alias (accent- and case-insensitive)."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        key = lookup_key(search_term)
        if key:
            results = results | queryset.filter(Q(alias_keys__contains=[key]) | Q(slug__startswith=key))
        return results, may_have_duplicates


@admin.register(Place)
class PlaceAdmin(TreeNodeAdmin):
    fields = ["name", "slug", "kind", "parent", "aliases", "latitude", "longitude"]


@admin.register(Topic)
class TopicAdmin(TreeNodeAdmin):
    fields = ["name", "slug", "kind", "parent", "aliases", "description"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = ["headline", "published_on", "source", "status", "updated"]
    list_filter = [
        "status",
        ("source", admin.RelatedOnlyFieldListFilter),
        ("topics", admin.RelatedOnlyFieldListFilter),
        ("places", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["source"]
    date_hierarchy = "published_on"
    search_fields = ["headline"]  # the stored vector does the real work in get_search_results
    search_help_text = (
        "Full-text search of headline, summary, body, byline and dateline (an id finds one article)."
    )
    autocomplete_fields = ["source", "places", "topics"]
    actions = ["publish", "unpublish"]
    readonly_fields = ["created", "updated"]
    fieldsets = [
        (None, {"fields": ["headline", "published_on", "status", "body"]}),
        ("Description", {"fields": ["summary", "byline", "dateline", "agency", "source", "language"]}),
        ("Places and topics", {"fields": ["places", "topics"]}),
        ("Origin", {"fields": ["url", "external_id", "published_at", "created", "updated"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body", "search_vector")

    def get_search_results(self, request, queryset, search_term):
        """Search through the stored vector (search_fields = ["@body"] would build a new one)."""
        text = search.clean_query_text(search_term)
        if not text:
            return queryset, False
        matches = Q(search_vector=search.parse_query(text))
        if text.isdigit():
            matches |= Q(pk=int(text))
        return queryset.filter(matches), False

    @admin.action(description="Publish the selected articles", permissions=["change"])
    def publish(self, request, queryset):
        count = queryset.update(status=Article.Status.PUBLISHED, updated=timezone.now())
        self.message_user(request, f"{count} article(s) published.", messages.SUCCESS)

    @admin.action(description="Unpublish the selected articles (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        count = queryset.update(status=Article.Status.DRAFT, updated=timezone.now())
        self.message_user(request, f"{count} article(s) set back to draft.", messages.SUCCESS)
