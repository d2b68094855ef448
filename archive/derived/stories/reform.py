"""Re-forming stories: the members, agency, days and `alone` of each story a round of links touched.

`whole` walks the touched stories' links (their connected components) and reads every member's
article. `joining` serves the common case of an import — new articles that only join one existing
story each — from the story's kept member rows, without walking its links or reading its members:
at a million replicated articles (47 copies a story) re-forming whole was 62 % of the story work.
`gaining` narrows that further when the story keeps its name and agency: only the kept rows of the
new members' years are read, since a member's `alone` depends on its year's members alone, and the
story's first day comes from one aggregate (at a million, reading every kept row of each joined story
into Python was a third of the import's Python time).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from archive.pg_arrays import int_array


class _Groups:
    """Union-find over article ids: the groups the joined pairs make."""

    def __init__(self, ids) -> None:
        self.parent = {pk: pk for pk in ids}

    def __contains__(self, pk: int) -> bool:
        return pk in self.parent

    def root(self, pk: int) -> int:
        parent = self.parent
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    def join(self, first: int, second: int) -> None:
        self.parent.setdefault(first, first)
        self.parent.setdefault(second, second)
        first, second = self.root(first), self.root(second)
        if first != second:
            self.parent[max(first, second)] = min(first, second)

    def groups(self) -> list[set[int]]:
        found: dict[int, set[int]] = {}
        for pk in self.parent:
            found.setdefault(self.root(pk), set()).add(pk)
        return list(found.values())


def components(cursor, seeds: set[int]) -> list[set[int]]:
    """The connected components of the link graph that hold the seeds (singletons included): the
    links read breadth-first, a statement per step for every seed at once, then union-find."""
    groups = _Groups(seeds)
    frontier = list(seeds)
    while frontier:
        cursor.execute(
            "SELECT article_id, other_id FROM archive_story_link WHERE article_id = ANY(%s::int[])",
            [int_array(frontier)],
        )
        frontier = []
        for pk, other in cursor.fetchall():
            if other not in groups:
                frontier.append(other)
            groups.join(pk, other)
    return groups.groups()


Member = tuple[int, str, dt.date, int]  # story, the story's agency, the article's day, `alone`


def alone(story_days: dict[int, tuple[int, dt.date]]) -> dict[int, int]:
    """Per article: 2 if it is its story's only member in its year, 1 only in its month, else 0."""
    years = Counter((story, day.year) for story, day in story_days.values())
    months = Counter((story, day.year, day.month) for story, day in story_days.values())
    return {
        pk: 2 if years[story, day.year] == 1 else 1 if months[story, day.year, day.month] == 1 else 0
        for pk, (story, day) in story_days.items()
    }


def members(cursor, stories: list[set[int]]) -> dict[int, Member]:
    """The member rows the components make, by article. A story's agency is its earliest copy's that
    names one (none: "")."""
    story_of = {pk: min(story) for story in stories if len(story) > 1 for pk in story}
    cursor.execute(
        "SELECT id, agency, published_on FROM archive_article WHERE id = ANY(%s::int[]) "
        "ORDER BY published_on, id",
        [int_array(story_of)],
    )
    days, agencies = {}, dict.fromkeys(story_of.values(), "")
    for pk, agency, day in cursor.fetchall():
        days[pk] = (story_of[pk], day)
        agencies[story_of[pk]] = agencies[story_of[pk]] or agency
    by_day = alone(days)
    return {pk: (story, agencies[story], day, by_day[pk]) for pk, (story, day) in days.items()}


def firsts_minus_copies(members: dict[int, Member]) -> Counter:
    """Per day: the stories these members make first published that day, minus their copies that day."""
    tally: Counter = Counter()
    firsts: dict[int, dt.date] = {}
    for story, _, day, _ in members.values():
        tally[day] -= 1
        firsts[story] = min(firsts.get(story, day), day)
    tally.update(firsts.values())
    return tally


def shift_story_days(cursor, kept: dict, wanted: dict) -> None:
    """archive_story_day moved by what the re-formed stories count per day, against what they did.
    Every story a touched article was in is touched whole (see `maintain._bring_up_to_date`), so the
    difference is exact."""
    shift = firsts_minus_copies(wanted)
    shift.subtract(firsts_minus_copies(kept))
    _move_story_days(cursor, shift)


