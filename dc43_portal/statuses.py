"""The one status vocabulary (DESIGN §1): stored values, UI labels and how input maps onto them."""

from __future__ import annotations

DRAFT = "draft"
PROPOSED = "proposed"
ACTIVE = "active"
DEPRECATED = "deprecated"

STATUSES = (DRAFT, PROPOSED, ACTIVE, DEPRECATED)
LABELS = {DRAFT: "Draft", PROPOSED: "In review", ACTIVE: "Validated", DEPRECATED: "Deprecated"}
CHOICES = [(value, LABELS[value]) for value in STATUSES]
# Statuses whose content can never change in place (only a Draft can be replaced).
UNCHANGEABLE = frozenset({PROPOSED, ACTIVE, DEPRECATED})

_LOOKUP = {**{s: s for s in STATUSES}, **{label.lower(): s for s, label in LABELS.items()}}


def parse_status(value: object) -> str | None:
    """Map a stored value or a UI label, case-insensitively, to the stored value; ``None`` if unknown."""
    if not isinstance(value, str):
        return None
    return _LOOKUP.get(value.strip().lower())


def import_status(value: object) -> tuple[str, str | None]:
    """Status of an imported document, with a warning when it had to be guessed."""
    known = parse_status(value)
    if known:
        return known, None
    if isinstance(value, str) and value.strip().lower() == "retired":
        return DEPRECATED, None
    return DRAFT, f"status {value!r} is not a portal status; imported as draft"


def label(value: str) -> str:
    return LABELS.get(value, value)
