"""Payload tables of ``DatabaseContractStore``: one row per (id, version), plus one row per change."""

from __future__ import annotations

from django.db import models


class ContractDocument(models.Model):
    contract_id = models.CharField(max_length=200)
    version = models.CharField(max_length=128)
    # The stored value of the document's status, kept beside the payload for filters.
    status = models.CharField(max_length=20, blank=True)
    # The lossless document: jsonb on PostgreSQL, JSON text on SQLite.
    document = models.JSONField()
    fingerprint = models.CharField(max_length=64)
    # Lower-cased schema object and property names; a GIN index on PostgreSQL (migration 0002).
    property_names = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150, blank=True)

    class Meta:
        db_table = "dc43_contract_document"
        constraints = [models.UniqueConstraint(fields=["contract_id", "version"], name="dc43_contract_document_unique")]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.version}"


class ContractDocumentChange(models.Model):
    """What ``history()`` returns: who changed which version, when and how."""

    contract_id = models.CharField(max_length=200, db_index=True)
    version = models.CharField(max_length=128)
    action = models.CharField(max_length=20)
    status = models.CharField(max_length=20, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    actor = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "dc43_contract_document_change"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.action} {self.contract_id} {self.version}"
