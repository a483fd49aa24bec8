"""Contract stores by alias, configured like Django's ``STORAGES`` (``settings.CONTRACT_STORES``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from dc43_portal.stores.adapter import ForeignStoreAdapter, looks_like_dc43_store
from dc43_portal.stores.interface import ContractStore

DEFAULT_ALIAS = "default"
# BACKEND paths of wave 1, before the stores moved into packages: configurations naming them keep working.
RENAMED_BACKENDS = {
    "dc43_portal.stores.object_storage.ObjectStorageContractStore": "dc43_portal.stores.objects.ObjectStorageContractStore",
    "dc43_portal.stores.git_review.GitReviewContractStore": "dc43_portal.stores.git.GitReviewContractStore",
    "dc43_portal.stores.database.DatabaseContractStore": "dc43_portal.dbstore.store.DatabaseContractStore",
}


class InvalidContractStoreError(ImproperlyConfigured):
    pass


class ContractStoreHandler:
    def __init__(self) -> None:
        self._stores: dict[str, ContractStore] = {}

    @property
    def backends(self) -> dict[str, dict[str, Any]]:
        configured = getattr(settings, "CONTRACT_STORES", None) or {}
        if not isinstance(configured, dict):
            raise InvalidContractStoreError("CONTRACT_STORES must be a mapping of alias to {BACKEND, OPTIONS}")
        return configured

    def __getitem__(self, alias: str) -> ContractStore:
        try:
            return self._stores[alias]
        except KeyError:
            store = self.create_store(alias)
            self._stores[alias] = store
            return store

    def aliases(self) -> list[str]:
        return list(self.backends)

    def create_store(self, alias: str) -> ContractStore:
        try:
            params = dict(self.backends[alias])
        except KeyError:
            raise InvalidContractStoreError(
                f"Could not find config for contract store {alias!r} in CONTRACT_STORES."
            ) from None
        backend = params.pop("BACKEND", None)
        options = params.pop("OPTIONS", None)
        options = {} if options is None else options
        if not isinstance(backend, str) or not backend:
            raise InvalidContractStoreError(f"Contract store {alias!r} has no BACKEND (a dotted path).")
        if not isinstance(options, dict):
            raise InvalidContractStoreError(f"OPTIONS of contract store {alias!r} must be a JSON object.")
        backend = RENAMED_BACKENDS.get(backend, backend)
        try:
            cls = import_string(backend)
        except ImportError as exc:
            raise InvalidContractStoreError(f"Could not find contract store backend {backend!r}: {exc}") from exc
        try:
            instance = cls(**options)
        except Exception as exc:  # noqa: BLE001 - any constructor failure is a configuration error
            raise InvalidContractStoreError(f"Could not build contract store {alias!r} ({backend}): {exc}") from exc
        if isinstance(instance, ContractStore):
            return instance
        if looks_like_dc43_store(instance):
            return ForeignStoreAdapter(instance)
        raise InvalidContractStoreError(f"{backend} is not a ContractStore and lacks dc43's store methods.")

    def reset(self) -> None:
        self._stores.clear()


contract_stores = ContractStoreHandler()


def default_store() -> ContractStore:
    return contract_stores[DEFAULT_ALIAS]


@receiver(setting_changed)
def _reset_stores(*, setting: str, **kwargs: Any) -> None:
    if setting == "CONTRACT_STORES":
        contract_stores.reset()
