"""``manage.py import_dc43_sql --url URL``: import the table of dc43's ``SQLContractStore``.

Every row goes through ``contract_publish`` with its status kept, in SemVer order per contract, into the
default store (whichever backend it is). Exit codes as ``import_contracts``: 0 all imported, 1 some
rejected, 2 usage, an unreachable database or a store that is down.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dc43_portal.contracts import services
from dc43_portal.contracts.management.actors import resolve_actor
from dc43_portal.contracts.management.publishing import publish_all
from dc43_portal.errors import PortalError
from dc43_portal.versioning import is_version, version_key

COLUMNS = ("contract_id", "version", "json")
Row = tuple[str, str, str]


def engine_url(url: str) -> str:
    """``postgres://`` as dj-database-url writes it, on the psycopg 3 driver the portal installs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def read_rows(url: str, table: str, schema: str | None) -> list[Row]:
    try:
        import sqlalchemy as sa
    except ImportError:
        raise CommandError("SQLAlchemy is needed: pip install 'dc43-portal[sql]'", returncode=2) from None
    try:
        engine = sa.create_engine(engine_url(url))
    except (sa.exc.ArgumentError, ImportError) as exc:
        raise CommandError(f"--url: {exc}", returncode=2) from None
    shown = engine.url.render_as_string(hide_password=True)
    database = engine.url.database or ""
    if engine.url.get_backend_name() == "sqlite" and database not in ("", ":memory:") and not Path(database).exists():
        # Connecting would create an empty file: a mistyped path must write nothing.
        raise CommandError(f"no SQLite database at {database}", returncode=2)
    try:
        with engine.connect() as conn:
            found = sa.Table(table, sa.MetaData(schema=schema), autoload_with=conn)
            missing = [c for c in COLUMNS if c not in found.c]
            if missing:
                raise CommandError(f"{table} in {shown} lacks the columns {', '.join(missing)}", returncode=2)
            query = sa.select(found.c.contract_id, found.c.version, found.c.json)
            return [(str(r[0]), str(r[1]), r[2]) for r in conn.execute(query)]
    except sa.exc.NoSuchTableError:
        raise CommandError(f"no table {table!r} in {shown}", returncode=2) from None
    except sa.exc.SQLAlchemyError as exc:
        raise CommandError(
            f"cannot read {shown}: {type(exc).__name__}: {getattr(exc, 'orig', None) or exc}", returncode=2
        ) from None
    finally:
        engine.dispose()


class Command(BaseCommand):
    help = "Import the contracts of a dc43 SQLContractStore table (statuses kept) through the portal's write path."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", required=True, help="SQLAlchemy or DATABASE_URL-style URL of dc43's database")
        parser.add_argument("--table", default="contracts", help="dc43's table name (default: contracts)")
        parser.add_argument("--schema", default=None, help="database schema of the table")
        parser.add_argument("--actor", default=None, help="user recorded as the author (default: system)")

    def handle(self, *args: Any, url: str, table: str, schema: str | None, actor: str | None, **opts: Any) -> None:
        who = resolve_actor(actor)
        docs, rejected = self._parse(read_rows(url, table, schema))
        imported = publish_all(
            docs, rejected, actor=who, keep_status=True, comment="imported from dc43", stderr=self.stderr
        )
        if rejected and settings.DC43_VALIDATION == "strict":
            self.stderr.write("dc43's own contracts break the official ODCS schema; retry with DC43_VALIDATION=dc43")
        self.stdout.write(f"imported {imported}, rejected {len(rejected)}")
        if rejected:
            sys.exit(1)

    @staticmethod
    def _parse(rows: list[Row]) -> tuple[list[tuple[str, dict[str, Any]]], list[tuple[str, str]]]:
        parsed: list[tuple[str, dict[str, Any]]] = []
        rejected: list[tuple[str, str]] = []
        for contract_id, version, payload in rows:
            where = f"{contract_id} {version}"
            try:
                doc = services.document_parse(payload or "")
            except PortalError as exc:
                rejected.append((where, str(exc)))
                continue
            if (doc.get("id"), doc.get("version")) != (contract_id, version):
                rejected.append((where, f"the JSON says {doc.get('id')} {doc.get('version')}"))
                continue
            parsed.append((where, doc))
        # Versions go in SemVer order per contract, so kept statuses meet the guards in history order.
        parsed.sort(
            key=lambda item: (item[1]["id"], version_key(item[1]["version"]) if is_version(item[1]["version"]) else ())
        )
        return parsed, rejected
