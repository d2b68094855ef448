"""A web worker's start: load what every request uses, then hide it from the garbage collector.

A full (generation 2) collection walks every tracked object: with Django, the URLconf, the views and
the compiled templates loaded, that is ~50 ms, paid by whichever request happens to trigger it
(1 request in 10–20 of the search page, measured with bench/bench_search.py). Objects loaded at
start live as long as the worker, so `gc.freeze()` moves them to the permanent generation that
collections skip; a request's own garbage is still collected as before.
"""

from __future__ import annotations

import gc

from django.conf import settings
from django.template.loader import get_template
from django.urls import get_resolver


def _project_templates() -> list[str]:
    """Every template under the project's template folders (the public pages' and the admin's)."""
    names = []
    for folder in (directory for engine in settings.TEMPLATES for directory in engine.get("DIRS", [])):
        names.extend(str(path.relative_to(folder)) for path in sorted(folder.rglob("*.html")))
    return names


def load_and_freeze() -> None:
    """Import every view (through the URLconf) and compile the project's templates, then freeze."""
    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and every view module
    for name in _project_templates():
        get_template(name)
    gc.collect()
    gc.freeze()
