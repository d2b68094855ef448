"""Which gazetteer places an article's dateline, headline and opening name — pure matching, no database.

Names and aliases are matched as whole words (an Aho-Corasick automaton over case- and accent-folded
names), then these rules keep out the usual traps:

- **Case**: outside a dateline a name matches only where each of its capitalised words is capitalised
  in the text ("nice weather" is not Nice; "NICE" in a headline in capitals is).
- **People and teams**: a one-word city, or a country that is also a given name (Jordan, Chad …),
  directly next to another capitalised word is taken for part of a longer name —
  "Paris Hilton", "Michael Jordan", "Phoenix Suns" — and not found (small words such as "The", "In",
  "Says" and place words such as "City" do not count).
- **Small cities and everyday words**: outside a dateline a city of under 100,000 people named by
  one word (in a text written in capitals never), a city whose name is an everyday word (Nice,
  Reading, Mobile …), any one-word city in a text written in capitals, and a city matched by one of
  geonames' other names ("Peking") are found only where the article supports them — where it has
  the city's country, or for a country divided into regions (the United States) the city's state.
- **One name, several places** ("Paris": France and Texas; "Georgia": the country and the state):
  the places the article already has (its own tags, its dateline's place and the places found
  unambiguously in it) decide — a candidate is supported when it lies inside one of them or contains
  one; a candidate the article already has wins, then the only supported one. Otherwise a dateline
  takes the most populous city; a headline or an opening takes the most populous city only when it
  has ten times the people of the next and no country or region shares the name. If that still
  leaves nothing, the source's home country (`HomeCountries`) is heard as support, once; else nothing
  is found (an editor can still tag it).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

DATELINE, HEADLINE, OPENING = "dateline", "headline", "opening"
OPENING_CHARS = 400  # how much of the summary (else the body) counts as the opening
MIN_NAME = 4  # shorter names ("Ede", "Bo") are too often something else
POPULATION_MARGIN = 10
SMALL_CITY = 100_000  # a one-word city smaller than this is found only where the article supports it

GIVEN_NAMES = {
    "chad", "jordan", "carolina", "israel", "india", "kenya", "victoria", "sydney", "florence", "paris",
    "austin", "dallas", "houston", "charlotte", "madison",
    "lincoln", "jackson", "orlando", "savannah", "phoenix", "aurora", "eugene", "tyler", "chelsea",
}  # fmt: skip
# Cities whose names are everyday words: found in a headline or opening only where supported.
COMMON_WORDS = {
    "nice", "reading", "mobile", "split", "bath", "orange", "surprise", "independence", "concord",
    "enterprise", "temple", "mission", "pride", "marathon", "union", "liberty", "commerce", "victoria",
    "florence", "phoenix", "aurora", "eugene", "buffalo", "lincoln", "jackson", "madison", "march",
    "mercedes", "opportunity", "ocean", "university", "federal", "police", "summit", "bush", "george",
    "male", "female", "commonwealth", "delta", "deal", "sale", "goose", "rugby", "derby",
}  # fmt: skip
NOT_A_NAME = {
    "a", "an", "and", "as", "at", "after", "before", "but", "by", "for", "from", "in", "into", "is",
    "of", "on", "or", "over", "the", "to", "under", "up", "with", "says", "said", "will", "was", "are",
    "city", "county", "state", "region", "province", "district", "capital", "le", "la", "les", "de",
    "du", "des", "et", "en", "au", "aux", "sur", "pour", "avec", "dans", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "lundi", "mardi", "mercredi", "jeudi",
    "vendredi", "samedi", "dimanche", "ap", "afp", "reuters", "gov", "sen", "rep", "governor",
    "senator", "mayor", "president", "police", "officials", "man", "woman", "university", "college",
    "january", "february",
    "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre",
    "novembre", "decembre",
}  # fmt: skip
TITLES_OF = {"duke of", "duchess of", "prince of", "princess of", "earl of", "countess of", "marquess of"}
# A place's name followed by one of these names something else: a paper or an exchange named after
# it, or (after a city's name) a county, street, river … of that name ("Montgomery County, Texas";
# "Arizona County Chair" and "Texas College" still lie in the state).
NAMED_AFTER = {
    "times", "post", "daily", "herald", "tribune", "journal", "gazette", "globe", "chronicle", "morning",
    "stock", "exchange",
}  # fmt: skip
NOT_THE_CITY = {
    "county", "parish", "street", "avenue", "road", "boulevard", "square", "airport", "university",
    "college", "river", "lake", "island", "beach",
}  # fmt: skip
WORD = re.compile(r"[^\W\d_][\w'’-]*")
# A dateline at the head of a text: "BAMAKO, July 22 (AFP) -", "WASHINGTON (Reuters) -".
LEADING_DATELINE = re.compile(r"\s*(?P<place>[A-Z][A-Z .'’-]{2,40}?)\s*(?:,|\(|—|–| - )")


@dataclass(frozen=True)
class Candidate:
    """A gazetteer place the finder may name: `lineage` is the place and every place it lies in."""

    id: int
    name: str
    kind: str  # "country", "region", "city" or "site"
    population: int | None
    lineage: frozenset[int]
    # The lineage without a country divided into regions (the United States into states): a small
    # city needs support nearer than "somewhere in the United States".
    near: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Found:
    place_id: int
    words: str  # as the text wrote them
    where: str  # DATELINE, HEADLINE or OPENING

    @property
    def evidence(self) -> dict:
        return {"words": self.words, "where": self.where}


class _Fold(dict):
    """str.translate table: each character to its lower-case letter without accents, one for one
    (so offsets in the folded text are offsets in the original)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char.isspace():  # a name broken over two lines is still one name
            self[code] = " "
            return " "
        bare = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        lower = bare.lower() if len(bare) == 1 else char.lower()
        self[code] = lower if len(lower) == 1 else char
        return self[code]


