"""Reads for views and the API: the mirror for lists and filters, the store for payloads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from dc43_portal import odcs, statuses
from dc43_portal.contracts.fulltext import with_search
from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.models import Contract, ContractVersion, LifecycleEvent, VersionSource
from dc43_portal.diff.compatibility import review_baseline
from dc43_portal.errors import ContractNotFound
from dc43_portal.ids import check_contract_id
from dc43_portal.sourcelines import with_top_level
from dc43_portal.versioning import parse_version

# Sort keys of the contract list; every order ends on the unique id, so pages never overlap.
CONTRACT_SORTS = {
    "relevance": ("-search_rank", "contract_id"),  # the best match first; by id without a query
    "id": ("contract_id",),
    "name": ("name", "contract_id"),
    "domain": ("domain", "contract_id"),
    "owner": ("owner", "contract_id"),
    "updated": ("-updated_at", "contract_id"),
    "versions": ("-version_count", "contract_id"),
}


Domains = frozenset[str] | None  # the domains a reader may see; None: every contract


def within(contracts: QuerySet[Contract], domains: Domains) -> QuerySet[Contract]:
    """Only the contracts of ``domains`` (a reader's roles, from ``accounts.roles.readable_domains``)."""
    return contracts if domains is None else contracts.filter(domain__in=sorted(domains))


def contract_search(
    *,
    query: str = "",
    status: str = "",
    domain: str = "",
    owner: str = "",
    tag: str = "",
    sort: str = "",
    domains: Domains = None,
) -> QuerySet[Contract]:
    """Contracts whose store holds a version, filtered and sorted; ``with_version_stats`` adds the counts."""
    # latest_version is set from the versions in the store, so it is empty exactly when there are none.
    contracts = with_search(within(Contract.objects.exclude(latest_version=""), domains), query)
    if status:
        contracts = contracts.filter(Exists(ContractVersion.objects.filter(contract=OuterRef("pk"), status=status)))
    if domain:
        contracts = contracts.filter(domain=domain)
    if owner:
        contracts = contracts.filter(owner=owner)
    if tag:
        contracts = contracts.filter(tags_text__contains=f"|{tag.lower()}|")
    if sort == "versions":
        contracts = contracts.annotate(version_count=Count("versions"))
    return contracts.order_by(*CONTRACT_SORTS.get(sort, CONTRACT_SORTS["relevance"]))


def with_version_stats(contracts: list[Contract]) -> list[Contract]:
    """Set ``version_count``, ``validated_count``, ``review_count`` and ``latest_status`` on one page of
    contracts with a single query, so the list costs the same at 5 or 10,000 contracts."""
    rows = ContractVersion.objects.filter(contract__in=contracts).values_list("contract_id", "version", "status")
    by_contract: dict[int, list[tuple[str, str]]] = {}
    for pk, version, status in rows:
        by_contract.setdefault(pk, []).append((version, status))
    for contract in contracts:
        versions = by_contract.get(contract.pk, [])
        found = [s for _, s in versions]
        contract.version_count = len(found)  # type: ignore[attr-defined]
        contract.validated_count = found.count(statuses.ACTIVE)  # type: ignore[attr-defined]
        contract.review_count = found.count(statuses.PROPOSED)  # type: ignore[attr-defined]
        contract.latest_status = dict(versions).get(contract.latest_version, "")  # type: ignore[attr-defined]
    return contracts


def contract_get(contract_id: str) -> Contract:
    check_contract_id(contract_id)
    contract = Contract.objects.filter(contract_id=contract_id).first()
    if contract is None or not contract.versions.exists():
        raise ContractNotFound(f"contract {contract_id} not found")
    return contract


def contract_versions(contract: Contract) -> list[ContractVersion]:
    """Versions newest SemVer first (sorted in Python, which orders pre-releases exactly)."""
    rows = list(contract.versions.all())
    return sorted(rows, key=lambda r: parse_version(r.version).precedence_key(), reverse=True)


@dataclass
class VersionView:
    row: ContractVersion
    document: dict[str, Any]


def latest_version(contract_id: str, *, status: str | None = None) -> ContractVersion:
    """The highest SemVer version of a contract, of any status or of ``status`` (a stored value or a label)."""
    wanted = statuses.parse_status(status) if status else None
    rows = [r for r in contract_versions(contract_get(contract_id)) if wanted is None or r.status == wanted]
    if not rows:
        raise ContractNotFound(f"contract {contract_id} has no {statuses.label(wanted or '')} version")
    return rows[0]


def version_get(contract_id: str, version: str) -> VersionView:
    contract = contract_get(contract_id)
    parse_version(version)
    row = contract.versions.filter(version=version).first()
    if row is None:
        raise ContractNotFound(f"contract {contract_id} {version} not found")
    return VersionView(row=row, document=default_store().get_document(contract_id, version))


def with_current_names(events: QuerySet[LifecycleEvent]) -> QuerySet[LifecycleEvent]:
    """``actor_name``: the account's current username (renames show), else the name the event kept."""
    model = get_user_model()
    current = model.objects.filter(pk=OuterRef("actor_user_id")).values(model.USERNAME_FIELD)[:1]
    return events.annotate(actor_name=Coalesce(Subquery(current), F("actor")))


def version_yaml(found: VersionView, **values: str) -> str:
    """The YAML to show: the author's text while it matches the stored document (its ``status``, and any
    ``values`` such as a new ``version``, set in place), else the document serialised in its own key order."""
    source = VersionSource.objects.filter(version=found.row).first()
    wanted = {"status": str(found.document.get("status") or found.row.status), **values}
    if source is not None and source.fingerprint == odcs.fingerprint(found.document):
        text = with_top_level(source.text, wanted)
        if text is not None:
            return text
    return odcs.dump_yaml({**found.document, **wanted})


def version_events(contract_id: str, version: str | None = None) -> QuerySet[LifecycleEvent]:
    events = LifecycleEvent.objects.filter(contract_id=contract_id)
    if version is not None:
        events = events.filter(Q(version=version) | Q(version=""))
    return with_current_names(events.order_by("-created_at", "-id"))


def contract_facets(domains: Domains = None) -> dict[str, list[str]]:
    """The values the list's filters offer: domains and owners (two small queries)."""
    contracts = within(Contract.objects.exclude(latest_version=""), domains)
    return {
        "domains": list(contracts.exclude(domain="").values_list("domain", flat=True).distinct().order_by("domain")),
        "owners": list(contracts.exclude(owner="").values_list("owner", flat=True).distinct().order_by("owner")),
    }


def review_queue(domains: Domains = None) -> QuerySet[ContractVersion]:
    """Versions In review, the longest-waiting first."""
    rows = ContractVersion.objects.filter(status=statuses.PROPOSED, in_store=True)
    if domains is not None:
        rows = rows.filter(contract__domain__in=sorted(domains))
    return (
        rows.select_related("contract")
        .annotate(waiting_since=Coalesce("status_changed_at", "created_at"))
        .order_by("waiting_since", "id")
    )


def with_review_baselines(rows: list[ContractVersion]) -> list[ContractVersion]:
    """Set ``baseline`` on each queued version: the Validated version a reviewer compares it with (see
    ``compatibility.review_baseline``), or ``None``; one query for the whole page."""
    active = ContractVersion.objects.filter(
        contract__in={row.contract_id for row in rows}, status=statuses.ACTIVE, in_store=True
    ).values_list("contract_id", "version")
    by_contract: dict[int, list[str]] = {}
    for pk, version in active:
        by_contract.setdefault(pk, []).append(version)
    for row in rows:
        row.baseline = review_baseline(row.version, by_contract.get(row.contract_id, []))  # type: ignore[attr-defined]
    return rows


def review_count(domains: Domains = None) -> int:
    return review_queue(domains).count()


def activity(
    *, actor: str = "", contract_id: str = "", action: str = "", domains: Domains = None
) -> QuerySet[LifecycleEvent]:
    """Every audited event, newest first, filtered by user, contract and action."""
    events = with_current_names(LifecycleEvent.objects.all())
    if domains is not None:
        events = events.filter(contract_id__in=within(Contract.objects.all(), domains).values("contract_id"))
    if actor:
        # The account's current name finds its events under any earlier name too.
        model = get_user_model()
        uid = model.objects.filter(**{model.USERNAME_FIELD: actor}).values_list("pk", flat=True).first()
        events = events.filter(actor_user_id=uid) if uid is not None else events.filter(actor=actor)
    if contract_id:
        events = events.filter(contract_id=contract_id)
    if action:
        events = events.filter(action=action)
    return events.order_by("-created_at", "-id")


def activity_actors() -> list[str]:
    """Suggestions for the activity's user filter: the accounts (the audit itself is too big to scan)."""
    return list(get_user_model().objects.order_by("username").values_list("username", flat=True)[:500])
