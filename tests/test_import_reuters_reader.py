"""The Reuters-21578 SGML reader and the vocabulary of its category codes (no database needed)."""

import datetime as dt
import gzip
import re
from pathlib import Path

import pytest

from archive.importers import reuters
from archive.importers.reuters import read_reuters, reuters_vocabulary

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "reuters21578"
SGML_FILES = sorted(DATA.glob("reut2-*.sgm"))
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture(scope="module")
def all_records():
    """Every record of the 22 files, in order (read once for the module: about two seconds)."""
    return [record for path in SGML_FILES for record in read_reuters(path)]


@pytest.fixture(scope="module")
def records(all_records):
    """The records by NEWID."""
    return {record.fields["external_id"]: record for record in all_records}


@pytest.fixture(scope="module")
def vocabulary():
    return reuters_vocabulary(DATA)


def _day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _codes(list_name: str) -> list[str]:
    text = (DATA / f"all-{list_name}-strings.lc.txt").read_text(encoding="latin-1")
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- The real collection -------------------------------------------------------------------------------


def test_all_22_files_yield_21578_records_with_newids_1_to_21578(all_records):
    assert len(SGML_FILES) == 22, f"Reuters-21578 expected in {DATA}"
    assert len(all_records) == 21578
    assert sorted(int(record.fields["external_id"]) for record in all_records) == list(range(1, 21579))


def test_first_record_of_reut2_000_is_the_bahia_cocoa_review():
    record = next(read_reuters(DATA / "reut2-000.sgm"))
    assert record.line == 2
    assert record.path == str(DATA / "reut2-000.sgm")
    assert record.fields["external_id"] == "1"
    assert record.fields["headline"] == "BAHIA COCOA REVIEW"
    assert record.fields["dateline"] == "SALVADOR, Feb 26"
    assert record.fields["published"] == dt.datetime(1987, 2, 26, 15, 1, 1)
    assert record.fields["topics"] == ["cocoa"]
    assert record.fields["places"] == ["el-salvador", "usa", "uruguay"]
    assert record.fields["people"] == record.fields["organisations"] == record.fields["exchanges"] == []
    assert record.fields["body"].startswith("Showers continued throughout the week in\nthe Bahia cocoa zone")
    assert (record.fields["language"], record.fields["agency"]) == ("en", "Reuters")
    assert record.warnings == [] and record.error is None


def test_record_lines_point_at_their_opening_tags():
    lines = (DATA / "reut2-021.sgm").read_bytes().split(b"\n")
    for record in read_reuters(DATA / "reut2-021.sgm"):
        assert lines[record.line - 1].startswith(b'<REUTERS TOPICS="')
        assert f'NEWID="{record.fields["external_id"]}"'.encode() in lines[record.line - 1]


def test_record_without_title_takes_its_headline_from_the_first_line_of_its_text(records):
    record = records["99"]  # TYPE="UNPROC": a Federal Reserve table, no TITLE
    assert record.fields["headline"] == "FEDERAL RESERVE WEEKLY REPORT 1 - FEB 26"


def test_unproc_record_keeps_its_whole_text_as_body_without_the_signoff(records):
    body = records["99"].fields["body"]
    assert body.startswith("FEDERAL RESERVE WEEKLY REPORT 1 - FEB 26\n    Two weeks ended Feb 25")
    assert "Net free reserves.............644 vs.....1,337" in body
    assert not body.endswith("Reuter")
    assert "dateline" not in records["99"].fields


def test_brief_record_has_its_title_and_an_empty_body(records):
    record = records["30"]  # ******<TITLE>…</TITLE>Blah blah blah.
    assert (
        record.fields["headline"] == "ASSETS OF MONEY MARKET MUTUAL FUNDS ROSE 720.4 MLN DLRS IN LATEST WEEK"
    )
    assert record.fields["body"] == ""
    assert record.error is None


def test_author_becomes_the_byline(records):
    assert records["4"].fields["byline"] == "Janie Gabbett, Reuters"


def test_no_field_of_any_record_contains_a_control_character(records):
    for record in records.values():
        for name, value in record.fields.items():
            for text in value if isinstance(value, list) else [value]:
                if isinstance(text, str):
                    assert not CONTROL.search(text), (record.fields["external_id"], name)


