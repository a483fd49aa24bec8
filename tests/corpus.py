"""The shared ODCS corpus (../shared/odcs): which documents strict validation accepts, parsed once."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import Any

from dc43_portal import odcs
from dc43_portal.errors import InvalidContract
from tests.conftest import SHARED_ODCS

EXAMPLES = SHARED_ODCS / "examples"


def manifest() -> list[dict[str, str]]:
    with open(SHARED_ODCS / "MANIFEST.tsv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def all_paths() -> list[Path]:
    return [SHARED_ODCS / row["path"] for row in manifest()]


def negative_paths() -> list[Path]:
    return sorted(p for p in EXAMPLES.glob("bitol/*/negative-tests/**/*") if p.suffix in {".yaml", ".yml", ".json"})


def dc43_paths() -> list[Path]:
    return sorted((EXAMPLES / "dc43").rglob("*.json"))


@cache
def strict_verdicts() -> dict[Path, dict[str, Any] | str]:
    """Each corpus document mapped to its parsed form when strict validation accepts it, else the reason."""
    verdicts: dict[Path, dict[str, Any] | str] = {}
    for path in all_paths():
        try:
            doc = odcs.parse_document(path.read_bytes())
            odcs.validate_document(doc, mode="strict")
            verdicts[path] = doc
        except InvalidContract as exc:
            verdicts[path] = str(exc)
    return verdicts


def accepted_paths() -> list[Path]:
    return [p for p, v in strict_verdicts().items() if isinstance(v, dict)]


def rel(path: Path) -> str:
    return str(path.relative_to(EXAMPLES))
