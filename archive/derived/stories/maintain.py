"""Bring the stories up to date with the queued articles (archive_story_dirty).

For each queued article: forget its sampled 5-grams and links; if it is published and long enough,
sample its 5-grams again, find the articles sharing enough samples, measure the real overlap with each
(`overlap.measure`) and link the copies — or, when it repeats an article already kept 5-gram for 5-gram,
link it to that article alone and keep no samples of it (`_same_texts`). Then every story the queued
articles were in, or now reach, is re-formed as the connected components of the links (breadth-first
over the link table), each named by its smallest article id. One advisory lock serializes this work, so
two writers never re-form the same story from different snapshots; it is taken last in a write's
transaction, after the row locks, so it cannot close a cycle with them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction

from archive.derived.stories import overlap, reform, shingles
from archive.pg_arrays import int_array

STORY_LOCK = 0x5709_1E5  # pg_advisory_xact_lock key of story maintenance
# Candidates share at least this share of the smaller sample (and two samples): with a containment of
# 0.7 the expected share is 0.7, so a true copy falls under 0.4 only by a rare sampling accident.
CANDIDATE_SHARE = 0.4
CHUNK = 2000  # queued articles brought up to date per statement round (find_all: per transaction)


def _ids(cursor, sql: str, params) -> list[int]:
    cursor.execute(sql, params)
    return [row[0] for row in cursor.fetchall()]


def _texts(cursor, ids: Iterable[int]) -> dict[int, set[str]]:
    """The 5-grams of the published articles among `ids`."""
    cursor.execute(
        "SELECT id, body, summary FROM archive_article WHERE id = ANY(%s::int[]) AND status = 'published'",
        [int_array(ids)],
    )
    return {pk: shingles.shingles(shingles.article_text(body, summary)) for pk, body, summary in cursor}


def _forget(cursor, ids: list[int]) -> None:
    cursor.execute(
        "DELETE FROM archive_story_sample sample USING ("
        "  SELECT article_id, unnest(samples) AS hash FROM archive_story_text"
        "  WHERE article_id = ANY(%s::int[])"
        ") kept WHERE sample.hash = kept.hash AND sample.article_id = kept.article_id",
        [int_array(ids)],
    )
    cursor.execute("DELETE FROM archive_story_text WHERE article_id = ANY(%s::int[])", [int_array(ids)])
    # Links are kept both ways: the reverse rows are found through the forward ones' key.
    cursor.execute(
        "DELETE FROM archive_story_link WHERE (article_id, other_id) IN "
        "(SELECT other_id, article_id FROM archive_story_link WHERE article_id = ANY(%s::int[]))",
        [int_array(ids)],
    )
    cursor.execute("DELETE FROM archive_story_link WHERE article_id = ANY(%s::int[])", [int_array(ids)])


@dataclass
class Shingled:
    """Articles' 5-grams, their samples and fingerprints, by article; `unsampled`: those whose samples
    are not written yet (they repeated an article already kept when they were shingled)."""

    grams: dict[int, set[str]] = field(default_factory=dict)
    samples: dict[int, list[int]] = field(default_factory=dict)
    prints: dict[int, int] = field(default_factory=dict)
    unsampled: set[int] = field(default_factory=set)

    def add(self, pk: int, grams: set[str]) -> None:
        self.grams[pk] = grams
        self.samples[pk], self.prints[pk] = shingles.sample(grams), shingles.fingerprint(grams)

    def take(self, pk: int, other: Shingled) -> None:
        self.grams[pk], self.samples[pk] = other.grams[pk], other.samples[pk]
        self.prints[pk] = other.prints[pk]


def _shingled(texts: dict[int, set[str]]) -> Shingled:
    """The articles long enough to have a copy, among these 5-gram sets."""
    shingled = Shingled()
    for pk, grams in texts.items():
        if len(grams) >= overlap.MIN_SHARED:
            shingled.add(pk, grams)
    return shingled


def _write_texts(cursor, shingled: Shingled) -> None:
    """Each shingled article's row of archive_story_text: its 5-grams counted, sampled, fingerprinted."""
    rows = "".join(
        f"{pk}\t{len(shingled.grams[pk])}\t{{{','.join(map(str, hashes))}}}\t{shingled.prints[pk]}\n"
        for pk, hashes in shingled.samples.items()
    )
    with cursor.connection.cursor().copy(
        "COPY archive_story_text (article_id, grams, samples, fingerprint) FROM STDIN"
    ) as copy:
        copy.write(rows)


def _write_samples(cursor, samples: dict[int, list[int]]) -> None:
    """The articles' sampled hashes, where other articles' candidates look for them."""
    rows = "".join(f"{h}\t{pk}\n" for pk, hashes in samples.items() for h in hashes)
    with cursor.connection.cursor().copy("COPY archive_story_sample (hash, article_id) FROM STDIN") as copy:
        copy.write(rows)


