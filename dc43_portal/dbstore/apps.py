from __future__ import annotations

from django.apps import AppConfig


class DbStoreConfig(AppConfig):
    """Tables of ``DatabaseContractStore``, apart from ``contracts`` so their migrations never collide."""

    name = "dc43_portal.dbstore"
    label = "dbstore"
    verbose_name = "Contract payloads (database store)"
    default_auto_field = "django.db.models.BigAutoField"
