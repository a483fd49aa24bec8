"""Who a management command acts as: ``--actor USER``, or the built-in ``system`` user."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

SYSTEM_USER = "system"


def resolve_actor(username: str | None) -> str:
    User = get_user_model()
    name = (username or SYSTEM_USER).strip()
    if name == SYSTEM_USER:
        User.objects.get_or_create(username=SYSTEM_USER, defaults={"is_active": False})
        return name
    if not User.objects.filter(username=name).exists():
        raise CommandError(f"--actor {name!r}: no such user", returncode=2)
    return name
