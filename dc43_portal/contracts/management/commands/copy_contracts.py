"""``manage.py copy_contracts --from A --to B``: copy every version with its status (0 done, 1 conflicts, 2 usage or store down)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dc43_portal.contracts.handler import DEFAULT_ALIAS
from dc43_portal.contracts.management.actors import resolve_actor
from dc43_portal.contracts.management.progress import progress
from dc43_portal.contracts.management.transfer import TransferReport, copy_version, open_store, store_versions
from dc43_portal.errors import PortalError, StoreUnavailable


class Command(BaseCommand):
    help = (
        "Copy every version, with its status, between two configured stores. Versions already there with the "
        "same content are skipped; different content is a conflict, reported and never overwritten."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="source", required=True, help="store alias to read")
        parser.add_argument("--to", dest="target", required=True, help="store alias to write")
        parser.add_argument("--dry-run", action="store_true", help="report what would be copied, write nothing")
        parser.add_argument("--actor", default=None, help="user recorded by stores that keep one (default: system)")

    def handle(self, *args: Any, source: str, target: str, dry_run: bool, actor: str | None, **options: Any) -> None:
        if source == target:
            raise CommandError("--from and --to name the same store", returncode=2)
        src, dst = open_store(source, "--from"), open_store(target, "--to")
        who = resolve_actor(actor)
        report = TransferReport()
        try:
            items = store_versions(src)
            for contract_id, version in progress(items, self.stderr, label="copying " if not dry_run else "checking "):
                try:
                    outcome, reason = copy_version(src, dst, contract_id, version, dry_run=dry_run, actor=who)
                except StoreUnavailable:
                    raise
                except PortalError as exc:  # unreadable in the source, or refused by the target
                    outcome, reason = "conflict", str(exc)
                report.add(outcome, f"{contract_id} {version}", reason)
        except (StoreUnavailable, OSError) as exc:
            self.stderr.write(f"store unavailable: {exc}")
            sys.exit(2)
        self._summary(report, dry_run=dry_run, target=target, verbosity=options["verbosity"])
        if report.conflicts:
            sys.exit(1)

    def _summary(self, report: TransferReport, *, dry_run: bool, target: str, verbosity: int) -> None:
        verb = "would copy" if dry_run else "copied"
        if verbosity >= 2:
            for label in report.copied:
                self.stdout.write(f"{verb}: {label}")
        for line in report.conflicts:
            self.stderr.write(f"conflict: {line}")
        prefix = "dry run: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{verb} {len(report.copied)}, skipped {len(report.skipped)}, conflicts {len(report.conflicts)}"
        )
        if target == DEFAULT_ALIAS and report.copied and not dry_run:
            self.stdout.write("The metadata mirror follows this store: run manage.py sync_contracts to list them.")
