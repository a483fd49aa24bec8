"""The transport to Collibra's Data Product API v1: auth, timeouts, bounded retries, pagination, errors.

Basic or Bearer auth, one timeout per call (not retried, so a call waits at most ``timeout``),
retries with exponential backoff on 429, 502, 503, 504 and refused connections, and cursor
pagination. Collibra's errors ``{"statusCode", "userMessage", "errorCode"}`` become portal errors that
quote them: 404 is ``ContractNotFound``, 409 ``ContractConflict``, anything else ``StoreUnavailable``
(401 and 403 as ``CollibraAuthError``, which names the store's credentials).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx

from dc43_portal.errors import ContractConflict, ContractNotFound, PortalError, StoreUnavailable

API_PATH = "/rest/dataProduct/v1"
RETRY_STATUSES = frozenset({429, 502, 503, 504})
MAX_BACKOFF = 10.0


class CollibraError(StoreUnavailable):
    """Collibra refused a call or kept failing; carries its status, ``errorCode`` and ``userMessage``."""

    def __init__(self, message: str, *, status: int = 0, error_code: str = "", user_message: str = "") -> None:
        super().__init__(message)
        self.http_status, self.error_code, self.user_message = status, error_code, user_message


class CollibraAuthError(CollibraError):
    """A 401 or 403: the store's configuration (credentials or their permissions) is wrong."""

    code = "store_auth"


class CollibraClient:
    """One connection pool to ``{base_url}/rest/dataProduct/v1``; thread-safe."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.5,
        page_size: int = 100,
        client: httpx.Client | None = None,
    ) -> None:
        root = base_url.rstrip("/")
        self.base_url = root if root.endswith(API_PATH) else root + API_PATH
        self.timeout, self.retries, self.backoff, self.page_size = (
            float(timeout),
            int(retries),
            float(backoff),
            page_size,
        )
        auth = httpx.BasicAuth(username, password or "") if username and not token else None
        headers = {"Accept": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
        self._owns_client = client is None
        # Plain http needs no TLS context, whose certificate bundle takes 0.1 s to load.
        verify = self.base_url.startswith("https://")
        self._client = client or httpx.Client(
            base_url=self.base_url, timeout=self.timeout, auth=auth, headers=headers, verify=verify
        )

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One call with bounded retries; timeouts are not retried, so a call waits at most ``timeout``."""
        failure: httpx.Response | Exception | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self._pause(attempt, failure))
            try:
                response = self._client.request(method, path, **kwargs)
            except httpx.TimeoutException as exc:
                raise StoreUnavailable(
                    f"Collibra did not answer {method} {path} within {self.timeout:g} s ({self.base_url})"
                ) from exc
            except httpx.TransportError as exc:
                failure = exc
                continue
            if response.status_code in RETRY_STATUSES:
                failure = response
                continue
            if response.is_success:
                return response
            raise self._error(response)
        if isinstance(failure, httpx.Response):
            error = self._collibra_error(failure)
            raise CollibraError(
                f"{error} (after {self.retries + 1} attempts)",
                status=error.http_status,
                error_code=error.error_code,
                user_message=error.user_message,
            )
        raise StoreUnavailable(f"Collibra at {self.base_url} is unreachable: {failure}") from failure

    def _pause(self, attempt: int, failure: httpx.Response | Exception | None) -> float:
        retry_after = failure.headers.get("Retry-After", "") if isinstance(failure, httpx.Response) else ""
        if retry_after.isdigit():
            return min(float(retry_after), MAX_BACKOFF)
        return min(self.backoff * 2 ** (attempt - 1), MAX_BACKOFF)

    def _error(self, response: httpx.Response) -> PortalError:
        """Collibra's error as a portal error: 404 not found, 409 conflict, the rest unavailable."""
        if response.status_code == 404:
            return ContractNotFound(self._collibra_error(response).detail)
        if response.status_code == 409:
            return ContractConflict(self._collibra_error(response).detail)
        return self._collibra_error(response)

    @staticmethod
    def _collibra_error(response: httpx.Response) -> CollibraError:
        try:
            body = response.json()
        except ValueError:
            body = {}
        body = body if isinstance(body, dict) else {}
        user_message = str(body.get("userMessage") or response.text[:200] or response.reason_phrase)
        error_code = str(body.get("errorCode") or "")
        status = response.status_code
        text = f"Collibra answered {status}{f' {error_code}' if error_code else ''}: {user_message}"
        if status == 401:
            text += " Check username and password, or token, in the Collibra store OPTIONS."
        elif status == 403:
            text += " The store's Collibra user lacks a permission (Product Rights > Data Contract)."
        cls = CollibraAuthError if status in (401, 403) else CollibraError
        return cls(text, status=status, error_code=error_code, user_message=user_message)

    def pages(self, path: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every item of a cursor-paginated list."""
        query = {**(params or {}), "limit": self.page_size}
        seen: set[str] = set()
        while True:
            payload = self.request("GET", path, params=query).json()
            yield from (item for item in payload.get("items") or [] if isinstance(item, dict))
            cursor = payload.get("nextCursor")
            if not cursor or cursor in seen:
                return
            seen.add(cursor)
            query["cursor"] = cursor
