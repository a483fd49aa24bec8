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
from datetime import datetime, timedelta
from functools import cache, cached_property
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import ManyToManyField, Q
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


class Caller:
    """Who calls the API: the token's user, what the token allows and what the user's groups allow."""

    def __init__(
        self,
        *,
        user_pk: Any = None,
        username: str = "",
        token_pk: int | None = None,
        scopes: frozenset[str] = frozenset(),
        granted: frozenset[str] = frozenset(),
    ) -> None:
        self.user_pk = user_pk
        self.username = username
        self.token_pk = token_pk
        self.scopes = scopes
        # Scopes the user's groups also grant (superusers hold every one).
        self.granted = granted

    @cached_property
    def user(self) -> Any:
        """The Django user, loaded only by the writes that need it (the lifecycle rules read its groups)."""
        return get_user_model().objects.get(pk=self.user_pk) if self.user_pk is not None else None

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


def parse_scope_set(text: str) -> frozenset[str]:
    return frozenset(s for s in text.split(",") if s)


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


@cache
def _auth_sql() -> str:
    """One statement: the token, its user, and whether the user's groups grant each scope.

    Hand-written because building the ORM's version (three correlated EXISTS) costs ~6 ms of Python per
    request, more than the rest of a read. Table and column names come from the models' meta, and the
    only values are parameters.
    """
    q = connection.ops.quote_name
    user_model = get_user_model()
    user_pk = q(user_model._meta.pk.column)
    direct = user_model._meta.get_field("user_permissions")
    groups = user_model._meta.get_field("groups")
    group_perms = Group._meta.get_field("permissions")
    assert isinstance(direct, ManyToManyField) and isinstance(groups, ManyToManyField)
    assert isinstance(group_perms, ManyToManyField)
    has_perm = (
        f"EXISTS (SELECT 1 FROM {q(Permission._meta.db_table)} p"
        f" JOIN {q(ContentType._meta.db_table)} ct ON ct.id = p.content_type_id"
        f" WHERE ct.app_label = 'contracts' AND p.codename = %s AND ("
        f"p.id IN (SELECT {q(direct.m2m_reverse_name())} FROM {q(direct.m2m_db_table())}"
        f" WHERE {q(direct.m2m_column_name())} = u.{user_pk})"
        f" OR p.id IN (SELECT gp.{q(group_perms.m2m_reverse_name())} FROM {q(group_perms.m2m_db_table())} gp"
        f" JOIN {q(groups.m2m_db_table())} ug ON ug.{q(groups.m2m_reverse_name())} = gp.{q(group_perms.m2m_column_name())}"
        f" WHERE ug.{q(groups.m2m_column_name())} = u.{user_pk})))"
    )
    return (
        f"SELECT t.id, t.secret_sha256, t.scopes, t.last_used_at IS NULL OR t.last_used_at < %s,"
        f" u.{user_pk}, u.{q(user_model.USERNAME_FIELD)}, u.is_active, u.is_superuser,"
        f" {', '.join([has_perm] * len(SCOPE_PERMISSIONS))}"
        f" FROM {q(ApiToken._meta.db_table)} t JOIN {q(user_model._meta.db_table)} u ON u.{user_pk} = t.user_id"
        f" WHERE t.key_id = %s AND t.revoked_at IS NULL"
    )


def token_authenticate(text: str) -> Caller | None:
    """The caller behind a bearer token, or ``None`` when it is unknown, revoked or wrong; one query."""
    parts = split_token(text.strip())
    if parts is None:
        return None
    key_id, secret = parts
    now = timezone.now()
    stale_before = connection.ops.adapt_datetimefield_value(now - LAST_USED_EVERY)
    with connection.cursor() as cursor:
        cursor.execute(_auth_sql(), [stale_before, *SCOPE_PERMISSIONS.values(), key_id])
        row = cursor.fetchone()
    if row is None:
        return None
    token_pk, digest, scopes, stale, user_pk, username, is_active, is_superuser, *perms = row
    if not hmac.compare_digest(digest, hash_secret(secret)) or not is_active:
        return None
    granted = frozenset(SCOPES) if is_superuser else frozenset(s for s, ok in zip(SCOPES, perms, strict=True) if ok)
    if stale:
        _touch(token_pk, now)
    return Caller(
        user_pk=user_pk, username=username, token_pk=token_pk, scopes=parse_scope_set(scopes), granted=granted
    )


def _touch(token_pk: int, now: datetime) -> None:
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY)
    # Conditional, so concurrent requests write it once; outside any transaction, so it never blocks long.
    ApiToken.objects.filter(stale, pk=token_pk).update(last_used_at=now)
