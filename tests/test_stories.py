"""Stories on real text: Reuters-21578 and republications of its stories in other outlets."""

from __future__ import annotations

import zlib
from collections import Counter

import pytest
from django.db import connection
from django.http import QueryDict

from archive import search
from archive.derived import stories
from archive.derived.stories import maintain, overlap, reform, shingles
from archive.importers.undo import import_run_undo
from archive.models import Article, StoryLink, StoryMember
from archive.search import match_summary
from tests.factories import make_article
from tests.import_helpers import REUTERS, run_import

pytestmark = pytest.mark.django_db


def story_sets() -> set[frozenset[int]]:
    """Every story of more than one article, as the set of its article ids."""
    by_story: dict[int, set[int]] = {}
    for article_id, story_id in StoryMember.objects.values_list("article_id", "story_id"):
        by_story.setdefault(story_id, set()).add(article_id)
    return {frozenset(members) for members in by_story.values()}


def story_of(article: Article) -> set[int]:
    member = StoryMember.objects.filter(article=article).first()
    if member is None:
        return {article.pk}
    return set(StoryMember.objects.filter(story_id=member.story_id).values_list("article_id", flat=True))


def periods_by_hand(matches) -> dict[str, int]:
    """The stories (a single is its own) with an article of `matches` in each year and month."""
    story_of = dict(StoryMember.objects.values_list("article_id", "story_id"))
    pairs = set()
    for pk, day in matches.values_list("pk", "published_on"):
        pairs |= {(story_of.get(pk, -pk), f"{day:%Y}"), (story_of.get(pk, -pk), f"{day:%Y-%m}")}
    return dict(Counter(period for _, period in pairs))