# An up-to-date article with the same 5-grams as each given one: same fingerprint, count and samples
# (the sets themselves are not compared: two different sets agreeing on a 64-bit fingerprint, their
# size and every sampled hash are not a risk worth reading both texts for), the earliest such, not
# one being brought up to date (`busy`) nor waiting to be (queued: its row may be older than its text).
_SAME_TEXTS = """
    SELECT given.pk, kept.article_id
    FROM unnest(%(pks)s::int[], %(prints)s::bigint[], %(sizes)s::int[], %(samples)s::text[])
        AS given (pk, fingerprint, grams, samples)
    CROSS JOIN LATERAL (
        SELECT held.article_id FROM archive_story_text held
        WHERE held.fingerprint = given.fingerprint AND held.grams = given.grams
          AND held.samples = given.samples::int[] AND {not_queued}
        ORDER BY held.article_id LIMIT 1
    ) kept
"""
# How the queue is left out. A short queue (an import batch's, an editor's save) is read once into the
# statement's array; the queue's statistics are always stale (it fills and empties in one transaction),
# and the anti-join was planned as a scan of the queue's whole index for every given article (77 ms a
# batch of a thousand, twice a batch: 29 % of an import writer's time at 200,000 articles; 13 ms read
# once). A long one (find_stories queues the archive) is probed by key per candidate.
_SHORT_QUEUE = (
    "NOT held.article_id = ANY(%(busy)s::int[] || ARRAY(SELECT article_id FROM archive_story_dirty))"
)
_LONG_QUEUE = (
    "NOT held.article_id = ANY(%(busy)s::int[]) AND NOT EXISTS "
    "(SELECT FROM archive_story_dirty queued WHERE queued.article_id = held.article_id)"
)
SHORT_QUEUE = 10_000  # queued articles read into one array at most


def _same_texts(cursor, shingled: Shingled, busy: set[int]) -> dict[int, int]:
    """Per given article that repeats, 5-gram for 5-gram, an up-to-date article outside `busy`: that
    article (the earliest).

    Such a reprint needs neither candidates nor samples of its own. Every copy of it is a copy of the
    article it repeats, which already joined every story holding one; linked to that article alone,
    the reprint is in the same stories as with its candidates measured. And a later copy finds the
    story through that article's samples. When any member of the story changes, the whole story
    re-links with every member busy (`_bring_up_to_date`), so each is then sampled and measured in
    full. At a million replicated articles, counting the samples a reprint shares with every copy
    read ~45 holders per sample, and writing its samples grew the index every candidate search reads.
    """
    pks = list(shingled.grams)
    if not pks:
        return {}
    cursor.execute("SELECT count(*) FROM (SELECT FROM archive_story_dirty LIMIT %s) q", [SHORT_QUEUE + 1])
    short = cursor.fetchone()[0] <= SHORT_QUEUE  # either form leaves out the same rows: only the plan differs
    cursor.execute(
        _SAME_TEXTS.format(not_queued=_SHORT_QUEUE if short else _LONG_QUEUE),
        {
            "pks": int_array(pks),
            "prints": [shingled.prints[pk] for pk in pks],
            "sizes": [len(shingled.grams[pk]) for pk in pks],
            "samples": ["{" + ",".join(map(str, shingled.samples[pk])) + "}" for pk in pks],
            "busy": int_array(busy),
        },
    )
    return dict(cursor.fetchall())


# Candidate pairs counted by PostgreSQL: each queued article's sampled hashes against every holder of
# them (the queued articles' own samples are already written, but for reprints, which need none), the
# pairs sharing two samples or more and `CANDIDATE_SHARE` of the smaller sample kept. Counted in Python
# (a row per holder read back, a dictionary increment each), the import slowed as stories grew: a copy
# of a story of 40 reads 40 holders per sample, and at a million replicated articles the importer's one
# Python thread was the bottleneck (1,500 → 455 articles/s by 409,000, memory growing with the counter).
_CANDIDATES = """
    SELECT counted.pk, counted.other, counted.n FROM (
        SELECT queued.pk, sample.article_id AS other, count(*) AS n
        FROM unnest(%(pks)s::int[], %(hashes)s::int[]) AS queued (pk, hash)
        JOIN archive_story_sample sample ON sample.hash = queued.hash AND sample.article_id <> queued.pk
        GROUP BY 1, 2 HAVING count(*) >= 2
    ) counted
    JOIN archive_story_text mine ON mine.article_id = counted.pk
    JOIN archive_story_text theirs ON theirs.article_id = counted.other
    WHERE counted.n >= %(share)s * least(cardinality(mine.samples), cardinality(theirs.samples))
"""


