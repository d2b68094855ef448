"""Search, the read model: `run(params, page=…)` is the one door (result.py); see README "Architecture".

Imported from a plain script or `python -c` (no DJANGO_SETTINGS_MODULE, settings not configured),
the package first sets Django up with the project's settings, as manage.py would: a notebook can
`from archive.search import run` and search the archive.
"""

import os

import django
from django.conf import settings

if "DJANGO_SETTINGS_MODULE" not in os.environ and not settings.configured:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    django.setup()

from archive.search.result import (  # noqa: E402  (after the setup above)
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    PageSlice,
    SearchResult,
    run,
)

__all__ = ["DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE", "PageSlice", "SearchResult", "run"]
