"""Lifecycle rules: statuses, which content may change, and the downgrade guard. Pure: no database."""

from __future__ import annotations

from dc43_portal import statuses
from dc43_portal.versioning import parse_version


def can_replace(status: str) -> bool:
    """Only a Draft's content can be replaced; every other status is immutable (DESIGN §1)."""
    return status not in statuses.UNCHANGEABLE


def downgrade_problem(version: str, active_versions: list[str]) -> str | None:
    """Why activating ``version`` would downgrade its major line, or ``None`` (DESIGN §3)."""
    candidate = parse_version(version)
    same_line = [v for v in active_versions if parse_version(v).major == candidate.major and v != version]
    if not same_line:
        return None
    top = max(same_line, key=lambda v: parse_version(v))
    if candidate < parse_version(top):
        return f"{version} is below {top}, the highest Validated version of major line {candidate.major}"
    return None