def _candidates(cursor, samples: dict[int, list[int]]) -> list[tuple[int, int, int]]:
    """Pairs (queued article, other, samples shared) sharing at least two samples and `CANDIDATE_SHARE`
    of the smaller sample; two queued articles once."""
    pairs = [(pk, h) for pk, hashes in samples.items() for h in hashes]
    cursor.execute(
        _CANDIDATES,
        {
            "pks": int_array(pk for pk, _ in pairs),
            "hashes": int_array(h for _, h in pairs),
            "share": CANDIDATE_SHARE,
        },
    )
    return [(pk, other, n) for pk, other, n in cursor.fetchall() if other not in samples or pk < other]


def _story_of(cursor, ids: set[int]) -> dict[int, int]:
    """The story of each of `ids` (an article in none is its own: -id)."""
    cursor.execute(
        "SELECT article_id, story_id FROM archive_story_member WHERE article_id = ANY(%s::int[])",
        [int_array(ids)],
    )
    return {**{pk: -pk for pk in ids}, **dict(cursor.fetchall())}


def _link(
    cursor, grams: dict[int, set[str]], samples: dict[int, list[int]], same: dict[int, int]
) -> list[tuple[int, int]]:
    """Link each queued article to its copies; returns the links written (both ways).

    Two queued articles are always measured. Against the rest of the archive, one copy per story is
    enough to join it: the candidates of each (queued article, story) are measured best first (most
    samples shared) until one is a copy. The components are the same as with every copy linked
    (each queued article still joins every story holding a copy of it), and an article that leaves a
    story re-links the story's other members among themselves (`_bring_up_to_date`). Without this, a
    copy of a story of 45 was measured against all 45, whose texts were read and shingled: a million
    replicated Reuters articles imported at 1,500/s falling to 470/s, the importer's memory growing.
    An article in `same` (see `_same_texts`) is linked to the article it repeats, without candidates.
    """
    candidates = _candidates(cursor, {pk: hashes for pk, hashes in samples.items() if pk not in same})
    pairs = [(pk, other) for pk, other, _ in candidates if other in grams]
    outside = sorted((c for c in candidates if c[1] not in grams), key=lambda c: (-c[2], c[1]))
    story_of = _story_of(cursor, {other for _, other, _ in outside})
    waiting: dict[tuple[int, int], list[int]] = {}
    for pk, other, _ in outside:
        waiting.setdefault((pk, story_of[other]), []).append(other)
    links = [link for pk, other in pairs for link in _copy_links(pk, other, grams.get(pk), grams.get(other))]
    links += [link for pk, other in same.items() for link in _copy_links(pk, other, grams[pk], grams[pk])]
    known: dict[int, set[str]] = {}
    while waiting:  # a round: the best untried candidate of each (article, story) not yet joined
        tried = [(key, others.pop(0)) for key, others in waiting.items()]
        known.update(_texts(cursor, {other for _, other in tried} - known.keys()))
        for (pk, story), other in tried:
            found = _copy_links(pk, other, grams.get(pk), known.get(other))
            links += found
            if found or not waiting[pk, story]:
                del waiting[pk, story]
    cursor.execute(
        "INSERT INTO archive_story_link (article_id, other_id, overlap) "
        "SELECT * FROM unnest(%s::int[], %s::int[], %s::real[]) ON CONFLICT DO NOTHING",
        [[a for a, _, _ in links], [b for _, b, _ in links], [o for _, _, o in links]],
    )
    return [(a, b) for a, b, _ in links]


def _copy_links(pk: int, other: int, grams: set[str] | None, other_grams: set[str] | None) -> list[tuple]:
    """Both directions of the link when the two are copies (no text: not published, never a copy)."""
    if grams is None or other_grams is None:
        return []
    measured = overlap.measure(grams, other_grams)
    if not measured.is_copy:
        return []
    return [(pk, other, measured.containment), (other, pk, measured.containment)]


def _take_story_lock(cursor) -> None:
    """The story lock, taken after the locks the story writes would otherwise wait for under it: a
    member written marks the browse counts stale (archive_browse_state's one row), so a writer that
    marked them first and then waits for the story lock would close a cycle (seen as a deadlock
    between an import batch and an editor's save). The row is locked first, with the member table
    against a refresh meanwhile, and only then the story lock."""
    cursor.execute("LOCK TABLE archive_story_member IN ROW EXCLUSIVE MODE")
    cursor.execute("SELECT 1 FROM archive_browse_state FOR UPDATE")
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [STORY_LOCK])


def _take_queued(cursor, limit: int | None) -> list[int]:
    """Remove and return the queued articles (the `limit` first). The rows are looked up by key: the
    queue's statistics are always stale (it fills and empties in one transaction), and a semi-join on
    it was planned as a nested loop, quadratic in the batch (0.2 s a batch of a thousand)."""
    if limit is None:
        return _ids(cursor, "DELETE FROM archive_story_dirty RETURNING article_id", [])
    return _ids(
        cursor,
        "DELETE FROM archive_story_dirty WHERE article_id = ANY(ARRAY("
        "SELECT article_id FROM archive_story_dirty ORDER BY article_id LIMIT %s)) RETURNING article_id",
        [limit],
    )


