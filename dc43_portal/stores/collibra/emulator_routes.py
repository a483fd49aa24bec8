"""The routes of the Collibra emulator: one function per documented Data Product API v1 route."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from dc43_portal.stores.collibra.emulator_state import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    ApiError,
    EmulatorState,
    page,
    read_manifest,
)

API = "/rest/dataProduct/v1"


@dataclass
class Params:
    query: dict[str, str]
    form: dict[str, str] = field(default_factory=dict)

    def flag(self, name: str) -> bool:
        value = self.form.get(name, self.query.get(name, "false")).strip().lower()
        if value not in ("true", "false"):
            raise ApiError(400, f"{name} must be true or false, got {value!r}.", "INVALID_PARAMETER")
        return value == "true"


Route = Callable[["Call"], tuple[int, Any]]


@dataclass
class Call:
    params: Params
    state: EmulatorState
    user: str
    contract_uuid: str = ""
    body: bytes = b""
    content_type: str = ""

    def multipart(self) -> dict[str, str]:
        if not self.content_type.lower().startswith("multipart/form-data"):
            raise ApiError(415, "The request must be multipart/form-data.", "UNSUPPORTED_MEDIA_TYPE")
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + self.content_type.encode("latin-1") + b"\r\n\r\n" + self.body
        )
        form: dict[str, str] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            if isinstance(name, str) and isinstance(payload, bytes):
                try:
                    form[name] = payload.decode("utf-8")
                except UnicodeDecodeError:
                    raise ApiError(400, f"Part {name!r} is not UTF-8.", "INVALID_ENCODING") from None
        return form

    def limit(self) -> int:
        raw = self.params.query.get("limit", str(DEFAULT_LIMIT))
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
            raise ApiError(400, f"limit must be between 1 and {MAX_LIMIT}.", "INVALID_LIMIT")
        return int(raw)


def list_contracts(call: Call) -> tuple[int, Any]:
    q = call.params.query
    with call.state.lock:
        found = [c for c in call.state.contracts.values() if "manifestId" not in q or c.manifestId == q["manifestId"]]
        result = _page(found, call, key=lambda c: (-c.lastModifiedOn, c.id))
        result["items"] = [c.public() for c in result["items"]]
    return 200, result


def create_contract(call: Call) -> tuple[int, Any]:
    form = call.multipart()
    if "governedAssetId" not in form:
        raise ApiError(400, "governedAssetId is required.", "MISSING_PARAMETER")
    contract = call.state.create(
        port=form["governedAssetId"], name=form.get("name"), manifest_id=form.get("manifestId"),
        version=form.get("version"), manifest=form.get("manifest"), user=call.user,
    )  # fmt: skip
    return 201, contract.public()


def add_from_manifest(call: Call) -> tuple[int, Any]:
    form = call.multipart()
    call.params.form = form
    if "manifest" not in form:
        raise ApiError(400, "manifest is required.", "MISSING_PARAMETER")
    doc = read_manifest(form["manifest"])
    manifest_id = form.get("manifestId") or (str(doc["id"]) if doc.get("id") is not None else "")
    with call.state.lock:
        contract = call.state.by_manifest_id(manifest_id)
        if contract is None:
            raise ApiError(404, f"No data contract has manifest id {manifest_id!r}; initialise it first.", "DATA_CONTRACT_NOT_FOUND")  # fmt: skip
        call.state.add_version(
            contract, version=form.get("version"), manifest=form["manifest"], active=call.params.flag("active"),
            force=call.params.flag("force"), user=call.user, doc=doc,
        )  # fmt: skip
        return 200, contract.public()


def get_contract(call: Call) -> tuple[int, Any]:
    return 200, call.state.contract(call.contract_uuid).public()


def active_manifest(call: Call) -> tuple[int, Any]:
    with call.state.lock:
        active = call.state.contract(call.contract_uuid).active_version()
        if active is None:
            raise ApiError(404, "The data contract has no manifest yet.", "VERSION_NOT_FOUND")
        return 200, active.manifest


def set_active(call: Call) -> tuple[int, Any]:
    with call.state.lock:
        contract = call.state.contract(call.contract_uuid)
        call.state.set_active(contract, call.params.query.get("version"))
        return 200, contract.public()


def list_versions(call: Call) -> tuple[int, Any]:
    with call.state.lock:
        contract = call.state.contract(call.contract_uuid)
        result = _page(list(contract.versions.values()), call, key=lambda v: (-v.lastModifiedOn, v.version))
        result["items"] = [v.public() for v in result["items"]]
    return 200, result


def add_version(call: Call) -> tuple[int, Any]:
    form = call.multipart()
    call.params.form = form
    if "manifest" not in form:
        raise ApiError(400, "manifest is required.", "MISSING_PARAMETER")
    doc = read_manifest(form["manifest"])
    with call.state.lock:
        contract = call.state.contract(call.contract_uuid)
        added = call.state.add_version(
            contract, version=form.get("version"), manifest=form["manifest"], active=call.params.flag("active"),
            force=False, user=call.user, doc=doc,
        )  # fmt: skip
        return 201, added.public()


def version_manifest(call: Call) -> tuple[int, Any]:
    with call.state.lock:
        contract = call.state.contract(call.contract_uuid)
        return 200, call.state.version(contract, call.params.query.get("version")).manifest


def _page(items: list[Any], call: Call, *, key: Callable[[Any], tuple[int, str]]) -> dict[str, Any]:
    include_total = call.params.query.get("includeTotal", "false").lower() == "true"
    return page(
        items, key, cursor=call.params.query.get("cursor") or None, limit=call.limit(), include_total=include_total
    )


COLLECTION_ROUTES: dict[tuple[str, str], Route] = {
    ("GET", "/dataContracts"): list_contracts,
    ("POST", "/dataContracts"): create_contract,
    ("POST", "/dataContracts/addFromManifest"): add_from_manifest,
}
CONTRACT_ROUTES: dict[tuple[str, str], Route] = {
    ("GET", ""): get_contract,
    ("GET", "/activeVersion/manifest"): active_manifest,
    ("PATCH", "/activeVersion"): set_active,
    ("GET", "/versions"): list_versions,
    ("POST", "/versions"): add_version,
    ("GET", "/versions/manifest"): version_manifest,
}


def route(method: str, path: str, params: Params, body: bytes, content_type: str, user: str,
          state: EmulatorState) -> tuple[int, Any]:  # fmt: skip
    if not path.startswith(API + "/"):
        raise ApiError(404, f"No route for {path}.", "NOT_FOUND")
    rest = path[len(API) :]
    call = Call(params, state, user, body=body, content_type=content_type)
    handler = COLLECTION_ROUTES.get((method, rest))
    if handler is None and rest.startswith("/dataContracts/"):
        contract_uuid, _, tail = rest[len("/dataContracts/") :].partition("/")
        call.contract_uuid = contract_uuid
        handler = CONTRACT_ROUTES.get((method, f"/{tail}" if tail else ""))
    if handler is None:
        raise ApiError(404 if method == "GET" else 405, f"No route for {method} {path}.", "NOT_FOUND")
    return handler(call)
