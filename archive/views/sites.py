"""The site a request came to, as absolute links start with it."""


def site_of(request) -> str:
    """Scheme and host of the request (`https://archive.example`), without a trailing slash."""
    return f"{request.scheme}://{request.get_host()}"
