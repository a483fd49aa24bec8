"""``manage.py export_contracts DIR``: write ``{id}/{version}.{ext}`` files (0 done, 1 conflicts, 2 usage or store down)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dc43_portal import statuses
from dc43_portal.contracts.handler import DEFAULT_ALIAS
from dc43_portal.contracts.management.progress import progress
from dc43_portal.contracts.management.transfer import (
    FORMATS,
    TransferReport,
    export_version,
    open_store,
    store_versions,
)
from dc43_portal.errors import PortalError, StoreUnavailable


class Command(BaseCommand):
    help = (
        "Export every version of a store to DIR/{id}/{version}.{yaml|json}, as stored (status included). "
        "An existing file with different content is a conflict and is never overwritten."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="folder to write (created if missing)")
        parser.add_argument("--format", dest="fmt", choices=sorted(FORMATS), default="yaml")
        parser.add_argument(
            "--status",
            action="append",
            default=[],
            help="only versions in this status (stored value or label, e.g. active or Validated); repeatable",
        )
        parser.add_argument("--from", dest="source", default=DEFAULT_ALIAS, help="store alias (default: default)")

    def handle(self, *args: Any, directory: str, fmt: str, status: list[str], source: str, **options: Any) -> None:
        wanted = _statuses(status)
        folder = Path(directory)
        if folder.exists() and not folder.is_dir():
            raise CommandError(f"{folder} exists and is not a folder", returncode=2)
        store = open_store(source, "--from")
        report, filtered = TransferReport(), 0
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for contract_id, version in progress(store_versions(store), self.stderr, label="exporting "):
                try:
                    outcome, reason = export_version(store, folder, contract_id, version, fmt=fmt, wanted=wanted)
                except StoreUnavailable:
                    raise
                except PortalError as exc:
                    outcome, reason = "conflict", f"unreadable in the store: {exc}"
                filtered += outcome == "filtered"
                if outcome != "filtered":
                    report.add(outcome, f"{contract_id} {version}", reason)
        except (StoreUnavailable, OSError) as exc:
            self.stderr.write(f"export failed: {exc}")
            sys.exit(2)
        for line in report.conflicts:
            self.stderr.write(f"conflict: {line}")
        self.stdout.write(
            f"exported {len(report.copied)}, skipped {len(report.skipped)} unchanged, "
            f"filtered out {filtered}, conflicts {len(report.conflicts)}"
        )
        if report.conflicts:
            sys.exit(1)


def _statuses(values: list[str]) -> set[str]:
    wanted: set[str] = set()
    for value in (v.strip() for raw in values for v in raw.split(",")):
        parsed = statuses.parse_status(value)
        if parsed is None:
            choices = ", ".join(f"{s} ({statuses.label(s)})" for s in statuses.STATUSES)
            raise CommandError(f"--status {value!r}: not a status; use one of {choices}", returncode=2)
        wanted.add(parsed)
    return wanted
