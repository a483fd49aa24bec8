"""dc43-portal-check, the CI client, against a live portal: it fails on an invalid document and on a breaking
change without a major bump, passes the rest, writes JUnit XML, and the portal writes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from dc43_portal.api.tokens import token_create
from dc43_portal.contracts.models import ContractVersion, LifecycleEvent
from tests.conftest import REPO, make_doc
from tests.fixtures.cast import publish, transition


def run(live_server: Any, token: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "DC43_PORTAL_TOKEN": token}
    command = [sys.executable, "-m", "dc43_portal.checkcli", "--portal", live_server.url, *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)


def without_amount(version: str) -> dict[str, Any]:
    doc = make_doc(version=version)
    doc["schema"][0]["properties"].pop()
    return doc


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "ci-repo"  # not "contracts", the test store's folder
    (root / "orders").mkdir(parents=True)
    added = make_doc(version="1.1.0")
    added["schema"][0]["properties"].append({"name": "currency", "logicalType": "string"})
    (root / "orders" / "1.1.0.yaml").write_text("# adds a column\n" + yaml.safe_dump(added, sort_keys=False))
    (root / "orders" / "1.2.0.json").write_text(json.dumps(without_amount("1.2.0"), indent=2))
    (root / "orders" / "2.0.0.yml").write_text(yaml.safe_dump(without_amount("2.0.0")))
    (root / "broken.yaml").write_text(yaml.safe_dump(make_doc("other.one", logicalType="x")).replace("1.0.0", "one"))
    (root / "README.md").write_text("not a contract")
    return root


@pytest.fixture
def read_token(live_server: Any, author: Any, steward: Any, viewer: Any) -> str:
    publish(author)
    transition(author, "proposed")
    transition(steward, "active")
    return token_create(user=viewer, name="ci", scopes="read")[1]


def test_it_fails_on_errors_and_unannounced_breaking_changes(
    live_server: Any, read_token: str, folder: Path, tmp_path: Path
) -> None:
    rows, events = ContractVersion.objects.count(), LifecycleEvent.objects.count()
    report = tmp_path / "junit.xml"
    done = run(live_server, read_token, "--junit", str(report), str(folder))
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("FAIL") and "1.2.0.json" in line for line in lines)
    assert any(line.startswith("FAIL") and "broken.yaml" in line for line in lines)
    assert any(line.startswith("ok") and "2.0.0.yml" in line for line in lines)
    assert any(line.startswith("ok") and "1.1.0.yaml" in line for line in lines)
    assert "4 contract(s) checked, 2 failed" in done.stdout
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite is not None and (suite.get("tests"), suite.get("failures")) == ("4", "2")
    failures = {case.get("name"): case.find("failure") for case in suite.iter("testcase")}
    assert failures[str(folder / "orders" / "1.2.0.json")] is not None
    assert "need a major version" in (failures[str(folder / "orders" / "1.2.0.json")].text or "")  # type: ignore[union-attr]
    assert failures[str(folder / "orders" / "2.0.0.yml")] is None
    assert (ContractVersion.objects.count(), LifecycleEvent.objects.count()) == (rows, events)


def test_it_passes_a_clean_folder_and_says_when_it_cannot_ask(live_server: Any, read_token: str, folder: Path) -> None:
    done = run(live_server, read_token, str(folder / "orders" / "1.1.0.yaml"), str(folder / "orders" / "2.0.0.yml"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 contract(s) checked, 0 failed" in done.stdout
    refused = run(live_server, "dc43p_not_a_token", str(folder))
    assert refused.returncode == 2 and "401" in refused.stderr
    missing = run(live_server, read_token, str(folder / "nowhere"))
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_the_client_needs_only_httpx() -> None:
    """``pip install --no-deps`` of the repository plus httpx is enough to run it (docs/ci.md)."""
    heavy = "{'django', 'yaml', 'pydantic', 'ruamel', 'jsonschema_rs', 'open_data_contract_standard', 'psycopg'}"
    code = f"import sys, dc43_portal.checkcli; print(sorted({{m.split('.')[0] for m in sys.modules}} & {heavy}))"
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "[]"
    scripts = (REPO / "pyproject.toml").read_text()
    assert 'dc43-portal-check = "dc43_portal.checkcli:main"' in scripts
