"""``manage.py check`` names a DC43_API_LATEST_STATUS that is not a status."""

from __future__ import annotations

from django.test import override_settings

from dc43_portal.api.checks import check_api_settings


def test_a_known_status_or_nothing_passes() -> None:
    for value in ("", "active", "Validated", "any"):
        with override_settings(DC43_API_LATEST_STATUS=value):
            assert check_api_settings() == []


def test_an_unknown_status_is_an_error() -> None:
    with override_settings(DC43_API_LATEST_STATUS="shipped"):
        [error] = check_api_settings()
    assert error.id == "api.E001" and "shipped" in error.msg
