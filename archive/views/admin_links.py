"""The admin's "view on site" redirect, which must not lead anyone to a draft they may not view."""

from __future__ import annotations

import re

from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.utils.translation import gettext as _

from archive import selectors
from archive.models import Article

DIGITS = re.compile(r"[0-9]{1,18}")


def _hidden_article(request, content_type_id: int, object_id: str) -> bool:
    """Whether the object is an article this user may not see (a draft, without the view permission)."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        return False  # Django's shortcut answers 404 itself
    if model is not Article:
        return False
    # Only plain digits: int() would also read "+12", "1_2" or " 12" as article 12.
    if not DIGITS.fullmatch(object_id):
        return True
    return selectors.article_for_viewer(pk=int(object_id), user=request.user) is None


def view_on_site(request, content_type_id: int, object_id: str):
    """Django's shortcut, except to a draft the user may not view: its slug spells the headline, so
    that is a 404, as the article page would answer."""
    if _hidden_article(request, content_type_id, object_id):
        raise Http404(_("No such article."))
    return contenttype_views.shortcut(request, content_type_id, object_id)
