"""A ContractStore over HTTP: the portal's ``/api/v1``, or dc43's own contract service backend.

Documents are cached per process and revalidated with ``If-None-Match``, so a repeated read costs a
304 without a body. Network failures, timeouts, refusals (401/403) and 5xx answers raise
``StoreUnavailable``; the other answers map to the portal's errors. No Django here.
"""

from __future__ import annotations

import copy
import json
import os
import threading
from collections import OrderedDict
from typing import Any
from urllib.parse import quote

import httpx
from open_data_contract_standard.model import OpenDataContractStandard

from dc43_portal import odcs
from dc43_portal.errors import (
    ContractConflict,
    ContractNotFound,
    DocumentTooLarge,
    InvalidContract,
    StaleWrite,
    StoreUnavailable,
)
from dc43_portal.stores.interface import ContractInput, ContractStore, check_identity
from dc43_portal.versioning import is_version

PAGE_SIZE = 500


class HTTPContractStore(ContractStore):
    """Options: ``base_url`` (…/api/v1), ``token`` or ``token_env`` (the variable holding it), timeouts.

    ``lossless`` defaults to True (the portal stores documents as put); set it to False in front of
    dc43's backend, which round-trips through the pydantic model.
    """

    # Status belongs to the remote's lifecycle (four eyes); a PUT always stores a Draft there.
    supports_status = False

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        token_env: str | None = None,
        timeout: float = 10.0,
        connect_timeout: float = 3.0,
        lossless: bool = True,
        cache_size: int = 512,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.lossless = lossless
        self.timeout = timeout
        token = token or (os.environ.get(token_env) if token_env else None)
        headers = {"Accept": "application/json", "User-Agent": "dc43-portal-http-store"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._client = httpx.Client(
            base_url=self.base_url,
            headers=headers,
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            transport=transport,
        )
        self._cache: OrderedDict[tuple[str, str], tuple[str, dict[str, Any]]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self.stats = {"fetched": 0, "revalidated": 0}

    def __repr__(self) -> str:
        return f"HTTPContractStore({self.base_url!r})"

    def close(self) -> None:
        self._client.close()

    # ---------------------------------------------------------------- the interface

    def put(self, contract: ContractInput, *, actor: str | None = None, overwrite: bool = True) -> None:
        doc, contract_id, version = self._prepare(contract)
        headers = {"Content-Type": "application/json"}
        if not overwrite:
            if version in self.list_versions(contract_id):
                self._refuse_overwrite(self.get_document(contract_id, version), doc, contract_id, version)
                return
            headers["If-None-Match"] = "*"  # the portal refuses (412) if someone created it meanwhile
        response = self._request("PUT", _path(contract_id, version), content=odcs.compact_json(doc), headers=headers)
        if response.status_code == 412 and not overwrite:
            self._refuse_overwrite(self.get_document(contract_id, version), doc, contract_id, version)
            return
        self._check(response, f"{contract_id} {version}")

    def get_document(self, contract_id: str, version: str) -> dict[str, Any]:
        check_identity(contract_id, version)
        key = (contract_id, version)
        with self._lock:
            cached = self._cache.get(key)
        headers = {"If-None-Match": cached[0]} if cached else {}
        response = self._request("GET", _path(contract_id, version), headers=headers)
        if response.status_code == 304 and cached:
            self.stats["revalidated"] += 1
            return copy.deepcopy(cached[1])
        self._check(response, f"contract {contract_id} {version}")
        doc = _json_object(response)
        self.stats["fetched"] += 1
        etag = response.headers.get("ETag")
        if etag:
            self._remember(key, etag, doc)
        return copy.deepcopy(doc)

    def get(self, contract_id: str, version: str) -> OpenDataContractStandard:
        return odcs.to_model(self.get_document(contract_id, version))

    def list_contracts(self) -> list[str]:
        ids: list[str] = []
        while True:
            response = self._request("GET", "/contracts", params={"limit": PAGE_SIZE, "offset": len(ids)})
            self._check(response, "the contract list")
            page = response.json()
            items = [str(i) for i in page.get("items") or []]
            ids.extend(items)
            if not items or len(ids) >= int(page.get("total") or 0):
                return sorted(ids)

    def list_versions(self, contract_id: str) -> list[str]:
        check_identity(contract_id, "0.0.0")
        response = self._request("GET", f"/contracts/{_segment(contract_id)}/versions")
        if response.status_code == 404:
            return []
        self._check(response, f"versions of {contract_id}")
        return self._sorted([str(v) for v in response.json() if is_version(str(v))])

    def latest(self, contract_id: str) -> OpenDataContractStandard | None:
        check_identity(contract_id, "0.0.0")
        # status=any: the store contract is "any status", whatever the portal's DC43_API_LATEST_STATUS says.
        response = self._request("GET", f"/contracts/{_segment(contract_id)}/latest", params={"status": "any"})
        if response.status_code == 404:
            return None
        self._check(response, f"the latest version of {contract_id}")
        return odcs.to_model(_json_object(response))

    def check(self) -> list[str]:
        try:
            self._check(self._request("GET", "/contracts", params={"limit": 1}), "the contract list")
        except StoreUnavailable as exc:
            return [str(exc)]
        return []

    # ---------------------------------------------------------------- HTTP

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return self._client.request(method, path, **kwargs)
        except httpx.TimeoutException:
            raise StoreUnavailable(f"{self.base_url} did not answer within {self.timeout:g} s") from None
        except httpx.TransportError as exc:
            raise StoreUnavailable(f"{self.base_url} is unreachable: {exc or type(exc).__name__}") from None

    def _check(self, response: httpx.Response, what: str) -> None:
        status = response.status_code
        if status < 400:
            return
        detail, errors = _error_of(response)
        if status == 404:
            raise ContractNotFound(f"{what} not found")
        if status in (400, 422):
            raise InvalidContract(errors or [("", detail)])
        if status == 409:
            raise ContractConflict(detail)
        if status == 412:
            raise StaleWrite(detail)
        if status == 413:
            raise DocumentTooLarge(detail)
        raise StoreUnavailable(f"{self.base_url} answered {status} for {what}: {detail}")

    def _remember(self, key: tuple[str, str], etag: str, doc: dict[str, Any]) -> None:
        with self._lock:
            self._cache[key] = (etag, doc)
            self._cache.move_to_end(key)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)


def _segment(value: str) -> str:
    return quote(value, safe="")


def _path(contract_id: str, version: str) -> str:
    return f"/contracts/{_segment(contract_id)}/versions/{_segment(version)}"


def _json_object(response: httpx.Response) -> dict[str, Any]:
    try:
        value = response.json()
    except ValueError:
        raise StoreUnavailable(f"{response.request.url} did not answer JSON") from None
    if not isinstance(value, dict):
        raise StoreUnavailable(f"{response.request.url} did not answer a JSON object")
    return value


def _error_of(response: httpx.Response) -> tuple[str, list[tuple[str, str]]]:
    """The portal's ``{detail, error, errors}`` or FastAPI's ``{detail}`` as a message and path errors."""
    try:
        payload = response.json()
    except (ValueError, json.JSONDecodeError):
        return response.text[:300] or response.reason_phrase, []
    if not isinstance(payload, dict):
        return str(payload)[:300], []
    detail = payload.get("detail")
    errors = [
        (str(e.get("path", "")), str(e.get("message", ""))) for e in payload.get("errors") or [] if isinstance(e, dict)
    ]
    return (detail if isinstance(detail, str) else json.dumps(detail)[:300]) or response.reason_phrase, errors
