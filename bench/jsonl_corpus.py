"""The search benchmark's corpus (`archive_bench_search`, see search_corpus.py) written as JSON Lines,
for timing `import_articles` on a million records (issue 21 §5):

    .venv/bin/python bench/jsonl_corpus.py            # → /var/tmp/bench-jsonl-1000000/part-*.jsonl
    .venv/bin/python bench/jsonl_corpus.py --corpus plain   # → /var/tmp/bench-jsonl-plain-1000000/…
    make bench-import ARGS="--files /var/tmp/bench-jsonl-1000000/part-*.jsonl"

Each line is one published article with the importer's own field names (source, places and topics by
name, people and organisations apart). Files of 250,000 records keep each under the importer's 1 GiB
bound on one file. Written by PostgreSQL (COPY of json_build_object), reused when present.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import search_corpus
from search_corpus import connect, corpus_size, log

PER_FILE = 250_000
# The JSON of one article, as `import_articles --format jsonl` reads it (archive/importers/records.py).
RECORD = """
    SELECT a.id, json_build_object(
        'headline', a.headline, 'published', a.published_on, 'body', a.body, 'summary', a.summary,
        'byline', a.byline, 'dateline', a.dateline, 'agency', a.agency, 'url', a.url,
        'external_id', a.external_id, 'source', s.name, 'language', a.language,
        'places', ARRAY(SELECT p.name FROM archive_article_places link
                        JOIN archive_place p ON p.id = link.place_id
                        WHERE link.article_id = a.id ORDER BY p.name),
        'topics', ARRAY(SELECT t.name FROM archive_article_topics link
                        JOIN archive_topic t ON t.id = link.topic_id
                        WHERE link.article_id = a.id AND t.kind NOT IN ('person', 'organisation')
                        ORDER BY t.name),
        'people', ARRAY(SELECT t.name FROM archive_article_topics link
                        JOIN archive_topic t ON t.id = link.topic_id
                        WHERE link.article_id = a.id AND t.kind = 'person'
                        ORDER BY t.name),
        'organisations', ARRAY(SELECT t.name FROM archive_article_topics link JOIN archive_topic t
                               ON t.id = link.topic_id
                               WHERE link.article_id = a.id AND t.kind = 'organisation' ORDER BY t.name)
    )::text
    FROM archive_article a LEFT JOIN archive_source s ON s.id = a.source_id
    WHERE a.status = 'published' AND a.id > %s ORDER BY a.id LIMIT %s
"""


def write(directory: Path) -> list[Path]:
    """The corpus's files, written unless already complete; returns them in order."""
    articles = corpus_size()
    if articles is None:
        raise SystemExit("no benchmark corpus: run bench/bench_search.py first (it builds it)")
    done = directory / "complete"
    paths = sorted(directory.glob("part-*.jsonl"))
    if done.exists():
        return paths
    directory.mkdir(parents=True, exist_ok=True)
    for path in paths:
        path.unlink()
    paths, last, written = [], 0, 0
    with connect() as pg:
        while written < articles:
            path = directory / f"part-{len(paths):02d}.jsonl"
            count = 0
            with path.open("w", encoding="utf-8") as handle, pg.cursor(name="records") as cursor:
                cursor.execute(RECORD, [last, PER_FILE])  # COPY's text format would escape the JSON
                while rows := cursor.fetchmany(5000):
                    handle.writelines(f"{line}\n" for _, line in rows)
                    last, count = rows[-1][0], count + len(rows)
            pg.commit()
            if not count:
                path.unlink()
                break
            written += count
            paths.append(path)
            log(f"{path}: {count:,} records ({written:,} of {articles:,})")
    done.write_text(f"{written}\n")
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--directory", type=Path, default=None)
    parser.add_argument(
        "--corpus",
        choices=sorted(search_corpus.CORPORA),
        default="varied",
        help="the million-article corpus to write: varied (default) or plain (the copies word for word)",
    )
    args = parser.parse_args()
    search_corpus.choose(args.corpus)
    articles = corpus_size()
    prefix = "" if args.corpus == "varied" else f"{args.corpus}-"
    directory = args.directory or Path(f"/var/tmp/bench-jsonl-{prefix}{articles}")
    for path in write(directory):
        print(path)


if __name__ == "__main__":
    main()
