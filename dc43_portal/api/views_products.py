"""dc43's ``/data-products`` and ``/data-quality`` routes, delegated to dc43's own local backends (the data
products kept in the portal database); paths, bodies, answers and status codes are dc43 0.42's."""

from __future__ import annotations

from dc43_service_clients.data_quality.transport import decode_observation_payload, encode_validation_result
from dc43_service_clients.odps import DataProductInputPort, DataProductOutputPort, as_odps_dict, to_model
from django.http import HttpRequest, HttpResponse
from open_data_contract_standard.model import OpenDataContractStandard

from dc43_portal.api import dc43_payloads as p
from dc43_portal.api.dc43_io import answer, body_of, dc43_route, no_content
from dc43_portal.api.errors import BadRequest, PathMismatch
from dc43_portal.api.inputs import int_param, read_document
from dc43_portal.contracts.services import document_parse
from dc43_portal.errors import ContractNotFound
from dc43_portal.governance.backends import backends
from dc43_portal.versioning import parse_version

MAX_ID_CHARS = 500


@dc43_route(GET="read")
def product_list(request: HttpRequest) -> HttpResponse:
    limit, offset = int_param(request, "limit", None), int_param(request, "offset", 0) or 0
    listing = backends().data_products.list_data_products(limit=limit, offset=offset)
    return answer(
        {"items": list(listing.items), "total": listing.total, "limit": listing.limit, "offset": listing.offset}
    )


@dc43_route(GET="read", PUT="write")
def product_version(request: HttpRequest, data_product_id: str, version: str) -> HttpResponse:
    _check_path(data_product_id, version)
    found = backends().data_products
    if request.method != "PUT":
        return answer(as_odps_dict(found.get(data_product_id, version)))
    product = to_model(_document(request))
    for field, expected in (("id", data_product_id), ("version", version)):
        sent = getattr(product, field)
        if sent and sent != expected:
            raise PathMismatch(f"data_product.{field} does not match request path")
    product.id, product.version = data_product_id, version
    found.put(product)
    return no_content()


def _document(request: HttpRequest) -> dict[str, object]:
    raw, _ = read_document(request)
    return document_parse(raw)


@dc43_route(GET="read")
def product_latest(request: HttpRequest, data_product_id: str) -> HttpResponse:
    _check_path(data_product_id)
    product = backends().data_products.latest(data_product_id)
    if product is None:
        raise ContractNotFound("data product not found")
    return answer(as_odps_dict(product))


@dc43_route(GET="read")
def product_versions(request: HttpRequest, data_product_id: str) -> HttpResponse:
    _check_path(data_product_id)
    return answer([str(v) for v in backends().data_products.list_versions(data_product_id)])


@dc43_route(POST="write")
def input_port(request: HttpRequest, data_product_id: str) -> HttpResponse:
    _check_path(data_product_id)
    body = body_of(request, p.DataProductInputPayload)
    result = backends().data_products.register_input_port(
        data_product_id=data_product_id,
        port=DataProductInputPort(name=body.port_name, version=body.contract_version, contract_id=body.contract_id),
        bump=body.bump,
        custom_properties=body.custom_properties,
        source_data_product=body.source_data_product,
        source_output_port=body.source_output_port,
    )
    return answer({"product": as_odps_dict(result.product), "changed": result.changed})


@dc43_route(POST="write")
def output_port(request: HttpRequest, data_product_id: str) -> HttpResponse:
    _check_path(data_product_id)
    body = body_of(request, p.DataProductOutputPayload)
    result = backends().data_products.register_output_port(
        data_product_id=data_product_id,
        port=DataProductOutputPort(name=body.port_name, version=body.contract_version, contract_id=body.contract_id),
        bump=body.bump,
        custom_properties=body.custom_properties,
    )
    return answer({"product": as_odps_dict(result.product), "changed": result.changed})


@dc43_route(GET="read")
def output_contract(request: HttpRequest, data_product_id: str, port_name: str) -> HttpResponse:
    _check_path(data_product_id)
    found = backends().data_products.resolve_output_contract(data_product_id=data_product_id, port_name=port_name)
    if found is None:
        raise ContractNotFound("output port not found")
    return answer({"contract_id": found[0], "contract_version": found[1]})


def _check_path(data_product_id: str, version: str | None = None) -> None:
    if not data_product_id.strip() or len(data_product_id) > MAX_ID_CHARS:
        raise BadRequest(f"a data product id is 1 to {MAX_ID_CHARS} characters")
    if version is not None:
        parse_version(version)  # dc43 bumps versions as SemVer; any other would break the next registration


@dc43_route(POST="read")
def dq_evaluate(request: HttpRequest) -> HttpResponse:
    body = body_of(request, p.EvaluateDQPayload)
    contract = OpenDataContractStandard.model_validate(body.contract)
    result = backends().data_quality.evaluate(contract=contract, payload=decode_observation_payload(body.payload))
    return answer(encode_validation_result(result) or {})


@dc43_route(POST="read")
def dq_expectations(request: HttpRequest) -> HttpResponse:
    contract = OpenDataContractStandard.model_validate(body_of(request, p.ExpectationsPayload).contract)
    return answer([dict(item) for item in backends().data_quality.describe_expectations(contract=contract)])
