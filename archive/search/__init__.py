"""Search, the read model: `run(params, page=…)` is the one door (result.py); see README "Architecture"."""

from archive.search.result import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageSlice, SearchResult, run

__all__ = ["DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE", "PageSlice", "SearchResult", "run"]
