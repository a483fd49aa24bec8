"""Contract id rules (DESIGN §3): ids become folder and file names, so they must be safe as both."""

from __future__ import annotations

import unicodedata

from dc43_portal.errors import InvalidContractId

MAX_ID_BYTES = 200
_FORBIDDEN = {"/": "a slash", "\\": "a backslash", "%": "a percent sign"}


def check_contract_id(value: object, *, path: str = "id") -> str:
    """Return the id unchanged, or raise ``InvalidContractId`` naming the broken rule."""
    problem = _id_problem(value)
    if problem:
        raise InvalidContractId([(path, problem)])
    assert isinstance(value, str)
    return value


def _id_problem(value: object) -> str | None:
    if not isinstance(value, str):
        return f"must be a string, got {type(value).__name__}"
    if not value:
        return "must not be empty"
    if len(value.encode("utf-8")) > MAX_ID_BYTES:
        return f"is longer than {MAX_ID_BYTES} UTF-8 bytes"
    for char, name in _FORBIDDEN.items():
        if char in value:
            return f"must not contain {name}"
    if any(unicodedata.category(c) == "Cc" for c in value):
        return "must not contain control characters"
    if value != value.strip():
        return "must not start or end with whitespace"
    if value.startswith("."):
        return "must not start with '.'"
    if unicodedata.normalize("NFC", value) != value:
        # Normalising silently would create a second contract that looks identical.
        return "must be in Unicode NFC form"
    return None


def is_contract_id(value: object) -> bool:
    return _id_problem(value) is None
