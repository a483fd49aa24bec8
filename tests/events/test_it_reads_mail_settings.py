"""EMAIL_URL and Django's EMAIL_* variables become mail settings; nothing set keeps Django's defaults."""

from __future__ import annotations

import pytest

from dc43_portal.settings import email_settings


def test_it_reads_an_smtp_url() -> None:
    found = email_settings({"EMAIL_URL": "smtp://bot%40x.org:p%3Ass@mail.x.org:587?tls=true"})
    assert found == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.x.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "bot@x.org",
        "EMAIL_HOST_PASSWORD": "p:ss",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": True,
    }


def test_it_reads_smtps_and_console() -> None:
    assert email_settings({"EMAIL_URL": "smtps://mail.x.org"})["EMAIL_USE_SSL"] is True
    assert email_settings({"EMAIL_URL": "console:"}) == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }


def test_it_reads_djangos_variables() -> None:
    found = email_settings({"EMAIL_HOST": "relay", "EMAIL_PORT": "2525", "EMAIL_USE_TLS": "yes"})
    assert found == {"EMAIL_HOST": "relay", "EMAIL_PORT": 2525, "EMAIL_USE_TLS": True}
    assert email_settings({}) == {}


def test_it_names_an_unknown_scheme() -> None:
    with pytest.raises(ValueError, match="unknown scheme 'imap'"):
        email_settings({"EMAIL_URL": "imap://mail.x.org"})
