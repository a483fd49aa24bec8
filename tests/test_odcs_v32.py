"""ODCS v3.2.0 as released: one schema, the pinned package's, and documents it accepts pass strict mode."""

from __future__ import annotations

import json
import re
import tomllib
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from dc43_portal import odcs, schemacheck
from dc43_portal.errors import InvalidContract
from tests.conftest import FIXTURES

REPO = Path(__file__).resolve().parent.parent
PACKAGE = "open-data-contract-standard"


def released_schema() -> dict[str, Any]:
    """Read straight from the installed package, independently of the portal's loader."""
    return json.loads(resources.files("open_data_contract_standard").joinpath("schema.json").read_text("utf-8"))


def test_v320_validates_against_the_packages_schema_and_nothing_else() -> None:
    assert schemacheck.official_schema("v3.2.0") == released_schema()
    assert not list(resources.files("dc43_portal.schemas").glob("*3.2*"))  # no copy that could drift


def test_the_package_is_the_pinned_release_of_v320() -> None:
    dependencies = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    [pin] = [d for d in dependencies if d.startswith(f"{PACKAGE}==")]
    assert metadata.version(PACKAGE) == pin.split("==")[1] == "3.2.0"
    assert released_schema()["properties"]["apiVersion"]["default"] == "v3.2.0"


@pytest.mark.parametrize("name", ["odcs-v3.2.0-deprecated-property.yaml", "odcs-v3.2.0-hana-server.yaml"])
def test_a_document_valid_against_the_release_passes_strict_mode(name: str) -> None:
    doc = odcs.parse_document((FIXTURES / name).read_bytes())
    released = jsonschema_rs.validator_for(released_schema(), validate_formats=False)
    assert list(released.iter_errors(doc)) == []  # the fixture is what the release accepts
    assert odcs.validate_document(doc, mode="strict").warnings == []


def test_deprecated_is_kept_on_objects_and_properties() -> None:
    doc = odcs.parse_document((FIXTURES / "odcs-v3.2.0-deprecated-property.yaml").read_bytes())
    kept = odcs.validate_document(doc).document
    assert kept["schema"][0]["properties"][1]["deprecated"] is True
    assert kept["schema"][1]["deprecated"] is True


def test_the_release_still_refuses_what_it_does_not_define() -> None:
    doc = odcs.parse_document((FIXTURES / "odcs-v3.2.0-hana-server.yaml").read_bytes())
    doc["servers"][0]["type"] = "hana2"
    doc["schema"][0]["properties"][0]["deprecated"] = "yes"
    with pytest.raises(InvalidContract) as caught:
        odcs.validate_document(doc)
    paths = {path for path, _ in caught.value.errors}
    assert {"servers[0].type", "schema[0].properties[0].deprecated"} <= paths
    assert re.search(r'"hana2" is not one of', str(caught.value))
