"""The portal's own fixtures (tests/fixtures/odcs): every rule, with nothing beside the clone.

Twins of test_odcs_corpus.py: each negative document is refused with a JSON path, each verdict matches
MANIFEST.tsv in both modes, the deepest document fits the default depth, dc43-style contracts import with
warnings in dc43 mode, and unicode ids survive a round trip.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dc43_portal import odcs
from dc43_portal.errors import InvalidContract
from tests import corpus

ROWS = corpus.own_manifest()


def verdict(path: Path, mode: str) -> tuple[str, list[str]]:
    """``accepted``, ``warned``, ``rejected`` or ``unparsable``, with the paths and messages it gave."""
    try:
        doc = odcs.parse_document(path.read_bytes())
    except InvalidContract as exc:
        return "unparsable", [f"{p}: {m}" for p, m in exc.errors]
    try:
        warnings = odcs.validate_document(doc, mode=mode).warnings
    except InvalidContract as exc:
        return "rejected", [f"{p}: {m}" for p, m in exc.errors]
    return ("warned" if warnings else "accepted"), warnings


@pytest.mark.parametrize("row", ROWS, ids=[row["path"] for row in ROWS])
@pytest.mark.parametrize("mode", ["strict", "dc43"])
def test_every_own_fixture_gets_its_manifest_verdict(row: dict[str, str], mode: str) -> None:
    got, said = verdict(corpus.OWN / row["path"], mode)
    assert got == row[mode], said
    if got != "accepted":
        assert any(row["expect"] in line for line in said), said


@pytest.mark.parametrize("path", corpus.own_paths("rejected"), ids=corpus.own_rel)
def test_every_own_negative_document_is_rejected_with_a_path(path: Path) -> None:
    with pytest.raises(InvalidContract) as caught:
        odcs.validate_document(odcs.parse_document(path.read_bytes()))
    assert caught.value.errors
    assert all(p for p, _ in caught.value.errors), "every error names a JSON path ($ for the root)"


def test_the_fixtures_cover_every_kind_of_verdict_and_rule() -> None:
    verdicts = {(row["strict"], row["dc43"]) for row in ROWS}
    assert verdicts >= {
        ("accepted", "accepted"),
        ("accepted", "warned"),
        ("rejected", "warned"),
        ("rejected", "rejected"),
        ("unparsable", "unparsable"),
    }
    listed = {row["path"] for row in ROWS}
    on_disk = {corpus.own_rel(p) for p in corpus.OWN.rglob("*") if p.suffix in {".yaml", ".json"}}
    assert listed == on_disk, "every fixture file has its row in MANIFEST.tsv"


def test_the_deepest_own_document_is_within_the_default_depth() -> None:
    depths = {corpus.own_rel(p): odcs.property_depth(corpus.own_doc(p)) for p in corpus.own_valid()}
    assert max(depths.values()) == depths["valid/deep-objects.json"] <= odcs.DEFAULT_MAX_PROPERTY_DEPTH


def test_too_deep_is_refused_with_the_limit() -> None:
    with pytest.raises(InvalidContract, match=r"nested \d+ levels deep; the limit is \d+"):
        odcs.validate_document(corpus.own_doc(corpus.OWN / "negative/too-deep.json"))


@pytest.mark.parametrize("path", corpus.own_dc43(), ids=corpus.own_rel)
def test_own_dc43_contracts_import_in_dc43_mode_with_their_three_warnings(path: Path) -> None:
    doc = odcs.parse_document(path.read_bytes())
    with pytest.raises(InvalidContract):
        odcs.validate_document(doc, mode="strict")
    warnings = odcs.validate_document(doc, mode="dc43").warnings
    assert warnings[0] == "apiVersion '3.0.2' is read as 'v3.0.2'"
    assert any(w.startswith("servers[0].type") and "filesystem" in w for w in warnings)
    assert any(".quality[0]" in w and '"rule" is a required property' in w for w in warnings)


def test_the_dc43_fixtures_are_three_versions_of_two_contracts() -> None:
    assert [corpus.own_rel(p) for p in corpus.own_dc43()] == [
        "dc43/bakery_sales/1.0.0.json",
        "dc43/bakery_sales/1.1.0.json",
        "dc43/bakery_stock/0.2.0.json",
    ]


def test_unicode_ids_are_nfc_and_round_trip_losslessly() -> None:
    doc = corpus.own_doc(corpus.OWN / "valid/unicode-ids.yaml")
    assert doc["id"] == "ventes.commandes-été.販売" and doc["version"] == "2.0.0-rc.1+build.5"
    assert odcs.parse_document(odcs.dump_json(doc)) == doc
    assert odcs.parse_document(odcs.dump_yaml(doc)) == doc
    assert odcs.fingerprint(doc) == odcs.fingerprint(odcs.parse_document(odcs.canonical_json(doc)))


def test_the_rich_document_needs_lossless_storage() -> None:
    """The pydantic model drops its explicit nulls, so only storing the document itself keeps them."""
    doc = corpus.own_doc(corpus.OWN / "valid/orders-3.1.0.yaml")
    assert odcs.as_document(odcs.to_model(doc)) != doc
    assert odcs.parse_document(odcs.dump_json(doc)) == doc
    assert doc["description"]["customProperties"][0]["value"] == "2022-10-03"  # a YAML date kept as text
