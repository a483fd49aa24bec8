"""Create, parse, check and revoke API tokens.

A token reads ``dc43p_<key id>_<secret>``. The key id finds the row; the secret (32 random bytes) is
compared by SHA-256 in constant time. A password hasher would cost half a second per request, and a
32-byte random secret needs no stretching.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import cache, cached_property
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from dc43_portal.accounts import roles
from dc43_portal.accounts.models import RoleAssignment
from dc43_portal.api.models import SCOPES, ApiToken

PREFIX = "dc43p_"
KEY_ID_BYTES = 6
SECRET_BYTES = 32
# "last used" is written at most this often, so reads never queue behind a write.
LAST_USED_EVERY = timedelta(minutes=1)
# Reads may use a checked token this long, and a user's group grants this long; writes never do.
CALLER_TTL_SECONDS = 2.0
GRANTS_TTL_SECONDS = 10.0
MAX_CACHED = 10_000
# The role each scope also needs, in some domain (a token never exceeds its user); any role reads.
SCOPE_ROLES = {"write": "author", "steward": "steward"}


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
        readable: frozenset[str] | None = None,
    ) -> None:
        self.user_pk = user_pk
        self.username = username
        self.token_pk = token_pk
        self.scopes = scopes
        # Scopes the user's roles also grant, in some domain (superusers hold every one).
        self.granted = granted
        # The domains whose contracts the user reads; ``None``: every contract.
        self.readable = readable

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
    forget_credentials()


def split_token(text: str) -> tuple[str, str] | None:
    if not text.startswith(PREFIX):
        return None
    key_id, sep, secret = text[len(PREFIX) :].partition("_")
    if not sep or len(key_id) != KEY_ID_BYTES * 2 or not secret:
        return None
    return key_id, secret


@cache
def _token_sql() -> str:
    """The token and its user in one statement.

    Hand-written: the ORM spends milliseconds of Python building even this join, more than the rest of
    a cached read. Names come from the models' meta; the only value is a parameter.
    """
    q = connection.ops.quote_name
    user_model = get_user_model()
    user_pk = q(user_model._meta.pk.column)
    return (
        f"SELECT t.id, t.secret_sha256, t.scopes, t.last_used_at,"
        f" u.{user_pk}, u.{q(user_model.USERNAME_FIELD)}, u.is_active, u.is_superuser"
        f" FROM {q(ApiToken._meta.db_table)} t JOIN {q(user_model._meta.db_table)} u ON u.{user_pk} = t.user_id"
        f" WHERE t.key_id = %s AND t.revoked_at IS NULL"
    )


class TTLCache:
    """A small per-process map whose entries expire after ``ttl`` seconds; shared by a worker's threads."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._items: dict[Any, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            found = self._items.get(key)
        return found[1] if found is not None and found[0] > time.monotonic() else None

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            if len(self._items) > MAX_CACHED:
                self._items.clear()  # a flood of distinct keys must not grow the process
            self._items[key] = (time.monotonic() + self.ttl, value)

    def clear(self, **kwargs: Any) -> None:
        with self._lock:
            self._items.clear()


def _query_grants(user_pk: Any) -> tuple[frozenset[str], frozenset[str] | None]:
    """The scopes the user's roles allow somewhere, and the domains they read (tokens act within their
    user's roles; which domain a write may touch, the lifecycle rules decide)."""
    grants = roles.query_grants(user_pk)
    scopes = frozenset(scope for scope, role in SCOPE_ROLES.items() if grants.holds_anywhere(role))
    if not grants.is_empty:
        scopes |= {"read"}
    return scopes, grants.readable_domains()


# The permission query is the costly part of authenticating (PostgreSQL alone spends ~2 ms planning it).
grants = TTLCache(GRANTS_TTL_SECONDS)
# Reads reuse a checked token briefly, so a cached read costs one query (the mirror's); writes never do.
callers = TTLCache(CALLER_TTL_SECONDS)


def forget_credentials(**kwargs: Any) -> None:
    """Drop what this process cached about tokens and groups (on a revocation or a group change here)."""
    grants.clear()
    callers.clear()


def connect_signals() -> None:
    """Forget cached grants when a user's groups or a role assignment change (called by ``ready``)."""
    user_model = get_user_model()
    for sender in (Group.permissions.through, user_model.groups.through, user_model.user_permissions.through):
        m2m_changed.connect(forget_credentials, sender=sender, dispatch_uid=f"api-grants-{sender.__name__}")
    post_save.connect(forget_credentials, sender=RoleAssignment, dispatch_uid="api-grants-role-save")
    post_delete.connect(forget_credentials, sender=RoleAssignment, dispatch_uid="api-grants-role-delete")


def token_authenticate(text: str, *, fresh: bool = False) -> Caller | None:
    """The caller behind a bearer token, or ``None`` when it is unknown, revoked or wrong.

    ``fresh`` (every write) reads the token and the groups from the database. Reads may reuse a caller
    checked less than ``CALLER_TTL_SECONDS`` ago, and groups' grants less than ``GRANTS_TTL_SECONDS`` old.
    """
    text = text.strip()
    key = hash_secret(text)
    if not fresh:
        cached = callers.get(key)
        if cached is not None:
            return cast(Caller, cached)
    caller = _check_token(text, fresh=fresh)
    if caller is not None and not fresh:
        callers.put(key, caller)
    return caller


def _check_token(text: str, *, fresh: bool) -> Caller | None:
    parts = split_token(text)
    if parts is None:
        return None
    key_id, secret = parts
    with connection.cursor() as cursor:
        cursor.execute(_token_sql(), [key_id])
        row = cursor.fetchone()
    if row is None:
        return None
    token_pk, digest, scopes, last_used, user_pk, username, is_active, is_superuser = row
    if not hmac.compare_digest(digest, hash_secret(secret)) or not is_active:
        return None
    granted, readable = (frozenset(SCOPES), None) if is_superuser else _granted(user_pk, fresh=fresh)
    now = timezone.now()
    if last_used is None or _as_datetime(last_used) < now - LAST_USED_EVERY:
        _touch(token_pk, now)
    return Caller(
        user_pk=user_pk,
        username=username,
        token_pk=token_pk,
        scopes=parse_scope_set(scopes),
        granted=granted,
        readable=readable,
    )


def _granted(user_pk: Any, *, fresh: bool) -> tuple[frozenset[str], frozenset[str] | None]:
    cached = None if fresh else grants.get(user_pk)
    if cached is None:
        cached = _query_grants(user_pk)
        grants.put(user_pk, cached)
    return cast(tuple[frozenset[str], frozenset[str] | None], cached)


def _as_datetime(value: Any) -> datetime:
    """A raw row's datetime: aware on PostgreSQL, a naive UTC string or datetime on SQLite."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)


def _touch(token_pk: int, now: datetime) -> None:
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY)
    # Conditional, so concurrent requests write it once; outside any transaction, so it never blocks long.
    ApiToken.objects.filter(stale, pk=token_pk).update(last_used_at=now)
