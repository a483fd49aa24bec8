"""Errors shared by the document layer, the stores and the services (DESIGN §6); no Django here."""

from __future__ import annotations

from collections.abc import Iterable


class PortalError(Exception):
    """Base of every error the portal maps to an HTTP answer."""

    status_code = 400
    code = "error"

    @property
    def detail(self) -> str:
        return str(self)


class InvalidContract(PortalError, ValueError):
    """A document that fails parsing or validation; carries ``(json_path, message)`` pairs."""

    code = "invalid_contract"

    def __init__(self, errors: Iterable[tuple[str, str]] | str) -> None:
        if isinstance(errors, str):
            errors = [("", errors)]
        self.errors: list[tuple[str, str]] = list(errors)
        super().__init__("; ".join(format_error(path, msg) for path, msg in self.errors))


class DocumentTooLarge(PortalError):
    status_code = 413
    code = "too_large"


class ContractNotFound(PortalError, KeyError, FileNotFoundError):
    """Also a ``KeyError`` and a ``FileNotFoundError`` (so a ``LookupError`` and an ``OSError``): dc43 code
    catching either, such as dc43's own server on a portal store, answers 404, not 500."""

    status_code = 404
    code = "not_found"

    def __str__(self) -> str:
        # KeyError's str() would quote the message.
        return str(self.args[0]) if self.args else ""


class ContractConflict(PortalError):
    """Immutability, downgrade guard, compatibility or a duplicate version."""

    status_code = 409
    code = "conflict"


class InvalidContractId(InvalidContract):
    code = "invalid_id"


class StaleWrite(PortalError):
    """An If-Match or expected fingerprint that no longer matches the stored one."""

    status_code = 412
    code = "stale_write"


class StoreUnavailable(PortalError):
    """A remote store that is down or refuses."""

    status_code = 503
    code = "store_unavailable"


def format_error(path: str, message: str) -> str:
    return f"{path}: {message}" if path else message