FOLD = _Fold()


def fold(text: str) -> str:
    return text.translate(FOLD)


def usable_name(name: str) -> bool:
    """Names worth matching: long enough, not a code in capitals (ISO codes are aliases too)."""
    letters = sum(ch.isalpha() for ch in name)
    return letters >= MIN_NAME and not name.isupper() and fold(name) not in NOT_A_NAME


class PlaceFinder:
    """The gazetteer's names in one automaton; `find` applies the rules of this module's docstring.

    `names` gives each candidate's other names: a country's or region's count as its name; a city's
    (geonames' other names of the largest cities: "Peking", "Londres") need support outside a dateline.
    """

    def __init__(self, candidates: Iterable[Candidate], names: dict[int, list[str]] | None = None):
        by_key: dict[str, dict[int, tuple[str, Candidate, bool]]] = {}
        for candidate in candidates:
            others = [(n, candidate.kind == "city") for n in (names or {}).get(candidate.id, [])]
            for name, alias in [(candidate.name, False), *others]:
                if usable_name(name):
                    entries = by_key.setdefault(fold(name), {})
                    if candidate.id not in entries or not alias:
                        entries[candidate.id] = (name, candidate, alias)
        self.size = len(by_key)
        self.automaton = ahocorasick.Automaton()
        for key, entries in by_key.items():
            self.automaton.add_word(key, (len(key), tuple(entries.values())))
        if by_key:
            self.automaton.make_automaton()

    def find(
        self,
        *,
        dateline: str = "",
        headline: str = "",
        opening: str = "",
        known: Iterable[int] = (),
        home: Iterable[int] = (),
    ) -> list[Found]:
        """The places named, each once (the first mention: dateline, then headline, then opening);
        `known` are the places the article has already, with everything they lie in; `home` the
        country its source mostly covers (`HomeCountries`), heard only where nothing else decides."""
        if not self.size:
            return []
        mentions = self._dateline(dateline or _leading_dateline(opening))
        mentions += self._mentions(headline, HEADLINE) + self._mentions(opening[:OPENING_CHARS], OPENING)
        support = set(known)
        for mention in mentions:
            if len(mention.candidates) == 1 and not mention.strict:
                support |= mention.candidates[0].lineage
        found, seen = [], set()
        for mention in mentions:  # in order: what the dateline chose supports the rest
            chosen = _choose(mention, support)
            if chosen is None and home:
                chosen = _choose(mention, support | set(home))
            if chosen is not None and chosen.id not in seen:
                seen.add(chosen.id)
                support |= chosen.lineage
                found.append(Found(chosen.id, " ".join(mention.words.split()), mention.where))
        return found

    def _whole(self, words: str) -> list[Candidate]:
        value = self.automaton.get(fold(words.strip()), None) if words.strip() else None
        return [candidate for _, candidate, _ in value[1]] if value else []

    def _dateline(self, dateline: str) -> list[Mention]:
        """The dateline's place — its words before the first comma, bracket or dash, as one whole
        name — inside the place its next part names, if any ("CAMBRIDGE, Mass.", "ZEEBRUGGE, Belgium")."""
        parts = DATELINE_END.split(dateline, maxsplit=2)
        place = parts[0].strip()
        candidates = self._whole(place)
        if not candidates:
            return []
        qualifier = parts[1].strip() if len(parts) > 1 else ""
        within = self._whole(STATE_KEYS.get(re.sub(r"[.\s]", "", fold(qualifier)), qualifier))
        if within:  # "MARIETTA, Pa.": a Marietta in Pennsylvania, or none (not one in Georgia)
            candidates = [c for c in candidates if any(w.id in c.lineage and w.id != c.id for w in within)]
        return [Mention(place, candidates, DATELINE, frozenset())] if candidates else []

    def _mentions(self, text: str, where: str) -> list[Mention]:
        if not text:
            return []
        folded, spans = fold(text), []
        for end, (length, entries) in self.automaton.iter(folded):
            start = end - length + 1
            if _whole_word(folded, start, end + 1):
                spans.append((start, end + 1, entries))
        if not spans:  # most texts name no place: the case rules below are not worked out for them
            return []
        in_capitals = text_in_capitals(text)
        title_case = where == HEADLINE and _title_case(text)  # an opening is sentences
        mentions, last_end, names = [], -1, set()
        for start, stop, entries in sorted(spans, key=lambda s: (s[0], -s[1])):  # longest first, no overlap
            if start < last_end:
                continue
            words = text[start:stop]
            kept = [(c, alias) for name, c, alias in entries if _same_case(name, words, in_capitals)]
            # Part of a longer name ("Washington Post", "Paris Hilton") for any of the places, or
            # followed by a word that makes it something else ("Montgomery County"): none of them.
            after = _next_word(text, stop)
            if after in NOT_THE_CITY:
                kept = [(c, alias) for c, alias in kept if c.kind != "city"]
            if after in NAMED_AFTER or any(
                _inside_a_name(text, start, stop, c, title_case=title_case) for c, _ in kept
            ):
                names.add(fold(words))  # "Charles W. Durham ... Durham said": a person's name
                kept = []
            if fold(words) in names:
                kept = []
            kept = [(c, alias) for c, alias in kept if not _too_small_in_capitals(c, in_capitals)]
            kind = _kind_said(text, start, stop)  # "Washington State", "the republic of Georgia"
            if kind == "title":
                kept = []
            if kind and any(c.kind == kind for c, _ in kept):
                kept = [(c, alias) for c, alias in kept if c.kind == kind]
            if kept:
                # In title case a one-word city beside a capitalised word may be a name ("Queen
                # Elizabeth Declares", "Kobe Built"): it needs support there.
                beside = title_case and _capitalised_neighbour(text, start, stop)
                strict = frozenset(
                    c.id
                    for c, alias in kept
                    if alias or _small_or_common(c, in_capitals) or (beside and _one_word_city(c))
                )
                mentions.append(Mention(words, [c for c, _ in kept], where, strict))
                last_end = stop
        return mentions


