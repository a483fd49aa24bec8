"""What the steward pages read of the governance state: usage, verdicts, health, impact, data products.

Each function is a few indexed queries over the governance models, whatever the number of contracts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, Max, OuterRef, QuerySet

from dc43_portal.contracts.models import Contract
from dc43_portal.governance.models import (
    DataProduct,
    DataProductPort,
    DataProductVersion,
    DatasetLink,
    PipelineEvent,
    ValidationRecord,
    Verdict,
)
from dc43_portal.versioning import is_version, parse_version

# Worst first: a contract's health is the worst latest verdict among its datasets.
SEVERITY: dict[str, int] = {Verdict.BLOCK: 3, Verdict.WARN: 2, Verdict.UNKNOWN: 1, Verdict.OK: 0}
HISTORY_SIZE = 10
UNHEALTHY = (Verdict.BLOCK, Verdict.WARN)


@dataclass
class DatasetUse:
    """One dataset version bound to a contract version: linked, or read or written by a pipeline."""

    dataset_id: str
    dataset_version: str
    contract_version: str = ""
    linked: bool = False
    last_operation: str = ""
    last_run: datetime | None = None
    last_by: str = ""
    pipeline: str = ""


@dataclass
class DatasetQuality:
    dataset_id: str
    latest: ValidationRecord
    history: list[ValidationRecord] = field(default_factory=list)


def version_usage(contract_id: str, version: str) -> list[DatasetUse]:
    """Datasets and pipelines using this version, newest run first."""
    return _usage(contract_id, [version])


def _usage(contract_id: str, versions: list[str]) -> list[DatasetUse]:
    uses: dict[tuple[str, str], DatasetUse] = {}
    links = DatasetLink.objects.filter(contract_id=contract_id, contract_version__in=versions)
    for link in links:
        use = DatasetUse(link.dataset_id, link.dataset_version, link.contract_version, linked=True)
        use.last_run, use.last_by = link.linked_at, link.linked_by
        uses[(link.dataset_id, link.dataset_version)] = use
    events = PipelineEvent.objects.filter(contract_id=contract_id, contract_version__in=versions).order_by(
        "recorded_at", "id"
    )
    for event in events:
        key = (event.dataset_id, event.dataset_version)
        use = uses.setdefault(key, DatasetUse(event.dataset_id, event.dataset_version, event.contract_version))
        use.last_operation, use.last_run, use.last_by = event.operation, event.recorded_at, event.recorded_by
        use.pipeline = event.pipeline or use.pipeline
    return sorted(uses.values(), key=lambda u: (u.last_run is not None, u.last_run), reverse=True)


def version_quality(contract_id: str, version: str) -> list[DatasetQuality]:
    """Per dataset: its latest verdict against this version, and the verdicts before it (newest first)."""
    rows = ValidationRecord.objects.filter(contract_id=contract_id, contract_version=version).order_by(
        "-recorded_at", "-id"
    )
    found: dict[str, DatasetQuality] = {}
    for row in rows[: HISTORY_SIZE * 20]:
        entry = found.get(row.dataset_id)
        if entry is None:
            found[row.dataset_id] = DatasetQuality(row.dataset_id, row, [row])
        elif len(entry.history) < HISTORY_SIZE:
            entry.history.append(row)
    return sorted(found.values(), key=lambda q: (-SEVERITY.get(q.latest.status, 1), q.dataset_id))


def contract_health(contract_ids: Iterable[str]) -> dict[str, str]:
    """Each contract's worst latest verdict among its datasets (one query for a page of contracts)."""
    rows = ValidationRecord.objects.filter(contract_id__in=list(contract_ids)).order_by("recorded_at", "id")
    latest: dict[tuple[str, str], str] = {}
    for contract_id, dataset_id, status in rows.values_list("contract_id", "dataset_id", "status"):
        latest[(contract_id, dataset_id)] = status
    health: dict[str, str] = {}
    for (contract_id, _), status in latest.items():
        if SEVERITY.get(status, 1) >= SEVERITY.get(health.get(contract_id, Verdict.OK), 0):
            health[contract_id] = status
    return health


def unhealthy_contract_ids(verdict: str = "") -> list[str]:
    """Contracts whose health is ``verdict`` (``block`` or ``warn``), or either when empty."""
    wanted = {verdict} if verdict in UNHEALTHY else set(UNHEALTHY)
    ids = ValidationRecord.objects.filter(status__in=UNHEALTHY).values_list("contract_id", flat=True).distinct()
    return [cid for cid, status in contract_health(ids).items() if status in wanted]


def major_line_impact(contract_id: str, version: str, all_versions: Iterable[str]) -> list[DatasetUse]:
    """Datasets still on ``version``'s major line below ``version`` (approving a new major) or on it (deprecating)."""
    major = parse_version(version).major
    line = [v for v in all_versions if is_version(v) and parse_version(v).major == major]
    return _usage(contract_id, line)


def previous_major_impact(contract_id: str, version: str, all_versions: Iterable[str]) -> list[DatasetUse]:
    """For a new major version: the datasets still on the major lines below it."""
    major = parse_version(version).major
    older = [v for v in all_versions if is_version(v) and parse_version(v).major < major]
    return _usage(contract_id, older)


def data_products(domains: frozenset[str] | None = None) -> QuerySet[DataProduct]:
    """The products a reader of ``domains`` (``None``: every domain) sees, with their version count and last
    change: a product has no domain of its own, so it shows to a domain reader through a port of its latest
    version bound to a contract of their domains."""
    products = DataProduct.objects.all()
    if domains is not None:
        readable_ports = DataProductPort.objects.filter(
            product_version__product=OuterRef("pk"),
            product_version__version=OuterRef("latest_version"),
            contract_id__in=Contract.objects.filter(domain__in=sorted(domains)).values("contract_id"),
        )
        products = products.filter(Exists(readable_ports))
    return products.annotate(version_count=Count("versions", distinct=True), last=Max("versions__recorded_at"))


def data_product_get(
    product_id: str, domains: frozenset[str] | None = None
) -> tuple[DataProduct, DataProductVersion | None, list[DataProductPort], int]:
    """A product, its latest version and the ports a reader of ``domains`` may see, with how many are hidden;
    ``DataProduct.DoesNotExist`` when the reader sees none of it."""
    product = data_products(domains).get(product_id=product_id)
    current = product.versions.filter(version=product.latest_version).first()
    ports = list(current.ports.all()) if current else []
    if domains is None:
        return product, current, ports, 0
    readable = set(
        Contract.objects.filter(contract_id__in={p.contract_id for p in ports}, domain__in=sorted(domains))
        .values_list("contract_id", flat=True)
    )
    shown = [p for p in ports if p.contract_id in readable]
    return product, current, shown, len(ports) - len(shown)


def product_versions(product: DataProduct) -> list[DataProductVersion]:
    rows = list(product.versions.all())
    return sorted(
        rows,
        key=lambda r: (1, parse_version(r.version).precedence_key()) if is_version(r.version) else (0,),
        reverse=True,
    )
