"""Reads for the compare page and the compare API: two versions of one contract and their semantic diff.

``compare_payload`` is the JSON of ``GET /api/v1/contracts/{id}/compare?from=&to=``; the page groups the
same changes per schema object and per section.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

from dc43_portal import diff as semantic
from dc43_portal import statuses
from dc43_portal.contracts.models import Contract, ContractVersion
from dc43_portal.contracts.selectors import VersionView, contract_get, version_get
from dc43_portal.contracts.selectors.readable import Readable, readable_pair
from dc43_portal.contracts.selectors.textdiff import text_diff_get
from dc43_portal.diff.rules import path_text
from dc43_portal.diff.text import TextDiff
from dc43_portal.errors import InvalidContract, PortalError
from dc43_portal.versioning import parse_version


class InvalidComparison(PortalError):
    """A compare request without both versions, with the same version twice, or with a malformed one."""

    status_code = 400
    code = "bad_request"


@dataclass
class Comparison:
    contract: Contract
    old: VersionView
    new: VersionView
    changes: semantic.Diff
    suggested_bump: str | None
    actual_bump: str | None
    sufficient: bool | None

    def counts(self) -> dict[str, int]:
        return self.changes.counts()


def comparison_get(contract_id: str, from_version: str | None, to_version: str | None) -> Comparison:
    """Both versions and their diff; 400 for a missing, malformed or repeated version, 404 for an unknown one."""
    contract = contract_get(contract_id)
    old_version, new_version = _version_param("from", from_version), _version_param("to", to_version)
    if old_version == new_version:
        raise InvalidComparison(f"from and to are both {old_version}; choose two different versions")
    old, new = version_get(contract_id, old_version), version_get(contract_id, new_version)
    changes = semantic.diff(old.document, new.document)
    suggested = semantic.suggested_bump(changes)
    actual = semantic.actual_bump(old_version, new_version)
    return Comparison(
        contract=contract,
        old=old,
        new=new,
        changes=changes,
        suggested_bump=suggested,
        actual_bump=actual,
        sufficient=semantic.bump_sufficient(suggested, actual),
    )


def _version_param(name: str, value: str | None) -> str:
    if value is None or value == "":
        raise InvalidComparison(f"the {name!r} parameter is required: the version to compare {name}")
    try:
        parse_version(value)
    except InvalidContract as exc:
        raise InvalidComparison(f"{name}: {exc.errors[0][1]}") from None
    return value


def compare_payload(contract_id: str, from_version: str | None, to_version: str | None) -> dict[str, Any]:
    """The comparison as JSON: both versions, a summary, the suggested bump and every change."""
    found = comparison_get(contract_id, from_version, to_version)
    counts = found.counts()
    return {
        "contract_id": found.contract.contract_id,
        "from": _side(found.old.row),
        "to": _side(found.new.row),
        "suggested_bump": found.suggested_bump,
        "summary": {
            "breaking": counts[semantic.BREAKING],
            "non_breaking": counts[semantic.NON_BREAKING],
            "info": counts[semantic.INFO],
            "total": len(found.changes),
            "suggested_bump": found.suggested_bump,
            "actual_bump": found.actual_bump,
            "bump_sufficient": found.sufficient,
        },
        "changes": [semantic.change_payload(c) for c in found.changes],
    }


def _side(row: ContractVersion) -> dict[str, Any]:
    return {"version": row.version, "status": row.status, "fingerprint": row.fingerprint}


def default_pair(versions: list[ContractVersion]) -> tuple[str, str] | None:
    """What the bare compare page shows: the newest version against the highest Validated version below it,
    or else the version just below it. ``versions`` is newest first, as ``contract_versions`` returns it."""
    if len(versions) < 2:
        return None
    newest = versions[0]
    validated = next((v for v in versions[1:] if v.status == statuses.ACTIVE), None)
    return ((validated or versions[1]).version, newest.version)


# ---------------------------------------------------------------- the page's groupings


@dataclass
class ChangeLine:
    """One change as the page shows it: the field below its row, the values as text."""

    change: semantic.Change
    field: str
    old_text: str
    new_text: str
    old_view: Readable = dataclasses.field(default_factory=Readable)
    new_view: Readable = dataclasses.field(default_factory=Readable)


@dataclass
class Row:
    """A property of a schema object, or the object's own fields (``name`` empty)."""

    name: str
    kind: str  # added, removed or changed
    lines: list[ChangeLine] = field(default_factory=list)

    @property
    def severity(self) -> str:
        found = {line.change.severity for line in self.lines}
        return next((s for s in semantic.SEVERITIES if s in found), semantic.INFO)