class HomeCountries:
    """The country each source's articles are mostly about — over half of those placed in a country,
    once it has at least MIN_ARTICLES of them — learned from the places given and found so far: it
    decides between places of one name where the article itself does not ("Georgia" in a paper whose
    articles are mostly in the United States is the state)."""

    MIN_ARTICLES = 20
    SHARE = 0.5

    def __init__(self, countries: Iterable[int]):
        self.countries = frozenset(countries)
        self.counts: dict[object, Counter] = {}
        self.placed: Counter = Counter()
        self.lock = threading.Lock()  # an import's writer threads observe at once

    def observe(self, source, places: Iterable[int], weight: int = 1) -> None:
        """An article (or `weight` of them) of `source` lies in these places (ancestors included)."""
        countries = self.countries.intersection(places)
        if countries:
            with self.lock:
                self.placed[source] += weight
                counts = self.counts.setdefault(source, Counter())
                for country in countries:
                    counts[country] += weight

    def home(self, source) -> set[int]:
        with self.lock:
            placed = self.placed[source]
            if placed < self.MIN_ARTICLES:
                return set()
            country, count = self.counts[source].most_common(1)[0]
        return {country} if count > self.SHARE * placed else set()


@dataclass(frozen=True)
class Mention:
    words: str
    candidates: list[Candidate]
    where: str
    strict: frozenset[int]  # candidates found here only where the article supports them