def _prepare(cursor, fresh: dict[int, str]) -> Shingled:
    """The 5-grams of this transaction's new articles, their rows kept and, unless they repeat an
    article already kept, their samples (no lock needed: no other transaction sees these articles
    yet, and a concurrent one's new articles are compared with these by whichever of the two takes
    the story lock second). A reprint's samples wait: under the lock it is checked again and, if what
    it repeated has changed meanwhile, its samples are written then (`_bring_up_to_date`)."""
    prepared = _shingled({pk: shingles.shingles(text) for pk, text in fresh.items()})
    if prepared.grams:
        _write_texts(cursor, prepared)
        prepared.unsampled = set(_same_texts(cursor, prepared, busy=set(prepared.grams)))
        _write_samples(cursor, {pk: h for pk, h in prepared.samples.items() if pk not in prepared.unsampled})
    return prepared


# The articles of the stories the given ones are in, or reach by a link: an article deleted while
# another writer linked a copy to it was re-formed without a member row of its own, but its links
# still lead to the story it left behind.
_BEFORE = """
    SELECT article_id FROM archive_story_member WHERE story_id IN (
        SELECT story_id FROM archive_story_member WHERE article_id = ANY(%(ids)s::int[])
        UNION ALL
        SELECT member.story_id FROM archive_story_link link
        JOIN archive_story_member member ON member.article_id = link.other_id
        WHERE link.article_id = ANY(%(ids)s::int[])
    )
"""


def _bring_up_to_date(cursor, ids: list[int], prepared: Shingled, taken: set[int]) -> None:
    """Re-link the queued articles and every member of their stories (a story linked through one
    copy per story, see `_link`, must re-link whole once a member changes), then re-form them.
    `taken`: every article this round of catch_up took from the queue."""
    ids = sorted({*ids, *_ids(cursor, _BEFORE, {"ids": int_array(ids)})})
    rest = [pk for pk in ids if pk not in prepared.grams]
    _forget(cursor, rest)
    shingled = _shingled(_texts(cursor, rest))
    _write_texts(cursor, shingled)
    for pk in ids:
        if pk in prepared.grams:
            shingled.take(pk, prepared)
    same = _same_texts(cursor, shingled, busy={*ids, *taken, *prepared.grams})
    sampled_before = prepared.grams.keys() - prepared.unsampled
    needed = {pk: h for pk, h in shingled.samples.items() if pk not in same and pk not in sampled_before}
    _write_samples(cursor, needed)
    prepared.unsampled -= needed.keys()  # an earlier chunk's reprint back in a later one: written once
    links = _link(cursor, shingled.grams, shingled.samples, same)
    reform.after_linking(cursor, set(ids), links)  # `ids` holds the stories' other members


def catch_up(*, limit: int | None = None, fresh: dict[int, str] | None = None) -> int:
    """Bring every queued article up to date (at most `limit`), in the caller's transaction if it has
    one; returns how many were queued.

    `fresh`: the text of each published article this transaction created (an import batch), sampled
    before the story lock is taken, so that two writers wait on each other only for the comparison.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        prepared = _prepare(cursor, fresh or {})
        _take_story_lock(cursor)
        ids = sorted(_take_queued(cursor, limit))
        for start in range(0, len(ids), CHUNK):
            _bring_up_to_date(cursor, ids[start : start + CHUNK], prepared, set(ids))
        return len(ids)


def find_all(*, progress: Callable[[int, int], None] | None = None, chunk: int = CHUNK) -> int:
    """Recompute every story from nothing: every published article queued, then brought up to date a
    chunk per transaction (a run stopped half-way leaves the rest queued; running it again starts
    over). Returns the number of articles in a story."""
    with transaction.atomic(), connection.cursor() as cursor:
        _take_story_lock(cursor)
        cursor.execute(
            "TRUNCATE archive_story_dirty, archive_story_text, archive_story_sample, archive_story_link, "
            "archive_story_member, archive_story_day"
        )
        cursor.execute(
            "INSERT INTO archive_story_dirty (article_id) "
            "SELECT id FROM archive_article WHERE status = 'published'"
        )
        total = cursor.rowcount
    done = 0
    while True:
        count = catch_up(limit=chunk)
        if not count:
            break
        done += count
        if progress:
            progress(done, total)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM archive_story_member")
        return cursor.fetchone()[0]


def story_count() -> int:
    """Stories of more than one article."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(DISTINCT story_id) FROM archive_story_member")
        return cursor.fetchone()[0]
