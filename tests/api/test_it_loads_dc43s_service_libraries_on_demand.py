"""dc43's governance and data-product views load on their first call: a worker that serves pages and contract
reads never imports the libraries dc43's packages pull in (pyspark, SQLAlchemy, OpenLineage, ~57 MB a worker;
docs/performance.md). A separate interpreter, since this test process has imported them already."""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.urls import get_resolver

ROOT = Path(__file__).resolve().parents[2]

HEAVY = ("pyspark", "sqlalchemy", "openlineage", "dc43_service_backends")


def test_every_route_imported_on_call_names_an_api_view() -> None:
    patterns = get_resolver("dc43_portal.api.urls").url_patterns
    lazy = [p.callback.imported_on_call for p in patterns if hasattr(p.callback, "imported_on_call")]
    assert len(lazy) == 28
    for module, name in lazy:
        target = getattr(importlib.import_module(f"dc43_portal.api.{module}"), name)
        assert getattr(target, "api_endpoint", False), (module, name)


@pytest.mark.database
def test_pages_and_contract_reads_do_not_import_dc43s_service_stack(tmp_path: object) -> None:
    script = textwrap.dedent(
        f"""
        import os, sys
        os.environ.update(DJANGO_SETTINGS_MODULE="dc43_portal.settings", DC43_VAR_DIR={str(tmp_path)!r},
                          DJANGO_ALLOWED_HOSTS="testserver", DATABASE_URL="", DJANGO_DEBUG="true")
        import django; django.setup()
        from django.core.management import call_command
        call_command("migrate", verbosity=0)
        from django.test import Client
        from django.contrib.auth.models import User
        from dc43_portal.contracts.services import contract_publish
        from tests.conftest import make_doc
        contract_publish(document=make_doc(), actor="someone")
        client = Client()
        admin = User.objects.create_superuser("admin", "a@example.com", "a-long-pass-phrase")
        client.force_login(admin)
        from dc43_portal.api.tokens import token_create
        bearer = {{"Authorization": "Bearer " + token_create(user=admin, name="t", scopes="read")[1]}}
        pages = ["/", "/contracts/sales.orders/", "/contracts/sales.orders/versions/1.0.0/", "/queue/",
                 "/data-products/", "/me/work/", "/api/v1/openapi.json"]
        reads = ["/api/v1/contracts/sales.orders/latest", "/api/v1/contracts/sales.orders/versions",
                 "/api/v1/contracts/sales.orders/versions/1.0.0", "/api/v1/contracts"]
        codes = [client.get(p).status_code for p in pages] + [client.get(p, headers=bearer).status_code for p in reads]
        assert codes == [200] * (len(pages) + len(reads)), codes
        print("LOADED", sorted(m for m in {HEAVY!r} if m in sys.modules))
        client.get("/api/v1/governance/status-matrix?dataset_id=x")
        print("AFTER", sorted(m for m in {HEAVY!r} if m in sys.modules))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "LOADED []" in done.stdout, done.stdout
    # The first governance call does load them: the test would pass vacuously otherwise.
    assert "AFTER ['dc43_service_backends', 'openlineage', 'pyspark', 'sqlalchemy']" in done.stdout, done.stdout
