"""Validation modes, apiVersions, depth, error paths, canonical JSON and the fingerprint (DESIGN §2)."""

from __future__ import annotations

import copy
import json

import pytest

from dc43_portal import odcs
from dc43_portal.errors import InvalidContract
from tests.conftest import FIXTURES, make_doc

# Computed independently: jq -S -c 'del(.status)' tests/fixtures/fingerprint.json | tr -d '\n' | sha256sum
KNOWN_FINGERPRINT = "f58917af5b5908b8a396ea767f9200d7168d188641e29bedb84d24054d686129"


def test_the_fingerprint_fixture_keeps_its_known_value() -> None:
    doc = odcs.parse_document((FIXTURES / "fingerprint.json").read_bytes())
    assert odcs.fingerprint(doc) == KNOWN_FINGERPRINT


def test_the_fingerprint_ignores_status_and_key_order_only() -> None:
    doc = make_doc()
    reordered = dict(reversed(list(copy.deepcopy(doc).items())))
    assert odcs.fingerprint(odcs.with_status(reordered, "active")) == odcs.fingerprint(doc)
    assert odcs.fingerprint(make_doc(name="Other")) != odcs.fingerprint(doc)
    assert odcs.fingerprint(make_doc(description=None)) != odcs.fingerprint(doc)


def test_canonical_json_is_sorted_compact_utf8() -> None:
    assert odcs.canonical_json({"b": 1, "a": "é"}) == '{"a":"é","b":1}'.encode()


def test_a_valid_document_passes_strict() -> None:
    assert odcs.validate_document(make_doc()).warnings == []


def test_strict_errors_name_the_json_path_and_rule() -> None:
    doc = make_doc()
    doc["schema"][0]["properties"][1]["logicalType"] = "strin"
    with pytest.raises(InvalidContract) as caught:
        odcs.validate_document(doc)
    paths = [path for path, _ in caught.value.errors]
    assert "schema[0].properties[1].logicalType" in paths
    assert "'strin'" in str(caught.value) or '"strin"' in str(caught.value)
    assert "is not one of" in str(caught.value)


def test_dc43_mode_keeps_schema_violations_as_warnings() -> None:
    doc = make_doc(apiVersion="3.0.2", servers=[{"server": "local", "type": "filesystem", "path": "/tmp/x"}])
    with pytest.raises(InvalidContract, match="servers"):
        odcs.validate_document(doc, mode="strict")
    verdict = odcs.validate_document(doc, mode="dc43")
    assert any(w.startswith("servers[0]") for w in verdict.warnings)
    assert verdict.document["apiVersion"] == "3.0.2"


def test_dc43_mode_still_applies_the_portal_rules() -> None:
    with pytest.raises(InvalidContract, match="version"):
        odcs.validate_document(make_doc(version="latest"), mode="dc43")
    with pytest.raises(InvalidContract, match="slash"):
        odcs.validate_document(make_doc("a/b"), mode="dc43")


def test_the_302_alias_is_accepted_in_strict_mode_and_stored_unchanged() -> None:
    doc = make_doc(apiVersion="3.0.2", status="active")
    doc["team"] = [{"username": "olivia", "role": "owner"}]
    verdict = odcs.validate_document(doc, mode="strict")
    assert verdict.document["apiVersion"] == "3.0.2"


@pytest.mark.parametrize("api_version", ["v4.0.0", "3.1.0", None, 3])
def test_unknown_api_versions_list_the_supported_ones(api_version: object) -> None:
    with pytest.raises(InvalidContract, match="v3.0.0, v3.0.1, v3.0.2, v3.1.0, v3.2.0, 3.0.2"):
        odcs.validate_document(make_doc(apiVersion=api_version))


def test_unknown_mode_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown validation mode"):
        odcs.validate_document(make_doc(), mode="lenient")


def test_lossless_storage_keeps_nulls_and_unknown_nested_keys() -> None:
    doc = make_doc(description=None)
    doc["schema"][0]["properties"][0]["x-custom"] = {"kept": [1, None]}
    text = odcs.dump_json(doc)
    assert odcs.parse_document(text) == doc
    assert json.loads(odcs.canonical_json(doc)) == doc
