"""dc43's ``GovernanceStore`` and ``DataProductStore`` on the portal's models (SQLite and PostgreSQL).

dc43's ``LocalGovernanceServiceBackend`` and ``LocalDataProductServiceBackend`` run unchanged on top of
these; the JSON they keep is dc43's own encoding, so the wire shapes stay dc43's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from dc43_service_backends.governance.backend.stores._metrics import extract_metrics, normalise_metric_value
from dc43_service_clients.data_quality import ValidationResult
from dc43_service_clients.data_quality.transport import decode_validation_result, encode_validation_result
from dc43_service_clients.odps import OpenDataProductStandard, as_odps_dict, to_model
from django.db import transaction

from dc43_portal.governance.actor import current_actor
from dc43_portal.governance.models import (
    DataProduct,
    DataProductPort,
    DataProductVersion,
    DatasetLink,
    Metric,
    PipelineEvent,
    ValidationRecord,
    Verdict,
)
from dc43_portal.versioning import version_key

# dc43 keeps the last 100 events per dataset version in its activity answer; so does the portal.
ACTIVITY_WINDOW = 100
VERDICT_WORDS = {
    Verdict.OK: {"ok", "pass", "passed", "success", "succeeded", "valid"},
    Verdict.WARN: {"warn", "warning", "caution"},
    Verdict.BLOCK: {"block", "blocked", "error", "fail", "failed", "invalid", "ko"},
}


def verdict_of(status: str | None) -> str:
    """dc43's status words to the portal's four verdicts (as dc43's own dataset records do)."""
    text = (status or "").strip().lower()
    return next((verdict for verdict, words in VERDICT_WORDS.items() if text in words), Verdict.UNKNOWN)


def failed_expectations(status: ValidationResult) -> list[str]:
    """The expectations a verdict failed: dc43's ``failed_expectations`` detail, else its ``violations.*``
    metrics above zero, else its error messages."""
    failed = status.details.get("failed_expectations") if isinstance(status.details, Mapping) else None
    if isinstance(failed, Mapping):
        return [str(key) for key in failed]
    metrics = {**(status.details.get("metrics") or {}), **(status.metrics or {})}
    violated = [
        key.removeprefix("violations.")
        for key, value in metrics.items()
        if str(key).startswith("violations.") and isinstance(value, int | float) and value > 0
    ]
    return violated or [str(error) for error in status.errors]


def now_text() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


class DjangoGovernanceStore:
    """dc43's ``GovernanceStore`` protocol on ``ValidationRecord``, ``DatasetLink``, ``PipelineEvent``, ``Metric``."""

    def save_status(
        self,
        *,
        contract_id: str,
        contract_version: str,
        dataset_id: str,
        dataset_version: str,
        status: ValidationResult | None,
    ) -> None:
        key = {
            "contract_id": contract_id,
            "contract_version": contract_version,
            "dataset_id": dataset_id,
            "dataset_version": dataset_version,
        }
        with transaction.atomic():
            if status is None:
                # dc43 forgets the status; the portal keeps the history but records that it is unknown.
                ValidationRecord.objects.create(**key, status=Verdict.UNKNOWN, recorded_by=current_actor())
                return
            payload = encode_validation_result(status) or {}
            ValidationRecord.objects.create(
                **key,
                status=verdict_of(status.status),
                reason=status.reason or "",
                failed_expectations=failed_expectations(status),
                payload=payload,
                recorded_by=current_actor(),
            )
            self._record_metrics(key, extract_metrics(status))

    def _record_metrics(self, key: dict[str, str], metrics: Mapping[str, Any]) -> None:
        recorded_at = now_text()
        rows = []
        for metric_key, metric_value in metrics.items():
            value, numeric = normalise_metric_value(metric_value)
            rows.append(
                Metric(
                    **key,
                    status_recorded_at=recorded_at,
                    metric_key=str(metric_key)[:300],
                    metric_value=value,
                    metric_numeric_value=numeric,
                )
            )
        Metric.objects.bulk_create(rows)

    def load_status(
        self, *, contract_id: str, contract_version: str, dataset_id: str, dataset_version: str
    ) -> ValidationResult | None:
        row = ValidationRecord.objects.filter(
            contract_id=contract_id,
            contract_version=contract_version,
            dataset_id=dataset_id,
            dataset_version=dataset_version,
        ).first()
        if row is None or not row.payload:
            return None
        return decode_validation_result(row.payload)

    def load_status_matrix_entries(
        self,
        *,
        dataset_id: str,
        dataset_versions: Sequence[str] | None = None,
        contract_ids: Sequence[str] | None = None,
    ) -> Sequence[Mapping[str, object]]:
        rows = ValidationRecord.objects.filter(dataset_id=dataset_id)
        if dataset_versions:
            rows = rows.filter(dataset_version__in=list(dataset_versions))
        if contract_ids:
            rows = rows.filter(contract_id__in=list(contract_ids))
        latest: dict[tuple[str, str, str], ValidationRecord] = {}
        for row in rows.order_by("recorded_at", "id"):
            latest[(row.dataset_version, row.contract_id, row.contract_version)] = row
        return [
            {
                "dataset_id": dataset_id,
                "dataset_version": row.dataset_version,
                "contract_id": row.contract_id,
                "contract_version": row.contract_version,
                "status": decode_validation_result(row.payload) if row.payload else None,
            }
            for row in latest.values()
        ]

    def link_dataset_contract(
        self, *, dataset_id: str, dataset_version: str, contract_id: str, contract_version: str
    ) -> None:
        DatasetLink.objects.update_or_create(
            dataset_id=dataset_id,
            dataset_version=dataset_version or "",
            defaults={"contract_id": contract_id, "contract_version": contract_version, "linked_by": current_actor()},
        )

    def get_linked_contract_version(self, *, dataset_id: str, dataset_version: str | None = None) -> str | None:
        """``contract_id:version`` like dc43's stores; the exact dataset version first, else the newest link."""
        links = DatasetLink.objects.filter(dataset_id=dataset_id)
        link = links.filter(dataset_version=dataset_version).first() if dataset_version is not None else None
        link = link or links.first()
        return f"{link.contract_id}:{link.contract_version}" if link else None

    def load_metrics(
        self,
        *,
        dataset_id: str,
        dataset_version: str | None = None,
        contract_id: str | None = None,
        contract_version: str | None = None,
    ) -> Sequence[Mapping[str, object]]:
        rows = Metric.objects.filter(dataset_id=dataset_id)
        for field, value in (
            ("dataset_version", dataset_version),
            ("contract_id", contract_id),
            ("contract_version", contract_version),
        ):
            if value is not None:
                rows = rows.filter(**{field: value})
        fields = [f.name for f in Metric._meta.fields if f.name != "id"]
        return list(rows.values(*fields))

    def record_pipeline_event(
        self,
        *,
        contract_id: str,
        contract_version: str,
        dataset_id: str,
        dataset_version: str,
        event: Mapping[str, object],
        lineage_event: Mapping[str, object] | None = None,
    ) -> None:
        payload = dict(event)
        payload.setdefault("recorded_at", now_text())
        context = payload.get("pipeline_context")
        pipeline = ""
        if isinstance(context, Mapping):
            pipeline = str(context.get("pipeline") or context.get("job") or context.get("name") or "")[:300]
        PipelineEvent.objects.create(
            dataset_id=dataset_id,
            dataset_version=dataset_version,
            contract_id=contract_id,
            contract_version=contract_version,
            operation=str(payload.get("operation") or "")[:20],
            dq_status=str(payload.get("dq_status") or "")[:20],
            pipeline=pipeline,
            event=payload,
            lineage_event=dict(lineage_event) if lineage_event is not None else None,
            recorded_by=current_actor(),
        )

    def list_datasets(self) -> Sequence[str]:
        return list(PipelineEvent.objects.order_by("dataset_id").values_list("dataset_id", flat=True).distinct())

    def load_pipeline_activity(
        self, *, dataset_id: str, dataset_version: str | None = None
    ) -> Sequence[Mapping[str, object]]:
        """One entry per dataset version, its events oldest first, entries by their last event (as dc43)."""
        rows = PipelineEvent.objects.filter(dataset_id=dataset_id)
        if dataset_version is not None:
            rows = rows.filter(dataset_version=dataset_version)
        entries: dict[str, dict[str, Any]] = {}
        for row in rows.order_by("recorded_at", "id"):
            entry = entries.pop(row.dataset_version, None) or {"dataset_id": dataset_id, "events": []}
            entry.update(
                dataset_version=row.dataset_version,
                contract_id=row.contract_id,
                contract_version=row.contract_version,
            )
            entry["events"] = [*entry["events"], dict(row.event)][-ACTIVITY_WINDOW:]
            if row.lineage_event is not None:
                entry["lineage_event"] = dict(row.lineage_event)
            entries[row.dataset_version] = entry  # re-inserted: the dict keeps last-event order
        return list(entries.values())


class DjangoDataProductStore:
    """dc43's ``DataProductStore`` protocol on ``DataProduct``, its versions and their ports."""

    def put(self, product: OpenDataProductStandard) -> None:
        if not product.version:
            raise ValueError("Data product version is required")
        document = as_odps_dict(product)
        with transaction.atomic():
            row, _ = DataProduct.objects.select_for_update().get_or_create(product_id=product.id)
            version, _ = DataProductVersion.objects.update_or_create(
                product=row,
                version=product.version,
                defaults={"document": document, "status": product.status or "", "recorded_by": current_actor()},
            )
            version.ports.all().delete()
            DataProductPort.objects.bulk_create(
                [
                    DataProductPort(
                        product_version=version,
                        direction=direction,
                        name=port.name,
                        contract_id=port.contract_id,
                        contract_version=port.version,
                    )
                    for direction, ports in (("input", product.input_ports), ("output", product.output_ports))
                    for port in ports
                ]
            )
            # dc43's stores call the last version put "latest"; the portal keeps the highest SemVer.
            versions = [*row.versions.values_list("version", flat=True)]
            row.latest_version = max(versions, key=_product_version_key)
            row.name = (product.name or "")[:300]
            row.save(update_fields=["latest_version", "name", "updated_at"])

    def get(self, data_product_id: str, version: str) -> OpenDataProductStandard:
        row = DataProductVersion.objects.filter(product__product_id=data_product_id, version=version).first()
        if row is None:
            raise FileNotFoundError(f"data product {data_product_id}:{version} not found")
        return to_model(row.document)

    def latest(self, data_product_id: str) -> OpenDataProductStandard | None:
        product = DataProduct.objects.filter(product_id=data_product_id).first()
        if product is None or not product.latest_version:
            return None
        return self.get(data_product_id, product.latest_version)

    def list_versions(self, data_product_id: str) -> Sequence[str]:
        versions = DataProductVersion.objects.filter(product__product_id=data_product_id).values_list(
            "version", flat=True
        )
        return sorted(versions, key=_product_version_key)

    def list_data_product_ids(self) -> Sequence[str]:
        return list(DataProduct.objects.order_by("product_id").values_list("product_id", flat=True))


def _product_version_key(version: str) -> tuple[Any, ...]:
    try:
        return (1, version_key(version))
    except ValueError:
        return (0, version)
