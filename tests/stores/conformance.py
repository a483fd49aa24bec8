"""One conformance suite for every ContractStore backend (the ``BaseCacheTests`` pattern).

A backend's test class subclasses ``StoreConformance`` and overrides the ``store`` fixture. What a
store does not promise (``lossless``, ``supports_status``...) is skipped by flag, with the reason.
"""

from __future__ import annotations

import copy
import threading
from pathlib import Path
from typing import Any

import pytest
from open_data_contract_standard.model import OpenDataContractStandard

from dc43_portal import odcs
from dc43_portal.errors import ContractConflict, ContractNotFound, InvalidContract
from dc43_portal.stores.interface import ContractStore
from tests import corpus
from tests.conftest import make_doc

HOSTILE_IDS = [
    "../etc/passwd",
    "a/b",
    "a\\b",
    "..",
    ".hidden",
    "",
    " padded",
    "nul\x00byte",
    "pct%2F",
    "tab\tid",
    "x" * 201,
]
UNICODE_IDS = ["ventes.commandes-été", "販売.注文", "données 2024", "emoji-📦", "a+b=c"]
PRERELEASE_ORDER = [
    "0.9.0",
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-beta.2",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0",
    "1.9.0",
    "1.10.0",
    "2.0.0",
]


def skip_unless(store: ContractStore, flag: str) -> None:
    if not getattr(store, flag):
        pytest.skip(f"{type(store).__name__} does not promise {flag}")


