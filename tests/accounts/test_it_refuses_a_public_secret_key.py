"""Security finding 8: ``check --deploy`` passed with the public default ``SECRET_KEY`` and the image
started with it. Now the deploy check fails on it or on a short key, and the container's start runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from dc43_portal.settings import DEFAULT_SECRET_KEY
from tests.conftest import REPO

STRONG = "k3Yq-" * 12


@pytest.mark.parametrize("key", [DEFAULT_SECRET_KEY, "short-but-secret", "django-insecure-" + "x1y2z3" * 9])
def test_check_deploy_refuses(key: str) -> None:
    with override_settings(SECRET_KEY=key), pytest.raises(SystemCheckError, match="accounts.E001"):
        call_command("check", deploy=True, tags=["secrets"], fail_level="ERROR")


def test_check_deploy_accepts_a_long_random_key() -> None:
    with override_settings(SECRET_KEY=STRONG):
        call_command("check", deploy=True, tags=["secrets"], fail_level="ERROR")


def _start(key: str | None, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """The image's entrypoint, up to its secret key check: with a bad key it must stop there."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    if key is not None:
        env["DJANGO_SECRET_KEY"] = key
    env["PATH"] = f"{os.path.dirname(sys.executable)}:{env.get('PATH', '')}"
    env |= {"PYTHONPATH": str(REPO), "DC43_VAR_DIR": str(tmp_path), "DC43_MIGRATE": "false"}
    script = REPO / "docker" / "entrypoint.sh"
    command = ["sh", str(script), "echo", "never reached"]
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("key", [None, "too-short"])
def test_the_container_does_not_start(key: str | None, tmp_path: Path) -> None:
    done = _start(key, tmp_path)
    assert done.returncode != 0 and "never reached" not in done.stdout
    assert "accounts.E001" in done.stderr and "DJANGO_SECRET_KEY" in done.stderr


def test_the_image_starts_through_the_entrypoint() -> None:
    assert 'ENTRYPOINT ["/app/entrypoint.sh"]' in (REPO / "Dockerfile").read_text()
    assert "check --deploy --tag secrets" in (REPO / "docker" / "entrypoint.sh").read_text()
