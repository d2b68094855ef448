"""Site URLs: the admin and the archive's public pages."""

from django.contrib import admin
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.urls import include, path

from archive import selectors
from archive.models import Article


def _hidden_article(request, content_type_id: int, object_id: str) -> bool:
    """Whether the object is an article this user may not see (a draft, without the view permission)."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        return False  # Django's shortcut answers 404 itself
    if model is not Article or not object_id.isdecimal():
        return False
    return selectors.article_for_viewer(pk=int(object_id), user=request.user) is None


def view_on_site(request, content_type_id: int, object_id: str):
    """The admin's "view on site" redirect, except to a draft the user may not view: its slug spells
    the headline, so that is a 404, as the article page would answer."""
    if _hidden_article(request, content_type_id, object_id):
        raise Http404("No such article.")
    return contenttype_views.shortcut(request, content_type_id, object_id)


urlpatterns = [
    # Before the admin's own URLs, so that it answers `admin:view_on_site` in its place.
    path("admin/r/<int:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path("admin/", admin.site.urls),
    path("", include("archive.urls")),
]

handler404 = "archive.views.errors.page_not_found"
handler500 = "archive.views.errors.server_error"
