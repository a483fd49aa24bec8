"""dc43's ``/governance`` routes, delegated to dc43's own ``LocalGovernanceServiceBackend`` (see
``dc43_portal.governance.backends``); paths, bodies, answers and status codes are dc43 0.42's."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dc43_service_clients.data_quality import ValidationResult
from dc43_service_clients.data_quality.transport import (
    decode_observation_payload,
    decode_validation_result,
    encode_validation_result,
)
from dc43_service_clients.governance.lineage import decode_lineage_event
from dc43_service_clients.governance.transport import (
    decode_credentials,
    decode_draft_context,
    decode_quality_assessment,
    decode_read_context,
    decode_read_plan,
    decode_write_context,
    decode_write_plan,
    encode_contract,
    encode_quality_assessment,
    encode_read_plan,
    encode_write_plan,
)
from django.http import HttpRequest, HttpResponse
from open_data_contract_standard.model import OpenDataContractStandard

from dc43_portal.api import dc43_payloads as p
from dc43_portal.api.dc43_io import answer, body_of, dc43_route, flag, no_content, param, params
from dc43_portal.api.errors import BadRequest
from dc43_portal.errors import ContractNotFound
from dc43_portal.governance.backends import backends


@dc43_route(POST="read")
def auth(request: HttpRequest) -> HttpResponse:
    """Credentials live on a backend built for this request only, so they never reach another caller."""
    body = body_of(request, p.AuthPayload)
    backends().governance.configure_auth(decode_credentials(body.credentials))
    return answer(None)


@dc43_route(POST="read")
def read_resolve(request: HttpRequest) -> HttpResponse:
    context = decode_read_context(body_of(request, p.GovernanceResolvePayload).context)
    if context is None:
        raise BadRequest("invalid read context")
    return answer(encode_read_plan(backends().governance.resolve_read_context(context=context)))


@dc43_route(POST="read")
def write_resolve(request: HttpRequest) -> HttpResponse:
    context = decode_write_context(body_of(request, p.GovernanceResolvePayload).context)
    if context is None:
        raise BadRequest("invalid write context")
    return answer(encode_write_plan(backends().governance.resolve_write_context(context=context)))


@dc43_route(POST="write")
def read_evaluate(request: HttpRequest) -> HttpResponse:
    body = body_of(request, p.GovernancePlanEvaluatePayload)
    plan = decode_read_plan(body.plan)
    observations = decode_observation_payload(body.observations or {})
    assessment = backends().governance.evaluate_read_plan(
        plan=plan, validation=decode_validation_result(body.validation), observations=lambda: observations
    )
    return answer(encode_quality_assessment(assessment))


@dc43_route(POST="write")
def write_evaluate(request: HttpRequest) -> HttpResponse:
    body = body_of(request, p.GovernancePlanEvaluatePayload)
    plan = decode_write_plan(body.plan)
    observations = decode_observation_payload(body.observations or {})
    assessment = backends().governance.evaluate_write_plan(
        plan=plan, validation=decode_validation_result(body.validation), observations=lambda: observations
    )
    return answer(encode_quality_assessment(assessment))


@dc43_route(POST="write")
def read_register(request: HttpRequest) -> HttpResponse:
    body = body_of(request, p.GovernanceRegisterPayload)
    plan, assessment = decode_read_plan(body.plan), decode_quality_assessment(body.assessment)
    backends().governance.register_read_activity(plan=plan, assessment=assessment)
    return no_content()


@dc43_route(POST="write")
def write_register(request: HttpRequest) -> HttpResponse:
    body = body_of(request, p.GovernanceRegisterPayload)
    plan, assessment = decode_write_plan(body.plan), decode_quality_assessment(body.assessment)
    backends().governance.register_write_activity(plan=plan, assessment=assessment)
    return no_content()


@dc43_route(POST="write")
def lineage(request: HttpRequest) -> HttpResponse:
    event = decode_lineage_event(body_of(request, p.GovernanceLineagePayload).event)
    if event is None:
        raise BadRequest("lineage event payload is required")
    backends().governance.publish_lineage_event(event=event)
    return no_content()


@dc43_route(POST="write")
def evaluate(request: HttpRequest) -> HttpResponse:
    body = body_of(request, p.GovernanceEvaluatePayload)
    observations = decode_observation_payload(body.observations)
    assessment = backends().governance.evaluate_dataset(
        contract_id=body.contract_id,
        contract_version=body.contract_version,
        dataset_id=body.dataset_id,
        dataset_version=body.dataset_version,
        validation=decode_validation_result(body.validation),
        observations=lambda: observations,
        bump=body.bump,
        context=decode_draft_context(body.context),
        pipeline_context=body.pipeline_context,
        operation=body.operation,
        draft_on_violation=body.draft_on_violation,
    )
    return answer(encode_quality_assessment(assessment))


@dc43_route(POST="write")
def review(request: HttpRequest) -> HttpResponse:
    body = body_of(request, p.GovernanceReviewPayload)
    draft = backends().governance.review_validation_outcome(
        validation=_validation(body.validation),
        base_contract=OpenDataContractStandard.model_validate(body.base_contract),
        bump=body.bump,
        dataset_id=body.dataset_id,
        dataset_version=body.dataset_version,
        data_format=body.data_format,
        dq_status=decode_validation_result(body.dq_status),
        dq_feedback=body.dq_feedback,
        context=decode_draft_context(body.context),
        pipeline_context=body.pipeline_context,
        draft_requested=body.draft_requested,
        operation=body.operation,
    )
    return answer(encode_contract(draft))


@dc43_route(POST="write")
def draft(request: HttpRequest) -> HttpResponse:
    body = body_of(request, p.GovernanceDraftPayload)
    proposed = backends().governance.propose_draft(
        validation=_validation(body.validation),
        base_contract=OpenDataContractStandard.model_validate(body.base_contract),
        bump=body.bump,
        context=decode_draft_context(body.context),
        pipeline_context=body.pipeline_context,
    )
    return answer(encode_contract(proposed) or {})


def _validation(raw: Mapping[str, Any]) -> ValidationResult:
    result = decode_validation_result(raw)
    assert result is not None  # raw is a mapping, never None
    return result


@dc43_route(POST="write")
def link(request: HttpRequest) -> HttpResponse:
    body = body_of(request, p.LinkDatasetPayload)
    backends().governance.link_dataset_contract(**body.model_dump())
    return no_content()


@dc43_route(GET="read")
def status(request: HttpRequest) -> HttpResponse:
    keys = ("contract_id", "contract_version", "dataset_id", "dataset_version")
    found = backends().governance.get_status(**{key: param(request, key, required=True) for key in keys})
    if found is None:
        raise ContractNotFound("status unavailable")
    return answer(encode_validation_result(found) or {})


@dc43_route(GET="read")
def status_matrix(request: HttpRequest) -> HttpResponse:
    dataset_id = param(request, "dataset_id", required=True)
    records = backends().governance.get_status_matrix(
        dataset_id=dataset_id,
        contract_ids=params(request, "contract_id"),
        dataset_versions=params(request, "dataset_version"),
    )
    entries = [
        {
            **{key: record.get(key) for key in ("dataset_id", "dataset_version", "contract_id", "contract_version")},
            "status": _encoded(record.get("status")),
        }
        for record in records
        if isinstance(record, Mapping)
    ]
    return answer({"dataset_id": dataset_id, "entries": entries})


def _encoded(status: Any) -> Any:
    if isinstance(status, ValidationResult):
        return encode_validation_result(status)
    return dict(status) if isinstance(status, Mapping) else None


@dc43_route(GET="read")
def linked(request: HttpRequest) -> HttpResponse:
    version = backends().governance.get_linked_contract_version(
        dataset_id=param(request, "dataset_id", required=True), dataset_version=param(request, "dataset_version")
    )
    if version is None:
        raise ContractNotFound("no contract linked")
    return answer({"contract_version": version})


@dc43_route(GET="read")
def metrics(request: HttpRequest) -> HttpResponse:
    records = backends().governance.get_metrics(
        dataset_id=param(request, "dataset_id", required=True),
        dataset_version=param(request, "dataset_version"),
        contract_id=param(request, "contract_id"),
        contract_version=param(request, "contract_version"),
    )
    return answer([dict(record) for record in records])


@dc43_route(GET="read")
def datasets(request: HttpRequest) -> HttpResponse:
    return answer(list(backends().governance.list_datasets()))


@dc43_route(GET="read")
def activity(request: HttpRequest) -> HttpResponse:
    include_status = flag(request, "include_status")
    records = backends().governance.get_pipeline_activity(
        dataset_id=param(request, "dataset_id", required=True),
        dataset_version=param(request, "dataset_version"),
        include_status=include_status,
    )
    entries = []
    for record in records:
        entry = dict(record)
        if include_status and entry.get("validation_status") is not None:
            entry["validation_status"] = _encoded(entry["validation_status"])
        entries.append(entry)
    return answer(entries)


@dc43_route(GET="read")
def dataset_records(request: HttpRequest) -> HttpResponse:
    records = backends().governance.get_dataset_records(
        dataset_id=param(request, "dataset_id"), dataset_version=param(request, "dataset_version")
    )
    return answer([dict(record) for record in records])
