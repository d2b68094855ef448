"""Reuters-21578 (SGML): a streaming reader of its `<REUTERS>` records and the vocabulary of its codes."""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
from collections.abc import Iterator
from pathlib import Path

from archive.importers.records import MAX_LINE_BYTES, InputStopped, ParsedRecord, open_binary

# Category elements of a record and the canonical list field each fills (COMPANIES is always empty).
CATEGORY_FIELDS = {
    "TOPICS": "topics",
    "PLACES": "places",
    "PEOPLE": "people",
    "ORGS": "organisations",
    "EXCHANGES": "exchanges",
}
MONTHS = {
    name: number for number, name in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), 1)
}
BLOCK_SIZE = 1 << 20
BRIEF_PLACEHOLDER = "Blah blah blah."

_OPENING = b"<REUTERS"
_CLOSING = b"</REUTERS>"
# Raw C0 control bytes other than tab and newline: never text (and never part of a UTF-8 sequence).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Control characters written as entities: &#2; starts a story, &#3; ends it; &#5;, &#22;… are wire codes.
_CONTROL_ENTITY = re.compile(r"&#(?:[0-9]|[12][0-9]|3[01]|127|12[89]|1[3-5][0-9]);")
_NEWID = re.compile(r'NEWID\s*=\s*"?([^"\s>]+)')
_CATEGORY = re.compile(r"<(TOPICS|PLACES|PEOPLE|ORGS|EXCHANGES)>(.*?)</\1>", re.S)
_CODE = re.compile(r"<d>\s*(.*?)\s*</d>", re.S)  # applied to lower-cased text
_HEAD_ELEMENTS = re.compile(r"<(TITLE|DATELINE|AUTHOR)>.*?(?:</\1>|\Z)", re.S)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")  # in the source a literal "<" is always escaped as &lt;
# "26-FEB-1987 15:01:01.79", the day sometimes space-padded, anything after it kept as `rest`.
_DATE_VALUE = re.compile(
    r"\s*(?P<day>\d{1,2})-(?P<month>[A-Za-z]{3})-(?P<year>\d{4})"
    r"(?:\s+(?P<hour>\d+):(?P<minute>\d+):(?P<second>\d+)(?:\.\d*)?)?(?P<rest>.*)\Z",
    re.S,
)
# The closing sign-off: " Reuter", "REUTER...", "REUTER^M" (a literal caret-M), on its own line or not.
_SIGNOFF = re.compile(r"\s(?:REUTER|[Rr]euter)(?:\.{0,3}|\^M)[ \t]*\Z")
# A dateline whose element swallowed the first words of the story: "ROME, March 2 - Italy's ...".
_DATELINE_SPILL = re.compile(
    r"(?P<dateline>.*?\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}),?"
    r"(?:\s*Reuter)?\s+-{1,2}\s+(?P<spill>\S.*)",
    re.I | re.S,
)
RECORD_TOO_LONG = f"record longer than {MAX_LINE_BYTES // 2**20} MiB with no </REUTERS>; skipped"
_TAGS = {name: (f"<{name}>", f"</{name}>") for name in ("DATE", "TITLE", "DATELINE", "AUTHOR", "BODY")}


def read_reuters(path: str | Path) -> Iterator[ParsedRecord]:
    """Yield one record per `<REUTERS>` element of an SGML file (`.gz` too), in file order.

    `line` is the line of the opening tag; a record that cannot be used still comes out, with `error` set.
    """
    line = 1
    with open_binary(path) as handle:
        try:
            for line, chunk, closed in _record_chunks(handle):
                if chunk is None:
                    yield ParsedRecord(path=str(path), line=line, error=RECORD_TOO_LONG)
                else:
                    yield _parse_record(str(path), line, chunk, closed)
        except InputStopped as error:
            yield ParsedRecord(path=str(path), line=line, error=str(error))