@dataclass
class ObjectGroup:
    name: str
    kind: str
    rows: list[Row] = field(default_factory=list)

    @property
    def breaking(self) -> int:
        return sum(1 for row in self.rows for line in row.lines if line.change.severity == semantic.BREAKING)


@dataclass
class SectionGroup:
    name: str
    lines: list[ChangeLine] = field(default_factory=list)


SECTION_TITLES = {
    "servers": "Servers",
    "team": "Team",
    "roles": "Roles",
    "support": "Support",
    "slaProperties": "Service levels",
    "slaDefaultElement": "Service levels",
    "price": "Pricing",
    "tags": "Tags",
    "customProperties": "Custom properties",
    "authoritativeDefinitions": "Authoritative definitions",
    "description": "Description",
    "quality": "Quality",
}
FUNDAMENTALS = "Fundamentals"


def value_text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _unnamed(value: Any) -> str:
    return value_text({k: v for k, v in value.items() if k != "name"} if isinstance(value, dict) else value)


def _line(change: semantic.Change, below: tuple[str, ...], skip: tuple[str, ...] = ()) -> ChangeLine:
    old_view, new_view = readable_pair(change.old, change.new, skip=skip)
    return ChangeLine(change, path_text(below), value_text(change.old), value_text(change.new), old_view, new_view)


def _split_property(rest: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """``("properties", "address", "properties", "zip", "logicalType")`` to ``("address.zip", ("logicalType",))``."""
    names: list[str] = []
    i = 0
    while i < len(rest):
        if rest[i] == "properties" and i + 1 < len(rest):
            names.append(rest[i + 1])
            i += 2
        elif rest[i] == "items" and names:
            names.append("items")
            i += 1
        else:
            break
    return ".".join(names), rest[i:]


def schema_groups(changes: semantic.Diff) -> list[ObjectGroup]:
    """Changes of the schema, per object and per property, in document order."""
    groups: dict[str, ObjectGroup] = {}
    for change in changes:
        if change.section != "schema" or len(change.parts) < 2:
            continue
        name, rest = change.parts[1], change.parts[2:]
        group = groups.setdefault(name, ObjectGroup(name=name, kind=semantic.CHANGED))
        if not rest:
            group.kind = change.kind
            group.rows.append(Row(name="", kind=change.kind, lines=[_line(change, ())]))
            continue
        prop, below = _split_property(rest)
        row = next((r for r in group.rows if r.name == prop), None)
        if row is None:
            row = Row(name=prop, kind=semantic.CHANGED)
            group.rows.append(row)
        whole = bool(prop and not below)
        # A whole property added or removed: its name already heads the row.
        line = _line(change, below, skip=("name",) if whole else ())
        if whole:
            row.kind = change.kind
            line.old_text, line.new_text = _unnamed(change.old), _unnamed(change.new)
        row.lines.append(line)
    return list(groups.values())


def section_groups(changes: semantic.Diff) -> list[SectionGroup]:
    """Every change outside the schema, grouped by section, fundamentals first."""
    groups: dict[str, SectionGroup] = {}
    for change in changes:
        if change.section == "schema" and len(change.parts) >= 2:
            continue
        title = SECTION_TITLES.get(change.section, FUNDAMENTALS)
        group = groups.setdefault(title, SectionGroup(name=title))
        group.lines.append(_line(change, change.parts))
    return sorted(groups.values(), key=lambda g: g.name != FUNDAMENTALS)


def text_diff(found: Comparison) -> TextDiff | None:
    """The side-by-side YAML diff (``None`` while a large one is still being computed), cached per fingerprints."""
    return text_diff_get(found.old, found.new)
