"""Numbered pages shared by every list: a bad or out-of-range page is a 404, never a 500."""

from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404
from django.utils.translation import gettext as _

from archive.search.ordering import ids_then_rows, in_id_order

PAGE_SIZE = 20


MAX_PAGE_NUMBER = 10**12  # beyond any archive; keeps OFFSET within bigint whatever is typed


def page_number(request) -> int:
    """The requested page number (1 when absent); a 404 unless it is a whole number ≥ 1.

    Whether the page exists is checked later, against the count.
    """
    try:
        number = int(request.GET.get("page") or 1)
    except ValueError:
        raise Http404(_("No such page: that page number is not an integer")) from None
    if number < 1:
        raise Http404(_("No such page: that page number is less than 1"))
    return min(number, MAX_PAGE_NUMBER)


def paginate(
    request,
    queryset,
    *,
    per_page: int = PAGE_SIZE,
    count: int | None = None,
    ids: list[int] | None = None,
    ids_first: bool = False,
) -> Page:
    """The requested page of `queryset`; its paginator's count is the exact total (`count` if known).

    `ids`, when known, are the page's rows in order: they are fetched by primary key. `ids_first`
    picks the page's ids before its rows (ordering.ids_then_rows: a filtered date-ordered search).
    """
    paginator = Paginator(queryset, per_page, allow_empty_first_page=True)
    if count is not None:
        paginator.count = count  # a cached_property: the COUNT query is not run again
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404(_("No such page: %(reason)s") % {"reason": error}) from error
    if ids is None and ids_first:
        start = (page.number - 1) * paginator.per_page
        page.object_list = ids_then_rows(queryset, start, start + paginator.per_page)
    elif ids is None:
        page.object_list = list(page.object_list)
    else:
        page.object_list = in_id_order(queryset.order_by().filter(pk__in=ids), ids)
    return page
