"""The ODCS documents the tests read: the shared corpus (../shared/odcs, optional) and the portal's own.

The shared corpus holds ~200 real contracts and bitol's negative tests. A clone with nothing beside it has
no corpus: every test that reads it carries ``needs_corpus`` (or ``MARKS``), so it skips with one reason,
``ABSENT_REASON``, and ``tests/conftest.py`` counts those skips at the end of the run. The portal's own
fixtures (``tests/fixtures/odcs``, listed in its ``MANIFEST.tsv``) cover the same rules without it.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import pytest

from dc43_portal import odcs
from dc43_portal.errors import InvalidContract
from tests.conftest import FIXTURES, SHARED_ODCS

EXAMPLES = SHARED_ODCS / "examples"
AVAILABLE = (SHARED_ODCS / "MANIFEST.tsv").is_file()
ABSENT_REASON = f"the shared ODCS corpus is absent (no {SHARED_ODCS}/MANIFEST.tsv; set DC43_SHARED_DIR)"
# ``corpus`` names the tests for the summary; the skip gives the one reason.
MARKS = [pytest.mark.corpus, pytest.mark.skipif(not AVAILABLE, reason=ABSENT_REASON)]
T = TypeVar("T", bound=Callable[..., Any])


def needs_corpus(test: T) -> T:
    for mark in MARKS:
        test = mark(test)
    return test


def manifest() -> list[dict[str, str]]:
    if not AVAILABLE:
        return []
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


# ------------------------------------------------------------------ the portal's own fixtures
OWN = FIXTURES / "odcs"


def own_manifest() -> list[dict[str, str]]:
    with open(OWN / "MANIFEST.tsv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def own_paths(strict: str) -> list[Path]:
    """Own fixtures whose strict verdict is ``strict`` (accepted, rejected, unparsable)."""
    return [OWN / row["path"] for row in own_manifest() if row["strict"] == strict]


def own_valid() -> list[Path]:
    return own_paths("accepted")


def own_dc43() -> list[Path]:
    return sorted((OWN / "dc43").rglob("*.json"))


def own_rel(path: Path) -> str:
    return str(path.relative_to(OWN))


def own_doc(path: Path) -> dict[str, Any]:
    return odcs.parse_document(path.read_bytes())


# A dc43 contract for the tests that speak to dc43: the own one always, the corpus's real one when present.
DC43_CONTRACTS = [
    pytest.param(OWN / "dc43/bakery_sales/1.0.0.json", id="own"),
    pytest.param(EXAMPLES / "dc43/demo_data/contracts/retail_sales_fact/1.0.0.json", id="corpus", marks=MARKS),
]