def test_escaped_less_than_becomes_an_angle_bracket(records):
    assert records["4"].fields["headline"] == "TALKING POINT/BANKAMERICA <BAC> EQUITY OFFER"
    assert not any("&lt;" in record.fields["body"] for record in records.values())


def test_no_body_ends_with_the_reuter_signoff(records):
    assert not [r for r in records.values() if re.search(r"reuter\W*\Z", r.fields["body"], re.I)]


def test_story_text_caught_in_the_dateline_moves_to_the_body(records):
    record = records["47"]  # <DATELINE>RIO DE JANEIRO, Feb 26 - Brazil's "Cruzado" anti- </DATELINE>
    assert record.fields["dateline"] == "RIO DE JANEIRO, Feb 26"
    assert record.fields["body"].startswith('Brazil\'s "Cruzado" anti-inflation\nplan, initially hailed')
    assert record.warnings == ["story text inside DATELINE moved to the start of the body"]


def test_the_only_byte_not_valid_utf8_is_decoded_as_latin1_with_a_warning(records):
    flagged = [r for r in records.values() if any("not valid UTF-8" in w for w in r.warnings)]
    assert [r.fields["external_id"] for r in flagged] == ["17980"]
    record = flagged[0]
    assert record.path.endswith("reut2-017.sgm")
    assert "b'\\xfc' on line 35578" in record.warnings[0]
    assert "lasting\nworld economic growth.\u00fcside measures" in record.fields["body"]


DATE_QUIRKS = [
    # wire routing codes after &#5;&#5;&#5; (327 records of 27 March, NEWIDs 10279-10605): time kept
    ("10279", dt.datetime(1987, 3, 27, 0, 2, 59), "27-MAR-1987 00:02:59.13&#5;&#5;&#5;RM"),
    ("10280", dt.datetime(1987, 3, 27, 0, 3, 35), "27-MAR-1987 00:03:35.68&#5;&#5;&#5;F"),
    ("10299", dt.datetime(1987, 3, 27, 2, 17, 9), "27-MAR-1987 02:17:09.88&#5;&#5;&#5;T C"),
    ("10388", dt.datetime(1987, 3, 27, 8, 45, 34), "27-MAR-1987 08:45:34.42&#5;&#5;&#5;C G T M"),
    # "# date added by S Finch as guesswork": 00:00:00 is invented, so the date only
    ("15370", dt.date(1987, 4, 9), "9-APR-1987 00:00:00.00    # date added by S Finch as guesswork"),
    # hour 605: the time is impossible, the date is kept
    ("17192", dt.date(1987, 3, 31), "31-MAR-1987 605:12:19.12"),
]


@pytest.mark.parametrize(("newid", "expected", "original"), DATE_QUIRKS, ids=[q[0] for q in DATE_QUIRKS])
def test_date_quirk_is_repaired_keeping_the_date_with_a_warning(records, newid, expected, original):
    record = records[newid]
    assert record.fields["published"] == expected
    assert type(record.fields["published"]) is type(expected)
    assert record.error is None
    assert len(record.warnings) == 1 and original in record.warnings[0]


def test_every_date_with_trailing_wire_codes_is_from_27_march_and_keeps_its_time(records):
    junk = [r for r in records.values() if any("text after the date" in w for w in r.warnings)]
    assert len(junk) == 327
    assert {int(r.fields["external_id"]) for r in junk} <= set(range(10279, 10606))
    assert {type(r.fields["published"]) for r in junk} == {dt.datetime}
    assert {r.fields["published"].date() for r in junk} == {dt.date(1987, 3, 27)}


@pytest.mark.parametrize(
    ("newid", "expected"),
    [
        ("231", dt.datetime(1987, 3, 1, 1, 41, 26)),  # " 1-MAR-1987": a space-padded day
        ("996", dt.datetime(1987, 3, 3, 9, 15, 5)),  # two spaces before the time
        ("14609", dt.datetime(1987, 4, 7, 16, 22, 0)),  # ".0": one digit of hundredths
        ("15785", dt.datetime(1987, 4, 9, 13, 32, 6)),  # ".7"
    ],
)
def test_harmless_date_layouts_parse_without_a_warning(records, newid, expected):
    assert records[newid].fields["published"] == expected
    assert records[newid].warnings == []


