"""Database store: payloads in the Django database (``jsonb`` on PostgreSQL), one row per (id, version).

The one store allowed to import Django: it is the ORM. Its tables belong to the small
``dc43_portal.dbstore`` app, so their migrations never meet those of ``contracts``. The models are
imported lazily, so importing this module never needs a configured Django.

When the store uses the portal's own database, ``contract_publish`` writes the payload, the mirror and
the audit event in one transaction: a failure leaves none of the three.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from django.db import (
    DatabaseError,
    DataError,
    IntegrityError,
    OperationalError,
    ProgrammingError,
    connections,
    transaction,
)

from dc43_portal import odcs, statuses
from dc43_portal.errors import ContractNotFound, InvalidContract, StoreUnavailable
from dc43_portal.stores.interface import ContractInput, ContractStore, HistoryEntry, check_identity

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from dc43_portal.dbstore.models import ContractDocument, ContractDocumentChange

APP = "dc43_portal.dbstore"
# About 2 s of backoff in all before an SQLite "locked" becomes StoreUnavailable.
SQLITE_ATTEMPTS = 50
P = ParamSpec("P")
R = TypeVar("R")


def property_names(doc: dict[str, Any]) -> list[str]:
    """Lower-cased names of every schema object and property, nested ones included, without repeats."""
    names: dict[str, None] = {}
    stack: list[Any] = list(doc.get("schema") or [])
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        if isinstance(node.get("name"), str) and node["name"]:
            names[node["name"].lower()] = None
        stack.extend(node.get("properties") or [])
        if isinstance(node.get("items"), dict):
            stack.append(node["items"])
    return sorted(names)


def stored_status(doc: dict[str, Any]) -> str:
    return statuses.parse_status(doc.get("status")) or str(doc.get("status") or "")[:20]


def _unavailable_when_broken(method: Callable[P, R]) -> Callable[P, R]:
    """A read that meets missing tables or a database that is down is a 503 that says what to do."""

    @functools.wraps(method)
    def read(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except (OperationalError, ProgrammingError) as exc:
            raise StoreUnavailable(
                f"the contract database cannot be read; is it up and migrated (manage.py migrate)? {exc}".strip()
            ) from exc

    return read


class DatabaseContractStore(ContractStore):
    """Options: ``using``, the Django database alias (``"default"``, the portal's own database)."""

    supports_status = True
    supports_delete = True
    supports_history = True
    #: ``find_property(name)`` answers from an index (GIN on PostgreSQL).
    supports_property_search = True

    def __init__(self, using: str = "default") -> None:
        self.using = using

    def __repr__(self) -> str:
        return f"DatabaseContractStore(using={self.using!r})"

    # ---------------------------------------------------------------- plumbing

    @staticmethod
    def _models() -> tuple[type[ContractDocument], type[ContractDocumentChange]]:
        from dc43_portal.dbstore.models import ContractDocument, ContractDocumentChange

        return ContractDocument, ContractDocumentChange

    def _rows(self) -> QuerySet[ContractDocument]:
        return self._models()[0].objects.using(self.using)

    def _row(self, contract_id: str, version: str, *, lock: bool = False) -> ContractDocument | None:
        rows = self._rows().filter(contract_id=contract_id, version=version)
        return (rows.select_for_update() if lock else rows).first()

    def _record(self, contract_id: str, version: str, action: str, doc: dict[str, Any], actor: str | None) -> None:
        self._models()[1].objects.using(self.using).create(
            contract_id=contract_id,
            version=version,
            action=action,
            status=stored_status(doc),
            fingerprint=odcs.fingerprint(doc),
            actor=(actor or "")[:150],
        )

    # ---------------------------------------------------------------- reads

    @_unavailable_when_broken
    def get_document(self, contract_id: str, version: str) -> dict[str, Any]:
        check_identity(contract_id, version)
        found = list(self._rows().filter(contract_id=contract_id, version=version).values_list("document", flat=True))
        if not found:
            raise ContractNotFound(f"contract {contract_id} {version} not found")
        doc = found[0]
        if not isinstance(doc, dict):
            raise InvalidContract([("", f"the stored payload of {contract_id} {version} is not a JSON object")])
        return doc

    @_unavailable_when_broken
    def list_contracts(self) -> list[str]:
        return list(self._rows().order_by("contract_id").values_list("contract_id", flat=True).distinct())

    @_unavailable_when_broken
    def list_versions(self, contract_id: str) -> list[str]:
        check_identity(contract_id, "0.0.0")
        return self._sorted(list(self._rows().filter(contract_id=contract_id).values_list("version", flat=True)))

    @_unavailable_when_broken
    def fingerprint(self, contract_id: str, version: str) -> str:
        """The fingerprint computed at write time, without loading the payload."""
        check_identity(contract_id, version)
        found = list(
            self._rows().filter(contract_id=contract_id, version=version).values_list("fingerprint", flat=True)
        )
        if not found:
            raise ContractNotFound(f"contract {contract_id} {version} not found")
        return found[0]

    @_unavailable_when_broken
    def history(self, contract_id: str) -> list[HistoryEntry]:
        check_identity(contract_id, "0.0.0")
        changes = self._models()[1].objects.using(self.using).filter(contract_id=contract_id).order_by("id")
        return [
            HistoryEntry(
                when=c.at,
                who=c.actor,
                what=f"{c.action} ({statuses.label(c.status)})" if c.status else c.action,
                version=c.version,
                ref=str(c.pk),
            )
            for c in changes
        ]

    @_unavailable_when_broken
    def find_property(self, name: str) -> list[tuple[str, str]]:
        """(id, version) of every document with a schema object or property called ``name`` (any case)."""
        rows = self._rows().order_by("contract_id", "version")
        wanted = name.strip().lower()
        if connections[self.using].vendor == "postgresql":
            # jsonb containment (@>), answered by the GIN index of migration 0002.
            return list(rows.filter(property_names__contains=[wanted]).values_list("contract_id", "version"))
        # SQLite has no JSON containment: narrow with LIKE on the JSON text, then check exactly.
        candidates = rows.filter(property_names__icontains=wanted).values_list(
            "contract_id", "version", "property_names"
        )
        return [(cid, version) for cid, version, names in candidates if wanted in names]

    # ---------------------------------------------------------------- writes

    def put(self, contract: ContractInput, *, actor: str | None = None, overwrite: bool = True) -> None:
        doc, contract_id, version = self._prepare(contract)
        values = {
            "status": stored_status(doc),
            "document": doc,
            "fingerprint": odcs.fingerprint(doc),
            "property_names": property_names(doc),
            "updated_by": (actor or "")[:150],
        }

        def work() -> None:
            row = self._row(contract_id, version, lock=True)
            if row is None:
                row = self._insert(contract_id, version, values)
                if row is None:
                    self._record(contract_id, version, "publish", doc, actor)
                    return
            if odcs.canonical_json(row.document) == odcs.canonical_json(doc):
                return  # identical: nothing to write or record
            if not overwrite:
                self._refuse_overwrite(row.document, doc, contract_id, version)
                return
            self._rows().filter(pk=row.pk).update(**values)
            self._record(contract_id, version, "replace", doc, actor)

        self._transaction(f"{contract_id} {version}", work)

    def _insert(self, contract_id: str, version: str, values: dict[str, Any]) -> ContractDocument | None:
        """Create the row; if a concurrent writer created it first, return theirs (locked) instead."""
        try:
            with transaction.atomic(using=self.using):
                self._rows().create(contract_id=contract_id, version=version, created_by=values["updated_by"], **values)
        except IntegrityError:
            return self._row(contract_id, version, lock=True)
        return None

    def set_status(self, contract_id: str, version: str, status: str, *, actor: str | None = None) -> None:
        check_identity(contract_id, version)

        def work() -> None:
            row = self._row(contract_id, version, lock=True)
            if row is None:
                raise ContractNotFound(f"contract {contract_id} {version} not found")
            if row.document.get("status") == status:
                return
            doc = odcs.with_status(row.document, status)
            self._rows().filter(pk=row.pk).update(
                document=doc, status=stored_status(doc), updated_by=(actor or "")[:150]
            )
            self._record(contract_id, version, "status", doc, actor)

        self._transaction(f"{contract_id} {version}", work)

    def delete(self, contract_id: str, version: str, *, actor: str | None = None) -> None:
        check_identity(contract_id, version)

        def work() -> None:
            row = self._row(contract_id, version, lock=True)
            if row is None:
                raise ContractNotFound(f"contract {contract_id} {version} not found")
            self._rows().filter(pk=row.pk).delete()
            self._record(contract_id, version, "delete", row.document, actor)

        self._transaction(f"{contract_id} {version}", work)

    def _transaction(self, what: str, work: Callable[[], None]) -> None:
        """Run one write in a transaction, mapping the database's refusals to the portal's errors.

        SQLite answers "locked" at once when two connections' transactions meet (always so with the
        shared in-memory test database), so an outermost write retries with backoff. Inside the
        caller's transaction a retry cannot help; the caller's own lock (``contract_lock``) serialises.
        """
        conn = connections[self.using]
        attempts = SQLITE_ATTEMPTS if conn.vendor == "sqlite" and not conn.in_atomic_block else 1
        for attempt in range(attempts):
            try:
                with transaction.atomic(using=self.using):
                    work()
                return
            except OperationalError as exc:
                if attempt + 1 < attempts and "locked" in str(exc):
                    time.sleep(random.uniform(0.5, 1.5) * min(0.05, 0.001 * 2**attempt))
                    continue
                raise StoreUnavailable(f"the database could not write {what}: {exc}".strip()) from exc
            except DataError as exc:
                # PostgreSQL refuses NUL characters in text and jsonb, for one.
                raise InvalidContract([("", f"the database refused {what}: {exc}".strip())]) from exc
            except IntegrityError:
                raise
            except DatabaseError as exc:
                raise StoreUnavailable(f"the database could not write {what}: {exc}".strip()) from exc

    # ---------------------------------------------------------------- checks

    def check(self) -> list[str]:
        from django.apps import apps

        if not apps.is_installed(APP):
            return [f"add {APP!r} to INSTALLED_APPS to use DatabaseContractStore"]
        if self.using not in connections:
            return [f"DATABASES has no alias {self.using!r}"]
        # Missing tables are not a check error: migrate runs the checks first. A read says "migrate" (503).
        return []
