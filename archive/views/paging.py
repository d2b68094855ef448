"""Numbered pages shared by every list: a bad or out-of-range page is a 404, never a 500."""

from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404

PAGE_SIZE = 20


def paginate(request, queryset, *, per_page: int = PAGE_SIZE, count: int | None = None) -> Page:
    """The requested page of `queryset`; its paginator's count is the exact total (`count` if known)."""
    paginator = Paginator(queryset, per_page, allow_empty_first_page=True)
    if count is not None:
        paginator.count = count  # a cached_property: the COUNT query is not run again
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404(f"No such page: {error}") from error
    page.object_list = list(page.object_list)
    return page