def test_dates_are_all_in_1987_on_58_distinct_days(records):
    days = {_day(record.fields["published"]) for record in records.values()}
    assert {day.year for day in days} == {1987}
    assert len(days) == 58
    assert not {day.month for day in days} & {5, 7, 8, 9}
    assert (min(days), max(days)) == (dt.date(1987, 2, 26), dt.date(1987, 10, 20))


def test_no_record_has_an_error_and_the_empty_one_gets_a_stand_in_headline(records):
    assert not {newid: r.error for newid, r in records.items() if r.error}
    empty = records["12793"]  # <TEXT TYPE="UNPROC">&#2;\n&#3;</TEXT>: no text at all
    assert empty.fields["headline"] == "[Untitled Reuters record 12793: no text in the source]"
    assert empty.warnings == ["no title and no text in the source; stand-in headline used"]


def test_records_split_across_read_blocks_come_out_the_same(monkeypatch):
    whole = [(r.line, r.fields, r.warnings) for r in read_reuters(DATA / "reut2-000.sgm")]
    monkeypatch.setattr(reuters, "BLOCK_SIZE", 4093)
    assert [(r.line, r.fields, r.warnings) for r in read_reuters(DATA / "reut2-000.sgm")] == whole


# --- The vocabulary -------------------------------------------------------------------------------------


def test_vocabulary_names_acq_mergers_acquisitions_in_the_corporate_group(vocabulary):
    assert vocabulary["topics"]["acq"] == {"name": "Mergers/Acquisitions", "group": "Corporate"}


@pytest.mark.parametrize(
    ("code", "name", "group"),
    [
        ("barley", "Barley", "Commodities"),
        ("corn-oil", "Corn oil", "Commodities"),
        ("cotton", "Cotton", "Commodities"),  # "COTTON " with a trailing space in the source
        ("dlr", "U.S. Dollar", "Currencies"),
        ("crude", "Crude Oil", "Energy"),
        ("money-fx", "Money/Foreign Exchange", "Money and finance"),
        ("gnp", "Gross National/Domestic Product", "Economic indicators"),
    ],
)
def test_vocabulary_topic_has_a_name_and_group(vocabulary, code, name, group):
    assert vocabulary["topics"][code] == {"name": name, "group": group}


def test_vocabulary_opec_names_the_organisation_of_petroleum_exporting_countries(vocabulary):
    assert vocabulary["organisations"]["opec"] == {
        "name": "Organisation of Petroleum Exporting Countries",
        "short": "OPEC",
    }
    assert vocabulary["organisations"]["adb-asia"]["name"] == "Asian Development Bank"
    assert vocabulary["organisations"]["geplacea"]["name"] == (
        "Group of Latin American and Caribbean Sugar Exporting Countries"
    )


def test_vocabulary_exchange_has_a_name_and_short_name(vocabulary):
    assert vocabulary["exchanges"]["cme"] == {"name": "Chicago Mercantile Exchange", "short": "CME"}


@pytest.mark.parametrize(
    ("kind", "list_name"),
    [
        ("topics", "topics"),
        ("organisations", "orgs"),
        ("exchanges", "exchanges"),
        ("people", "people"),
        ("places", "places"),
    ],
)
def test_vocabulary_has_an_entry_with_a_name_for_every_listed_code(vocabulary, kind, list_name):
    codes = _codes(list_name)
    assert codes
    assert set(codes) == set(vocabulary[kind])
    assert all(vocabulary[kind][code]["name"] for code in codes)