DATELINE_END = re.compile(r",|\(| - |—|–")
# The abbreviations datelines give US states (AP style, and the postal codes): "OMAHA, Neb.".
US_STATES = {
    "ala": "Alabama", "al": "Alabama", "alaska": "Alaska", "ak": "Alaska", "ariz": "Arizona",
    "az": "Arizona", "ark": "Arkansas", "ar": "Arkansas", "calif": "California", "ca": "California",
    "colo": "Colorado", "co": "Colorado", "conn": "Connecticut", "ct": "Connecticut", "del": "Delaware",
    "de": "Delaware", "fla": "Florida", "fl": "Florida", "ga": "Georgia", "hawaii": "Hawaii",
    "hi": "Hawaii", "idaho": "Idaho", "id": "Idaho", "ill": "Illinois", "il": "Illinois",
    "ind": "Indiana", "in": "Indiana", "iowa": "Iowa", "ia": "Iowa", "kan": "Kansas", "kans": "Kansas",
    "ks": "Kansas", "ky": "Kentucky", "la": "Louisiana", "maine": "Maine", "me": "Maine",
    "md": "Maryland", "mass": "Massachusetts", "ma": "Massachusetts", "mich": "Michigan",
    "mi": "Michigan", "minn": "Minnesota", "mn": "Minnesota", "miss": "Mississippi", "ms": "Mississippi",
    "mo": "Missouri", "mont": "Montana", "mt": "Montana", "neb": "Nebraska", "nebr": "Nebraska",
    "ne": "Nebraska", "nev": "Nevada", "nv": "Nevada", "n.h.": "New Hampshire", "nh": "New Hampshire",
    "n.j.": "New Jersey", "nj": "New Jersey", "n.m.": "New Mexico", "nm": "New Mexico",
    "n.y.": "New York", "ny": "New York", "n.c.": "North Carolina", "nc": "North Carolina",
    "n.d.": "North Dakota", "nd": "North Dakota", "ohio": "Ohio", "oh": "Ohio", "okla": "Oklahoma",
    "ok": "Oklahoma", "ore": "Oregon", "or": "Oregon", "pa": "Pennsylvania", "penn": "Pennsylvania",
    "r.i.": "Rhode Island", "ri": "Rhode Island", "s.c.": "South Carolina", "sc": "South Carolina",
    "s.d.": "South Dakota", "sd": "South Dakota", "tenn": "Tennessee", "tn": "Tennessee",
    "texas": "Texas", "tex": "Texas", "tx": "Texas", "utah": "Utah", "ut": "Utah", "vt": "Vermont",
    "va": "Virginia", "wash": "Washington", "wa": "Washington", "w.va.": "West Virginia",
    "wv": "West Virginia", "wis": "Wisconsin", "wisc": "Wisconsin", "wi": "Wisconsin", "wyo": "Wyoming",
    "wy": "Wyoming", "d.c.": "District of Columbia", "dc": "District of Columbia",
}  # fmt: skip
STATE_KEYS = {key.replace(".", ""): state for key, state in US_STATES.items()}


def _leading_dateline(opening: str) -> str:
    match = LEADING_DATELINE.match(opening or "")
    return match.group("place") if match else ""


def _title_case(text: str) -> bool:
    """A headline in title case ("Texas Officer Fires 5 Shots") capitalises ordinary words."""
    words = [w for w in WORD.findall(text)[1:] if fold(w) not in NOT_A_NAME]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def text_in_capitals(text: str) -> bool:
    letters = "".join(filter(str.isalpha, text))  # counted in C, not a Python loop per character
    return bool(letters) and sum(map(str.isupper, letters)) >= 0.8 * len(letters)


