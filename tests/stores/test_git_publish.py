"""Through the portal's write path, the Git store commits as the acting user; review mode merges on approval."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.test import Client
from django.urls import reverse
from dulwich.repo import Repo

from dc43_portal.contracts import services
from tests.conftest import make_doc
from tests.fixtures.cast import submit, transition

pytestmark = [pytest.mark.database, pytest.mark.django_db]


@pytest.fixture
def repo_path(tmp_path: Path, settings: LazySettings) -> Path:
    path = tmp_path / "contracts.git"
    settings.CONTRACT_STORES = {
        "default": {"BACKEND": "dc43_portal.stores.git.GitReviewContractStore", "OPTIONS": {"path": str(path)}}
    }
    return path


def main_log(path: Path) -> list[tuple[str, str]]:
    repo = Repo(str(path))
    walker = repo.get_walker([repo.refs[b"refs/heads/main"]])
    return [(e.commit.author.decode().split(" <")[0], e.commit.message.decode().split("\n")[0]) for e in walker]


def test_publish_submit_approve_is_a_reviewed_merge(repo_path: Path, author: Any, steward: Any) -> None:
    submit(author, make_doc(version="1.2.0"))
    assert b"refs/heads/drafts/sales.orders/1.2.0" in Repo(str(repo_path)).get_refs()
    transition(steward, "Validated", "1.2.0")
    assert b"refs/heads/drafts/sales.orders/1.2.0" not in Repo(str(repo_path)).get_refs()
    assert main_log(repo_path)[0] == (
        "sam",
        "merge drafts/sales.orders/1.2.0: status sales.orders 1.2.0 In review -> Validated by sam",
    )
    assert ("alice", "publish sales.orders 1.2.0 (Draft) by alice") in main_log(repo_path)


def test_the_version_page_shows_the_commits(repo_path: Path, author: Any, client: Client) -> None:
    services.contract_publish(document=make_doc(version="1.2.0"), actor=author.username)
    client.force_login(author)
    page = client.get(reverse("contracts:version", args=["sales.orders", "1.2.0"]))
    assert page.status_code == 200
    assert "Store history" in page.text and "publish sales.orders 1.2.0 (Draft) by alice" in page.text
