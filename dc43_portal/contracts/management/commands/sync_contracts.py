"""``manage.py sync_contracts``: reconcile the metadata mirror with a store (0 consistent, 1 unrepaired, 2 store down)."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dc43_portal.contracts.handler import DEFAULT_ALIAS, InvalidContractStoreError, contract_stores
from dc43_portal.contracts.management.actors import resolve_actor
from dc43_portal.contracts.management.progress import rate
from dc43_portal.contracts.services.sync import contract_sync
from dc43_portal.errors import StoreUnavailable


class Command(BaseCommand):
    help = "Reconcile the metadata mirror with the contract store; the store wins on status."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--alias", default=DEFAULT_ALIAS, help="store alias (default: default)")
        parser.add_argument("--actor", default=None, help="user recorded on sync events (default: system)")

    def handle(self, *args: Any, alias: str, actor: str | None, **options: Any) -> None:
        if alias not in contract_stores.aliases():
            raise CommandError(
                f"unknown store alias {alias!r}; configured: {', '.join(contract_stores.aliases())}", returncode=2
            )
        start = time.perf_counter()
        try:
            report = contract_sync(alias=alias, actor=resolve_actor(actor))
        except (StoreUnavailable, InvalidContractStoreError, OSError) as exc:
            self.stderr.write(f"store {alias!r} is unavailable: {exc}")
            sys.exit(2)
        for label, rows in (("added", report.added), ("updated", report.updated)):
            for row in rows:
                self.stdout.write(f"{label}: {row}")
        for row in report.orphaned:
            self.stderr.write(f"orphaned: {row}")
        for row in report.conflicts:
            self.stderr.write(f"conflict: {row}")
        for row in report.hidden:
            self.stderr.write(f"hidden: {row}")
        self.stdout.write(
            f"added {len(report.added)}, updated {len(report.updated)}, unchanged {report.unchanged}, "
            f"orphaned {len(report.orphaned)}, conflicts {len(report.conflicts)}, hidden {len(report.hidden)} "
            f"{rate(len(report.added) + len(report.updated) + report.unchanged, time.perf_counter() - start, 'versions')}"
        )
        if not report.consistent:
            sys.exit(1)