@pytest.mark.parametrize(
    ("code", "name", "role", "country"),
    [
        ("reagan", "Ronald Reagan", "President", "United States"),
        ("alfonsin", "Raul Alfonsin", "President", "Argentina"),
        ("castro", "Fidel Castro", "President of Cuba", "Cuba"),
        (
            "chen-muhua",
            "Chen Muhua",
            "President of the People's Bank of China and Head of National Treasury",
            "China",
        ),
        ("suharto", "Suharto", "President", "Indonesia"),
        ("de-larosiere", "Jacques de Larosiere", "Central Bank Governor", "France"),
        ("bresser-pereira", "Luiz Carlos Bresser Pereira", "Former Finance Minister", "Brazil"),
        ("toman", "Miroslav Toman", "Deputy Minister and Minister of Agriculture and Food", "Czechoslovakia"),
        ("honecker", "Erich Honecker", "Head of State and Chairman of Council of State", "East Germany"),
        (
            "hamad-saud-al-sayyari",
            "Hamad Saud al-Sayyari",
            "Governor of the Saudi Arabian Monetary Agency",
            "Saudi Arabia",
        ),
        ("mustapha", "Youssri Mustapha", "Economy Minister", "Egypt"),
        ("gorbachev", "Mikhail Gorbachev", "General Secretary of the Communist Party", "USSR"),
        ("lubbers", "Ruud Lubbers", "Prime Minister", "Netherlands"),
        ("delors", "Jacques Delors", "President, European Community Commission", ""),
        ("camdessus", "Michel Camdessus", "International Monetary Fund Managing Director", ""),
        ("friedman", "Milton Friedman", "Economist", ""),
        ("pickens", "T. Boone Pickens", "", ""),
    ],
)
def test_vocabulary_person_code_resolves_to_a_clean_name_role_and_country(
    vocabulary, code, name, role, country
):
    assert vocabulary["people"][code] == {"name": name, "role": role, "country": country}


def test_vocabulary_no_person_name_keeps_a_title(vocabulary):
    titles = {"President", "Minister", "Mrs", "Dr", "General", "Governor", "Secretary", "Sheikh", "Chairman"}
    assert not [p["name"] for p in vocabulary["people"].values() if titles & set(p["name"].split())]


def test_vocabulary_place_names_come_from_their_codes(vocabulary):
    places = vocabulary["places"]
    assert places["el-salvador"] == {"name": "El Salvador"}
    assert (places["usa"]["name"], places["ussr"]["name"], places["west-germany"]["name"]) == (
        "USA",
        "USSR",
        "West Germany",
    )


def test_vocabulary_is_read_once_per_path(vocabulary):
    assert reuters_vocabulary(DATA) is vocabulary


# --- A made-up file -------------------------------------------------------------------------------------

HEADER = (
    '<REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="1" NEWID="{}">\n'
    "<DATE>{}</DATE>\n"
    "<TOPICS>{}</TOPICS>\n<PLACES><D>usa</D></PLACES>\n<PEOPLE></PEOPLE>\n<ORGS></ORGS>\n"
    "<EXCHANGES></EXCHANGES>\n<COMPANIES></COMPANIES>\n"
    "<UNKNOWN> \n&#5;&#5;&#5;C T\n&#22;&#22;&#1;f0704&#31;reute</UNKNOWN>\n"
)
SAMPLE = (
    b'<!DOCTYPE lewis SYSTEM "lewis.dtd">\n'
    + HEADER.format(9001, " 5-MAR-1987 09:30:00.12", "<D>grain</D><D>wheat</D>").encode()
    + b"<TEXT>&#2;\n<TITLE>WHEAT &lt;WHT> EXPORTS RISE &amp; SHIP</TITLE>\n"
    b"<DATELINE>    CHICAGO, March 5 - </DATELINE><BODY>Wheat exports rose, the caf\xe9 owner said.\n"
    b"    Second &#127;paragraph.\n Reuter\n&#3;</BODY></TEXT>\n</REUTERS>\n"
    + HEADER.format(9002, "32-MAR-1987 10:00:00.00", "").encode()
    + b'<TEXT TYPE="UNPROC">&#2;\n   \nUNTITLED  STORY  FIRST LINE\n    more text\n Reuter\n&#3;\n\n</TEXT>\n'
    b"</REUTERS>\n"
    + HEADER.format(9003, "6-MAR-1987 25:10:00.00", "").encode()
    + b'<TEXT TYPE="BRIEF">&#2;\n******<TITLE>SHORT NOTE\n</TITLE>Blah blah blah.\n&#3;\n\n</TEXT>\n'
    b"</REUTERS>\n"
    + HEADER.format(9004, "7-MAR-1987 11:00:00.00", "").encode()
    + b"<TEXT>&#2;\n<TITLE>CUT OFF</TITLE>\n<BODY>The file ends here"
)


