"""The editors' desk: articles, places, topics and sources in the Django admin, with revisions."""

import datetime as dt

from django.contrib import admin, messages
from django.db import models
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from reversion_compare.admin import CompareVersionAdmin

from archive import (
    admin_imports,  # noqa: F401  (admin_imports registers the import admin)
    tag_origins,
)
from archive.admin_forms import ArticleAdminForm
from archive.dates import article_date_warning
from archive.models import Article, Place, Source, Topic, TreeMerge, lookup_key
from archive.search import textsearch
from archive.services import editing, merge_undo, revision_tags

# An address typed without a scheme is taken as https (Django 6.0's default).
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


class DeskRevisionsMixin:
    """Revisions the desk's way: one per object changed by an action, and one just before a deletion."""

    def changelist_view(self, request, extra_context=None):
        # VersionAdmin wraps actions in one shared revision; the services write one per object instead.
        context = {"has_change_permission": self.has_change_permission(request), **(extra_context or {})}
        return admin.ModelAdmin.changelist_view(self, request, context)

    def delete_model(self, request, obj):
        with self.create_revision(request):
            obj.save()
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Source)
class SourceAdmin(DeskRevisionsMixin, CompareVersionAdmin):
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = ["name", "slug", "country", "language"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


# Per kind of tree node: the merge page's title, the tag form's title, the error for a name that
# matches nothing, and the message once articles are tagged.
TAG_PROVENANCE_LABELS = (
    (tag_origins.EDITOR, gettext_lazy("given by an editor")),
    (tag_origins.IMPORT, gettext_lazy("from the import's metadata")),
    (tag_origins.FOUND, gettext_lazy("found in the text")),
)
MERGE_TITLES = {Place: gettext_lazy("Merge places"), Topic: gettext_lazy("Merge topics")}
ADD_TAG_TITLES = {Place: gettext_lazy("Add a place"), Topic: gettext_lazy("Add a topic")}
NO_TAG_CALLED = {
    Place: gettext_lazy("No place called “%(name)s”."),
    Topic: gettext_lazy("No topic called “%(name)s”."),
}


def _tag_added(model, node, count: int) -> str:
    if model is Place:
        text = ngettext(
            "Added place %(name)s to %(count)s article.", "Added place %(name)s to %(count)s articles.", count
        )
    else:
        text = ngettext(
            "Added topic %(name)s to %(count)s article.", "Added topic %(name)s to %(count)s articles.", count
        )
    return text % {"name": node.name, "count": count}


class TreeNodeAdmin(DeskRevisionsMixin, CompareVersionAdmin):
    """Places and topics: edited with their parents and aliases, found by any alias, merged."""

    list_display = ["name", "slug", "kind", "parent"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge"]

    def get_search_results(self, request, queryset, search_term):
        """Name and slug as usual, plus a whole-value match on any alias (accent- and case-insensitive)."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        key = lookup_key(search_term)
        if key:
            results = results | queryset.filter(Q(alias_keys__contains=[key]) | Q(slug__startswith=key))
        return results, may_have_duplicates

    @admin.action(
        description=gettext_lazy("Merge the selected duplicates into one"), permissions=["change", "delete"]
    )
    def merge(self, request, queryset):
        nodes = list(queryset.order_by("name"))
        if len(nodes) < 2:
            self.message_user(request, _("Select at least two to merge."), messages.WARNING)
            return None
        keep_id = request.POST.get("keep")
        if keep_id and request.POST.get("confirm") == "yes":
            keep = next((node for node in nodes if str(node.pk) == keep_id), None)
            if keep is not None:
                merge = editing.tree_nodes_merge(keep=keep, merged=nodes, user=request.user)
                self.message_user(
                    request,
                    _("Merged into %(name)s. Undo it from “Merges”: %(merge)s.")
                    % {"name": keep.name, "merge": merge},
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "nodes": nodes,
            "opts": self.model._meta,
            "title": MERGE_TITLES[self.model],
            "action": "merge",
        }
        return TemplateResponse(request, "admin/archive/merge_confirm.html", context)


@admin.register(Place)
class PlaceAdmin(TreeNodeAdmin):
    fields = ["name", "slug", "kind", "parent", "aliases", "latitude", "longitude"]


@admin.register(Topic)
class TopicAdmin(TreeNodeAdmin):
    fields = ["name", "slug", "kind", "parent", "aliases", "description"]


@admin.register(TreeMerge)
class TreeMergeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "created", "created_by", "undone_at"]
    list_filter = ["kind"]
    actions = ["undo"]
    readonly_fields = [
        "kind",
        "kept_name",
        "kept_slug",
        "merged_names",
        "snapshot",
        "created",
        "created_by",
        "undone_at",
        "undone_by",
    ]

    def has_add_permission(self, request):
        return False

    @admin.action(description=gettext_lazy("Undo the selected merges"), permissions=["change"])
    def undo(self, request, queryset):
        for merge in queryset.filter(undone_at__isnull=True):
            try:
                left = merge_undo.tree_merge_undo(merge=merge, user=request.user)
            except merge_undo.MergeUndoRefused as refusal:
                self.message_user(request, _("Not undone: %(reason)s") % {"reason": refusal}, messages.ERROR)
                continue
            self.message_user(request, _("Undid the merge %(merge)s.") % {"merge": merge}, messages.SUCCESS)
            if left:
                self.message_user(
                    request,
                    _("Left as they are (their tags changed after the merge): %(names)s.")
                    % {"names": ", ".join(left[:100])},
                    messages.WARNING,
                )


@admin.register(Article)
class ArticleAdmin(DeskRevisionsMixin, CompareVersionAdmin):
    form = ArticleAdminForm

    def _reversion_revisionform_view(self, request, version, template_name, extra_context=None):
        """Restoring a revision (or recovering a deleted article) gives its tags back as they had
        come — an import's, found, an editor's — not all as the restoring editor's."""
        before = revision_tags.latest_revision_id(version)
        response = super()._reversion_revisionform_view(request, version, template_name, extra_context)
        # A restore that took made a revision of its own; a refused one redirects too, but made none.
        if request.method == "POST" and revision_tags.latest_revision_id(version) != before:
            revision_tags.give_back_tag_origins(version)
        return response

    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = ["headline", "published_on", "source", "status", "updated"]
    list_filter = [
        "status",
        "language",
        "language_detected",
        ("source", admin.RelatedOnlyFieldListFilter),
        ("topics", admin.RelatedOnlyFieldListFilter),
        ("places", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["source"]
    date_hierarchy = "published_on"
    search_fields = ["headline"]  # the stored vector does the real work in get_search_results
    search_help_text = gettext_lazy(
        "Full-text search of headline, summary, body, byline and dateline (an id finds one article)."
    )
    autocomplete_fields = ["source", "places", "topics"]
    actions = ["publish", "unpublish", "add_place", "add_topic", "accept_found_tags", "reject_found_tag"]
    audit_fields = ["created", "created_by", "updated", "updated_by", "made_public_at", "made_public_by"]
    readonly_fields = [*audit_fields, "language_detected", "tag_provenance"]
    fieldsets = [
        (None, {"fields": ["headline", "published_on", "status", "body", "version"]}),
        (
            gettext_lazy("Description"),
            {
                "fields": [
                    *("summary", "byline", "dateline", "agency", "source"),
                    *("language", "language_detected"),
                ]
            },
        ),
        (gettext_lazy("Places and topics"), {"fields": ["places", "topics", "tag_provenance"]}),
        (gettext_lazy("Origin"), {"fields": ["url", "external_id", "published_at"]}),
        (gettext_lazy("Audit"), {"fields": audit_fields}),
    ]

    @admin.display(description=gettext_lazy("Where each tag came from"))
    def tag_provenance(self, obj):
        """Each saved place and topic with its provenance (and a found tag's evidence)."""
        tags = tag_origins.article_tags(obj.pk) if obj and obj.pk else []
        if not tags:
            return "—"
        labels = dict(TAG_PROVENANCE_LABELS)
        return format_html(
            '<ul class="tag-provenance">{}</ul>',
            format_html_join(
                "",
                '<li>{} <span class="provenance-{}">({})</span>{}</li>',
                (
                    (
                        tag["name"],
                        tag["provenance"],
                        labels[tag["provenance"]],
                        format_html(": “{}”", tag["evidence"].get("words", "")) if tag["evidence"] else "",
                    )
                    for tag in tags
                ),
            ),
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:  # the duplicate confirmation only matters when adding
            first = fieldsets[0]
            return [(first[0], {"fields": [*first[1]["fields"], "confirm_duplicate"]}), *fieldsets[1:]]
        return fieldsets

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body", "search_vector", "headline_vector")

    def get_search_results(self, request, queryset, search_term):
        """Search through the stored vector (search_fields = ["@body"] would build a new one)."""
        text = textsearch.clean_query_text(search_term)
        if not text:
            return queryset, False
        matches = Q(search_vector=textsearch.parse_query(text))
        if text.isdecimal():
            matches |= Q(pk=int(text))
        return queryset.filter(matches), False

    def save_model(self, request, obj, form, change):
        if "language" in form.changed_data:
            obj.language_detected = False  # an editor's language: detect_languages leaves it alone
        previous = (
            Article.objects.filter(pk=obj.pk).values_list("status", flat=True).first() if change else None
        )
        editing.article_stamp(article=obj, user=request.user, previous_status=previous)
        obj.version = editing.article_next_version(article=obj) if change else 1
        super().save_model(request, obj, form, change)
        if warning := article_date_warning(obj.published_on, dt.date.today()):
            self.message_user(
                request, _("Saved, but check the date: %(warning)s") % {"warning": warning}, messages.WARNING
            )

    @admin.action(description=gettext_lazy("Publish the selected articles"), permissions=["change"])
    def publish(self, request, queryset):
        count = editing.articles_set_status(
            articles=queryset, status=Article.Status.PUBLISHED, user=request.user
        )
        self.message_user(
            request,
            ngettext("%(count)s article published.", "%(count)s articles published.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=gettext_lazy("Unpublish the selected articles (back to draft)"), permissions=["change"]
    )
    def unpublish(self, request, queryset):
        count = editing.articles_set_status(articles=queryset, status=Article.Status.DRAFT, user=request.user)
        self.message_user(
            request,
            ngettext("%(count)s article set back to draft.", "%(count)s articles set back to draft.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Add a place to the selected articles"), permissions=["change"])
    def add_place(self, request, queryset):
        return self._add_tag(request, queryset, Place)

    @admin.action(description=gettext_lazy("Add a topic to the selected articles"), permissions=["change"])
    def add_topic(self, request, queryset):
        return self._add_tag(request, queryset, Topic)

    @admin.action(
        description=gettext_lazy("Accept the tags found in the text of the selected articles"),
        permissions=["change"],
    )
    def accept_found_tags(self, request, queryset):
        count = editing.articles_accept_found(articles=queryset, user=request.user)
        self.message_user(
            request,
            ngettext(
                "Accepted the found tags of %(count)s article.",
                "Accepted the found tags of %(count)s articles.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=gettext_lazy("Reject a place or topic found in the text of the selected articles"),
        permissions=["change"],
    )
    def reject_found_tag(self, request, queryset):
        """Ask for the place or topic, then take it off the selected articles where it was found."""
        model = Topic if request.POST.get("kind") == "topic" else Place

        def reject(node) -> str:
            count = editing.articles_reject_found(articles=queryset, node=node, user=request.user)
            text = ngettext(
                "Rejected %(name)s on %(count)s article: it will not be found there again.",
                "Rejected %(name)s on %(count)s articles: it will not be found there again.",
                count,
            )
            return text % {"name": node.name, "count": count}

        template = "admin/archive/reject_found_tag.html"
        return self._on_chosen_node(request, queryset, model, reject, template, _("Reject a found tag"))

    def _add_tag(self, request, queryset, model):
        """Ask for the place or topic (name, slug or alias), then tag every selected article."""

        def add(node) -> str:
            count = editing.articles_add_tag(articles=queryset, node=node, user=request.user)
            return _tag_added(model, node, count)

        template = "admin/archive/add_tag.html"
        return self._on_chosen_node(request, queryset, model, add, template, ADD_TAG_TITLES[model])

    def _on_chosen_node(self, request, queryset, model, apply, template: str, title):
        """Ask for a place or topic (name, slug or alias) with `template`; once it is found, `apply(node)`
        and show what it says."""
        name = request.POST.get("tag", "").strip()
        if name:
            node = model.objects.matching(name).first()
            if node is None:
                self.message_user(request, NO_TAG_CALLED[model] % {"name": name}, messages.ERROR)
            else:
                self.message_user(request, apply(node), messages.SUCCESS)
                return None
        context = {
            **self.admin_site.each_context(request),
            "articles": queryset,
            "opts": self.model._meta,
            "title": title,
            "label": model._meta.verbose_name,
            "action": request.POST.get("action"),
        }
        return TemplateResponse(request, template, context)