def _whole_word(text: str, start: int, stop: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[stop] if stop < len(text) else " "
    return not (before.isalnum() or after.isalnum() or before in "-_" or after in "-_")


def _same_case(name: str, words: str, in_capitals: bool) -> bool:
    """Each capitalised word of the name is capitalised in the text; capitals only in a text all in
    capitals (an acronym such as "MAGA" is not the town of Maga)."""
    if words.isupper() and len(words) > 1:
        return in_capitals
    return all(
        not n[0].isupper() or w[0].isupper()
        for n, w in zip(WORD.findall(name), WORD.findall(words), strict=False)
    )


def _capitalised_neighbour(text: str, start: int, stop: int) -> bool:
    """A capitalised word directly before or after the words (small words like "The" do not count)."""
    before = text[start - 1 : start]
    left = WORD.findall(text[max(0, start - 40) : start]) if before.isspace() else []
    right = WORD.match(text[stop + 1 :].lstrip()) if text[stop : stop + 1].isspace() else None
    neighbours = [left[-1] if left else "", right.group(0) if right else ""]
    return any(w and w[0].isupper() and fold(w) not in NOT_A_NAME for w in neighbours)


def _inside_a_name(text: str, start: int, stop: int, candidate: Candidate, *, title_case: bool) -> bool:
    """A one-word city, or a country or region that is also a given name, next to another capitalised
    word: part of a person's, team's or paper's name. In a title-case headline every word is
    capitalised, so there only the given names count (a city there needs support instead)."""
    if " " in candidate.name.strip():
        return False
    given_name = fold(candidate.name) in GIVEN_NAMES
    if not given_name and (candidate.kind != "city" or title_case):
        return False
    return _capitalised_neighbour(text, start, stop)


def _kind_said(text: str, start: int, stop: int) -> str:
    """The kind of place the words around a name say: "… State", "state of …" (a region), "republic of
    …", "kingdom of …" (a country)."""
    before = fold(" ".join(text[max(0, start - 20) : start].split()[-2:]))
    if text[stop : stop + 6] == " State" or before == "state of":
        return "region"
    if before in ("republic of", "kingdom of"):
        return "country"
    if before in TITLES_OF:
        return "title"  # "the Duke of Edinburgh": no place of that kind
    return ""


def _next_word(text: str, stop: int) -> str:
    match = WORD.match(text[stop + 1 :]) if text[stop : stop + 1] == " " else None
    return fold(match.group(0)) if match else ""


def _unique(candidates: list[Candidate]) -> list[Candidate]:
    return list({c.id: c for c in candidates}.values())


def _small_or_common(candidate: Candidate, in_capitals: bool) -> bool:
    """A city named by an everyday word, or a small one-word city, or any one-word city in a text
    all in capitals ("STOCK SALE" is not Sale, Victoria)."""
    if candidate.kind != "city":
        return False
    if fold(candidate.name) in COMMON_WORDS:
        return True
    one_word = " " not in candidate.name.strip()
    return one_word and (in_capitals or (candidate.population or 0) < SMALL_CITY)


def _one_word_city(candidate: Candidate) -> bool:
    return candidate.kind == "city" and " " not in candidate.name.strip()


def _too_small_in_capitals(candidate: Candidate, in_capitals: bool) -> bool:
    """In a text all in capitals a small one-word city is not found at all ("DEAL", "SALE")."""
    small = (candidate.population or 0) < SMALL_CITY
    return in_capitals and candidate.kind == "city" and small and " " not in candidate.name.strip()


def _choose(mention: Mention, support: set[int]) -> Candidate | None:
    """The one place a mention names, or None (see the rules in this module's docstring)."""
    where = mention.where
    supported = [c for c in mention.candidates if (c.near if c.id in mention.strict else c.lineage) & support]
    entries = [c for c in mention.candidates if c in supported or c.id not in mention.strict]
    if len(entries) == 1:
        return entries[0]
    for narrowed in ([c for c in entries if c.id in support], supported):
        if len(narrowed) == 1:
            return narrowed[0]
    pool = supported or entries
    cities = sorted((c for c in pool if c.kind == "city"), key=lambda c: -(c.population or 0))
    if where == DATELINE:
        return cities[0] if cities else (pool[0] if len(pool) == 1 else None)
    if not cities or len(cities) < len(pool):
        return None
    first, second = cities[0].population or 0, (cities[1].population or 0) if len(cities) > 1 else 0
    return cities[0] if first >= POPULATION_MARGIN * max(second, 1) else None
