"""Who holds which role where: the selector the views, the API, the admin and the services ask.

A role assignment grants author, steward or viewer to a user or a group, in one domain or globally (an
empty domain). A superuser holds every role globally. Authors and stewards also read their domains.
The answer for one contract's domain goes to the pure lifecycle rules as ``ActorFacts``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from dc43_portal.accounts.models import Role, RoleAssignment
from dc43_portal.contracts import lifecycle

GLOBAL = ""
ROLES = tuple(Role.values)
# Cached on the user object for the length of a request (views ask several times).
CACHE_ATTR = "_dc43_role_grants"


@dataclass(frozen=True)
class Grants:
    """role -> the domains it covers; ``GLOBAL`` ("") in the set covers every domain."""

    by_role: dict[str, frozenset[str]]

    def roles_in(self, domain: str) -> frozenset[str]:
        """The roles that act on a contract of ``domain`` (a contract without one: global roles only)."""
        return frozenset(
            r for r, domains in self.by_role.items() if GLOBAL in domains or (domain and domain in domains)
        )

    def holds_anywhere(self, role: str) -> bool:
        return bool(self.by_role.get(role))

    @property
    def is_empty(self) -> bool:
        return not any(self.by_role.values())

    def readable_domains(self) -> frozenset[str] | None:
        """The domains whose contracts this user reads; ``None`` means every contract."""
        domains = frozenset().union(*self.by_role.values()) if self.by_role else frozenset()
        return None if GLOBAL in domains else domains

    def domains_of(self, role: str) -> frozenset[str] | None:
        """The domains where ``role`` acts; ``None`` means every domain."""
        domains = self.by_role.get(role, frozenset())
        return None if GLOBAL in domains else domains


ALL = Grants({role: frozenset({GLOBAL}) for role in ROLES})
NONE = Grants({})


def grants_of(user: Any) -> Grants:
    """Every role the user holds, through their own assignments and their groups' (one query, cached)."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return NONE
    if getattr(user, "is_superuser", False):
        return ALL
    cached = getattr(user, CACHE_ATTR, None)
    if cached is None:
        cached = query_grants(user.pk)
        setattr(user, CACHE_ATTR, cached)
    return cached


def query_grants(user_pk: Any) -> Grants:
    rows = RoleAssignment.objects.filter(Q(user=user_pk) | Q(group__user=user_pk)).values_list("role", "domain")
    by_role: dict[str, set[str]] = {}
    for role, domain in rows:
        by_role.setdefault(role, set()).add(domain)
    return Grants({role: frozenset(domains) for role, domains in by_role.items()})


def forget(user: Any) -> None:
    if hasattr(user, CACHE_ATTR):
        delattr(user, CACHE_ATTR)


def actor_in(user: Any, domain: str) -> lifecycle.ActorFacts:
    """The facts the lifecycle rules need about ``user`` acting on a contract of ``domain``."""
    return lifecycle.ActorFacts.of(user, roles=grants_of(user).roles_in(domain or GLOBAL))


def actor_anywhere(user: Any) -> lifecycle.ActorFacts:
    """What ``user`` may do in some domain: the nav, the upload button, the activity's names."""
    grants = grants_of(user)
    return lifecycle.ActorFacts.of(user, roles=frozenset(r for r in ROLES if grants.holds_anywhere(r)))


def readable_domains(user: Any) -> frozenset[str] | None:
    """The domains whose contracts ``user`` reads; ``None``: every contract. An anonymous visitor only gets
    this far where anonymous reading is switched on, and then reads everything."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return grants_of(user).readable_domains()


def can_read(user: Any, domain: str) -> bool:
    readable = readable_domains(user)
    return readable is None or bool(domain) and domain in readable


def has_no_role(user: Any) -> bool:
    """A signed-in user whom no assignment names: they see only the page saying whom to ask."""
    return bool(getattr(user, "is_authenticated", False)) and grants_of(user).is_empty


def readable(queryset: QuerySet[Any], user: Any, field: str = "domain") -> QuerySet[Any]:
    domains = readable_domains(user)
    return queryset if domains is None else queryset.filter(**{f"{field}__in": sorted(domains)})


def publish_refusal(user: Any, domain: str, current_domain: str | None) -> str | None:
    """Why ``user`` may not publish a version with ``domain`` into a contract now in ``current_domain``."""
    for where in {domain, current_domain if current_domain is not None else domain}:
        if lifecycle.AUTHOR not in grants_of(user).roles_in(where):
            place = f"domain {where!r}" if where else "contracts without a domain"
            return f"Only an author of {place} publishes there; ask an administrator for the author role."
    return None
