"""Roles by domain (DESIGN §10) and approval policies per domain."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    AUTHOR = "author", "Author"
    STEWARD = "steward", "Steward"
    VIEWER = "viewer", "Viewer"


class RoleAssignment(models.Model):
    """A user or a group holds a role in one domain (a contract's ODCS ``domain``), or everywhere."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="role_assignments"
    )
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=10, choices=Role.choices)
    domain = models.CharField(
        max_length=200, blank=True, db_index=True, help_text="A contract domain; empty means every domain (global)."
    )
    note = models.CharField(max_length=200, blank=True, help_text="Why, or where it comes from (e.g. oidc).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["domain", "role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, group__isnull=True) | Q(user__isnull=True, group__isnull=False),
                name="role_for_a_user_or_a_group",
            ),
            models.UniqueConstraint(fields=["user", "role", "domain"], name="unique_user_role_domain"),
            models.UniqueConstraint(fields=["group", "role", "domain"], name="unique_group_role_domain"),
        ]

    def __str__(self) -> str:
        who = f"user {self.user}" if self.user_id else f"group {self.group}"
        return f"{who}: {self.role} of {self.domain or 'every domain'}"


class ExternalIdentity(models.Model):
    """The identity provider's account behind a portal user: found by (issuer, subject), never by name."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identity")
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="unique_issuer_subject")]

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer}"


class ApprovalPolicy(models.Model):
    """How many distinct approvers a version of a domain needs before it is Validated."""

    domain = models.CharField(max_length=200, unique=True, blank=True, help_text="Empty: contracts without a domain.")
    approvals = models.PositiveSmallIntegerField(default=1, help_text="Distinct approvers of a non-breaking version.")
    breaking_approvals = models.PositiveSmallIntegerField(
        default=1, help_text="Distinct approvers of a breaking version (a new major line)."
    )
    required_role = models.CharField(
        max_length=10,
        choices=Role.choices,
        blank=True,
        help_text="If set, at least one approver must hold this role in the domain (besides being a steward).",
    )

    class Meta:
        ordering = ["domain"]
        verbose_name_plural = "approval policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(approvals__gte=1, approvals__lte=10, breaking_approvals__gte=1, breaking_approvals__lte=10),
                name="approvals_between_1_and_10",
            )
        ]

    def __str__(self) -> str:
        return f"{self.domain or '(no domain)'}: {self.approvals} / {self.breaking_approvals} breaking"
