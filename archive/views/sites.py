"""The site a request came to, as absolute links start with it, and the `next` it may send back to."""

from django.utils.http import url_has_allowed_host_and_scheme


def site_of(request) -> str:
    """Scheme and host of the request (`https://archive.example`), without a trailing slash."""
    return f"{request.scheme}://{request.get_host()}"


def safe_next(request, fallback: str) -> str:
    """The request's `next` (form or query string) when it stays on this site, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
