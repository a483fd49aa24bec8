"""Contract id rules (DESIGN §3): ids become folder and file names, so they must be safe as both, and two
ids that look the same must be the same id (no invisible characters, no mixed-script look-alikes)."""

from __future__ import annotations

import unicodedata
from collections import Counter
from functools import lru_cache

from dc43_portal.errors import InvalidContractId

MAX_ID_BYTES = 200
_FORBIDDEN = {"/": "a slash", "\\": "a backslash", "%": "a percent sign"}
# Unicode general categories of characters that do not show or that reorder text: format characters (zero
# width, bidirectional overrides and marks), line and paragraph separators, and spaces other than U+0020.
_INVISIBLE = {"Cf": "an invisible formatting character", "Zl": "a line separator", "Zp": "a paragraph separator"}
# Scripts that mix with any other: punctuation and digits (Common) and combining marks (Inherited).
_NEUTRAL_SCRIPTS = {"COMMON", "INHERITED"}


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
    if len(value) > MAX_ID_BYTES:  # more characters than bytes allowed: too long, and never cached
        return f"is longer than {MAX_ID_BYTES} UTF-8 bytes"
    return _str_id_problem(value)


# Every store call checks its id; the character scan is most of a cached read's cost (ids <= 200 chars).
@lru_cache(maxsize=16384)
def _str_id_problem(value: str) -> str | None:
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
    return None if value.isascii() else _lookalike_problem(value)


def describe_char(char: str) -> str:
    """``U+200B ZERO WIDTH SPACE``: how an error names a character the reader may not see."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED CHARACTER')}"


def _lookalike_problem(value: str) -> str | None:
    """Why ``value`` could pass for another id: an invisible or reordering character, or a character of a
    second script that looks like one of the id's main script (Unicode's confusables data)."""
    for char in value:
        category = unicodedata.category(char)
        kind = _INVISIBLE.get(category) or ("a space other than U+0020" if category == "Zs" and char != " " else None)
        if kind:
            return f"must not contain {describe_char(char)}, {kind}: it makes ids that look alike"
    # Imported here: the confusables table (0.9 MB of JSON) is only loaded for non-ASCII ids.
    from confusable_homoglyphs import categories, confusables

    scripts = Counter(categories.alias(c) for c in value if categories.alias(c) not in _NEUTRAL_SCRIPTS)
    if len(scripts) < 2:
        return None
    main = scripts.most_common(1)[0][0]
    found = confusables.is_confusable(value, preferred_aliases=[main])
    if not found:
        return None
    char = found[0]["character"]
    twin = next((g["c"] for g in found[0]["homoglyphs"] if categories.alias(g["c"][0]) == main), "")
    looks = f", which looks like {twin!r} ({describe_char(twin[0])})" if twin else ""
    return (
        f"mixes scripts: {describe_char(char)} is {found[0]['alias'].title()}{looks} in an otherwise "
        f"{main.title()} id; use one script"
    )


def is_contract_id(value: object) -> bool:
    return _id_problem(value) is None