def _move_story_days(cursor, shift: Counter) -> None:
    moved = [(day, n) for day, n in shift.items() if n]
    cursor.execute(
        "INSERT INTO archive_story_day (day, n) SELECT * FROM unnest(%s::date[], %s::int[]) "
        "ON CONFLICT (day) DO UPDATE SET n = archive_story_day.n + excluded.n",
        [[day for day, _ in moved], [n for _, n in moved]],
    )


_KEPT = (
    "SELECT article_id, story_id, agency, published_on, alone FROM archive_story_member "
    "WHERE {} = ANY(%s::int[])"
)


def _kept(cursor, column: str, ids) -> dict[int, Member]:
    cursor.execute(_KEPT.format(column), [int_array(ids)])
    return {pk: tuple(member) for pk, *member in cursor.fetchall()}


def _write(cursor, kept: dict[int, Member], wanted: dict[int, Member]) -> None:
    """Only the rows that differ are written (the browse counts go stale when an agency moves, not
    whenever a story is looked at)."""
    cursor.execute(
        "DELETE FROM archive_story_member WHERE article_id = ANY(%s::int[])",
        [int_array(pk for pk in kept if pk not in wanted)],
    )
    _write_rows(cursor, kept, wanted)
    shift_story_days(cursor, kept, wanted)


def _write_rows(cursor, kept: dict[int, Member], wanted: dict[int, Member]) -> None:
    changed = [(pk, *member) for pk, member in wanted.items() if kept.get(pk) != member]
    cursor.execute(
        "INSERT INTO archive_story_member (article_id, story_id, agency, published_on, alone) "
        "SELECT * FROM unnest(%s::int[], %s::int[], %s::text[], %s::date[], %s::smallint[]) "
        "ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, agency = excluded.agency, "
        "published_on = excluded.published_on, alone = excluded.alone",
        [[row[column] for row in changed] for column in range(5)],
    )


def whole(cursor, seeds: set[int]) -> None:
    """Each touched story's members and agency as its components say."""
    found = components(cursor, seeds)
    wanted = members(cursor, found)
    _write(cursor, _kept(cursor, "article_id", [pk for story in found for pk in story]), wanted)


def _groups(joiners: set[int], links: list[tuple[int, int]]) -> list[set[int]]:
    """The joiners linked to each other, as groups."""
    groups = _Groups(joiners)
    for a, b in links:
        if a in joiners and b in joiners:
            groups.join(a, b)
    return groups.groups()


def _joined(ids: set[int], links: list[tuple[int, int]], story_of: dict[int, int]) -> dict[int, set[int]]:
    """Per existing story, the new members that only join it: articles of `ids` in no story before
    whose links (beside those among themselves) all lead to members of that one story, a story none
    of whose members is among `ids` nor linked from an article of `ids` that was in a story."""
    joiners = {pk for pk in ids if pk not in story_of}
    whole_stories = {story_of[pk] for pk in ids if pk in story_of}
    whole_stories |= {story_of[b] for a, b in links if a in ids and a not in joiners and b in story_of}
    groups = _groups(joiners, links)
    group_of = {pk: number for number, group in enumerate(groups) for pk in group}
    targets: list[set[int]] = [set() for _ in groups]
    for a, b in links:  # one pass: each group's links that leave it
        if a in group_of and group_of.get(b) != group_of[a]:
            targets[group_of[a]].add(b)
    joins: dict[int, set[int]] = {}
    for group, leaving in zip(groups, targets, strict=True):
        stories = {story_of.get(b) if b not in ids else None for b in leaving}
        if len(stories) == 1 and None not in stories:
            joins.setdefault(stories.pop(), set()).update(group)
        else:
            whole_stories |= {story for story in stories if story is not None}
    return {story: group for story, group in joins.items() if story not in whole_stories}


def _joining(kept: dict[int, Member], new: dict[int, tuple[str, dt.date]]) -> dict[int, Member] | None:
    """The member rows of one story (its `kept` rows) gaining the `new` articles (agency, day): its
    name the smallest id, its agency its earliest copy's that names one, every member's `alone`. None
    when a new member names another agency than the story's (which copy is earliest to name one is
    not in the kept rows: the story is then re-formed whole)."""
    agency = next(iter(kept.values()))[1]
    named = [name for pk, (name, day) in sorted(new.items(), key=lambda item: (item[1][1], item[0])) if name]
    if agency and any(name != agency for name in named):
        return None
    agency = agency or (named[0] if named else "")
    story = min(*kept, *new)
    days = {pk: (story, member[2]) for pk, member in kept.items()}
    days.update({pk: (story, day) for pk, (_, day) in new.items()})
    by_day = alone(days)
    return {pk: (story, agency, day, by_day[pk]) for pk, (_, day) in days.items()}


