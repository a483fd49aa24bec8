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


KEY = ("contract_id", "contract_version", "dataset_id", "dataset_version")
PLAN, ASSESSMENT, DONE = ref("Plan"), ref("QualityAssessment"), None
# dc43 answers whatever draft it built (possibly without an id, or {} when there is nothing to propose).
DRAFT, DRAFT_OR_NULL = {"type": "object"}, {"oneOf": [{"type": "object"}, NULL]}
# (path, operation id, summary, answer status, answer schema (None: no body), request body model)
GOVERNANCE_POSTS: tuple[tuple[str, str, str, str, dict[str, Any] | None, type[BaseModel]], ...] = (
    ("/governance/auth", "configureAuth", "Credentials for this call only (dc43)", "200", NULL, p.AuthPayload),
    ("/governance/read/resolve", "resolveRead", "Resolve a read context to a plan", "200", PLAN, p.GovernanceResolvePayload),
    ("/governance/write/resolve", "resolveWrite", "Resolve a write context to a plan", "200", PLAN, p.GovernanceResolvePayload),
    ("/governance/read/evaluate", "evaluateRead", "Evaluate a read plan; records the verdict", "200", ASSESSMENT, p.GovernancePlanEvaluatePayload),
    ("/governance/write/evaluate", "evaluateWrite", "Evaluate a write plan; records the verdict", "200", ASSESSMENT, p.GovernancePlanEvaluatePayload),
    ("/governance/read/register", "registerRead", "Register a read (data-product input port)", "204", DONE, p.GovernanceRegisterPayload),
    ("/governance/write/register", "registerWrite", "Register a write: links the dataset", "204", DONE, p.GovernanceRegisterPayload),
    ("/governance/lineage", "publishLineage", "An OpenLineage event from a pipeline", "204", DONE, p.GovernanceLineagePayload),
    ("/governance/evaluate", "evaluateDataset", "Evaluate a dataset version against a contract version", "200", ASSESSMENT, p.GovernanceEvaluatePayload),
    ("/governance/review", "reviewValidation", "Propose a Draft when asked to", "200", DRAFT_OR_NULL, p.GovernanceReviewPayload),
    ("/governance/draft", "proposeDraft", "Propose a Draft from a validation (lands as a Draft)", "200", DRAFT, p.GovernanceDraftPayload),
    ("/governance/link", "linkDatasetContract", "Link a dataset version to a contract version", "204", DONE, p.LinkDatasetPayload),
    ("/data-quality/evaluate", "evaluateQuality", "Evaluate observations against a contract", "200", ref("ValidationResult"), p.EvaluateDQPayload),
    ("/data-quality/expectations", "describeExpectations", "The expectations a contract implies", "200", OBJECTS, p.ExpectationsPayload),
)
# (path, operation id, summary, answer schema, query parameters, required ones, list-valued ones)
GOVERNANCE_GETS: tuple[tuple[str, str, str, dict[str, Any], tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    ("/governance/status", "getStatus", "The latest verdict of one dataset version", ref("ValidationResult"), KEY, KEY, ()),
    ("/governance/status-matrix", "getStatusMatrix", "Latest verdicts of a dataset, per version and contract", ref("StatusMatrix"), ("dataset_id", "contract_id", "dataset_version"), ("dataset_id",), ("contract_id", "dataset_version")),
    ("/governance/linked", "getLinked", "`contract_id:version` linked to a dataset", ref("LinkedVersion"), ("dataset_id", "dataset_version"), ("dataset_id",), ()),
    ("/governance/metrics", "getMetrics", "Metrics recorded with the verdicts", OBJECTS, ("dataset_id", "dataset_version", "contract_id", "contract_version"), ("dataset_id",), ()),
    ("/governance/datasets", "listDatasets", "Datasets with pipeline activity", STRINGS, (), (), ()),
    ("/governance/activity", "getActivity", "Pipeline activity of a dataset", OBJECTS, ("dataset_id", "dataset_version", "include_status"), ("dataset_id",), ()),
    ("/governance/dataset-records", "getDatasetRecords", "One record per dataset version and contract", OBJECTS, ("dataset_id", "dataset_version"), (), ()),
)


def governance_paths() -> dict[str, Any]:
    """dc43's governance routes, and its two data-quality routes (bodies in, JSON out)."""
    found: dict[str, Any] = {}
    for path, op_id, summary, status, schema, body in GOVERNANCE_POSTS:
        answer = json_answer(summary, schema) if schema is not None else {"description": "Recorded"}
        tag = path.split("/")[1]
        found[path] = {"post": _op(op_id, summary, {status: answer}, body, tag=tag)}
    for path, op_id, summary, schema, names, required, lists in GOVERNANCE_GETS:
        parameters = _query(*names, required=required, lists=lists)
        found[path] = {"get": _op(op_id, summary, {"200": json_answer(summary, schema)}, tag="governance", parameters=parameters)}
    return found


def product_paths() -> dict[str, Any]:
    """dc43's data-product routes; ids are any non-empty text, versions SemVer."""
    d = "data-products"
    pid = {"name": "data_product_id", "in": "path", "required": True, "schema": {"type": "string", "minLength": 1, "maxLength": 500}}
    version = {"name": "version", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 128}}
    port = {"name": "port_name", "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}
    page = [{"name": n, "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 999999999}} for n in ("limit", "offset")]
    product = {"200": json_answer("The ODPS document", ref("DataProduct"))}
    registration = {"200": json_answer("The product after registration", ref("Registration"))}
    put_body = {"required": True, "content": {"application/json": {"schema": ref("DataProduct")}}}
    put_answers = {"204": {"description": "Stored"}, **{k: v for k, v in BODY_ERRORS.items() if k != "422"}}
    return {
        "/data-products": {"get": _op("listDataProducts", "Data product ids, a page at a time", {"200": json_answer("A page", ref("Listing"))}, tag=d, parameters=page)},
        "/data-products/{data_product_id}/versions": {"get": _op("listDataProductVersions", "Versions; `[]` when unknown", {"200": json_answer("Versions", STRINGS)}, tag=d, parameters=[pid])},
        "/data-products/{data_product_id}/versions/{version}": {
            "get": _op("getDataProduct", "One version's ODPS document", product, tag=d, parameters=[pid, version]),
            "put": _op("putDataProduct", "Store a version's ODPS document", put_answers, tag=d, parameters=[pid, version], requestBody=put_body),
        },
        "/data-products/{data_product_id}/latest": {"get": _op("getLatestDataProduct", "The highest version", product, tag=d, parameters=[pid])},
        "/data-products/{data_product_id}/input-ports": {"post": _op("registerInputPort", "Bind an input port to a contract version", registration, p.DataProductInputPayload, tag=d, parameters=[pid])},
        "/data-products/{data_product_id}/output-ports": {"post": _op("registerOutputPort", "Bind an output port to a contract version", registration, p.DataProductOutputPayload, tag=d, parameters=[pid])},
        "/data-products/{data_product_id}/output-ports/{port_name}/contract": {"get": _op("resolveOutputContract", "The contract an output port is bound to", {"200": json_answer("The contract", ref("OutputContract"))}, tag=d, parameters=[pid, port])},
    }