@pytest.fixture
def sample(tmp_path):
    path = tmp_path / "made-up.sgm"
    path.write_bytes(SAMPLE)
    return {record.fields["external_id"]: record for record in read_reuters(path)}


def test_made_up_file_yields_every_record_in_order_at_its_line(tmp_path):
    path = tmp_path / "made-up.sgm"
    path.write_bytes(SAMPLE)
    opening_lines = [n for n, line in enumerate(SAMPLE.split(b"\n"), start=1) if line.startswith(b"<REUTERS")]
    records = list(read_reuters(path))
    assert [r.fields["external_id"] for r in records] == ["9001", "9002", "9003", "9004"]
    assert [r.line for r in records] == opening_lines
    assert opening_lines[0] == 2


def test_made_up_record_with_a_latin1_byte_is_decoded_with_a_warning(sample):
    record = sample["9001"]
    assert record.warnings == ["byte(s) not valid UTF-8 decoded as Latin-1 (first: b'\\xe9' on line 15)"]
    assert record.fields["body"] == "Wheat exports rose, the caf\u00e9 owner said.\n    Second paragraph."
    assert record.error is None


def test_made_up_record_has_entities_decoded_and_controls_removed(sample):
    fields = sample["9001"].fields
    assert fields["headline"] == "WHEAT <WHT> EXPORTS RISE & SHIP"
    assert (fields["dateline"], fields["topics"], fields["places"]) == (
        "CHICAGO, March 5",
        ["grain", "wheat"],
        ["usa"],
    )
    assert fields["published"] == dt.datetime(1987, 3, 5, 9, 30, 0)


def test_made_up_record_with_an_impossible_date_is_an_error_but_still_comes_out(sample):
    record = sample["9002"]
    assert record.error == "unparsable date '32-MAR-1987 10:00:00.00'"
    assert record.fields["published"] is None


def test_made_up_record_without_title_gets_the_first_non_blank_line_as_headline(sample):
    fields = sample["9002"].fields
    assert fields["headline"] == "UNTITLED STORY FIRST LINE"
    assert fields["body"] == "UNTITLED  STORY  FIRST LINE\n    more text"


def test_made_up_record_with_an_impossible_hour_keeps_the_date_only(sample):
    record = sample["9003"]
    assert record.fields["published"] == dt.date(1987, 3, 6)
    assert record.warnings == [
        "impossible time in DATE '6-MAR-1987 25:10:00.00'; kept the date 1987-03-06, dropped the time"
    ]


def test_made_up_brief_record_has_a_headline_and_no_body(sample):
    assert (sample["9003"].fields["headline"], sample["9003"].fields["body"]) == ("SHORT NOTE", "")


def test_made_up_unclosed_last_record_comes_out_with_a_warning(sample):
    record = sample["9004"]
    assert (record.fields["headline"], record.fields["body"]) == ("CUT OFF", "The file ends here")
    assert record.warnings == ["no closing </REUTERS> tag; read up to the next record or the end of the file"]
    assert record.error is None


def test_gzipped_file_reads_the_same_as_the_plain_one(tmp_path, sample):
    path = tmp_path / "made-up.sgm.gz"
    path.write_bytes(gzip.compress(SAMPLE))
    assert [(r.line, r.fields, r.warnings, r.error) for r in read_reuters(path)] == [
        (r.line, r.fields, r.warnings, r.error) for r in sample.values()
    ]


def test_made_up_file_split_into_tiny_read_blocks_reads_the_same(tmp_path, sample, monkeypatch):
    path = tmp_path / "made-up.sgm"
    monkeypatch.setattr(reuters, "BLOCK_SIZE", 5)
    assert [(r.line, r.fields, r.warnings) for r in read_reuters(path)] == [
        (r.line, r.fields, r.warnings) for r in sample.values()
    ]
