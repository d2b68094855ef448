"""The one way the views rewrite a query string: the current search with parameters dropped, set or added."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.http import QueryDict


def with_params(
    params: QueryDict,
    *,
    drop: Iterable[str] = (),
    set: Mapping[str, str | list[str]] | None = None,  # noqa: A002 (the name the callers read best)
    add: Iterable[tuple[str, str]] = (),
    only: Iterable[str] | None = None,
) -> str:
    """`params` as an encoded query string, changed: `only` keeps just those names (their last value,
    when they have one), `drop` removes names, `set` replaces a name's values (a list for several),
    `add` appends."""
    if only is not None:
        copy = QueryDict(mutable=True)
        for name in only:
            if params.get(name):
                copy[name] = params[name]
    else:
        copy = params.copy()
    for name in drop:
        copy.pop(name, None)
    for name, value in (set or {}).items():
        copy.setlist(name, value if isinstance(value, list) else [value])
    for name, value in add:
        copy.appendlist(name, value)
    return copy.urlencode()
