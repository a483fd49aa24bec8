"""The profile page where a logged-in user creates and revokes their own API tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from dc43_portal.accounts import roles
from dc43_portal.api.models import SCOPE_CHOICES, ApiToken
from dc43_portal.api.tokens import SCOPE_ROLES, token_create, token_revoke

# The plain token survives exactly one redirect in the session, then it is gone.
SESSION_KEY = "api_new_token"


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What uses it, e.g. 'orders nightly job'")
    scopes = forms.MultipleChoiceField(choices=SCOPE_CHOICES, widget=forms.CheckboxSelectMultiple, initial=["read"])


def granted_scopes(user: object) -> list[str]:
    """Scopes the user's roles allow somewhere; a token may ask for more, but never uses more."""
    grants = roles.grants_of(user)
    if grants.is_empty:
        return []
    return ["read", *(scope for scope, role in SCOPE_ROLES.items() if grants.holds_anywhere(role))]


def _me(request: HttpRequest) -> Any:
    """The logged-in user (``login_required`` has ruled out the anonymous one)."""
    return request.user


@never_cache  # the page shows a new token once: no cache may keep it (Cache-Control: no-store)
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        row, plain = token_create(user=request.user, name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"])
        request.session[SESSION_KEY] = {"id": row.pk, "token": plain}
        return redirect("account:tokens")
    context = {
        "form": form,
        "tokens": ApiToken.objects.filter(user=_me(request)),
        "new_token": request.session.pop(SESSION_KEY, None),
        "granted": granted_scopes(request.user),
    }
    return render(request, "api/tokens.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=token_id, user=_me(request)).first()
    if token is None:
        raise Http404("No such token")
    token_revoke(token=token)
    messages.success(request, f"Token {token.name!r} is revoked; requests using it now get 401.")
    return redirect("account:tokens")
