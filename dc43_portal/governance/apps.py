from __future__ import annotations

from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    """dc43's governance state: links, verdicts, activity, metrics, data products."""

    name = "dc43_portal.governance"
    label = "governance"
    verbose_name = "Governance (dc43 pipelines)"
    default_auto_field = "django.db.models.BigAutoField"
