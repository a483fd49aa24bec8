from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dc43_portal.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from dc43_portal.accounts import checks  # noqa: F401 - registers the secret key check
        from dc43_portal.accounts.middleware import stamp_login

        user_logged_in.connect(stamp_login, dispatch_uid="accounts-stamp-login")
