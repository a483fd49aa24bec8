"""The Draft form checks in ``clean()`` and writes nothing; the admin's ``save_model`` writes once, audited."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest
from django.conf import LazySettings
from django.contrib.admin.models import LogEntry

from dc43_portal import odcs
from dc43_portal.contracts.admin.forms import VersionDocumentForm
from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.models import ContractVersion, LifecycleEvent
from dc43_portal.stores.filesystem import FSContractStore
from tests.admin.test_it_edits_drafts_through_the_services import form_data, page, stored
from tests.conftest import make_doc
from tests.fixtures.cast import login, publish

pytestmark = pytest.mark.database


class CountingFSStore(FSContractStore):
    """The real filesystem store, counting its writes (what ``put`` was asked, in order)."""

    puts: ClassVar[list[tuple[str, str]]] = []

    def put(self, contract: Any, *, actor: str | None = None, overwrite: bool = True) -> None:
        super().put(contract, actor=actor, overwrite=overwrite)
        type(self).puts.append((str(dict(contract)["version"]), str(actor)))


@pytest.fixture
def counting_store(settings: LazySettings, contract_store_dir: Path) -> list[tuple[str, str]]:
    settings.CONTRACT_STORES = {
        "default": {
            "BACKEND": f"{__name__}.CountingFSStore",
            "OPTIONS": {"base_path": str(contract_store_dir)},
        }
    }
    CountingFSStore.puts.clear()
    return CountingFSStore.puts


def replaces() -> list[tuple[str, str, str]]:
    return list(LifecycleEvent.objects.filter(action="replace").values_list("actor", "source", "comment"))


def test_it_checks_a_valid_edit_without_writing(staff_author: Any, draft: ContractVersion, counting_store: Any) -> None:
    data = form_data(login(staff_author), draft, name="Checked only")
    form = VersionDocumentForm(data, instance=draft)
    assert form.is_valid(), form.errors
    assert form.checked is not None and form.checked.changed
    assert form.checked.document["name"] == "Checked only"
    assert counting_store == []
    assert stored()["name"] == "Orders"
    assert replaces() == []
    assert ContractVersion.objects.get(pk=draft.pk).name == "Orders"


def test_it_writes_a_valid_edit_once_and_audits_it(
    staff_author: Any, draft: ContractVersion, counting_store: Any
) -> None:
    client = login(staff_author)
    data = form_data(client, draft, name="Orders, once")
    response = client.post(page(draft), {**data, "comment": "once"})
    assert response.status_code == 302
    assert counting_store == [("1.0.0", "alice")]
    assert stored()["name"] == "Orders, once"
    assert replaces() == [("alice", "admin", "once")]
    assert LogEntry.objects.filter(object_id=str(draft.pk)).count() == 1


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        ({"document": "id: [unclosed\n  name: x"}, "document"),
        ({"expected_fingerprint": "0" * 64}, "changed since you loaded it"),
        ({"document": odcs.dump_yaml(make_doc(schema=[{"name": "orders", "logicalType": "tabular"}]))}, "schema[0]"),
    ],
    ids=["bad-yaml", "stale-fingerprint", "schema"],
)
def test_it_writes_nothing_for_an_invalid_form(
    staff_author: Any, draft: ContractVersion, counting_store: Any, change: dict[str, str], shown: str
) -> None:
    client = login(staff_author)
    response = client.post(page(draft), {**form_data(client, draft, name="Never"), **change})
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors and shown in str(form.errors), form.errors
    assert counting_store == []
    assert stored()["name"] == "Orders"
    assert replaces() == []
    assert not LogEntry.objects.exists()


def test_it_reports_a_write_between_check_and_save(
    staff_author: Any, author2: Any, draft: ContractVersion, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race is made deterministic: another author replaces the Draft right after the form's check.

    Here the other write runs inside the admin's transaction, so its mirror rows roll back with it; its store
    write stays, as a write from another request would.
    """
    checked = VersionDocumentForm.clean

    def clean_then_race(form: VersionDocumentForm) -> dict[str, Any]:
        data = checked(form)
        publish(author2, name="Theirs")
        return data

    monkeypatch.setattr(VersionDocumentForm, "clean", clean_then_race)
    client = login(staff_author)
    response = client.post(page(draft), form_data(client, draft, name="Mine"), follow=True)
    assert response.redirect_chain[-1][0] == page(draft)
    body = response.content.decode()
    assert "Not saved, nothing was written" in body and "changed since you loaded it" in body
    assert default_store().get_document("sales.orders", "1.0.0")["name"] == "Theirs"
    assert [event for event in replaces() if event[0] == "alice"] == []
    assert not LogEntry.objects.exists()
