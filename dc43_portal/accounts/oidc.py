"""OpenID Connect sign-in through mozilla-django-oidc, configured from ``DC43_OIDC_*``.

The provider's endpoints come from its discovery document, fetched on the first sign-in (never at start,
so local break-glass logins work while the provider is down). A person is found by (issuer, subject),
never by e-mail or username, so an IdP account cannot take over a local one. At every sign-in the
roles mapped from the groups claim replace the roles an earlier sign-in gave.
"""

from __future__ import annotations

import hashlib
import threading
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from dc43_portal.accounts.models import ExternalIdentity, RoleAssignment
from dc43_portal.accounts.roles import ROLES

SOURCE = "oidc"
_discovery: dict[str, dict[str, Any]] = {}
_lock = threading.Lock()


def enabled() -> bool:
    return bool(settings.DC43_OIDC_ISSUER)


def issuer() -> str:
    return str(settings.DC43_OIDC_ISSUER).rstrip("/")


def endpoint(name: str) -> str:
    """An endpoint from the provider's discovery document (cached per process)."""
    with _lock:
        document = _discovery.get(issuer())
    if document is None:
        response = requests.get(f"{issuer()}/.well-known/openid-configuration", timeout=10)
        response.raise_for_status()
        document = response.json()
        if str(document.get("issuer", "")).rstrip("/") != issuer():
            raise ImproperlyConfigured(f"the provider says its issuer is {document.get('issuer')!r}, not {issuer()!r}")
        with _lock:
            _discovery[issuer()] = document
    value = document.get(name)
    if not value:
        raise ImproperlyConfigured(f"the provider's discovery document has no {name}")
    return str(value)


def parse_mapping(raw: object) -> dict[str, list[tuple[str, str]]]:
    """``{"idp-group": ["steward:finance", "author"]}`` to ``{"idp-group": [("steward", "finance"), ...]}``;
    a role without ``:domain`` is global. Raises ``ValueError`` naming what is wrong."""
    if not isinstance(raw, dict):
        raise ValueError("DC43_OIDC_GROUP_ROLES must be a JSON object of group -> role or list of roles")
    mapping: dict[str, list[tuple[str, str]]] = {}
    for group, grants in raw.items():
        listed: list[object] = [grants] if isinstance(grants, str) else grants if isinstance(grants, list) else [None]
        for grant in listed:
            if not isinstance(grant, str):
                raise ValueError(f"DC43_OIDC_GROUP_ROLES[{group!r}]: use 'role' or 'role:domain' strings")
            role, _, domain = grant.partition(":")
            if role not in ROLES:
                raise ValueError(f"DC43_OIDC_GROUP_ROLES[{group!r}]: {role!r} is not one of {', '.join(ROLES)}")
            mapping.setdefault(str(group), []).append((role, domain.strip()))
    return mapping


def roles_from_claims(claims: dict[str, Any]) -> set[tuple[str, str]]:
    groups = claims.get(settings.DC43_OIDC_GROUPS_CLAIM) or []
    groups = [groups] if isinstance(groups, str) else groups
    mapping = parse_mapping(settings.DC43_OIDC_GROUP_ROLES)
    return {grant for group in groups if isinstance(group, str) for grant in mapping.get(group, [])}


class PortalOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's code flow, with endpoints from discovery and users keyed by (issuer, sub)."""

    OIDC_RP_SIGN_ALGO = "RS256"
    OIDC_RP_IDP_SIGN_KEY = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # No settings are read here: Django builds every backend for each password login too.
        self.UserModel = get_user_model()

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:  # noqa: N802 - the name mozilla-django-oidc reads
        return endpoint("token_endpoint")

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:  # noqa: N802
        return endpoint("userinfo_endpoint")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:  # noqa: N802
        return endpoint("jwks_uri")

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:  # noqa: N802
        return str(settings.OIDC_RP_CLIENT_ID)

    @property
    def OIDC_RP_CLIENT_SECRET(self) -> str:  # noqa: N802
        return str(settings.OIDC_RP_CLIENT_SECRET)

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if not enabled() or request is None or "code" not in request.GET or kwargs.get("password"):
            return None
        return super().authenticate(request, **kwargs)

    def retrieve_matching_jwk(self, token: Any) -> Any:
        """The provider's signing key: the one named by the token's ``kid``, or its only key when the token
        names none (some providers, oidc-provider-mock among them, publish one key without ``kid``)."""
        keys = requests.get(self.OIDC_OP_JWKS_ENDPOINT, timeout=10).json().get("keys", [])
        header = jwt.get_unverified_header(token)
        wanted = [k for k in keys if k.get("alg", header.get("alg")) == header.get("alg")]
        if "kid" in header:
            wanted = [k for k in wanted if k.get("kid") == header["kid"]]
        if len(wanted) != 1:
            raise SuspiciousOperation("the provider's keys do not name one signing key for this token")
        return jwt.PyJWK(wanted[0])

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        identities = ExternalIdentity.objects.filter(issuer=issuer(), subject=str(claims["sub"]))
        return self.UserModel.objects.filter(pk__in=identities.values("user"))

    def create_user(self, claims: dict[str, Any]) -> Any:
        with transaction.atomic():
            user = self.UserModel.objects.create_user(self._free_username(claims), email=claims.get("email") or "")
            user.set_unusable_password()  # they sign in at the provider; the password page sends them there
            user.save()
            ExternalIdentity.objects.create(user=user, issuer=issuer(), subject=str(claims["sub"]))
        return self.update_user(user, claims)

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        """The roles of the groups claim replace those of the previous sign-in (other assignments stay)."""
        with transaction.atomic():
            RoleAssignment.objects.filter(user=user, note=SOURCE).delete()
            for role, domain in sorted(roles_from_claims(claims)):
                RoleAssignment.objects.get_or_create(user=user, role=role, domain=domain, defaults={"note": SOURCE})
        return user

    def _free_username(self, claims: dict[str, Any]) -> str:
        wanted = str(claims.get("preferred_username") or claims.get("email") or claims["sub"])[:120]
        if not self.UserModel.objects.filter(username=wanted).exists():
            return wanted
        # A local account (a break-glass admin) keeps its name; the newcomer gets a marked one.
        digest = hashlib.sha256(f"{issuer()}|{claims['sub']}".encode()).hexdigest()[:8]
        return f"{wanted}-{digest}"


class AuthenticateView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider; a 404 when no provider is configured."""

    def __init__(self, **kwargs: Any) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not enabled():
            raise Http404("Single sign-on is not configured.")
        self.OIDC_OP_AUTH_ENDPOINT = endpoint("authorization_endpoint")
        self.OIDC_RP_CLIENT_ID = str(settings.OIDC_RP_CLIENT_ID)
        return super().get(request)
