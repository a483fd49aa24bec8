"""The shared corpus: bitol's negative tests fail with paths, upstream verdicts agree, dc43 contracts import."""

from __future__ import annotations

from pathlib import Path

import pytest

from dc43_portal import odcs
from dc43_portal.errors import InvalidContract
from tests import corpus

pytestmark = corpus.MARKS  # the own twins are in test_odcs_own_fixtures.py

# Where our strict verdict differs from MANIFEST.tsv, and why (upstream asserts formats; we add portal rules).
EXPLAINED_DIFFERENCES = {
    # Upstream asserts `format: date-time`; DESIGN §2 validates with formats not asserted.
    "datacontract-cli/tests/fixtures/dbml/datacontract.odcs.yaml": "accepted",
    "datacontract-cli/tests/fixtures/spark/export/datacontract.odcs.yaml": "accepted",
    # Duplicate keys are refused by our parser; upstream's loader keeps the last one.
    "eddiethedean-odcs/tests/fixtures/invalid-duplicate-key.json": "rejected",
    "eddiethedean-odcs/tests/fixtures/invalid-duplicate-key.yaml": "rejected",
    "eddiethedean-odcs/tests/fixtures/invalid-nested-duplicate-key.json": "rejected",
    "eddiethedean-odcs/tests/fixtures/invalid-nested-duplicate-key.yaml": "rejected",
    # Portal id rules (DESIGN §3): empty ids and ids with a slash are refused.
    "eddiethedean-odcs/tests/fixtures/invalid-empty-id.yaml": "rejected",
    "eddiethedean-odcs/tests/fixtures/invalid-stable-id.yaml": "rejected",
}


@pytest.mark.parametrize("path", corpus.negative_paths(), ids=corpus.rel)
def test_every_negative_test_is_rejected_with_a_path(path: Path) -> None:
    with pytest.raises(InvalidContract) as caught:
        odcs.validate_document(odcs.parse_document(path.read_bytes()))
    assert caught.value.errors
    assert all(p for p, _ in caught.value.errors), "every error names a JSON path ($ for the root)"


def test_strict_verdicts_match_the_manifest_except_where_explained() -> None:
    unexplained = []
    for row in corpus.manifest():
        path = corpus.SHARED_ODCS / row["path"]
        if "/dc43/" in row["path"]:
            continue
        upstream = "accepted" if row["valid_against_its_official_schema"].startswith("yes") else "rejected"
        ours = "accepted" if isinstance(corpus.strict_verdicts()[path], dict) else "rejected"
        if ours != upstream and EXPLAINED_DIFFERENCES.get(corpus.rel(path)) != ours:
            unexplained.append((corpus.rel(path), upstream, ours))
    assert unexplained == []
    assert len(corpus.accepted_paths()) == 193  # 197 upstream-valid, minus 6 refused, plus 2 format-only


def test_the_deepest_real_document_is_within_the_default_depth() -> None:
    # 8 levels when an array's items counted as a level of their own; 5 as a property level counts now.
    deepest = max(odcs.property_depth(doc) for doc in corpus.strict_verdicts().values() if isinstance(doc, dict))
    assert deepest == 5 <= odcs.DEFAULT_MAX_PROPERTY_DEPTH


@pytest.mark.parametrize("path", corpus.dc43_paths(), ids=corpus.rel)
def test_dc43_contracts_import_in_dc43_mode_with_warnings(path: Path) -> None:
    doc = odcs.parse_document(path.read_bytes())
    with pytest.raises(InvalidContract):
        odcs.validate_document(doc, mode="strict")
    verdict = odcs.validate_document(doc, mode="dc43")
    assert verdict.warnings


def test_there_are_24_dc43_contracts() -> None:
    assert len(corpus.dc43_paths()) == 24
