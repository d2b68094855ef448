"""with_params: the one query-string rewriter of the views."""

from django.http import QueryDict

from archive.views.querystrings import with_params


def test_drop_set_and_add_in_one_call():
    params = QueryDict("q=coffee&place=brazil&place=colombia&page=3")
    assert with_params(params, drop=("page",), set={"q": "cocoa"}, add=[("topic", "crops")]) == (
        "q=cocoa&place=brazil&place=colombia&topic=crops"
    )


def test_set_a_list_replaces_every_value_and_the_original_is_untouched():
    params = QueryDict("place=brazil&place=colombia")
    assert with_params(params, set={"place": ["colombia"]}) == "place=colombia"
    assert params.getlist("place") == ["brazil", "colombia"]


def test_only_keeps_the_named_parameters_that_have_a_value():
    params = QueryDict("q=coffee&exact=&sort=left&page=2")
    assert with_params(params, only=("q", "exact")) == "q=coffee"
