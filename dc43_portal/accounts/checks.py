"""``check --deploy`` refuses a public or weak ``SECRET_KEY``; the container runs it before it starts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

# Django's own deploy check (security.W009) asks for 50 characters and 5 distinct ones, as a warning.
MIN_SECRET_KEY_CHARS = 50
MIN_SECRET_KEY_UNIQUE = 5


def secret_key_problem(key: str) -> str | None:
    """Why ``key`` must not sign sessions and tokens in production, or ``None``."""
    if key == getattr(settings, "DEFAULT_SECRET_KEY", None):
        return "DJANGO_SECRET_KEY is unset: the portal would sign sessions with its public development key."
    if key.startswith("django-insecure-"):
        return "DJANGO_SECRET_KEY is a key Django generated for development ('django-insecure-...')."
    if len(key) < MIN_SECRET_KEY_CHARS or len(set(key)) < MIN_SECRET_KEY_UNIQUE:
        return f"DJANGO_SECRET_KEY is too short: use at least {MIN_SECRET_KEY_CHARS} random characters."
    return None


@checks.register("secrets", deploy=True)
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    problem = secret_key_problem(str(settings.SECRET_KEY))
    if problem is None:
        return []
    hint = "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    return [checks.Error(problem, hint=hint, id="accounts.E001")]


@checks.register("accounts")
def check_oidc(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A half-configured identity provider is reported at start, not at the first sign-in."""
    from dc43_portal.accounts.oidc import parse_mapping

    errors: list[checks.CheckMessage] = []
    try:
        parse_mapping(settings.DC43_OIDC_GROUP_ROLES)
    except ValueError as exc:
        errors.append(checks.Error(str(exc), id="accounts.E010"))
    if settings.DC43_OIDC_ISSUER and not (settings.OIDC_RP_CLIENT_ID and settings.OIDC_RP_CLIENT_SECRET):
        errors.append(
            checks.Error(
                "DC43_OIDC_ISSUER is set: set DC43_OIDC_CLIENT_ID and DC43_OIDC_CLIENT_SECRET too.", id="accounts.E011"
            )
        )
    return errors
