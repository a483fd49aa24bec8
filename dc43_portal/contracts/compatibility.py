"""The one compatibility hook the approval path calls; the diff issue fills it in.

``check_compatibility`` returns the objections to validating ``version``; an empty list means none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Compatibility:
    """What approving a candidate would mean: breaking changes (objections) and softer warnings."""

    objections: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check_compatibility(*, contract_id: str, version: str, document: dict[str, Any]) -> Compatibility:
    """No objection until the semantic diff lands."""
    return Compatibility()
