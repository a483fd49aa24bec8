from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dc43_portal.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dc43_portal.accounts import checks  # noqa: F401 - registers the secret key check
