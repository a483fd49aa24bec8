"""How Collibra's one active flag per contract maps onto the portal's four statuses. Pure: no I/O.

Collibra keeps one *active* manifest version per data contract and has no Draft/Validated/Deprecated.
The portal keeps each version's status in its manifest (``status``) and derives the flag from it:

- a manifest that says ``deprecated`` is Deprecated, even while it holds the flag (Collibra cannot
  clear the flag, so after the last Validated version is deprecated the flag stays on it);
- the flagged version is Validated, except on the contract's first version while its manifest says
  ``draft`` or ``proposed``: Collibra flags a new contract's first version by itself, which is a
  default, not an approval;
- every other version is what its manifest says (``draft`` when it says nothing the portal knows).

After every portal write, the flag sits on the highest Validated version (:func:`flag_target`), so
every version reads exactly as its manifest says. A flag moved by hand in Collibra validates the
version it lands on; the next portal write copies that into the manifest before moving the flag.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from dc43_portal import statuses
from dc43_portal.versioning import highest, is_version, version_key

ACTIVE, DEPRECATED, DRAFT, PROPOSED = statuses.ACTIVE, statuses.DEPRECATED, statuses.DRAFT, statuses.PROPOSED


@dataclass(frozen=True)
class ContractSummary:
    """One version as the portal sees it (dc43's DTO, with the portal's stored status values)."""

    contract_id: str
    version: str
    status: str
    updated_at: datetime | None = None


@dataclass(frozen=True)
class VersionRecord:
    """One ``DataContractManifestVersion`` as Collibra lists it."""

    version: str
    active: bool
    created_on: int | None = None
    last_modified_on: int | None = None
    created_by: str = ""
    last_modified_by: str = ""

    @classmethod
    def from_json(cls, item: Mapping[str, object]) -> VersionRecord:
        return cls(
            version=str(item.get("version", "")),
            active=item.get("active") is True,
            created_on=_millis(item.get("createdOn")),
            last_modified_on=_millis(item.get("lastModifiedOn")),
            created_by=str(item.get("createdBy") or ""),
            last_modified_by=str(item.get("lastModifiedBy") or ""),
        )

    @property
    def updated_at(self) -> datetime | None:
        stamp = self.last_modified_on or self.created_on
        return datetime.fromtimestamp(stamp / 1000, tz=UTC) if stamp else None


def _millis(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def declared_status(manifest_status: object) -> str:
    """The status a manifest declares: ``retired`` is Deprecated, anything unknown is Draft."""
    return statuses.import_status(manifest_status)[0]


def first_version(records: Iterable[VersionRecord]) -> str | None:
    """The version Collibra created with the contract (the oldest), where it puts the flag by itself."""
    known = [r for r in records if is_version(r.version)]
    if not known:
        return None
    oldest = min(known, key=lambda r: (r.created_on if r.created_on is not None else 2**63, version_key(r.version)))
    return oldest.version


def flagged_version(records: Iterable[VersionRecord]) -> str | None:
    return next((r.version for r in records if r.active), None)


def portal_status(manifest_status: object, *, flagged: bool, first: bool) -> str:
    """The portal status of one version from its manifest status and Collibra's active flag."""
    declared = declared_status(manifest_status)
    if declared == DEPRECATED:
        return DEPRECATED
    if flagged and not (first and declared in (DRAFT, PROPOSED)):
        return ACTIVE
    return declared


def portal_statuses(records: list[VersionRecord], manifest_statuses: Mapping[str, object]) -> dict[str, str]:
    """Every version's portal status, given each version's manifest ``status``."""
    first = first_version(records)
    return {
        r.version: portal_status(manifest_statuses.get(r.version), flagged=r.active, first=r.version == first)
        for r in records
    }


def flag_target(declared: Mapping[str, str], *, flagged: str | None, first: str | None) -> str | None:
    """Where the flag must sit so that every version reads as its manifest declares.

    The highest Validated version when there is one. Otherwise the flag stays put, unless staying
    would validate a Draft or In review version; then it goes back to the first version, where
    Collibra's default placement means nothing.
    """
    active = [v for v, s in declared.items() if s == ACTIVE and is_version(v)]
    if active:
        return highest(active)
    if flagged is None or flagged == first or declared.get(flagged) == DEPRECATED:
        return flagged
    return first