class StoreConformance:
    @pytest.fixture
    def store(self, tmp_path: Path) -> ContractStore:
        raise NotImplementedError("a backend test class overrides the store fixture")

    # ---------------------------------------------------------------- the five methods

    def test_it_round_trips_a_document(self, store: ContractStore) -> None:
        doc = make_doc()
        store.put(doc)
        assert store.list_contracts() == ["sales.orders"]
        assert store.list_versions("sales.orders") == ["1.0.0"]
        got = store.get("sales.orders", "1.0.0")
        assert isinstance(got, OpenDataContractStandard)
        assert got.id == "sales.orders" and got.version == "1.0.0"
        assert odcs.fingerprint(store.get_document("sales.orders", "1.0.0")) == odcs.fingerprint(doc)

    def test_it_accepts_a_pydantic_model(self, store: ContractStore) -> None:
        store.put(odcs.to_model(make_doc(version="2.0.0")))
        assert store.get("sales.orders", "2.0.0").version == "2.0.0"

    def test_it_does_not_keep_a_reference_to_the_caller_document(self, store: ContractStore) -> None:
        doc = make_doc()
        store.put(doc)
        doc["name"] = "changed after put"
        store.get_document("sales.orders", "1.0.0")["name"] = "changed after get"
        assert store.get_document("sales.orders", "1.0.0")["name"] == "Orders"

    def test_it_lists_contracts_sorted(self, store: ContractStore) -> None:
        for cid in ["zeta", "alpha", "mid.dle"]:
            store.put(make_doc(cid))
        assert store.list_contracts() == ["alpha", "mid.dle", "zeta"]

    def test_it_orders_versions_by_semver_with_prereleases(self, store: ContractStore) -> None:
        shuffled = PRERELEASE_ORDER[::2] + PRERELEASE_ORDER[1::2]
        for version in shuffled:
            store.put(make_doc(version=version))
        assert store.list_versions("sales.orders") == PRERELEASE_ORDER
        latest = store.latest("sales.orders")
        assert latest is not None and latest.version == "2.0.0"

    def test_latest_is_any_status(self, store: ContractStore) -> None:
        store.put(make_doc(version="1.0.0", status="active"))
        store.put(make_doc(version="1.1.0-rc.1", status="draft"))
        latest = store.latest("sales.orders")
        assert latest is not None and latest.version == "1.1.0-rc.1"

    def test_unknown_ids_and_versions(self, store: ContractStore) -> None:
        assert store.list_versions("nobody") == []
        assert store.latest("nobody") is None
        store.put(make_doc())
        with pytest.raises(ContractNotFound):
            store.get("sales.orders", "9.9.9")
        with pytest.raises(ContractNotFound):
            store.get_document("nobody", "1.0.0")
        with pytest.raises(LookupError):
            store.get("nobody", "1.0.0")

    @pytest.mark.parametrize("bad_id", HOSTILE_IDS)
    def test_it_refuses_hostile_ids(self, store: ContractStore, bad_id: str, tmp_path: Path) -> None:
        with pytest.raises(InvalidContract):
            store.put(make_doc(bad_id))
        with pytest.raises(InvalidContract):
            store.get(bad_id, "1.0.0")
        assert store.list_contracts() == []
        assert not (tmp_path.parent / "etc").exists()

    @pytest.mark.parametrize("bad_version", ["latest", "1.0", "v1.0.0", "../1.0.0", "1.0.0/x", "01.0.0", ""])
    def test_it_refuses_non_semver_versions(self, store: ContractStore, bad_version: str) -> None:
        with pytest.raises(InvalidContract):
            store.put(make_doc(version=bad_version))
        with pytest.raises(InvalidContract):
            store.get("sales.orders", bad_version)

    @pytest.mark.parametrize("contract_id", UNICODE_IDS)
    def test_it_keeps_unicode_ids(self, store: ContractStore, contract_id: str) -> None:
        store.put(make_doc(contract_id))
        assert store.list_contracts() == [contract_id]
        assert store.get(contract_id, "1.0.0").id == contract_id

    def test_two_threads_putting_different_versions_keep_both(self, store: ContractStore) -> None:
        versions = [f"1.{i}.0" for i in range(8)]
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def writer(mine: list[str]) -> None:
            barrier.wait()
            try:
                for version in mine:
                    store.put(make_doc(version=version))
            except BaseException as exc:  # noqa: BLE001 - surfaced by the assertion below
                errors.append(exc)

        threads = [threading.Thread(target=writer, args=(versions[i::2],)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert store.list_versions("sales.orders") == versions

    # ---------------------------------------------------------------- overwrite and capabilities

    def test_overwrite_false_refuses_different_content(self, store: ContractStore) -> None:
        store.put(make_doc())
        store.put(make_doc(), overwrite=False)  # identical: a no-op
        with pytest.raises(ContractConflict):
            store.put(make_doc(name="Other"), overwrite=False)
        assert store.get_document("sales.orders", "1.0.0")["name"] == "Orders"

    def test_set_status_keeps_the_fingerprint(self, store: ContractStore) -> None:
        skip_unless(store, "supports_status")
        store.put(make_doc())
        before = store.fingerprint("sales.orders", "1.0.0")
        store.set_status("sales.orders", "1.0.0", "active", actor="sam")
        assert store.get_document("sales.orders", "1.0.0")["status"] == "active"
        assert store.fingerprint("sales.orders", "1.0.0") == before

    def test_delete(self, store: ContractStore) -> None:
        skip_unless(store, "supports_delete")
        store.put(make_doc())
        store.put(make_doc(version="1.1.0"))
        store.delete("sales.orders", "1.0.0", actor="alice")
        assert store.list_versions("sales.orders") == ["1.1.0"]
        store.delete("sales.orders", "1.1.0", actor="alice")
        assert store.list_contracts() == []
        with pytest.raises(ContractNotFound):
            store.delete("sales.orders", "1.1.0")

    def test_history(self, store: ContractStore) -> None:
        skip_unless(store, "supports_history")
        store.put(make_doc(), actor="alice")
        store.put(make_doc(version="1.1.0"), actor="bob")
        entries = store.history("sales.orders")
        assert {(e.version, e.who) for e in entries} >= {("1.0.0", "alice"), ("1.1.0", "bob")}

    # ------------------------------------------- the own fixtures (tests/fixtures/odcs), corpus or not

    @pytest.mark.parametrize("path", corpus.own_valid(), ids=corpus.own_rel)
    def test_own_fixture_round_trip(self, store: ContractStore, path: Path) -> None:
        self._round_trip(store, corpus.own_doc(path))

    def test_own_dc43_fixtures_in_dc43_mode(self, store: ContractStore) -> None:
        paths = corpus.own_dc43()
        for path in paths:
            doc = corpus.own_doc(path)
            assert odcs.validate_document(doc, mode="dc43").warnings, f"{path.name} breaks the schema, so it warns"
            store.put(doc)
        assert sum(len(store.list_versions(cid)) for cid in store.list_contracts()) == len(paths) == 3
        got = store.get_document("bakery_sales", "1.1.0")
        assert got["apiVersion"] == "3.0.2" and got["servers"][0]["type"] == "filesystem"

    def _round_trip(self, store: ContractStore, doc: dict[str, Any]) -> None:
        try:
            store.put(copy.deepcopy(doc))
        except InvalidContract as exc:
            if store.lossless:
                raise
            pytest.skip(f"the foreign store refuses this document: {exc}")
        got = store.get_document(doc["id"], doc["version"])
        if store.lossless:
            # Lossless except ``status`` (DESIGN §2): a governed remote stores every PUT as a Draft.
            assert {k: v for k, v in got.items() if k != "status"} == {k: v for k, v in doc.items() if k != "status"}
        else:
            # A model-based store promises only what the pydantic model keeps.
            assert got == odcs.as_document(odcs.to_model(doc))

    # ---------------------------------------------------------------- the shared corpus

    @corpus.needs_corpus
    @pytest.mark.parametrize("path", corpus.accepted_paths(), ids=corpus.rel)
    def test_corpus_round_trip(self, store: ContractStore, path: Path) -> None:
        doc = corpus.strict_verdicts()[path]
        assert isinstance(doc, dict)
        self._round_trip(store, doc)

    @corpus.needs_corpus
    def test_dc43_corpus_in_dc43_mode(self, store: ContractStore) -> None:
        stored = 0
        for path in corpus.dc43_paths():
            doc = odcs.parse_document(path.read_bytes())
            verdict = odcs.validate_document(doc, mode="dc43")
            assert verdict.warnings, f"{path.name}: a dc43 contract breaks the official schema, so it warns"
            store.put(doc)
            stored += 1
        assert stored == 24
        assert sum(len(store.list_versions(cid)) for cid in store.list_contracts()) == 24
