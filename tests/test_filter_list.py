"""The search parameters are declared once (filters.FILTERS); everything that lists them reads it."""

import pytest

from archive import openapi
from archive.derived.refresh import refresh_browse_counts
from archive.search import baseline, browse_counts
from archive.search.params import FILTERS, ArticleFilter
from archive.views import search as search_view


def test_the_list_names_exactly_the_filtersets_filters_in_order():
    assert [spec.name for spec in FILTERS] == list(ArticleFilter.base_filters)


def test_each_filter_says_how_browse_counts_may_serve_it():
    assert {spec.browse for spec in FILTERS} <= {"dates", "node", "source", "ignore", "never"}
    assert {spec.name for spec in FILTERS if spec.browse == "never"} == {
        "q",
        "language",
        "agency",
        "story",
        "tagged",
        "collapse",
        "collection",
        "added_after",
    }


def test_chips_facets_baseline_and_the_api_read_the_list():
    assert search_view.CHIP_PARAMS == (
        "from",
        "to",
        "place",
        "topic",
        "person",
        "organisation",
        "source",
        "language",
        "agency",
        "story",
        "tagged",
        "collection",
        "added_after",
    )
    assert [name for name, _ in search_view.FACET_TITLES][2:] == [*search_view.CHIP_PARAMS[2:-4]]
    # collapse and tagged change what is counted, they select nothing
    assert baseline.FILTERS_BESIDE_DATES == tuple(n for n in search_view.CHIP_PARAMS[2:] if n != "tagged")
    assert [name for name, _ in openapi.FILTER_PARAMETERS][: len(FILTERS)] == [spec.name for spec in FILTERS]


@pytest.mark.django_db
def test_browse_counts_refuse_a_filter_they_do_not_know():
    refresh_browse_counts()
    assert browse_counts.summary_for({"from": None, "to": None}) is not None
    assert browse_counts.summary_for({"from": None, "to": None, "language": "fr"}) is None
    assert browse_counts.summary_for({"from": None, "to": None, "collection": ["mine"]}) is None  # a new one
    assert browse_counts.summary_for({"q": "  ", "exact": True, "sort": "oldest"}) is not None
