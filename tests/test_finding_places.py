"""The place finder's rules on hand-made gazetteers (no database): datelines, case, people's names,
one name for several places, small cities. tests/test_find_tags.py runs it on the real gazetteer."""

from archive.finding.places import DATELINE, HEADLINE, OPENING, Candidate, PlaceFinder

US, GEORGIA_STATE, MASS, TEXAS = 1, 2, 3, 4
FRANCE, GEORGIA, UK, ARGENTINA = 10, 11, 12, 13
PARIS, PARIS_TX, ATLANTA, TBILISI, CAMBRIDGE_UK, CAMBRIDGE_MA, NICE, BUENOS_AIRES, SMALLTOWN = range(20, 29)


def place(pk, name, kind, population=None, within=(), divided=()):
    lineage = frozenset({pk, *within})
    return Candidate(pk, name, kind, population, lineage, lineage - set(divided))


GAZETTEER = [
    place(US, "United States", "country"),
    place(GEORGIA_STATE, "Georgia", "region", within={US}),
    place(MASS, "Massachusetts", "region", within={US}),
    place(TEXAS, "Texas", "region", within={US}),
    place(FRANCE, "France", "country"),
    place(GEORGIA, "Georgia", "country"),
    place(UK, "United Kingdom", "country"),
    place(ARGENTINA, "Argentina", "country"),
    place(PARIS, "Paris", "city", 2_138_551, {FRANCE}),
    place(PARIS_TX, "Paris", "city", 24_782, {TEXAS, US}, divided={US}),
    place(ATLANTA, "Atlanta", "city", 463_878, {GEORGIA_STATE, US}, divided={US}),
    place(TBILISI, "Tbilisi", "city", 1_049_498, {GEORGIA}),
    place(CAMBRIDGE_UK, "Cambridge", "city", 128_515, {UK}),
    place(CAMBRIDGE_MA, "Cambridge", "city", 105_162, {MASS, US}, divided={US}),
    place(NICE, "Nice", "city", 338_620, {FRANCE}),
    place(BUENOS_AIRES, "Buenos Aires", "city", 2_891_082, {ARGENTINA}),
    place(SMALLTOWN, "Smalltown", "city", 20_000, {TEXAS, US}, divided={US}),
]
FINDER = PlaceFinder(GAZETTEER, {US: ["USA", "United States of America"]})


def found(**text):
    return [(hit.place_id, hit.words, hit.where) for hit in FINDER.find(**text)]


def test_a_reuters_dateline_names_its_city():
    assert found(dateline="BUENOS AIRES, Feb 26 -") == [(BUENOS_AIRES, "BUENOS AIRES", DATELINE)]


def test_a_dateline_at_the_head_of_the_text_counts_too():
    assert found(opening="BUENOS AIRES, March 3 (AFP) - Farmers said...")[0] == (
        BUENOS_AIRES,
        "BUENOS AIRES",
        DATELINE,
    )


def test_the_state_after_a_datelines_comma_chooses_among_cities_of_one_name():
    assert found(dateline="CAMBRIDGE, Mass., March 9")[0][0] == CAMBRIDGE_MA
    assert found(dateline="CAMBRIDGE, March 9")[0][0] == CAMBRIDGE_UK  # the larger, with nothing to say


def test_whole_words_only_and_in_their_case():
    assert found(headline="Parisian cafes reopen") == []
    assert found(opening="It was a nice day in the south.") == []
    # "Nice" is an everyday word too: found where the article has its country.
    assert found(opening="The festival in Nice opened.") == []
    assert found(opening="The festival in Nice opened.", known={FRANCE}) == [(NICE, "Nice", OPENING)]


def test_capitals_count_only_in_a_text_in_capitals():
    assert found(headline="TEXAS OIL OUTPUT FALLS") == [(TEXAS, "TEXAS", HEADLINE)]
    assert found(opening="Voters in the TEXAS primary were few.") == []


def test_a_city_next_to_another_capitalised_word_is_part_of_a_name():
    assert found(opening="The heiress Paris Hilton arrived.") == []
    assert found(opening="She flew to Paris on Monday.") == [(PARIS, "Paris", OPENING)]


def test_georgia_is_the_state_where_the_article_supports_it():
    assert found(headline="Georgia runoff", opening="Voters in Atlanta queued for hours.") == [
        (GEORGIA_STATE, "Georgia", HEADLINE),
        (ATLANTA, "Atlanta", OPENING),
    ]
    assert found(headline="Georgia protests", opening="Crowds filled Tbilisi.") == [
        (GEORGIA, "Georgia", HEADLINE),
        (TBILISI, "Tbilisi", OPENING),
    ]
    assert found(headline="Georgia votes", known={US}) == [(GEORGIA_STATE, "Georgia", HEADLINE)]


def test_georgia_with_nothing_to_choose_by_is_left_to_an_editor():
    assert found(headline="Georgia votes on Tuesday") == []


def test_a_name_of_a_large_city_and_a_small_one_is_the_large_one_unless_the_article_says_otherwise():
    assert found(opening="Talks in Paris ended.") == [(PARIS, "Paris", OPENING)]
    assert found(opening="Talks in Paris ended.", known={TEXAS, US}) == [(PARIS_TX, "Paris", OPENING)]


def test_a_small_city_needs_its_state_in_the_article():
    assert found(opening="A fair opened in Smalltown.") == []
    assert found(headline="Texas fair", opening="A fair opened in Smalltown.") == [
        (TEXAS, "Texas", HEADLINE),
        (SMALLTOWN, "Smalltown", OPENING),
    ]


def test_each_place_is_found_once_at_its_first_mention():
    hits = found(dateline="PARIS, May 2", headline="Paris talks", opening="In Paris, France said...")
    assert hits == [(PARIS, "PARIS", DATELINE), (FRANCE, "France", OPENING)]


def test_an_empty_gazetteer_finds_nothing():
    assert PlaceFinder([]).find(headline="Paris") == []
