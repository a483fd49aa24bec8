"""``manage.py import_contracts PATH...``: import ODCS files (0 all imported, 1 some rejected, 2 usage or store down)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dc43_portal import odcs
from dc43_portal.contracts import services
from dc43_portal.contracts.management.actors import resolve_actor
from dc43_portal.contracts.management.progress import iter_files, rate
from dc43_portal.contracts.management.publishing import publish_all
from dc43_portal.errors import PortalError
from dc43_portal.versioning import is_version, version_key


class Command(BaseCommand):
    help = "Import ODCS documents (JSON or YAML files, or folders of them) through the portal's write path."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="files or folders")
        parser.add_argument("--keep-status", action="store_true", help="keep each document's status (migration)")
        parser.add_argument("--actor", default=None, help="user recorded as the author (default: system)")

    def handle(self, *args: Any, paths: list[str], keep_status: bool, actor: str | None, **options: Any) -> None:
        missing = [p for p in paths if not Path(p).exists()]
        if missing:
            raise CommandError(f"no such file or folder: {', '.join(missing)}", returncode=2)
        who = resolve_actor(actor)
        start = time.perf_counter()
        parsed, rejected = self._parse_all(iter_files(paths))
        imported = publish_all(
            parsed,
            rejected,
            actor=who,
            keep_status=keep_status,
            comment="imported from",
            stderr=self.stderr,
            audit_name=lambda where: Path(where).name,
        )
        seconds = time.perf_counter() - start
        self.stdout.write(f"imported {imported}, rejected {len(rejected)} {rate(imported + len(rejected), seconds)}")
        if rejected:
            sys.exit(1)

    def _parse_all(self, files: list[str]) -> tuple[list[tuple[str, dict[str, Any]]], list[tuple[str, str]]]:
        parsed: list[tuple[str, dict[str, Any]]] = []
        rejected: list[tuple[str, str]] = []
        for path in files:
            try:
                raw = odcs.read_file(path, max_bytes=settings.DC43_MAX_DOCUMENT_BYTES)
                parsed.append((path, services.document_parse(raw)))
            except (PortalError, OSError) as exc:
                rejected.append((path, str(exc)))
        # Versions go in SemVer order per contract, so kept statuses meet the guards in history order.
        parsed.sort(key=lambda item: _order(item[1]))
        return parsed, rejected


def _order(doc: dict[str, Any]) -> tuple[str, Any]:
    version = doc.get("version")
    return (str(doc.get("id")), version_key(str(version)) if is_version(version) else (0, 0, 0, 0, ()))
