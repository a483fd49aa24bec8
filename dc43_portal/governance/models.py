"""Governance state (DESIGN §11): what dc43 pipelines report, kept where the steward pages can query it.

Rows are append-mostly: every verdict and every pipeline event is kept, so the pages can show history;
dc43's "latest status" is the newest verdict of its (contract, dataset) key. dc43's JSON payloads are
stored as sent, beside the columns the pages filter on.
"""

from __future__ import annotations

from django.db import models

ID_LENGTH = 500
VERSION_LENGTH = 200


class Verdict(models.TextChoices):
    OK = "ok", "OK"
    WARN = "warn", "Warning"
    BLOCK = "block", "Blocked"
    UNKNOWN = "unknown", "Unknown"


class DatasetLink(models.Model):
    """Which contract version a dataset version is bound to (dc43's ``link_dataset_contract``)."""

    dataset_id = models.CharField(max_length=ID_LENGTH)
    dataset_version = models.CharField(max_length=VERSION_LENGTH, blank=True)
    contract_id = models.CharField(max_length=ID_LENGTH)
    contract_version = models.CharField(max_length=VERSION_LENGTH)
    linked_by = models.CharField(max_length=150, blank=True)
    linked_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset_id", "dataset_version"], name="one_link_per_dataset_version")
        ]
        indexes = [models.Index(fields=["contract_id", "contract_version"], name="link_by_contract")]
        ordering = ["-linked_at", "-id"]

    def __str__(self) -> str:
        return f"{self.dataset_id}@{self.dataset_version or '*'} → {self.contract_id} {self.contract_version}"


class ValidationRecord(models.Model):
    """One verdict on one dataset version against one contract version; the newest per key is the status."""

    contract_id = models.CharField(max_length=ID_LENGTH)
    contract_version = models.CharField(max_length=VERSION_LENGTH)
    dataset_id = models.CharField(max_length=ID_LENGTH)
    dataset_version = models.CharField(max_length=VERSION_LENGTH)
    status = models.CharField(max_length=10, choices=Verdict.choices, default=Verdict.UNKNOWN)
    reason = models.TextField(blank=True)
    # The failed expectations' keys, so a page lists them without decoding the payload.
    failed_expectations = models.JSONField(default=list, blank=True)
    # dc43's encoded ValidationResult, as sent (details, metrics, schema, errors, warnings).
    payload = models.JSONField(default=dict)
    recorded_by = models.CharField(max_length=150, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["dataset_id", "dataset_version", "contract_id"], name="verdict_by_dataset"),
            models.Index(fields=["contract_id", "contract_version", "-recorded_at"], name="verdict_by_contract"),
        ]
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.dataset_id}@{self.dataset_version}: {self.status} ({self.contract_id} {self.contract_version})"


class PipelineEvent(models.Model):
    """One read or write a pipeline reported (dc43's pipeline activity log)."""

    dataset_id = models.CharField(max_length=ID_LENGTH)
    dataset_version = models.CharField(max_length=VERSION_LENGTH)
    contract_id = models.CharField(max_length=ID_LENGTH)
    contract_version = models.CharField(max_length=VERSION_LENGTH)
    operation = models.CharField(max_length=20, blank=True)
    dq_status = models.CharField(max_length=20, blank=True)
    pipeline = models.CharField(max_length=300, blank=True, help_text="the job or pipeline name, when it says")
    event = models.JSONField(default=dict)
    lineage_event = models.JSONField(null=True, blank=True)
    recorded_by = models.CharField(max_length=150, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["dataset_id", "dataset_version"], name="activity_by_dataset"),
            models.Index(fields=["contract_id", "contract_version", "-recorded_at"], name="activity_by_contract"),
        ]
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.operation} {self.dataset_id}@{self.dataset_version} ({self.recorded_at:%Y-%m-%d %H:%M})"


class Metric(models.Model):
    """One metric of one verdict (dc43's ``/governance/metrics``)."""

    dataset_id = models.CharField(max_length=ID_LENGTH)
    dataset_version = models.CharField(max_length=VERSION_LENGTH)
    contract_id = models.CharField(max_length=ID_LENGTH)
    contract_version = models.CharField(max_length=VERSION_LENGTH)
    status_recorded_at = models.CharField(max_length=40)
    metric_key = models.CharField(max_length=300)
    metric_value = models.JSONField(null=True)
    metric_numeric_value = models.FloatField(null=True)

    class Meta:
        indexes = [models.Index(fields=["dataset_id", "dataset_version"], name="metric_by_dataset")]
        ordering = ["status_recorded_at", "metric_key", "id"]

    def __str__(self) -> str:
        return f"{self.dataset_id}@{self.dataset_version} {self.metric_key}"


class DataProduct(models.Model):
    """An ODPS data product; its versions hold the documents."""

    product_id = models.CharField(max_length=ID_LENGTH, unique=True)
    name = models.CharField(max_length=300, blank=True)
    latest_version = models.CharField(max_length=VERSION_LENGTH, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["product_id"]

    def __str__(self) -> str:
        return self.product_id


class DataProductVersion(models.Model):
    product = models.ForeignKey(DataProduct, on_delete=models.CASCADE, related_name="versions")
    version = models.CharField(max_length=VERSION_LENGTH)
    status = models.CharField(max_length=30, blank=True)
    document = models.JSONField()
    recorded_by = models.CharField(max_length=150, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["product", "version"], name="one_row_per_product_version")]
        ordering = ["product_id", "id"]

    def __str__(self) -> str:
        return f"{self.product_id} {self.version}"


class DataProductPort(models.Model):
    """One input or output port of a product version, bound to a contract version."""

    class Direction(models.TextChoices):
        INPUT = "input", "Input"
        OUTPUT = "output", "Output"

    product_version = models.ForeignKey(DataProductVersion, on_delete=models.CASCADE, related_name="ports")
    direction = models.CharField(max_length=6, choices=Direction.choices)
    name = models.CharField(max_length=300)
    contract_id = models.CharField(max_length=ID_LENGTH)
    contract_version = models.CharField(max_length=VERSION_LENGTH)

    class Meta:
        indexes = [models.Index(fields=["contract_id", "contract_version"], name="port_by_contract")]
        ordering = ["direction", "name"]

    def __str__(self) -> str:
        return f"{self.direction} {self.name} → {self.contract_id} {self.contract_version}"
