from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from dc43_portal.api.urls import account_urlpatterns

urlpatterns = [
    # First, so an API request is resolved without walking the page routes.
    path("api/v1/", include("dc43_portal.api.urls")),
    path("", include("dc43_portal.contracts.urls")),
    path("", include("dc43_portal.events.urls")),
    path("account/", include((account_urlpatterns, "account"))),
    path("accounts/", include("dc43_portal.accounts.urls")),
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "dc43_portal.contracts.http_errors.bad_request"
handler403 = "dc43_portal.contracts.http_errors.permission_denied"
handler404 = "dc43_portal.contracts.http_errors.page_not_found"
handler500 = "dc43_portal.contracts.http_errors.server_error"
