"""Semantic diff of two ODCS documents and the SemVer bump it calls for. Pure: no Django.

``diff(old, new)`` compares structurally, keyed by identity and never by list position: schema objects
and properties by name (recursively through nested ``properties`` and array ``items``), quality rules
by name, id or else what they check, servers by ``server``, team members by username, roles by role,
SLA entries by property (and element), support by channel, custom properties by property,
authoritative definitions by url, and tags and enum values as sets. ``status`` and ``version`` are
never changes, and neither are ODCS defaults made explicit (``required: false``, ``primaryKeyPosition:
-1``, a schema object's ``logicalType: object``, a quality rule's ``type: library``, empty lists, nulls). Each ``Change`` has a path (``schema.orders.properties.amount.logicalType``), a kind
(added, removed or changed), the old and new values, and the rule below, which gives its severity.

Breaking means a reader or a writer that follows the old version can fail under the new one: a field
it reads disappears or changes meaning, or data it writes no longer passes. Loosening is non-breaking,
since data that passed still passes. Where the portal cannot tell stricter from looser (two regular
expressions, a changed SQL query, an unranked classification), it says breaking.

| rule | severity | when |
|---|---|---|
| object-removed | breaking | a schema object was removed |
| property-removed | breaking | a property was removed, at any depth |
| renamed | breaking | an object or property matched by id changed its name |
| type-changed | breaking | a logicalType or physicalType (or an array's items, a map's key or value) was changed, added or removed; a vector's dimensions or elementType changed |
| physical-name-changed | breaking | the physicalName of an object or property changed |
| required-property-added | breaking | a new property of an existing object is required |
| property-made-required | breaking | required went from false or absent to true |
| property-made-unique | breaking | unique went from false or absent to true |
| constraint-tightened | breaking | pattern, format or timezone added or changed; minLength, minimum, exclusiveMinimum, minItems or minProperties raised or added; their max counterparts lowered or added; multipleOf added or changed to a value that does not divide the old one; uniqueItems set; enum values removed or an enum added |
| primary-key-changed | breaking | primaryKey or primaryKeyPosition changed, or a new property is a primary key |
| classification-weakened | breaking | classification lowered (public < internal < confidential < restricted < secret), removed, or changed to or from a value outside that ranking |
| quality-rule-stricter | breaking | a threshold (mustBe..., mustBeBetween...) rejects values it accepted, validValues lost a value, invalidValues or missingValues gained one, or severity rose (warning to error; no severity reads as error) |
| quality-rule-redefined | breaking | a quality rule's query, metric, rule, type, engine, implementation, unit or arguments changed |
| server-removed | breaking | a server was removed |
| server-location-changed | breaking | a server's type, format, path, host, database, schema or any other field that says where the data is changed |
| deprecated-removed | breaking | an object or property that the old version marked `deprecated: true` (ODCS 3.2) was removed: the deprecation announced it, but a reader that still uses it fails, and SemVer keeps removals for a major version even after a deprecation |
| embedding-changed | breaking | a vector's `embeddingModel`, `embeddingModelVersion` or `normalized` changed (ODCS 3.2): new vectors no longer compare with the stored ones |
| object-added | non-breaking | a schema object was added |
| property-added | non-breaking | an optional property was added |
| property-made-optional | non-breaking | required went from true to false or absent |
| property-made-not-unique | non-breaking | unique went from true to false or absent |
| constraint-loosened | non-breaking | the opposite of constraint-tightened: a bound relaxed or removed, enum values added, the enum removed |
| classification-raised | non-breaking | a classification was added or raised, or a public one dropped |
| quality-rule-added | non-breaking | a quality rule was added |
| quality-rule-removed | non-breaking | a quality rule was removed |
| quality-rule-loosened | non-breaking | a threshold, value list or severity now accepts everything it accepted before, and more |
| relationship-changed | non-breaking | a relationship (foreign key) was added, removed or changed |
| partitioning-changed | non-breaking | partitioned or partitionKeyPosition changed |
| encryption-changed | non-breaking | encryptedName changed |
| server-added | non-breaking | a server was added |
| server-changed | non-breaking | a server's environment, roles or custom properties changed |
| sla-changed | non-breaking | an slaProperties entry or slaDefaultElement was added, removed or changed |
| price-changed | non-breaking | the price changed |
| marked-deprecated | non-breaking | an object or property was marked `deprecated: true` (ODCS 3.2): it still works, but consumers must plan to move off it, and SemVer announces a deprecation with a minor version |
| metadata-changed | info | descriptions, names, domain, tenant, apiVersion, tags, examples, authoritative definitions, custom properties and any field not listed here (from ODCS 3.2: semanticType, context, synonyms, enum value labels, a vector's advisory distanceMetric) |
| team-changed | info | team members, roles, support channels or stakeholders changed |
| deprecation-withdrawn | info | `deprecated` went from true to false or absent: the field stays, and nothing a consumer reads or writes changes |

``suggested_bump`` maps the most severe change to major, minor or patch, and returns ``None`` when the
documents are identical except for ``status`` and ``version``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from dc43_portal.diff.rules import (
    ADDED,
    BREAKING,
    CHANGED,
    INFO,
    KINDS,
    NON_BREAKING,
    REMOVED,
    RULES,
    SEVERITIES,
    Change,
    Rule,
)
from dc43_portal.diff.walk import walk
from dc43_portal.versioning import parse_version

__all__ = [
    "ADDED",
    "BREAKING",
    "CHANGED",
    "INFO",
    "KINDS",
    "NON_BREAKING",
    "REMOVED",
    "RULES",
    "SEVERITIES",
    "Change",
    "Diff",
    "Rule",
    "actual_bump",
    "bump_sufficient",
    "diff",
    "suggested_bump",
]

BUMP_FOR = {BREAKING: "major", NON_BREAKING: "minor", INFO: "patch"}
BUMP_RANK = {None: 0, "patch": 1, "minor": 2, "major": 3}


@dataclass(frozen=True)
class Diff:
    changes: tuple[Change, ...]

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def of(self, severity: str) -> list[Change]:
        return [c for c in self.changes if c.severity == severity]

    @property
    def breaking(self) -> list[Change]:
        return self.of(BREAKING)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(SEVERITIES, 0)
        for change in self.changes:
            counts[change.severity] += 1
        return counts


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> Diff:
    """The semantic changes that turn ``old`` into ``new`` (two parsed ODCS documents)."""
    return Diff(tuple(walk(dict(old), dict(new))))


def suggested_bump(changes: Diff) -> str | None:
    """major, minor or patch for the most severe change; ``None`` when nothing but status or version differs."""
    severities = {c.severity for c in changes}
    return next((BUMP_FOR[s] for s in SEVERITIES if s in severities), None)


def actual_bump(old_version: str, new_version: str) -> str | None:
    """How far ``new_version`` moves from ``old_version``; ``None`` unless it is higher.

    A release of the same core (1.1.0-rc.1 to 1.1.0) counts as a patch.
    """
    old, new = parse_version(old_version), parse_version(new_version)
    if not old < new:
        return None
    if new.major != old.major:
        return "major"
    return "minor" if new.minor != old.minor else "patch"


def bump_sufficient(suggested: str | None, actual: str | None) -> bool | None:
    """Whether the actual bump is at least the suggested one; ``None`` when the versions do not go up."""
    if actual is None:
        return None
    return BUMP_RANK[actual] >= BUMP_RANK[suggested]


def change_payload(change: Change) -> dict[str, Any]:
    """One change as JSON, for the API and the page."""
    return {
        "path": change.path,
        "parts": list(change.parts),
        "kind": change.kind,
        "severity": change.severity,
        "rule": change.rule,
        "rule_summary": change.summary,
        "section": change.section,
        "object": change.schema_object,
        "old": change.old,
        "new": change.new,
    }