def _record_chunks(handle) -> Iterator[tuple[int, bytes | None, bool]]:
    """Each record's bytes and first line, read in blocks; `closed` is False when `</REUTERS>` is missing.

    A record longer than MAX_LINE_BYTES comes as None (and its bytes are dropped as they are read).
    """
    pending, line, finished = b"", 1, False  # `line` is the line number of pending[0]
    while not finished:
        block = handle.read(BLOCK_SIZE)
        finished = not block
        pending += block
        position = 0
        # A literal "<" in the text is always escaped, so any "<REUTERS" is an opening tag.
        while (opening := pending.find(_OPENING, position)) >= 0:
            end, closed = _record_end(pending, opening + len(_OPENING), finished)
            if end is None:
                break  # the record goes on in the next block
            line += pending.count(b"\n", position, opening)
            yield line, pending[opening:end], closed
            line += pending.count(b"\n", opening, end)
            position = end
        # Keep an unfinished record, or a last few bytes that may begin a tag; the rest is done.
        keep = opening if opening >= 0 else max(position, len(pending) - len(_OPENING))
        line += pending.count(b"\n", position, keep)
        pending = pending[keep:]
        if opening >= 0 and len(pending) > MAX_LINE_BYTES:  # never hold a record without end
            yield line, None, False
            line += pending.count(b"\n", 0, len(pending) - len(_OPENING))
            pending = pending[-len(_OPENING) :]


def _record_end(pending: bytes, start: int, finished: bool) -> tuple[int | None, bool]:
    """Where the record begun before `start` ends: after `</REUTERS>`, else where the next one begins."""
    closing = pending.find(_CLOSING, start)
    following = pending.find(_OPENING, start, closing if closing >= 0 else len(pending))
    if following >= 0:  # an unclosed record ends where the next one starts, rather than swallowing it
        return following, False
    if closing >= 0:
        return closing + len(_CLOSING), True
    return (len(pending), False) if finished else (None, False)


def _parse_record(path: str, line: int, chunk: bytes, closed: bool) -> ParsedRecord:
    record = ParsedRecord(path=path, line=line)
    text = _decode(chunk.translate(None, _CONTROL_BYTES), record)
    if not closed:
        record.warnings.append("no closing </REUTERS> tag; read up to the next record or the end of the file")
    fields: dict = {"language": "en", "agency": "Reuters"}
    newid = _NEWID.search(text, 0, text.find(">") + 1)
    if newid:
        fields["external_id"] = newid.group(1)
    else:
        record.warnings.append("no NEWID attribute in the <REUTERS> tag")
    fields["published"] = _read_date(text, record)  # before the entities go: a warning quotes the DATE as is
    text = _CONTROL_ENTITY.sub("", text)
    fields.update(_read_categories(text[: text.find("<TEXT")]))
    fields.update(_read_text(text, record))
    record.fields = fields
    if not fields.get("headline") and record.error is None:
        # Every record becomes an article: an empty one is kept under a stand-in title, with a warning.
        newid = fields.get("external_id", "?")
        fields["headline"] = f"[Untitled Reuters record {newid}: no text in the source]"
        record.warnings.append("no title and no text in the source; stand-in headline used")
    return record


def _decode(chunk: bytes, record: ParsedRecord) -> str:
    """UTF-8, or Latin-1 for a record that is not valid UTF-8 (the collection is mostly ASCII)."""
    try:
        text = chunk.decode("utf-8")
    except UnicodeDecodeError as problem:
        line = record.line + chunk.count(b"\n", 0, problem.start)
        byte = chunk[problem.start : problem.start + 1]
        record.warnings.append(f"byte(s) not valid UTF-8 decoded as Latin-1 (first: {byte!r} on line {line})")
        text = chunk.decode("latin-1")
    return text if text.isascii() else _CONTROL.sub("", text)  # C1 controls, from Latin-1 bytes 0x80-0x9f


