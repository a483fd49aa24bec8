"""Account pages: changing a local password, and the page of a user who holds no role yet."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache

_change = auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("password_change_done"))


@never_cache
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Local accounts change their password here; accounts of the identity provider change it there."""
    user: Any = request.user  # login_required has ruled out the anonymous user
    if not user.has_usable_password():
        return render(request, "registration/password_external.html", status=404)
    return cast(HttpResponse, _change(request))


password_change_done = login_required(
    auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done.html")
)
