"""The text-search configurations and the stored vectors built on them (read by models.py).

Every SearchVector, SearchQuery and SearchHeadline passes a configuration explicitly: without it
PostgreSQL silently falls back to its default configuration.
"""

import re
from collections.abc import Callable

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db.models import Case, F, Func, TextField, Value, When
from django.db.models.functions import Left
from django.utils.translation import get_language_info

# A copy of PostgreSQL's `english` with `unaccent` before the stemmer (migration 0001).
SEARCH_CONFIG = "archive_english"
# The exact mode's: `simple` with `unaccent`, so no stemming and no stop words (migration 0007).
EXACT_CONFIG = "archive_simple"
# What the archive stores as a language: an ISO 639-1 code, or a 3-letter one such as `und`
# (ISO 639-2, undetermined). Imports, the `language` filter and detection all check this one.
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")

# Every language PostgreSQL ships a Snowball stemmer for, by ISO 639-1 code: each has an
# `archive_<name>` configuration, a copy of PostgreSQL's with `unaccent` before the stemmer
# (migration 0024). An article in any other language (or `und`) is indexed with `archive_simple`.
STEMMED_LANGUAGES = {
    "ar": "arabic",
    "hy": "armenian",
    "eu": "basque",
    "ca": "catalan",
    "da": "danish",
    "nl": "dutch",
    "en": "english",
    "fi": "finnish",
    "fr": "french",
    "de": "german",
    "el": "greek",
    "hi": "hindi",
    "hu": "hungarian",
    "id": "indonesian",
    "ga": "irish",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "no": "norwegian",
    "nb": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "es": "spanish",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}
# A tsvector over 1 MB makes the INSERT fail, so only the start of a long body is indexed.
BODY_INDEX_CHARS = 500_000


# PostgreSQL's parser reads `<New London Oil Ltd>` as an HTML tag and indexes none of its words, and
# keeps `OIL/GAS` as one lexeme `oil/gas`: angle brackets and slashes become spaces before parsing,
# so every word inside brackets is indexed and each part of a slash-joined word is a word of its
# own. The whole is still found: the query parser reads `oil/gas` as the phrase "oil gas", which
# the adjacent parts match. Hyphenated words need nothing: the parser indexes `crude-oil` whole
# and as `crude` and `oil`.
UNINDEXED_CHARS, AS_SPACES = "<>/", "   "


def indexable(expression) -> Func:
    """The text as the vectors parse it (see UNINDEXED_CHARS)."""
    return Func(
        expression, Value(UNINDEXED_CHARS), Value(AS_SPACES), function="translate", output_field=TextField()
    )


def article_vector(config: str = SEARCH_CONFIG) -> SearchVector:
    """A stored vector: headline A, summary B, body C (its start), byline and dateline D."""
    return (
        SearchVector(indexable(F("headline")), config=config, weight="A")
        + SearchVector(indexable(F("summary")), config=config, weight="B")
        + SearchVector(indexable(Left("body", BODY_INDEX_CHARS)), config=config, weight="C")
        + SearchVector(indexable(F("byline")), indexable(F("dateline")), config=config, weight="D")
    )


def language_config(language: str) -> str:
    """The configuration an article in `language` is indexed with."""
    name = STEMMED_LANGUAGES.get(language)
    return f"archive_{name}" if name else EXACT_CONFIG


def _in_own_language(vector: Callable[[str], SearchVector]) -> Case:
    """`vector(configuration)` of each article in its own language's configuration."""
    by_config: dict[str, list[str]] = {}
    for code in STEMMED_LANGUAGES:
        by_config.setdefault(language_config(code), []).append(code)
    return Case(
        *(When(language__in=codes, then=vector(config)) for config, codes in by_config.items()),
        default=vector(EXACT_CONFIG),
        output_field=SearchVectorField(),
    )


def language_vector() -> Case:
    """The stored stemmed vector: each article in its own language's configuration."""
    return _in_own_language(article_vector)


def headline_vector() -> Case:
    """The stored headline vector: the headline's words as the stemmed vector holds them (each article
    in its own language's configuration), without the weight. Its index answers a `headline:` term
    from the headlines alone, where the whole vector's index gives every article holding the word
    anywhere, each then read to tell a headline from a body (archive.search.compiler)."""
    return _in_own_language(lambda config: SearchVector(indexable(F("headline")), config=config))


def language_name(code: str) -> str:
    """A language's name in the interface language (Django's names), "" when Django names none."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:  # not in Django's LANG_INFO, or an entry without a name of its own
        return ""
