"""The request bodies of dc43's service routes, field for field as dc43 0.42's ``server.py`` declares them.

dc43 declares them as private classes of a FastAPI module (which the portal does not run), so they are
restated here as pydantic models; the OpenAPI document is generated from them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Dc43Body(BaseModel):
    # dc43's models ignore unknown fields; so do these, for clients of other dc43 versions. Strict types:
    # dc43's clients send real booleans and strings, and "yes" is not a boolean the description allows.
    model_config = ConfigDict(extra="ignore", strict=True)


class LinkDatasetPayload(Dc43Body):
    dataset_id: str
    dataset_version: str
    contract_id: str
    contract_version: str


class DataProductInputPayload(Dc43Body):
    port_name: str
    contract_id: str
    contract_version: str
    bump: str = "minor"
    custom_properties: dict[str, Any] | None = None
    source_data_product: str | None = None
    source_output_port: str | None = None


class DataProductOutputPayload(Dc43Body):
    port_name: str
    contract_id: str
    contract_version: str
    bump: str = "minor"
    custom_properties: dict[str, Any] | None = None


class EvaluateDQPayload(Dc43Body):
    contract: dict[str, Any]
    payload: dict[str, Any]


class ExpectationsPayload(Dc43Body):
    contract: dict[str, Any]


class GovernanceEvaluatePayload(Dc43Body):
    contract_id: str
    contract_version: str
    dataset_id: str
    dataset_version: str
    validation: dict[str, Any] | None = None
    observations: dict[str, Any]
    bump: str = "minor"
    context: dict[str, Any] | None = None
    pipeline_context: dict[str, Any] | None = None
    operation: str = "read"
    draft_on_violation: bool = False


class GovernanceReviewPayload(Dc43Body):
    validation: dict[str, Any]
    base_contract: dict[str, Any]
    bump: str = "minor"
    dataset_id: str | None = None
    dataset_version: str | None = None
    data_format: str | None = None
    dq_status: dict[str, Any] | None = None
    dq_feedback: dict[str, Any] | None = None
    context: dict[str, Any] | None = None
    pipeline_context: dict[str, Any] | None = None
    draft_requested: bool = False
    operation: str | None = None


class GovernanceDraftPayload(Dc43Body):
    validation: dict[str, Any]
    base_contract: dict[str, Any]
    bump: str = "minor"
    context: dict[str, Any] | None = None
    pipeline_context: dict[str, Any] | None = None


class AuthPayload(Dc43Body):
    credentials: dict[str, Any] | None = None


class GovernanceResolvePayload(Dc43Body):
    context: dict[str, Any]


class GovernancePlanEvaluatePayload(Dc43Body):
    plan: dict[str, Any]
    validation: dict[str, Any] | None = None
    observations: dict[str, Any] | None = None


class GovernanceRegisterPayload(Dc43Body):
    plan: dict[str, Any]
    assessment: dict[str, Any]


class GovernanceLineagePayload(Dc43Body):
    event: dict[str, Any]


BODIES: tuple[type[Dc43Body], ...] = (
    LinkDatasetPayload,
    DataProductInputPayload,
    DataProductOutputPayload,
    EvaluateDQPayload,
    ExpectationsPayload,
    GovernanceEvaluatePayload,
    GovernanceReviewPayload,
    GovernanceDraftPayload,
    AuthPayload,
    GovernanceResolvePayload,
    GovernancePlanEvaluatePayload,
    GovernanceRegisterPayload,
    GovernanceLineagePayload,
)
