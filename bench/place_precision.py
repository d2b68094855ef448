"""Precision of the places found in text, on a sample labelled by hand.

Runs the import's finder (archive.finding) over Reuters-21578 (the first five files) and the HuffPost
sample as an import would — each record's own places known, the source's home country learned as the
records go — against the gazetteer of the default database (`make bootstrap` loads it), writing
nothing. Draws a fixed sample of the places found in each collection (the 100 whose keys hash lowest)
and prints each with its evidence. `bench/place_precision_labels.json` holds a person's judgement of
each sampled place (true: the text names that place; false: it names something else, or another place
of that name); with
`--labels` the script prints the precision per collection and per part of the text.

    .venv/bin/python bench/place_precision.py            # print the sample to label
    .venv/bin/python bench/place_precision.py --labels   # precision from the labels
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "bench" / "place_precision_labels.json"
SAMPLE = 100  # places a collection
SEED = 2026


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def found_in(paths: list[Path], fmt: str, mapping: dict, source: str) -> list[dict]:
    """Every place found in these files, as an import with finding would find it."""
    from archive.finding.places import OPENING_CHARS, HomeCountries
    from archive.finding.tagging import country_ids, gazetteer_finder
    from archive.importers.normalise import normalise
    from archive.importers.service import ImportOptions, _reader
    from archive.importers.tags import TagResolver
    from archive.models import Place

    finder, resolver, homes = gazetteer_finder(), TagResolver(), HomeCountries(country_ids())
    slugs = dict(Place.objects.values_list("id", "slug"))
    hits = []
    for path in paths:
        _, records = _reader(path, ImportOptions(format=fmt, mapping=mapping))
        for record in records:
            values = normalise(record) if record.error is None else None
            if values is None:
                continue
            known = resolver.rollup(Place, resolver.place_ids(values.tags.get("places", [])))
            text = {"dateline": values.dateline, "headline": values.headline}
            found = finder.find(
                **text, opening=values.summary or values.body, known=known, home=homes.home(source)
            )
            found = [f for f in found if f.place_id not in known]
            homes.observe(source, resolver.rollup(Place, [*known, *(f.place_id for f in found)]))
            for hit in found:
                opening = (values.summary or values.body)[:OPENING_CHARS]
                at = opening.find(hit.words) if hit.where == "opening" else -1
                context = (
                    " ".join(opening[max(0, at - 120) : at + len(hit.words) + 80].split()) if at >= 0 else ""
                )
                hits.append(
                    {
                        "key": f"{source}|{values.external_id or values.url}|{slugs[hit.place_id]}",
                        "place": slugs[hit.place_id],
                        "words": hit.words,
                        "where": hit.where,
                        "dateline": values.dateline,
                        "headline": values.headline,
                        "context": context,
                    }
                )
    country, count = homes.counts[source].most_common(1)[0]
    share = f"{count:,} of {homes.placed[source]:,} articles placed in a country"
    print(
        f"{source}: home {dict(Place.objects.values_list('id', 'slug'))[country]} ({share})", file=sys.stderr
    )
    return hits


def samples() -> dict[str, list[dict]]:
    from django.db import transaction

    data = ROOT.parent / "shared" / "data"
    huffpost_map = {"summary": "short_description", "topics": "category", "published": "date", "url": "link"}
    with transaction.atomic():  # the resolver creates unknown places and topics: none are kept
        collections = {
            "reuters": found_in(
                sorted((data / "reuters21578").glob("reut2-00[0-4].sgm")), "reuters", {}, "reuters"
            ),
            "huffpost": found_in(
                [data / "huffpost" / "News_Category_Dataset_v3.subset.json"],
                "jsonl",
                huffpost_map,
                "huffpost",
            ),
        }
        transaction.set_rollback(True)
    picked = {}
    for name, hits in collections.items():
        print(f"{name}: {len(hits):,} places found", file=sys.stderr)
        # The hits whose keys hash lowest: a change of the rules moves only the hits it changes.
        picked[name] = sorted(hits, key=lambda hit: hashlib.sha256(f"{SEED}|{hit['key']}".encode()).digest())[
            :SAMPLE
        ]
    return picked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", action="store_true", help="print the precision from the labels")
    args = parser.parse_args()
    _django()
    picked = samples()
    if not args.labels:
        print(json.dumps(picked, indent=1, ensure_ascii=False))
        return
    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    for name, hits in picked.items():
        right, total, missing = Counter(), Counter(), 0
        for hit in hits:
            if hit["key"] not in labels:
                missing += 1
                continue
            for part in ("all", hit["where"]):
                total[part] += 1
                right[part] += bool(labels[hit["key"]])
        figures = ", ".join(
            f"{part} {right[part]}/{total[part]} = {right[part] / total[part]:.0%}" for part in total
        )
        print(f"{name}: {figures}" + (f" ({missing} not labelled)" if missing else ""))


if __name__ == "__main__":
    main()
