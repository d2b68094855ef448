"""Site URLs: the admin and the archive's public pages."""

from django.contrib import admin
from django.urls import include, path

from archive.views.admin_links import view_on_site

urlpatterns = [
    # Before the admin's own URLs, so that it answers `admin:view_on_site` in its place.
    path("admin/r/<int:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language at /i18n/setlang/
    path("", include("archive.urls")),
]

handler400 = "archive.views.errors.bad_request"
handler403 = "archive.views.errors.permission_denied"
handler404 = "archive.views.errors.page_not_found"
handler500 = "archive.views.errors.server_error"
