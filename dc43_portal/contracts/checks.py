"""System checks: a misconfigured store or setting is reported by ``manage.py check``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from dc43_portal.contracts.handler import DEFAULT_ALIAS, InvalidContractStoreError, contract_stores
from dc43_portal.odcs import MODES

COMPATIBILITY_MODES = ("enforce", "warn", "off")


@checks.register("contracts")
def check_contract_stores(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    if DEFAULT_ALIAS not in contract_stores.backends:
        return [checks.Error("CONTRACT_STORES has no 'default' alias.", id="contracts.E001")]
    for alias in contract_stores.aliases():
        try:
            store = contract_stores[alias]
        except InvalidContractStoreError as exc:
            errors.append(
                checks.Error(str(exc), hint="Check DC43_STORE_BACKEND / DC43_CONTRACT_STORES.", id="contracts.E002")
            )
            continue
        errors.extend(
            checks.Error(f"Contract store {alias!r}: {problem}", id="contracts.E003") for problem in store.check()
        )
    return errors


@checks.register("contracts")
def check_portal_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    if settings.DC43_VALIDATION not in MODES:
        errors.append(checks.Error(f"DC43_VALIDATION must be one of {', '.join(MODES)}.", id="contracts.E010"))
    if settings.DC43_COMPATIBILITY not in COMPATIBILITY_MODES:
        errors.append(
            checks.Error(f"DC43_COMPATIBILITY must be one of {', '.join(COMPATIBILITY_MODES)}.", id="contracts.E011")
        )
    if settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= settings.DC43_MAX_DOCUMENT_BYTES:
        errors.append(
            checks.Error("DATA_UPLOAD_MAX_MEMORY_SIZE must exceed DC43_MAX_DOCUMENT_BYTES.", id="contracts.E012")
        )
    return errors
