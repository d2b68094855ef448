"""Did you mean: the archive's nearest words to the typed ones, when a search finds little."""

from __future__ import annotations

from django.db import transaction

from archive.models import Article
from archive.replicas import read_alias, read_connection
from archive.search.compiler import CompiledQuery

FEW_RESULTS = 3
LEVENSHTEIN_MAX_CHARS = 255  # fuzzystrmatch's levenshtein() refuses a longer argument
SUGGESTION_CANDIDATES = 20  # the closest vocabulary words, each checked against the published articles

# Each language has its own word list (archive_vocabulary.language): a word is suggested from the
# languages the query was compiled in, and only when it is not already a word of one of them. The
# closest words first; of those, the first that a published article in that language still holds:
# the vocabulary is refreshed after imports only, so an unpublished, deleted or edited article's
# words linger in it. The lexeme is quoted as tsquery input (quotes and backslashes doubled), so it
# is matched as it is, through the GIN index on the exact vector.
_SUGGESTION_SQL = f"""
    SELECT word, language FROM (
        SELECT word, language, levenshtein(word, typed) AS distance, ndoc
        FROM archive_vocabulary, unaccent(lower(%(typed)s)) AS typed
        WHERE language = ANY(%(languages)s)
          AND word %% typed AND word <> typed AND ndoc > %(found)s
          AND length(word) <= {LEVENSHTEIN_MAX_CHARS} AND length(typed) <= {LEVENSHTEIN_MAX_CHARS}
          AND NOT EXISTS (SELECT 1 FROM archive_vocabulary known
                          WHERE known.language = ANY(%(languages)s) AND known.word = typed
                            AND known.ndoc >= %(few)s)
        ORDER BY distance, ndoc DESC, word, language LIMIT {SUGGESTION_CANDIDATES}
    ) closest
    WHERE EXISTS (
        SELECT 1 FROM {Article._meta.db_table} article
        -- `language || ''`: an expression, so the rows come from the GIN index alone; a BitmapAnd
        -- with the language index read 850,000 entries for an English word (150 ms at 1M articles).
        WHERE article.status = %(published)s AND article.language || '' = closest.language
          AND article.search_vector_exact @@ (
            chr(39) || replace(replace(word, chr(92), chr(92) || chr(92)), chr(39), chr(39) || chr(39))
            || chr(39))::tsquery
    )
    ORDER BY distance, ndoc DESC, word, language LIMIT 1
"""


def suggestions(compiled: CompiledQuery | None, found: int) -> list[tuple[str, str]]:
    """Did you mean: (typed, suggested) pairs of words close to the typed ones (pg_trgm), when a
    search finds little; only words of the languages searched that a published article in that
    language holds now."""
    if not compiled or found >= FEW_RESULTS:
        return []
    words = [w.lower() for w in compiled.positive_words if 3 <= len(w) <= LEVENSHTEIN_MAX_CHARS][:6]
    suggested = []
    with transaction.atomic(using=read_alias()), read_connection().cursor() as cursor:
        cursor.execute("SET LOCAL pg_trgm.similarity_threshold = 0.2")
        for word in words:
            parameters = {
                "typed": word,
                "languages": compiled.languages,
                "found": found,
                "few": FEW_RESULTS,
                "published": Article.Status.PUBLISHED,
            }
            cursor.execute(_SUGGESTION_SQL, parameters)
            row = cursor.fetchone()
            if row:
                suggested.append((word, row[0]))
    return suggested