def _element(text: str, name: str) -> str | None:
    """The content of the first `<name>` element (to the end of `text` if it is not closed), or None.

    Plain `str.find`: several times faster than a regex with a lazy `.*?` over the whole record.
    """
    start_tag, end_tag = _TAGS[name]
    opening = text.find(start_tag)
    if opening < 0:
        return None
    opening += len(start_tag)
    closing = text.find(end_tag, opening)
    return text[opening:] if closing < 0 else text[opening:closing]


def clean_text(text: str) -> str:
    """Text without control characters (raw or written `&#N;`), tags dropped, `&lt;`, `&amp;`… decoded."""
    return _field(_CONTROL.sub("", _CONTROL_ENTITY.sub("", text)))


def _field(text: str) -> str:
    """Element content as text, for a record whose control characters are already gone."""
    if "<" in text:
        text = _TAG.sub("", text)
    if "&" in text:  # decoding &#N; could bring a control character back
        text = _CONTROL.sub("", html.unescape(text))
    return text


def _one_line(text: str) -> str:
    return " ".join(_field(text).split())


def _read_date(text: str, record: ParsedRecord) -> dt.date | None:
    """The DATE, repaired where possible: junk after it is dropped, an impossible time leaves the date."""
    raw = _element(text, "DATE")
    if raw is None:
        record.error = "no DATE element"
        return None
    value, problem = parse_reuters_date(raw)
    if value is None:
        record.error = problem
    elif problem:
        record.warnings.append(problem)
    return value


def parse_reuters_date(raw: str) -> tuple[dt.date | None, str | None]:
    """A DATE value as a naive (UTC) datetime, or a date when the time is unusable, plus a problem or None.

    When the value is None, the problem is the error; otherwise it is a warning about a repair.
    """
    match = _DATE_VALUE.match(raw)
    shown = raw.strip()[:80]
    day, month, year, hour, minute, second, rest = match.groups() if match else (None,) * 7
    try:
        day = dt.date(int(year), MONTHS.get(month.upper()), int(day))
    except (TypeError, ValueError, AttributeError):
        return None, f"unparsable date '{shown}'"
    rest = rest.strip() and " ".join(clean_text(rest).split())
    junk = f"text after the date ignored in DATE '{shown}'" if rest else None
    if hour is None:
        return day, junk
    if rest.startswith("#"):  # a hand-made value ("# date added ... as guesswork"): its time is invented
        return day, f"DATE '{shown}' is annotated ({rest}); kept the date {day}, dropped the time"
    hour, minute, second = int(hour), int(minute), int(second)
    if hour > 23 or minute > 59 or second > 59:
        return day, f"impossible time in DATE '{shown}'; kept the date {day}, dropped the time"
    # Hundredths of a second are wire-system noise, not publication precision.
    return dt.datetime(day.year, day.month, day.day, hour, minute, second), junk


def _read_categories(header: str) -> dict[str, list[str]]:
    lists: dict[str, list[str]] = {name: [] for name in CATEGORY_FIELDS.values()}
    if "<D>" not in header:
        return lists
    for tag, content in _CATEGORY.findall(header):
        if "<D>" in content:
            content = html.unescape(content).lower() if "&" in content else content.lower()
            lists[CATEGORY_FIELDS[tag]] = [code for code in _CODE.findall(content) if code]
    return lists


def _read_text(text: str, record: ParsedRecord) -> dict[str, str]:
    """Headline, dateline, byline and body from the TEXT element (NORM, BRIEF and UNPROC alike)."""
    start = text.find("<TEXT")
    if start < 0:
        record.warnings.append("no TEXT element")
    start = text.find(">", start) + 1 if start >= 0 else len(text)
    end = text.find("</TEXT>", start)
    content = text[start:] if end < 0 else text[start:end]
    fields = {"headline": _headline(content), "body": _body(content)}
    author = _one_line(_element(content, "AUTHOR") or "")
    if author:
        fields["byline"] = re.sub(r"^by\s+", "", author, flags=re.I)
    dateline, spill = _split_dateline(_one_line(_element(content, "DATELINE") or ""))
    if dateline:
        fields["dateline"] = dateline
    if spill:
        record.warnings.append("story text inside DATELINE moved to the start of the body")
        fields["body"] = _join_spill(spill, fields["body"])
    return fields


