"""SemVer enforcement, the pure verdict (the mirror look-ups live in ``contracts.services.compatibility``): is a candidate version compatible with the Validated versions of its major line?

A candidate is compared with the **highest Validated (``active``) version below it in its own major
line**, read from the mirror (``ContractVersion``) and the default store: a 1.9.1 backport is compared
with 1.9.0, never with 2.0.0. The first version of a major line has nothing to be compared with, since
it is a major bump by definition.

- A breaking change is an **objection**: approving is refused under ``DC43_COMPATIBILITY=enforce``
  (the default), goes through with the objection kept as a warning under ``warn``, and nothing is
  checked under ``off``. The objection lists the breaking changes and the next major version that
  would be allowed (the first major line with no version yet).
- Non-breaking changes released as a patch only are a **warning**, never an objection.
- Publishing a draft is never refused for this: ``publish_warnings`` gives the same verdict as warnings.

``check_compatibility`` (in ``contracts.services.compatibility``) returns objections under both enforce and
warn; its callers decide (``contract_transition`` refuses under enforce).

A version row's ``warnings`` hold validation warnings and compatibility warnings side by side, as plain
strings (the API returns them as such). A compatibility warning starts with its heading, which names
its baseline: ``"Breaking changes since Validated 1.0.0: ..."`` for an objection, ``"Compatibility with
Validated 1.0.0: ..."`` for a softer warning. ``Compatibility.tagged`` writes that form and
``split_warnings`` reads it back, so the version page shows each kind under its own heading.

``Verdict`` is that tagged form with its baseline and whether approval refuses it: the one object the banner,
the editor's Check, the review queue and the lifecycle panel show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from dc43_portal import diff as semantic
from dc43_portal.versioning import parse_version

MODES = ("enforce", "warn", "off")
# An objection lists this many breaking changes, then counts the rest.
LISTED = 10
# The headings that start a stored compatibility warning (see the module docstring).
BREAKING_SINCE = "Breaking changes since"
COMPATIBLE_WITH = "Compatibility with"


@dataclass
class Compatibility:
    """What approving a candidate would mean: breaking changes (objections) and softer warnings."""

    objections: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    baseline: str | None = None  # the Validated version the candidate was compared with
    suggested_bump: str | None = None
    actual_bump: str | None = None
    next_major: str | None = None  # the version that would be allowed for these changes
    changes: list[semantic.Change] = field(default_factory=list)

    @property
    def breaking(self) -> list[semantic.Change]:
        return [c for c in self.changes if c.severity == semantic.BREAKING]

    def tagged(self, *, refused_at_approval: bool = False) -> list[str]:
        """The objections and warnings as a row stores them: each prefixed with its heading."""
        since = f"Validated {self.baseline}" if self.baseline else "the last Validated version"
        refused = "Approval will be refused: " if refused_at_approval else ""
        return [f"{BREAKING_SINCE} {since}: {refused}{text}" for text in self.objections] + [
            f"{COMPATIBLE_WITH} {since}: {text}" for text in self.warnings
        ]


@dataclass(frozen=True)
class Verdict:
    """The one verdict every surface shows (banner, editor, queue, lifecycle panel): ``Compatibility.tagged``'s
    texts, split into objections and warnings, the baseline they name and whether approval refuses them."""

    baseline: str | None = None
    objections: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    breaking: int = 0  # the breaking changes the objection lists (a page counts these, not objections)
    refused: bool = False  # approval refuses it (``enforce`` and an objection)

    @classmethod
    def of(cls, verdict: Compatibility, *, enforce: bool) -> Verdict:
        tagged = verdict.tagged(refused_at_approval=enforce)
        objections = tuple(tagged[: len(verdict.objections)])
        return cls(
            baseline=verdict.baseline,
            objections=objections,
            warnings=tuple(tagged[len(objections) :]),
            breaking=len(verdict.breaking) if objections else 0,
            refused=enforce and bool(objections),
        )

    @property
    def groups(self) -> list[WarningGroup]:
        """The banner's blocks: one per heading, in order."""
        return split_warnings([*self.objections, *self.warnings])[1]


@dataclass
class WarningGroup:
    """Warnings under one heading on the version page."""

    heading: str
    items: list[str]
    breaking: bool = False


def split_warnings(warnings: list[str]) -> tuple[list[str], list[WarningGroup]]:
    """A row's warnings as (validation warnings, compatibility groups by heading, in stored order)."""
    validation: list[str] = []
    groups: dict[str, WarningGroup] = {}
    for text in warnings:
        heading, sep, rest = text.partition(": ")
        if sep and heading.startswith((BREAKING_SINCE + " ", COMPATIBLE_WITH + " ")):
            group = groups.setdefault(heading, WarningGroup(heading, [], heading.startswith(BREAKING_SINCE)))
            group.items.append(rest)
        else:
            validation.append(text)
    return validation, list(groups.values())


def with_verdict(warnings: list[str], verdict: Compatibility) -> list[str]:
    """``warnings`` with their compatibility part replaced by ``verdict``'s: the approval's check is the
    one that counts, and a publish-time "Approval will be refused" would be false once approved."""
    validation, _ = split_warnings(warnings)
    return validation + verdict.tagged()


def assess(
    *, baseline: str, old: dict[str, Any], version: str, document: dict[str, Any], next_major: str
) -> Compatibility:
    """The verdict on ``version`` against the Validated ``baseline``; pure, no database."""
    changes = semantic.diff(old, document)
    suggested = semantic.suggested_bump(changes)
    actual = semantic.actual_bump(baseline, version)
    verdict = Compatibility(
        baseline=baseline,
        suggested_bump=suggested,
        actual_bump=actual,
        next_major=next_major,
        changes=list(changes),
    )
    if changes.breaking and actual != "major":
        verdict.objections.append(objection(version, baseline, changes.breaking, next_major))
    if suggested == "minor" and actual == "patch":
        verdict.warnings.append(
            f"{version} adds or loosens things since Validated {baseline} (non-breaking changes), which calls for a "
            f"minor version; it is only a patch."
        )
    return verdict


def objection(version: str, baseline: str, breaking: list[semantic.Change], next_major: str) -> str:
    """What a steward reads first: how many, since when, and what to publish instead; then the list."""
    listed = "; ".join(f"{c.path} {c.kind} [{c.rule}]" for c in breaking[:LISTED])
    more = f"; and {len(breaking) - LISTED} more" if len(breaking) > LISTED else ""
    count = f"{len(breaking)} breaking change{'s' if len(breaking) != 1 else ''}"
    return (
        f"{version} has {count} since {baseline}, the highest Validated version of major line "
        f"{parse_version(version).major}; publish these changes as {next_major}, a new major version. "
        f"Breaking: {listed}{more}."
    )


def baseline_among(version: str, validated: Iterable[str]) -> str | None:
    """The highest of the ``validated`` versions below ``version`` in its own major line; pure."""
    candidate = parse_version(version)
    below = [
        (parsed, v)
        for v in validated
        if v != version and (parsed := parse_version(v)).major == candidate.major and parsed < candidate
    ]
    return max(below, key=lambda pair: pair[0])[1] if below else None


def review_baseline(version: str, validated: Iterable[str]) -> str | None:
    """What a reviewer compares ``version`` with: its ``baseline_among`` the ``validated`` versions, else
    the highest Validated version of any line (the first version of a new major line); pure."""
    validated = [v for v in validated if v != version]
    return baseline_among(version, validated) or max(validated, key=parse_version, default=None)
