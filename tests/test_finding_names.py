"""The people and organisations finder on a hand-made dictionary (no database): full names in their
case, acronyms in capitals (not in a text all in capitals), never a surname alone."""

from archive.finding.names import TEXT, NameFinder
from archive.finding.places import HEADLINE

REAGAN, IMF, UN, BAKER, OPEC = 1, 2, 3, 4, 5
FINDER = NameFinder(
    [
        (REAGAN, "Ronald Reagan", "person", ["reagan", "Reagan"]),
        (IMF, "International Monetary Fund", "organisation", ["imf", "IMF"]),
        (UN, "United Nations", "organisation", ["UN", "U.N."]),
        (BAKER, "James Baker", "person", ["baker"]),
        (OPEC, "Organisation of Petroleum Exporting Countries", "organisation", ["opec", "OPEC"]),
    ]
)


def found(**text):
    return [(hit.topic_id, hit.words, hit.where) for hit in FINDER.find(**text)]


def test_full_names_are_found_once_with_where_they_were():
    hits = found(
        headline="Ronald Reagan meets OPEC chief",
        text="The International Monetary Fund said Ronald Reagan...",
    )
    assert hits == [
        (REAGAN, "Ronald Reagan", HEADLINE),
        (OPEC, "OPEC", HEADLINE),
        (IMF, "International Monetary Fund", TEXT),
    ]


def test_a_name_broken_over_two_lines_is_one_name_in_the_evidence():
    assert found(text="officials of the International\nMonetary Fund said") == [
        (IMF, "International Monetary Fund", TEXT)
    ]


def test_never_a_surname_alone_nor_a_name_in_lower_case():
    assert found(text="Reagan said the baker was James's friend.") == []
    assert found(text="the international monetary fund of ideas") == []


def test_acronyms_in_capitals_of_four_letters_or_more_and_not_in_a_text_in_capitals():
    assert found(text="The UN said; un accord") == []  # two letters: also the French "un"
    assert found(text="Officials of the IMF arrived.") == []  # three: ATT, ITC, HRW were others
    assert found(headline="OPEC TALKS STALL") == []  # all capitals: could be any word
    assert found(headline="RONALD REAGAN SAYS NO") == [(REAGAN, "RONALD REAGAN", HEADLINE)]
    assert found(text="Ministers of OPEC arrived.") == [(OPEC, "OPEC", TEXT)]


def test_whole_words_only():
    assert found(text="The IMFs and Ronald Reagans of this world") == []


def test_an_empty_dictionary_finds_nothing():
    assert NameFinder([]).find(headline="Ronald Reagan") == []