def _join_spill(spill: str, body: str) -> str:
    """The spilled text before the body: "anti-" + "inflation" joined, "fat-" + "and oil-bearing" spaced."""
    hyphenated = re.search(r"\w-\Z", spill) and not re.match(r"(and|or|und|to)\b", body)
    return f"{spill}{'' if hyphenated else ' '}{body}".strip()


def _headline(content: str) -> str:
    """The TITLE, or else the first non-empty line of the text (UNPROC stories have no TITLE)."""
    headline = _one_line(_element(content, "TITLE") or "").strip("* ")
    if headline:
        return headline
    text = _field(_HEAD_ELEMENTS.sub("", content))
    return next((" ".join(line.split()) for line in text.splitlines() if line.strip(" *\t")), "").strip("* ")


def _body(content: str) -> str:
    """The BODY, or the text without TITLE/DATELINE/AUTHOR; the closing "Reuter" sign-off removed."""
    body = _element(content, "BODY")
    if body is not None:
        text = _field(body).strip()
    else:
        # BRIEF stories: "******<TITLE>…</TITLE>Blah blah blah." — the asterisks and placeholder are not text.
        text = _field(_HEAD_ELEMENTS.sub("", content)).strip().lstrip("*").strip()
        if text == BRIEF_PLACEHOLDER:
            text = ""
    while signoff := _SIGNOFF.search(text, max(0, len(text) - 20)):  # some stories are signed twice
        text = text[: signoff.start()].rstrip()
    return text


def _split_dateline(dateline: str) -> tuple[str, str]:
    """("SALVADOR, Feb 26", "") from "SALVADOR, Feb 26 -", with any story text after the dash apart."""
    spill = ""
    if " -" in dateline.rstrip(" ,-"):  # cheap test first: the regex is slow and rarely needed
        match = _DATELINE_SPILL.fullmatch(dateline)
        if match and _dateline_end(match.group("spill")):
            dateline, spill = match.group("dateline"), match.group("spill").rstrip()
    return _dateline_end(dateline), spill


def _dateline_end(dateline: str) -> str:
    """Without the closing dash and any ", Reuter" before it ("WASHINGTON, March 12, Reuter -")."""
    dateline = dateline.rstrip(" ,-")
    if dateline.endswith("Reuter"):
        dateline = dateline[: -len("Reuter")].rstrip(" ,-")
    return dateline


# --- The vocabulary of the category codes (cat-descriptions_120396.txt and the all-*-strings lists) ---

DESCRIPTIONS_FILE = "cat-descriptions_120396.txt"
TOPIC_GROUPS = {
    "Subject Codes": "Money and finance",
    "Economic Indicator Codes": "Economic indicators",
    "Currency Codes": "Currencies",
    "Corporate Codes": "Corporate",
    "Commodity Codes": "Commodities",
    "Energy Codes": "Energy",
}
# Listed under no sub-heading with the money codes, but it is not about money.
TOPIC_GROUP_EXCEPTIONS = {"ship": "Shipping"}
# Commodity codes are bare abbreviations; these would read wrongly as "code with dashes as spaces".
COMMODITY_NAMES = {
    "alum": "Aluminium",
    "castorseed": "Castor seed",
    "citruspulp": "Citrus pulp",
    "cornglutenfeed": "Corn gluten feed",
    "f-cattle": "Feeder cattle",
    "l-cattle": "Live cattle",
    "hog": "Hogs",
    "iron-steel": "Iron and steel",
    "lin-meal": "Linseed meal",
    "lin-oil": "Linseed oil",
    "meal-feed": "Meal and feed",
    "palmkernel": "Palm kernel",
    "pork-belly": "Pork bellies",
    "red-bean": "Red beans",
    "soy-meal": "Soybean meal",
    "soy-oil": "Soybean oil",
    "strategic-metal": "Strategic metals",
    "sun-meal": "Sunflower meal",
    "sun-oil": "Sunflower oil",
    "sunseed": "Sunflower seed",
    "veg-oil": "Vegetable oil",
    "tung": "Tung nuts",
}
PLACE_ABBREVIATIONS = {"us", "usa", "uk", "uae", "ussr"}
# Kind of code → the name in all-<name>-strings.lc.txt, the list of every legal code of that kind.
CODE_LISTS = {
    "topics": "topics",
    "organisations": "orgs",
    "exchanges": "exchanges",
    "people": "people",
    "places": "places",
}
_NAMED_CODE = re.compile(r"(?P<name>.*?)\s*\((?P<code>[A-Z][A-Z0-9-]*)\)\s*\Z", re.S)
_SECTION = re.compile(
    r"^@heading\[(?P<title>[^\]]*?)\s*\(\d+\)\]\n(?P<body>.*?)(?=^@heading|\Z)", re.S | re.M
)