def assert_story_days_exact() -> None:
    """The kept per-day correction (archive_story_day) gives the archive counted with each story once,
    as collapse=story counts it over every published article; each member's `alone` is what its
    story's days say (unless the story waits for catch_up: then it is not read), and the collapsed
    years and months are the stories counted by hand."""
    every_copy = search.run(QueryDict("collapse=story"), counted=False).every_copy
    summary = match_summary.summarize(every_copy, collapsed=True)  # not the browse counts
    assert match_summary.held_per_day(None, None, collapsed=True) == summary.days
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM archive_story_member kept JOIN (
                SELECT article_id, CASE
                    WHEN count(*) OVER (PARTITION BY story_id, extract(year FROM day)) = 1 THEN 2
                    WHEN count(*) OVER (PARTITION BY story_id, date_trunc('month', day)) = 1 THEN 1
                    ELSE 0 END AS alone
                FROM archive_story_member member
                JOIN (SELECT id AS article_id, published_on::timestamp AS day FROM archive_article) article
                USING (article_id)
            ) now USING (article_id) WHERE now.alone <> kept.alone AND story_id NOT IN (
                SELECT story_id FROM archive_story_member JOIN archive_story_dirty USING (article_id)
            )"""
        )
        assert cursor.fetchone()[0] == 0
    assert summary.periods == periods_by_hand(every_copy)


def _by_external_id(prefix: str) -> dict[str, Article]:
    return {a.external_id: a for a in Article.objects.filter(external_id__startswith=prefix)}


def test_every_republication_lands_in_the_story_of_its_original(reprinted, originals):
    assert reprinted.counts["created"] == 3 * 40 + 5
    for original in originals:
        article = Article.objects.get(source__slug="reuters", external_id=original.external_id)
        copies = {
            Article.objects.get(external_id=f"{kind}-{original.external_id}").pk
            for kind in ("verbatim", "trimmed", "edited")
        }
        members = story_of(article)
        assert copies <= members, original.headline
        # Precision: a copy of another original comes along only with that original (Reuters sent
        # some stories twice: both sendings and all their copies are one story).
        for other in Article.objects.filter(pk__in=members - copies, external_id__contains="-"):
            its_original = Article.objects.get(
                source__slug="reuters", external_id=other.external_id.split("-")[1]
            )
            assert its_original.pk in members, (original.headline, other.headline)


def test_no_roundup_joins_a_story(reprinted):
    roundups = Article.objects.filter(external_id__startswith="roundup-")
    assert roundups.count() == 5
    assert not StoryMember.objects.filter(article__in=roundups).exists()


def test_the_stories_kept_on_import_are_what_find_stories_recomputes(reprinted):
    kept = story_sets()
    assert kept
    assert_story_days_exact()
    stories.find_all()
    assert story_sets() == kept
    assert_story_days_exact()


def test_undoing_the_republications_leaves_the_originals_alone(reprinted, originals):
    import_run_undo(run=reprinted)
    assert not Article.objects.filter(external_id__startswith="verbatim-").exists()
    for original in originals:
        article = Article.objects.get(source__slug="reuters", external_id=original.external_id)
        assert not Article.objects.filter(pk__in=story_of(article), external_id__contains="-").exists()
    kept = story_sets()
    assert_story_days_exact()
    stories.find_all()
    assert story_sets() == kept


def test_an_edit_that_rewrites_a_copy_takes_it_out_of_its_story(
    reprinted, originals, django_capture_on_commit_callbacks
):
    original = Article.objects.get(source__slug="reuters", external_id=originals[0].external_id)
    edited = Article.objects.get(external_id=f"edited-{originals[0].external_id}")
    assert edited.pk in story_of(original)
    with django_capture_on_commit_callbacks(execute=True):  # the admin's save commits: stories follow
        edited.body = "An editor replaced this copy with the outlet's own reporting. " * 8
        edited.save()
    assert edited.pk not in story_of(original)
    assert story_of(edited) == {edited.pk}
    trimmed = Article.objects.get(external_id=f"trimmed-{originals[0].external_id}")
    assert trimmed.pk in story_of(original)
    assert_story_days_exact()
    with django_capture_on_commit_callbacks(execute=True):  # the original's date moves its story's first day
        original.published_on = original.published_on.replace(year=1986)
        original.save()
    assert_story_days_exact()


def test_a_copy_set_back_to_draft_leaves_its_story(reprinted, originals, django_capture_on_commit_callbacks):
    original = Article.objects.get(source__slug="reuters", external_id=originals[1].external_id)
    copy = Article.objects.get(external_id=f"verbatim-{originals[1].external_id}")
    with django_capture_on_commit_callbacks(execute=True):
        copy.status = Article.Status.DRAFT
        copy.save()
    assert copy.pk not in story_of(original)
    assert not StoryMember.objects.filter(article=copy).exists()
    assert_story_days_exact()


def test_reuters_resends_are_found_in_the_collection_itself():
    """reut2-000.sgm holds the same report sent twice (and corrections): they form stories."""
    run_import(REUTERS / "reut2-000.sgm")
    found = story_sets()
    assert found
    headlines = [
        sorted(Article.objects.filter(pk__in=members).values_list("headline", flat=True)) for members in found
    ]
    # Resends keep their headline, or mark it CORRECTED: most stories here share one.
    alike = sum(1 for names in headlines if len({n.removeprefix("CORRECTED - ") for n in names}) == 1)
    assert alike >= len(found) // 2


def test_a_roundup_of_whole_short_stories_does_not_tie_them_together():
    first = "The port authority said on Monday that container traffic rose by a tenth in the first quarter."
    second = "The central bank held its main rate at four percent and said inflation was easing slowly."
    long_roundup = " ".join(
        [first, second] + [f"Item {n} of the weekly digest covers other news." for n in range(30)]
    )
    a, b = shingles.shingles(first), shingles.shingles(second)
    digest = shingles.shingles(long_roundup)
    assert overlap.measure(a, digest).containment == 1.0
    assert not overlap.measure(a, digest).is_copy and not overlap.measure(b, digest).is_copy


def test_the_sample_hash_is_crc32_and_picks_one_gram_in_four():
    grams = shingles.shingles(" ".join(f"word{n}" for n in range(400)))
    picked = shingles.sample(grams)
    assert shingles.stable_hash("abc") == zlib.crc32(b"abc") - 2**32 * (zlib.crc32(b"abc") >= 2**31)
    assert picked == sorted(
        {shingles.stable_hash(g) for g in grams} - {h for h in map(shingles.stable_hash, grams) if h % 4}
    )
    assert 0.15 < len(picked) / len(grams) < 0.35


def test_copies_crediting_reuters_carry_it_and_the_others_inherit_it(reprinted, originals):
    for original in originals[:10]:
        verbatim = Article.objects.get(external_id=f"verbatim-{original.external_id}")  # "LONDON (Reuters) -"
        trimmed = Article.objects.get(external_id=f"trimmed-{original.external_id}")  # "— Reuters"
        edited = Article.objects.get(external_id=f"edited-{original.external_id}")  # no credit line
        assert verbatim.agency == trimmed.agency == "Reuters"
        assert edited.agency == ""
        assert StoryMember.objects.get(article=edited).agency == "Reuters"  # its story's


def test_the_agency_filter_counts_what_the_facet_says(client, reprinted):
    from tests.test_research_search import api, total

    for collapse in ("", "story"):
        facet = api(client, q="oil", collapse=collapse).json()["facets"]["agency"]
        assert facet and facet[0]["value"] == "Reuters"
        for entry in facet:
            assert total(client, q="oil", collapse=collapse, agency=entry["value"]) == entry["count"]
    edited = Article.objects.filter(external_id__startswith="edited-").first()
    assert total(client, agency="Reuters", story=StoryMember.objects.get(article=edited).story_id) >= 4


def _all_pairs_stories(articles: list[Article]) -> set[frozenset[int]]:
    """The stories of these articles as if every pair were measured: components of all copy pairs."""
    grams = {a.pk: shingles.shingles(shingles.article_text(a.body, a.summary)) for a in articles}
    parent = {pk: pk for pk in grams}

    def root(pk: int) -> int:
        while parent[pk] != pk:
            pk = parent[pk]
        return pk

    for first in grams:
        for second in grams:
            if first < second and overlap.measure(grams[first], grams[second]).is_copy:
                parent[max(root(first), root(second))] = min(root(first), root(second))
    groups: dict[int, set[int]] = {}
    for pk in grams:
        groups.setdefault(root(pk), set()).add(pk)
    return {frozenset(group) for group in groups.values() if len(group) > 1}


def test_a_story_joined_through_one_copy_stays_whole_when_that_copy_leaves(db):
    """X copies Z and Y, which are tied only through A. X joins the story by one link (one copy per
    story is measured); when A is rewritten, X still ties Z and Y together, as measuring every pair
    says (the story's members re-link among themselves)."""
    blocks = [" ".join(f"b{n}w{i}" for i in range(40)) for n in range(15)]

    def text(first: int, last: int) -> str:
        return ". ".join(blocks[first : last + 1]) + "."

    z, a, y = (
        make_article(name, body=text(*span))
        for name, span in (("Z", (1, 10)), ("A", (3, 12)), ("Y", (5, 14)))
    )
    stories.catch_up()
    assert story_of(z) == {z.pk, a.pk, y.pk} and _all_pairs_stories([z, a, y]) == story_sets()
    x = make_article("X", body=text(1, 14))
    stories.catch_up()
    assert StoryLink.objects.filter(article_id=x.pk).count() == 1  # one copy of the story measured
    assert story_of(x) == {x.pk, z.pk, a.pk, y.pk}
    a.body = "An editor rewrote this one entirely. " * 20
    a.save()
    stories.catch_up()
    assert story_of(x) == {x.pk, z.pk, y.pk} and story_of(a) == {a.pk}
    assert story_sets() == _all_pairs_stories([x, z, a, y])
    assert_story_days_exact()


def sampled() -> set[int]:
    """The articles with samples in archive_story_sample."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT article_id FROM archive_story_sample")
        return {row[0] for row in cursor.fetchall()}


def same_texts(cursor, *articles: Article) -> dict[int, int]:
    """`_same_texts` of these articles, as if they were being brought up to date."""
    shingled = maintain._shingled({a.pk: shingles.shingles(a.body) for a in articles})
    return maintain._same_texts(cursor, shingled, busy=set(shingled.grams))


def test_the_fingerprint_is_the_set_of_five_grams():
    text = " ".join(f"word{n}" for n in range(60))
    grams = shingles.shingles(text)
    assert shingles.fingerprint(grams) == shingles.fingerprint(set(sorted(grams, reverse=True)))
    assert shingles.fingerprint(grams) != shingles.fingerprint(shingles.shingles(text + " more"))
    assert -(2**63) <= shingles.fingerprint(grams) < 2**63  # a bigint


def test_a_reprint_word_for_word_joins_through_the_article_it_repeats(db):
    """Reprints with the original's very text link to it by its fingerprint, not through candidates;
    the stories are those of every pair measured, before and after the original is rewritten."""
    body = ". ".join(" ".join(f"s{n}w{i}" for i in range(12)) for n in range(10)) + "."
    original = make_article("Original", body=body)
    near = make_article("Near", body=body.replace("s5w3", "changed"))
    stories.catch_up()
    reprints = [make_article(f"Reprint {n}", body=body) for n in range(3)]
    with connection.cursor() as cursor:  # the reprints being brought up to date are never the target
        assert same_texts(cursor, *reprints) == {a.pk: original.pk for a in reprints}
        assert same_texts(cursor, near) == {}
    stories.catch_up()
    assert sampled() == {original.pk, near.pk}  # a reprint's samples would be its original's
    links = StoryLink.objects.filter(article_id__in=[a.pk for a in reprints])
    assert set(links.values_list("article_id", "other_id")) == {(a.pk, original.pk) for a in reprints}
    everyone = [original, near, *reprints]
    assert story_of(original) == {a.pk for a in everyone} == set().union(*_all_pairs_stories(everyone))
    original.body = "An editor rewrote this one entirely. " * 20
    original.save()
    stories.catch_up()
    assert story_of(original) == {original.pk}
    assert story_sets() == _all_pairs_stories(everyone) == {frozenset({near.pk, *(a.pk for a in reprints)})}
    assert sampled() == {near.pk, *(a.pk for a in reprints)}  # re-linked whole, each sampled
    assert_story_days_exact()


@pytest.mark.parametrize("short_queue", [maintain.SHORT_QUEUE, 0], ids=["queue-read-once", "queue-probed"])
def test_a_withdrawn_article_or_a_fingerprint_alone_is_never_joined(db, monkeypatch, short_queue):
    """Whichever way the queue is left out (read into one array, or probed per candidate)."""
    monkeypatch.setattr(maintain, "SHORT_QUEUE", short_queue)
    body = ". ".join(" ".join(f"s{n}w{i}" for i in range(12)) for n in range(10)) + "."
    withdrawn = make_article("Withdrawn", body=body)
    stories.catch_up()
    withdrawn.status = Article.Status.DRAFT
    withdrawn.save()  # queued, its 5-grams' row still kept until it is brought up to date
    reprint = make_article("Reprint", body=body)
    with connection.cursor() as cursor:
        assert same_texts(cursor, reprint) == {}
    stories.catch_up()
    assert story_sets() == set()
    monkeypatch.setattr(shingles, "fingerprint", lambda grams: 42)  # every text collides from here on
    make_article("Other", body=body.replace("s", "t"))
    stories.catch_up()
    late = make_article("Late", body=body.replace("s", "u"))
    with connection.cursor() as cursor:
        assert same_texts(cursor, late) == {}
    stories.catch_up()
    assert story_sets() == set() and not StoryLink.objects.exists()


def test_a_reprint_back_in_a_later_chunk_is_sampled_once(db, monkeypatch):
    """An import batch's reprint whose original is busy in the first chunk is sampled there; pulled
    into a later chunk by a copy that joined its story, it is not sampled again."""
    monkeypatch.setattr(maintain, "CHUNK", 2)
    body = ". ".join(" ".join(f"s{n}w{i}" for i in range(12)) for n in range(10)) + "."
    original = make_article("Original", body=body)
    near = make_article("Near", body=body.replace("s5w3", "changed"))
    stories.catch_up()
    near.body = body.replace("s5w3", "altered")
    near.save()  # queued: its story (and the original) are busy in the first chunk
    reprint = make_article("Reprint", body=body)
    late = make_article("Late copy", body=body.replace("s7w7", "other"))
    stories.catch_up(fresh={reprint.pk: body, late.pk: late.body})
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) - count(DISTINCT (hash, article_id)) FROM archive_story_sample")
        assert cursor.fetchone()[0] == 0
    everyone = [original, near, reprint, late]
    assert story_sets() == _all_pairs_stories(everyone) == {frozenset(a.pk for a in everyone)}
    stories.find_all()
    assert story_sets() == _all_pairs_stories(everyone)


def _story_rows() -> tuple[set[tuple], set[tuple]]:
    """Every member row and every day's story correction (archive_story_day), as kept."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT article_id, story_id, agency, published_on, alone FROM archive_story_member")
        members = set(cursor.fetchall())
        cursor.execute("SELECT day, n FROM archive_story_day WHERE n <> 0")
        return members, set(cursor.fetchall())


def test_a_story_that_only_gains_copies_is_re_formed_from_its_kept_rows(db, monkeypatch):
    """New copies that only join one story are re-formed from the story's kept rows (no walk of its
    links, no read of its members); the rows and days are what recomputing every story gives, and a
    copy naming another agency than the story's, or one joining a single article, goes the long way."""
    texts = [
        ". ".join(" ".join(f"t{t}s{n}w{i}" for i in range(12)) for n in range(10)) + "." for t in range(3)
    ]

    def copy(text: str, word: str) -> str:
        return text.replace("s5w3", word, 1)

    afp = make_article("AFP original", body=texts[0], published_on="2020-01-05", agency="AFP")
    make_article("Plain original", body=texts[1], published_on="2020-03-01")
    make_article("Copy of AFP", body=copy(texts[0], "one"), published_on="2021-06-01")
    make_article("Copy of plain", body=copy(texts[1], "one"), published_on="2020-03-09")
    stories.catch_up()
    joined, narrowed = [], []
    joining, gaining = reform._joining, reform._gaining

    def counted(kept, new):
        rows = joining(kept, new)
        if rows is not None:  # re-formed from the kept rows
            joined.append(set(new))
        return rows

    def narrow(cursor, joins, new):
        gained = gaining(cursor, joins, new)
        joined.extend(gained.values())  # re-formed from the kept rows of the new members' years
        narrowed.extend(gained.values())
        return gained

    monkeypatch.setattr(reform, "_joining", counted)
    monkeypatch.setattr(reform, "_gaining", narrow)
    same_month = make_article("Same month", body=copy(texts[0], "two"), published_on="2020-01-20")
    reprint = make_article("Earlier reprint", body=texts[0], published_on="2019-12-31")
    named = make_article(
        "Names Reuters", body=copy(texts[1], "two"), published_on="2020-02-01", agency="Reuters"
    )
    single = make_article("Single", body=texts[2], published_on="2020-05-05")
    make_article("Copy of single", body=copy(texts[2], "one"), published_on="2020-05-06")
    stories.catch_up()
    assert {same_month.pk, reprint.pk} in joined and {named.pk} in joined
    assert {same_month.pk, reprint.pk} in narrowed  # the AFP story keeps its name and agency
    assert {named.pk} not in narrowed  # the plain story now names Reuters: every row changes
    assert not any(single.pk in group for group in joined)  # a new story: formed whole
    assert StoryMember.objects.get(article=named).agency == "Reuters"  # the plain story's first to name one
    assert StoryMember.objects.get(article=afp).alone == 0  # it shares January 2020 now
    assert StoryMember.objects.get(article=named).alone == 1  # alone in February, not in 2020
    assert_story_days_exact()
    joined.clear()
    other_agency = make_article(
        "Names AP", body=copy(texts[0], "three"), published_on="2018-01-01", agency="AP"
    )
    stories.catch_up()
    assert joined == [] and StoryMember.objects.get(article=other_agency).agency == "AP"  # earliest naming
    kept = _story_rows()
    stories.find_all()
    assert _story_rows() == kept
    assert_story_days_exact()
