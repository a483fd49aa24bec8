"""Create, parse, check and revoke API tokens.

A token reads ``dc43p_<key id>_<secret>``. The key id finds the row; the secret (32 random bytes) is
compared by SHA-256 in constant time. A password hasher would cost half a second per request, and a
32-byte random secret needs no stretching.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from dc43_portal.api.models import SCOPES, ApiToken

PREFIX = "dc43p_"
KEY_ID_BYTES = 6
SECRET_BYTES = 32
# "last used" is written at most this often, so reads never queue behind a write.
LAST_USED_EVERY = timedelta(minutes=1)
# The permission each scope also needs from the user's groups (a token never exceeds its user).
SCOPE_PERMISSIONS = {
    "read": "view_contractversion",
    "write": "author_contract",
    "steward": "steward_contract",
}


@dataclass(frozen=True)
class Caller:
    """Who calls the API: the token's user, what the token allows and what the user may do."""

    user: Any
    token: ApiToken | None
    scopes: frozenset[str]
    # Scopes the user's groups also grant (superusers hold every one).
    granted: frozenset[str]

    @property
    def username(self) -> str:
        return str(self.user.get_username()) if self.user is not None else ""

    def allows(self, scope: str) -> bool:
        return scope in self.scopes and scope in self.granted


def parse_scopes(value: str | Iterable[str]) -> list[str]:
    """``"read,write"`` or a list to the known scopes in canonical order; unknown scopes are an error."""
    items = value.split(",") if isinstance(value, str) else list(value)
    wanted = {s.strip().lower() for s in items if s.strip()}
    unknown = wanted - set(SCOPES)
    if unknown:
        raise ValueError(f"unknown scope(s) {', '.join(sorted(unknown))}; use {', '.join(SCOPES)}")
    if not wanted:
        raise ValueError(f"give at least one scope: {', '.join(SCOPES)}")
    return [s for s in SCOPES if s in wanted]


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def token_create(*, user: Any, name: str, scopes: str | Iterable[str]) -> tuple[ApiToken, str]:
    """A new token row and the only copy of its plain text, to show once."""
    scope_list = parse_scopes(scopes)
    key_id = secrets.token_hex(KEY_ID_BYTES)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    row = ApiToken.objects.create(
        user=user,
        name=(name or "token").strip()[:100] or "token",
        key_id=key_id,
        secret_sha256=hash_secret(secret),
        scopes=",".join(scope_list),
    )
    return row, f"{PREFIX}{key_id}_{secret}"


def token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        token.refresh_from_db(fields=["revoked_at"])


def split_token(text: str) -> tuple[str, str] | None:
    if not text.startswith(PREFIX):
        return None
    key_id, sep, secret = text[len(PREFIX) :].partition("_")
    if not sep or len(key_id) != KEY_ID_BYTES * 2 or not secret:
        return None
    return key_id, secret


def _has_perm(codename: str) -> Exists:
    perms = Permission.objects.filter(content_type__app_label="contracts", codename=codename)
    return Exists(perms.filter(Q(user=OuterRef("user_id")) | Q(group__user=OuterRef("user_id"))))


def token_authenticate(text: str) -> Caller | None:
    """The caller behind a bearer token, or ``None`` when it is unknown, revoked or wrong; one query."""
    parts = split_token(text.strip())
    if parts is None:
        return None
    key_id, secret = parts
    annotations = {f"perm_{scope}": _has_perm(codename) for scope, codename in SCOPE_PERMISSIONS.items()}
    row = (
        ApiToken.objects.select_related("user")
        .annotate(**annotations)
        .filter(key_id=key_id, revoked_at__isnull=True)
        .first()
    )
    if row is None or not hmac.compare_digest(row.secret_sha256, hash_secret(secret)):
        return None
    if not row.user.is_active:
        return None
    granted = frozenset(SCOPES) if row.user.is_superuser else frozenset(s for s in SCOPES if getattr(row, f"perm_{s}"))
    _touch(row)
    return Caller(user=row.user, token=row, scopes=row.scope_set, granted=granted)


def _touch(row: ApiToken) -> None:
    now = timezone.now()
    if row.last_used_at is not None and now - row.last_used_at < LAST_USED_EVERY:
        return
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY)
    # Conditional, so concurrent requests write it once; outside any transaction, so it never blocks long.
    ApiToken.objects.filter(stale, pk=row.pk).update(last_used_at=now)
