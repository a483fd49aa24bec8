"""Role assignments and approval policies in the admin (superusers, or staff given their permissions)."""

from __future__ import annotations

from django.contrib import admin

from dc43_portal.accounts.models import ApprovalPolicy, RoleAssignment


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["role", "domain_label", "user", "group", "note", "created_at"]
    list_filter = ["role", "domain"]
    search_fields = ["user__username", "group__name", "domain", "note"]
    autocomplete_fields = ["user", "group"]
    fields = ["user", "group", "role", "domain", "note"]

    @admin.display(description="domain", ordering="domain")
    def domain_label(self, obj: RoleAssignment) -> str:
        return obj.domain or "(every domain)"


@admin.register(ApprovalPolicy)
class ApprovalPolicyAdmin(admin.ModelAdmin):
    list_display = ["domain", "approvals", "breaking_approvals", "required_role"]
    search_fields = ["domain"]
