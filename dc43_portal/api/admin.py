"""API tokens in the admin: create one (its plain text is shown once, on a page no cache keeps, never in a
cookie), list, revoke; secrets never shown. Only superusers create tokens for other users."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import ForeignKey, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from dc43_portal.api.models import SCOPE_CHOICES, ApiToken
from dc43_portal.api.tokens import KEY_ID_BYTES, PREFIX, SECRET_BYTES, hash_secret, parse_scopes, token_revoke
from dc43_portal.contracts.admin.actions import GuardedInputAdmin


class ApiTokenAddForm(forms.ModelForm):
    scope_list = forms.MultipleChoiceField(
        label="Scopes", choices=SCOPE_CHOICES, widget=forms.CheckboxSelectMultiple, initial=["read"]
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name"]


@admin.register(ApiToken)
class ApiTokenAdmin(GuardedInputAdmin):
    list_display = ["name", "user", "scopes", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at", "scopes"]
    search_fields = ["name", "user__username", "key_id"]
    date_hierarchy = "created_at"
    readonly_fields = ["key_id", "scopes", "created_at", "last_used_at", "revoked_at"]
    exclude = ["secret_sha256"]
    actions = ["revoke"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = ApiTokenAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*self.readonly_fields, "user"] if obj is not None else []

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["user", "name", "scope_list"]
        return ["user", "name", *self.readonly_fields]

    def formfield_for_foreignkey(self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any) -> Any:
        # A token acts as its user: anyone but a superuser may only mint tokens for themselves.
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = get_user_model().objects.filter(pk=request.user.pk or 0)
            kwargs["initial"] = request.user.pk
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        if obj.user_id != request.user.pk and not request.user.is_superuser:
            raise PermissionDenied("Only a superuser creates tokens for another user.")
        secret = secrets.token_urlsafe(SECRET_BYTES)
        obj.key_id = secrets.token_hex(KEY_ID_BYTES)
        obj.secret_sha256 = hash_secret(secret)
        obj.scopes = ",".join(parse_scopes(form.cleaned_data["scope_list"]))
        super().save_model(request, obj, form, change)
        obj.plain_text = f"{PREFIX}{obj.key_id}_{secret}"  # type: ignore[attr-defined]

    def response_add(self, request: HttpRequest, obj: ApiToken, post_url_continue: str | None = None) -> HttpResponse:
        """The new token on this response's page alone: no redirect, no message cookie, no cache."""
        plain = getattr(obj, "plain_text", None)
        if plain is None:
            return super().response_add(request, obj, post_url_continue)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "token": obj, "plain_text": plain}
        response = TemplateResponse(request, "admin/api/apitoken/created.html", context)
        add_never_cache_headers(response)
        return response

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            token_revoke(token=token)
        messages.success(request, f"{queryset.count()} token(s) revoked.")
