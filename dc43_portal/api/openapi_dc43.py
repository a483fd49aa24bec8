"""The OpenAPI paths of dc43's governance, data-quality and data-product routes.

Request bodies are generated from the pydantic models of ``dc43_payloads`` (dc43's own fields); answers
from the small pydantic models below, which restate dc43's encoders (``encode_validation_result``,
``encode_quality_assessment``...), so the document and the wire cannot drift apart silently: a test
validates every answer against it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from dc43_portal.api import dc43_payloads as p
from dc43_portal.api.openapi_parts import COMMON_ERRORS, error, json_answer, ref


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ValidationResult(Open):
    ok: bool
    errors: list[Any]
    warnings: list[Any]
    metrics: dict[str, Any]
    schema_: dict[str, Any] | None = None
    status: str
    reason: str | None
    details: dict[str, Any] | None = None


class QualityAssessment(Open):
    status: dict[str, Any] | None
    validation: dict[str, Any] | None
    draft: dict[str, Any] | None
    observations_reused: bool


class Plan(Open):
    contract: dict[str, Any] | None
    contract_id: str
    contract_version: str
    dataset_id: str | None
    dataset_version: str | None


class LinkedVersion(BaseModel):
    contract_version: str


class StatusEntry(Open):
    dataset_id: str | None
    dataset_version: str | None
    contract_id: str | None
    contract_version: str | None
    status: dict[str, Any] | None


class StatusMatrix(BaseModel):
    dataset_id: str
    entries: list[StatusEntry]


class DataProduct(Open):
    apiVersion: str
    id: str
    status: str
    inputPorts: list[dict[str, Any]] = []
    outputPorts: list[dict[str, Any]] = []


class Registration(BaseModel):
    product: DataProduct
    changed: bool


class OutputContract(BaseModel):
    contract_id: str
    contract_version: str


class Listing(BaseModel):
    items: list[str]
    total: int
    limit: int | None
    offset: int


ANSWERS: tuple[type[BaseModel], ...] = (
    ValidationResult,
    QualityAssessment,
    Plan,
    LinkedVersion,
    StatusMatrix,
    DataProduct,
    Registration,
    OutputContract,
    Listing,
)
BODY_ERRORS = {
    "411": error("No Content-Length (a chunked body)"),
    "413": error("The body exceeds DC43_MAX_DOCUMENT_BYTES"),
    "415": error("Not JSON, not UTF-8, or compressed"),
    "422": error("The body or a query parameter does not match dc43's schema"),
}
STRINGS = {"type": "array", "items": {"type": "string"}}
OBJECTS = {"type": "array", "items": {"type": "object"}}
NULL = {"type": "null"}


def schemas() -> dict[str, Any]:
    """Component schemas: every body and answer model, named after the class."""
    found: dict[str, Any] = {}
    for model in (*p.BODIES, *ANSWERS):
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}", by_alias=True)
        found.update(schema.pop("$defs", {}))
        found[model.__name__] = schema
    found["ValidationResult"]["properties"]["schema"] = found["ValidationResult"]["properties"].pop("schema_")
    return found


def _op(
    op_id: str, summary: str, answers: dict[str, Any], body: type[BaseModel] | None = None, **extra: Any
) -> dict[str, Any]:
    operation: dict[str, Any] = {"operationId": op_id, "summary": summary, "tags": [extra.pop("tag")]}
    responses = {**answers, **COMMON_ERRORS, "404": error("Not found (an unknown contract, product or record)")}
    if any(param.get("in") == "query" for param in extra.get("parameters", [])):
        responses["422"] = BODY_ERRORS["422"]
    if body is not None:
        responses.update(BODY_ERRORS)
        responses["409"] = error("dc43 refuses: a data-product registration needs a steward's review")
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": ref(body.__name__)}}}
    return {**operation, "responses": responses, **extra}


def _query(*names: str, required: tuple[str, ...] = (), lists: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    out = []
    for name in names:
        schema: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 1000, "pattern": "^[^\\x00]*$"}
        if name in lists:
            schema = {"type": "array", "items": schema}
        if name == "include_status":
            schema = {"type": "boolean"}
        out.append({"name": name, "in": "query", "required": name in required, "schema": schema})
    return out


def _post(
    op_id: str, summary: str, answer: dict[str, Any], body: type[BaseModel], tag: str, status: str = "200", **extra: Any
) -> dict[str, Any]:
    return {"post": _op(op_id, summary, {status: answer}, body, tag=tag, **extra)}


def governance_paths() -> dict[str, Any]:
    g = "governance"
    done = {"description": "Recorded"}
    plan = json_answer("The resolved plan", ref("Plan"))
    assessment = json_answer("The assessment", ref("QualityAssessment"))
    contract_or_null = json_answer("A proposed draft, or null", {"oneOf": [ref("ContractDocument"), NULL]})
    key = ("contract_id", "contract_version", "dataset_id", "dataset_version")
    return {
        "/governance/auth": _post(
            "configureAuth", "Credentials for this call only (dc43)", json_answer("Done", NULL), p.AuthPayload, g
        ),
        "/governance/read/resolve": _post(
            "resolveRead", "Resolve a read context to a plan", plan, p.GovernanceResolvePayload, g
        ),
        "/governance/write/resolve": _post(
            "resolveWrite", "Resolve a write context to a plan", plan, p.GovernanceResolvePayload, g
        ),
        "/governance/read/evaluate": _post(
            "evaluateRead", "Evaluate a read plan; records the verdict", assessment, p.GovernancePlanEvaluatePayload, g
        ),
        "/governance/write/evaluate": _post(
            "evaluateWrite",
            "Evaluate a write plan; records the verdict",
            assessment,
            p.GovernancePlanEvaluatePayload,
            g,
        ),
        "/governance/read/register": _post(
            "registerRead", "Register a read (data-product input port)", done, p.GovernanceRegisterPayload, g, "204"
        ),
        "/governance/write/register": _post(
            "registerWrite", "Register a write: links the dataset", done, p.GovernanceRegisterPayload, g, "204"
        ),
        "/governance/lineage": _post(
            "publishLineage", "An OpenLineage event from a pipeline", done, p.GovernanceLineagePayload, g, "204"
        ),
        "/governance/evaluate": _post(
            "evaluateDataset",
            "Evaluate a dataset version against a contract version",
            assessment,
            p.GovernanceEvaluatePayload,
            g,
        ),
        "/governance/review": _post(
            "reviewValidation", "Propose a Draft when asked to", contract_or_null, p.GovernanceReviewPayload, g
        ),
        "/governance/draft": _post(
            "proposeDraft",
            "Propose a Draft from a validation (lands as a Draft)",
            json_answer("The draft", ref("ContractDocument")),
            p.GovernanceDraftPayload,
            g,
        ),
        "/governance/link": _post(
            "linkDatasetContract", "Link a dataset version to a contract version", done, p.LinkDatasetPayload, g, "204"
        ),
        "/governance/status": {
            "get": _op(
                "getStatus",
                "The latest verdict of one dataset version",
                {"200": json_answer("The verdict", ref("ValidationResult"))},
                tag=g,
                parameters=_query(*key, required=key),
            )
        },
        "/governance/status-matrix": {
            "get": _op(
                "getStatusMatrix",
                "Latest verdicts of a dataset, per version and contract",
                {"200": json_answer("The verdicts", ref("StatusMatrix"))},
                tag=g,
                parameters=_query(
                    "dataset_id",
                    "contract_id",
                    "dataset_version",
                    required=("dataset_id",),
                    lists=("contract_id", "dataset_version"),
                ),
            )
        },
        "/governance/linked": {
            "get": _op(
                "getLinked",
                "`contract_id:version` linked to a dataset",
                {"200": json_answer("The link", ref("LinkedVersion"))},
                tag=g,
                parameters=_query("dataset_id", "dataset_version", required=("dataset_id",)),
            )
        },
        "/governance/metrics": {
            "get": _op(
                "getMetrics",
                "Metrics recorded with the verdicts",
                {"200": json_answer("Metrics", OBJECTS)},
                tag=g,
                parameters=_query("dataset_id", *key[:2], "dataset_version", required=("dataset_id",)),
            )
        },
        "/governance/datasets": {
            "get": _op(
                "listDatasets", "Datasets with pipeline activity", {"200": json_answer("Dataset ids", STRINGS)}, tag=g
            )
        },
        "/governance/activity": {
            "get": _op(
                "getActivity",
                "Pipeline activity of a dataset",
                {"200": json_answer("Activity", OBJECTS)},
                tag=g,
                parameters=_query("dataset_id", "dataset_version", "include_status", required=("dataset_id",)),
            )
        },
        "/governance/dataset-records": {
            "get": _op(
                "getDatasetRecords",
                "One record per dataset version and contract",
                {"200": json_answer("Records", OBJECTS)},
                tag=g,
                parameters=_query("dataset_id", "dataset_version"),
            )
        },
    }


def product_paths() -> dict[str, Any]:
    d, q = "data-products", "data-quality"
    pid = {
        "name": "data_product_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "minLength": 1, "maxLength": 500},
    }
    version = {"name": "version", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 128}}
    port = {"name": "port_name", "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}
    page = [
        {"name": n, "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 999999999}}
        for n in ("limit", "offset")
    ]
    product = json_answer("The ODPS document", ref("DataProduct"))
    registration = json_answer("The product after registration", ref("Registration"))
    put_body = {"required": True, "content": {"application/json": {"schema": ref("DataProduct")}}}
    put_errors = {k: v for k, v in BODY_ERRORS.items() if k != "422"}
    return {
        "/data-quality/evaluate": _post(
            "evaluateQuality",
            "Evaluate observations against a contract",
            json_answer("The result", ref("ValidationResult")),
            p.EvaluateDQPayload,
            q,
        ),
        "/data-quality/expectations": _post(
            "describeExpectations",
            "The expectations a contract implies",
            json_answer("Expectations", OBJECTS),
            p.ExpectationsPayload,
            q,
        ),
        "/data-products": {
            "get": _op(
                "listDataProducts",
                "Data product ids, a page at a time",
                {"200": json_answer("A page", ref("Listing"))},
                tag=d,
                parameters=page,
            )
        },
        "/data-products/{data_product_id}/versions": {
            "get": _op(
                "listDataProductVersions",
                "Versions, SemVer-sorted; `[]` when unknown",
                {"200": json_answer("Versions", STRINGS)},
                tag=d,
                parameters=[pid],
            )
        },
        "/data-products/{data_product_id}/versions/{version}": {
            "get": _op(
                "getDataProduct", "One version's ODPS document", {"200": product}, tag=d, parameters=[pid, version]
            ),
            "put": _op(
                "putDataProduct",
                "Store a version's ODPS document",
                {"204": {"description": "Stored"}, **put_errors},
                tag=d,
                parameters=[pid, version],
                requestBody=put_body,
            ),
        },
        "/data-products/{data_product_id}/latest": {
            "get": _op("getLatestDataProduct", "The highest version", {"200": product}, tag=d, parameters=[pid])
        },
        "/data-products/{data_product_id}/input-ports": _post(
            "registerInputPort",
            "Bind an input port to a contract version",
            registration,
            p.DataProductInputPayload,
            d,
            parameters=[pid],
        ),
        "/data-products/{data_product_id}/output-ports": _post(
            "registerOutputPort",
            "Bind an output port to a contract version",
            registration,
            p.DataProductOutputPayload,
            d,
            parameters=[pid],
        ),
        "/data-products/{data_product_id}/output-ports/{port_name}/contract": {
            "get": _op(
                "resolveOutputContract",
                "The contract an output port is bound to",
                {"200": json_answer("The contract", ref("OutputContract"))},
                tag=d,
                parameters=[pid, port],
            )
        },
    }