def after_linking(cursor, ids: set[int], links: list[tuple[int, int]]) -> None:
    """Re-form the stories this round of links touched (`ids`: every article brought up to date,
    their stories' other members included; `links`: the links written, both ways). A story that only
    gains new members is re-formed from its kept rows (`_joining`); every other, whole — and so is any
    story whose kept rows do not say its agency."""
    touched = ids | {b for _, b in links}
    story_of = {pk: member[0] for pk, member in _kept(cursor, "article_id", touched).items()}
    joins = _joined(ids, links, story_of)
    if not joins:
        whole(cursor, ids | {b for a, b in links if a in ids})
        return
    cursor.execute(
        "SELECT id, agency, published_on FROM archive_article WHERE id = ANY(%s::int[])",
        [int_array(pk for group in joins.values() for pk in group)],
    )
    new = {pk: (agency, day) for pk, agency, day in cursor.fetchall()}
    gained = _gaining(cursor, joins, new)
    joins = {story: group for story, group in joins.items() if story not in gained}
    kept = _kept(cursor, "story_id", joins)
    by_story: dict[int, dict[int, Member]] = {}
    for pk, member in kept.items():
        by_story.setdefault(member[0], {})[pk] = member
    joined_kept, joined_wanted = {}, {}
    for story, group in joins.items():
        wanted = _joining(by_story[story], {pk: new[pk] for pk in group})
        if wanted is None:
            continue
        joined_kept.update(by_story[story])
        joined_wanted.update(wanted)
    _write(cursor, joined_kept, joined_wanted)
    rest = ids - joined_wanted.keys() - {pk for group in gained.values() for pk in group}
    whole(cursor, rest | {b for a, b in links if a in rest})


# Per story: its agency and first day (every member row carries the story's agency).
_HEADS = (
    "SELECT story_id, min(agency), min(published_on) FROM archive_story_member "
    "WHERE story_id = ANY(%s::int[]) GROUP BY story_id"
)
# The kept rows of each (story, year).
_NEAR = """
    SELECT member.article_id, member.story_id, member.agency, member.published_on, member.alone
    FROM unnest(%s::int[], %s::int[]) AS wanted (story, year)
    JOIN archive_story_member member ON member.story_id = wanted.story
        AND member.published_on >= make_date(wanted.year, 1, 1)
        AND member.published_on < make_date(wanted.year + 1, 1, 1)
"""


def _gaining(cursor, joins: dict[int, set[int]], new: dict[int, tuple[str, dt.date]]) -> dict[int, set[int]]:
    """Re-form the stories of `joins` that keep their name and agency (no new member has a smaller
    id than the story's, none names an agency unless the story already names that one) from the kept
    rows of the new members' years; returns those stories and their new members."""
    if not joins:
        return {}
    cursor.execute(_HEADS, [int_array(joins)])
    heads = {story: (agency, first) for story, agency, first in cursor.fetchall()}
    gained = {
        story: group
        for story, group in joins.items()
        if min(group) > story and _keeps_agency(heads[story][0], group, new)
    }
    if not gained:
        return {}
    pairs = sorted({(story, new[pk][1].year) for story, group in gained.items() for pk in group})
    cursor.execute(_NEAR, [[story for story, _ in pairs], [year for _, year in pairs]])
    kept = {pk: tuple(member) for pk, *member in cursor.fetchall()}
    days = {pk: (member[0], member[2]) for pk, member in kept.items()}
    shift: Counter = Counter()
    for story, group in gained.items():
        days.update({pk: (story, new[pk][1]) for pk in group})
        first, earliest = heads[story][1], min(new[pk][1] for pk in group)
        shift.subtract(new[pk][1] for pk in group)  # each new member is a copy on its day
        if earliest < first:  # and the story is now first published earlier
            shift[earliest] += 1
            shift[first] -= 1
    by_day = alone(days)
    wanted = {pk: (story, heads[story][0], day, by_day[pk]) for pk, (story, day) in days.items()}
    _write_rows(cursor, kept, wanted)
    _move_story_days(cursor, shift)
    return gained


def _keeps_agency(agency: str, group: set[int], new: dict[int, tuple[str, dt.date]]) -> bool:
    """No new member names an agency other than the story's, and none names one the story lacks."""
    return all(new[pk][0] in ("", agency) for pk in group)