@functools.lru_cache(maxsize=8)
def reuters_vocabulary(data_dir: Path) -> dict[str, dict[str, dict]]:
    """Per kind (topics, organisations, exchanges, people, places): code → description of the code.

    Every code of the collection's all-*-strings lists has an entry, a fallback name if it is not described.
    """
    data_dir = Path(data_dir)
    text = (data_dir / DESCRIPTIONS_FILE).read_text(encoding="latin-1").replace("\r\n", "\n")
    sections = {match.group("title"): match.group("body") for match in _SECTION.finditer(text)}
    vocabulary = {
        "topics": _topics(text.split("@heading", 1)[0]),
        "organisations": _named_codes(sections.get("Organization Codes", "")),
        "exchanges": _named_codes(sections.get("Exchange Codes", "")),
        "people": _people(sections.get("People Codes", "")),
        "places": {},
    }
    for kind, list_name in CODE_LISTS.items():
        for code in _code_list(data_dir / f"all-{list_name}-strings.lc.txt"):
            vocabulary[kind].setdefault(code, {"name": _fallback_name(code, kind)})
    return vocabulary


def _code_list(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [line.strip().lower() for line in path.read_text(encoding="latin-1").splitlines() if line.strip()]


def _fallback_name(code: str, kind: str) -> str:
    words = code.replace("-", " ").split()
    if kind == "topics":
        return " ".join(words).capitalize()
    return " ".join(word.upper() if word in PLACE_ABBREVIATIONS else word.title() for word in words)


def _topics(text: str) -> dict[str, dict]:
    """Subject codes: "Trade (TRADE)" lines under "**… Codes (n)" headings; commodities bare ("CORN-OIL")."""
    topics, group = {}, None
    for line in text.splitlines():
        line = line.strip()
        heading = re.fullmatch(r"\*+\s*(.*?)\s*\(\d+\)", line)
        if heading:
            group = TOPIC_GROUPS.get(heading.group(1), heading.group(1))
        elif group and line and not line.startswith(("*", "_")):
            named = _NAMED_CODE.match(line)
            if named:
                code, name = named.group("code").lower(), named.group("name")
            else:
                code = line.lower()
                name = COMMODITY_NAMES.get(code, code.replace("-", " ").capitalize())
            topics[code] = {"name": name, "group": TOPIC_GROUP_EXCEPTIONS.get(code, group)}
    return topics


def _named_codes(section: str) -> dict[str, dict]:
    """Entries "Name (CODE)@*" (some over several lines); a "[translation]" is preferred as the name."""
    entries = {}
    body = re.sub(r"^@(?!\*).*$", "", section, flags=re.M)  # @begin/@end/@blankspace directives
    for entry in body.split("@*"):
        named = _NAMED_CODE.match(" ".join(entry.split()))
        if not named:
            continue
        name = named.group("name")
        translation = re.search(r"\[(.+?)\]", name)
        entries[named.group("code").lower()] = {
            "name": translation.group(1) if translation else name,
            "short": named.group("code"),
        }
    return entries


# Honorifics and ranks: not part of a clean personal name.
PERSON_TITLES = {"mrs", "dr", "general", "major-general", "sheikh", "ayatollah", "hojatoleslam", "alhaji"}
# Capitalised words of the office descriptions in the People section: where a name, read backwards, ends.
ROLE_WORDS = set(
    """
    president minister prime deputy governor secretary chancellor premier chairman director
    director-general secretary-general commissioner treasurer statesman leader representative speaker
    head chief staff executive managing bank board agency office council state party treasury exchequer
    affairs food privatisation forestry fisheries negotiations policy budget trade industry agriculture
    economy finance energy development planning resources oil mines commerce pemex company commission
    fund house economic federal reserve central
    """.split()
)
CONNECTORS = {"of", "and", "for", "the", "who", "is", "also", "with", "to", "in", "a"}
# People sections that are institutions, not countries.
NON_COUNTRY_SECTIONS = {"European Community Commission"}


def _people(section: str) -> dict[str, dict]:
    """The People section: entries end with "(CODE)"; a line followed by @begin[itemize] names a country."""
    people, country, depth, buffer = {}, "", 0, []
    lines = [line.strip() for line in section.splitlines() if line.strip()]
    for index, line in enumerate(lines):
        if line.startswith("@begin"):
            depth += 1
        elif line.startswith("@end"):
            depth -= 1
            country = "" if depth <= 1 else country
        elif depth == 1 and lines[index + 1 : index + 2] and lines[index + 1].startswith("@begin"):
            country = line
        else:
            buffer.append(line)
            named = _NAMED_CODE.match(" ".join(buffer))
            if named:
                people[named.group("code").lower()] = _person(
                    named.group("name"), named.group("code"), country
                )
                buffer = []
    return people


def _person(text: str, code: str, section: str) -> dict[str, str]:
    """Name, role, country of "Finance Minister Gerhard Stoltenberg" or "Fidel Castro, President of Cuba"."""
    former = "(former)" in text
    previous = None
    while previous != text:  # innermost parentheses first: they nest in one entry
        previous, text = text, re.sub(r"\s*\([^()]*\)", "", text)
    text = " ".join(text.split()).replace("Director General", "Director-General")
    head, description = _split_at_name(text, code)
    words = head.split()
    start = len(words) - 1  # the last word is always part of the name ("Youssri mustapha")
    while start > 0 and _could_be_name(words[start - 1]):
        start -= 1
    role_words = words[:start]
    while role_words and role_words[-1].lower() in PERSON_TITLES:  # "President General Suharto"
        role_words.pop()
    role = " ".join(role_words) or description[:1].upper() + description[1:]
    if former and role:
        role = f"Former {role}"
    country = re.sub(r"^The\s+", "", " ".join(re.sub(r"\([^()]*\)", "", section).split()))
    if country in NON_COUNTRY_SECTIONS:
        role, country = f"{role}, {country}", ""
    name = " ".join(
        word
        if word[:1].isupper() or word in {"de", "du", "la", "del"} or word.startswith("al-")
        else word.capitalize()
        for word in words[start:]
        if word.lower() not in PERSON_TITLES
    )
    return {"name": name, "role": role, "country": country}


def _split_at_name(text: str, code: str) -> tuple[str, str]:
    """The text up to the end of the comma-separated part holding the code's surname, and what follows."""
    parts = text.split(", ")
    for token in sorted(code.lower().split("-"), key=len, reverse=True):
        for index, part in enumerate(parts):
            if re.search(rf"\b{re.escape(token)}\b", part, re.I):
                return ", ".join(parts[: index + 1]), ", ".join(parts[index + 1 :])
    return text, ""


def _could_be_name(word: str) -> bool:
    lower = word.lower()
    return (
        lower not in ROLE_WORDS
        and lower not in CONNECTORS
        and lower not in PERSON_TITLES
        and not word.endswith(",")
    )
