"""Check a document before publishing it: validation, the diff against the latest Validated version, the
bump it needs and whether approval would pass. Reads only: no row, no file, no audit event.

``contract_check`` is ``POST /api/v1/contracts/check`` and the editor's "Check"; errors and warnings carry
the line of their JSON path in the author's text (``sourcelines``), looked up only when there are some.
"""

from __future__ import annotations

from typing import Any

from dc43_portal import diff as semantic
from dc43_portal import odcs, statuses
from dc43_portal.contracts import lifecycle
from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.models import ContractVersion, LifecycleEvent
from dc43_portal.contracts.services.common import document_parse, document_validate
from dc43_portal.contracts.services.compatibility import check_compatibility, verdict_of
from dc43_portal.diff.compatibility import Verdict, review_baseline
from dc43_portal.errors import ContractNotFound, InvalidContract
from dc43_portal.sourcelines import line_in_message, lines_of
from dc43_portal.versioning import parse_version

# A stale edit lists this many differences, then counts the rest.
MAX_LISTED = 50


def contract_check(source: bytes | str) -> dict[str, Any]:
    """The check's JSON answer; ``DocumentTooLarge`` still raises (413), every other problem is reported."""
    text = source.decode("utf-8-sig", errors="replace") if isinstance(source, bytes) else source
    try:
        doc = odcs.with_status(document_parse(source), statuses.DRAFT)
    except InvalidContract as exc:
        return _answer(text, errors=exc.errors)
    try:
        warnings = document_validate(doc).warnings
    except InvalidContract as exc:
        return _answer(text, doc=doc, errors=exc.errors)
    return _answer(text, doc=doc, warnings=warnings, **_against_validated(doc))


def _against_validated(doc: dict[str, Any]) -> dict[str, Any]:
    """The diff with the latest Validated version (of the same major line when there is one) and the verdict."""
    contract_id, version = doc["id"], doc["version"]
    rows = list(ContractVersion.objects.filter(contract__contract_id=contract_id, in_store=True))
    current = next((r for r in rows if r.version == version), None)
    validated = [r.version for r in rows if r.status == statuses.ACTIVE]
    compared = check_compatibility(contract_id=contract_id, version=version, document=doc)
    # What this version would supersede: a Validated version below it (its own major line first).
    baseline = review_baseline(version, [v for v in validated if parse_version(v) < parse_version(version)])
    changes: list[semantic.Change] = []
    if baseline is not None and baseline == compared.baseline:
        changes = compared.changes
    elif baseline is not None:
        try:
            changes = list(semantic.diff(default_store().get_document(contract_id, baseline), doc))
        except ContractNotFound:
            baseline = None
    verdict = verdict_of(compared)  # the version page's verdict, word for word
    return {
        "status": current.status if current else None,
        "baseline": baseline,
        "changes": changes,
        "reasons": _refusals(version, current, validated) + (list(verdict.objections) if verdict.refused else []),
        "verdict": verdict,
    }


def _refusals(version: str, current: ContractVersion | None, validated: list[str]) -> list[str]:
    """Why publishing or approving this document would be refused now, compatibility aside (empty: it would pass)."""
    reasons = []
    if current is not None and not lifecycle.can_replace(current.status):
        reasons.append(f"{version} is {statuses.label(current.status)} and cannot change; publish a new version")
    downgrade = lifecycle.downgrade_problem(version, validated)
    if downgrade:
        reasons.append(f"downgrade refused: {downgrade}")
    return reasons


def _answer(
    text: str,
    *,
    doc: dict[str, Any] | None = None,
    errors: list[tuple[str, str]] | None = None,
    warnings: list[str] | None = None,
    status: str | None = None,
    baseline: str | None = None,
    changes: list[semantic.Change] | None = None,
    reasons: list[str] | None = None,
    verdict: Verdict | None = None,
) -> dict[str, Any]:
    errors, changes = errors or [], changes or []
    problems = [(path, msg) for path, msg in errors] + [_split_warning(w) for w in warnings or []]
    lines = lines_of(text, [path for path, _ in problems if path])
    located = [
        {"path": path or "$", "message": msg, "line": lines.get(path) if path else line_in_message(msg)}
        for path, msg in problems
    ]
    suggested = semantic.suggested_bump(semantic.Diff(tuple(changes))) if changes else None
    actual = semantic.actual_bump(baseline, doc["version"]) if baseline and doc else None
    if errors:
        reasons = ["the document is invalid", *(reasons or [])]
    return {
        "valid": not errors,
        "id": doc.get("id") if doc else None,
        "version": doc.get("version") if doc else None,
        "status": status,
        "errors": located[: len(errors)],
        "warnings": located[len(errors) :],
        "baseline": baseline,
        "summary": _summary(changes),
        "required_bump": suggested,
        "actual_bump": actual,
        "bump_sufficient": semantic.bump_sufficient(suggested, actual) if baseline else None,
        "changes": [semantic.change_payload(c) for c in changes],
        "approval": {
            "would_pass": not reasons,
            "reasons": reasons or [],
            "warnings": list(verdict.warnings) if verdict else [],
            "compatibility": _verdict_payload(verdict or Verdict()),
        },
    }


def _verdict_payload(verdict: Verdict) -> dict[str, Any]:
    """The verdict the version page shows: its baseline and its texts, tagged with their heading."""
    return {
        "baseline": verdict.baseline,
        "objections": list(verdict.objections),
        "warnings": list(verdict.warnings),
        "breaking": verdict.breaking,
        "refused": verdict.refused,
    }


def _summary(changes: list[semantic.Change]) -> dict[str, int]:
    count = {s: sum(1 for c in changes if c.severity == s) for s in (semantic.BREAKING, semantic.NON_BREAKING)}
    return {
        "breaking": count[semantic.BREAKING],
        "non_breaking": count[semantic.NON_BREAKING],
        "info": len(changes) - sum(count.values()),
        "total": len(changes),
    }


def _split_warning(text: str) -> tuple[str, str]:
    """A validation warning reads ``"path: message"`` (``odcs.validate_document``); others have no path."""
    head, sep, rest = text.partition(": ")
    if sep and head and " " not in head:
        return head, rest
    return "", text


EDITS = ("publish", "replace", "import", "edit")


def stale_edit(contract_id: str, version: str, document: dict[str, Any]) -> dict[str, Any] | None:
    """Who last changed a Draft, when, and how the stored content differs from ``document`` (the editor's)."""
    row = ContractVersion.objects.filter(contract__contract_id=contract_id, version=version).first()
    if row is None:
        return None
    event = (
        LifecycleEvent.objects.filter(contract_id=contract_id, version=version, action__in=EDITS)
        .order_by("-created_at", "-id")
        .first()
    )
    try:
        stored = default_store().get_document(contract_id, version)
    except ContractNotFound:
        return None
    changes = list(semantic.diff(stored, document))
    return {
        "by": event.actor if event else row.updated_by,
        "at": event.created_at if event else row.updated_at,
        "fingerprint": odcs.fingerprint(stored),
        "changes": [semantic.change_payload(c) for c in changes[:MAX_LISTED]],
        "more": max(0, len(changes) - MAX_LISTED),
    }
