"""The admin site, kept inside the rules: every write goes through a service, never ``model.save()``.

- Contracts: the mirror is read-only (it comes from the latest version's payload); only the portal-only
  steward note and labels change, audited.
- Versions: a Draft's document is edited as YAML with optimistic concurrency; In review, Validated and
  Deprecated versions are read-only; the lifecycle actions and deleting Drafts call the services per row.
- Lifecycle events: the audit, read-only, never deleted.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from dc43_portal import odcs, statuses
from dc43_portal.accounts import roles
from dc43_portal.contracts import lifecycle
from dc43_portal.contracts.admin import actions as admin_actions
from dc43_portal.contracts.admin.forms import ContractNotesForm, VersionDocumentForm
from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.models import Contract, ContractVersion, LifecycleEvent
from dc43_portal.contracts.services import (
    DELETE_PERMISSION,
    can_annotate,
    can_delete,
    contract_annotate,
    contract_publish,
)
from dc43_portal.errors import PortalError


class SaveRefused(Exception):
    """The service refused the write that the form's check had allowed (a race); raised out of the admin's
    transaction so that it rolls back, then shown as a message."""


admin.site.site_header = "dc43 portal administration"
admin.site.site_title = "dc43 portal admin"


def _versions_url(contract: Contract) -> str:
    changelist = reverse("admin:contracts_contractversion_changelist")
    return f"{changelist}?{urlencode({'contract__id__exact': contract.pk})}"


def _public_link(url: str, text: str = "public page") -> str:
    return format_html('<a href="{}">{}</a>', url, text)


class VersionStatusFilter(admin.SimpleListFilter):
    """Contracts that have at least one version in a status."""

    title = "status of a version"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(statuses.CHOICES)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Contract]) -> QuerySet[Contract]:
        value = statuses.parse_status(self.value() or "")
        return queryset.filter(versions__status=value).distinct() if value else queryset


class VersionInline(admin.TabularInline):
    """The versions of a contract, read-only, each linked to its admin page and its public page."""

    model = ContractVersion
    fields = readonly_fields = ("version", "status", "name", "updated_at", "updated_by", "in_store", "public")
    show_change_link = True
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="public page")
    def public(self, row: ContractVersion) -> str:
        return _public_link(reverse("contracts:version", args=[row.contract.contract_id, row.version]))


@admin.register(Contract)
class ContractAdmin(admin_actions.GuardedInputAdmin):
    form = ContractNotesForm
    list_display = ["contract_id", "name", "domain", "owner", "latest_version", "version_count", "labels_list", "links"]
    list_filter = [VersionStatusFilter, "domain", "owner"]
    search_fields = ["contract_id", "name", "tags_text"]
    date_hierarchy = "updated_at"
    inlines = [VersionInline]
    readonly_fields = ("contract_id", "name", "description", "domain", "owner", "tag_list", "latest_version", "links")
    fieldsets = [
        ("From the latest version's document (read-only)", {"fields": readonly_fields}),
        ("Portal-only fields (audited, never sent to the store)", {"fields": ("steward_note", "labels")}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Contract]:
        # The admin shows what the pages show: contracts of the staff member's domains.
        return roles.readable(super().get_queryset(request), request.user).annotate(version_total=Count("versions"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # contracts are born by publishing a version, in the steward pages or the API

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_annotate(request.user, None if obj is None else obj.domain)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # delete its Drafts one by one; anything else was published and stays

    def save_model(self, request: HttpRequest, obj: Contract, form: ModelForm, change: bool) -> None:
        contract_annotate(
            contract_id=obj.contract_id,
            user=request.user,
            steward_note=form.cleaned_data["steward_note"],
            labels=form.cleaned_data["labels"],
        )

    @admin.display(description="versions", ordering="version_total")
    def version_count(self, contract: Contract) -> str:
        total = getattr(contract, "version_total", None)
        return format_html('<a href="{}">{}</a>', _versions_url(contract), "?" if total is None else total)

    @admin.display(description="tags")
    def tag_list(self, contract: Contract) -> str:
        return ", ".join(str(tag) for tag in contract.tags)

    @admin.display(description="labels")
    def labels_list(self, contract: Contract) -> str:
        return ", ".join(contract.labels)

    @admin.display(description="links")
    def links(self, contract: Contract) -> str:
        return format_html(
            '<a href="{}">versions</a> · {}',
            _versions_url(contract),
            _public_link(reverse("contracts:detail", args=[contract.contract_id])),
        )


@admin.register(ContractVersion)
class ContractVersionAdmin(admin_actions.GuardedInputAdmin):
    list_display = [
        "version",
        "contract_link",
        "status_label",
        "name",
        "updated_at",
        "updated_by",
        "in_store",
        "public",
    ]
    list_display_links = ["version"]
    list_filter = ["status", "contract__domain", "contract__owner", "in_store"]
    search_fields = ["contract__contract_id", "version", "name", "contract__name", "contract__tags_text"]
    date_hierarchy = "updated_at"
    list_select_related = ["contract"]
    actions = [*admin_actions.LIFECYCLE_ACTIONS, admin_actions.delete_drafts]
    summary = ["contract_link", "version", "status_label", "name", "api_version", "fingerprint", "warnings"]
    people = ["created_at", "created_by", "updated_at", "updated_by", "submitted_by", "status_changed_at"]
    readonly_fields = [*summary, *people, "status_changed_by", "in_store", "public", "document_view"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        document = (
            ["document", "expected_fingerprint", "comment"] if self._editable(request, obj) else ["document_view"]
        )
        return [
            (None, {"fields": [*self.summary, "public"]}),
            ("Document", {"fields": document}),
            ("Audit", {"fields": [*self.people, "status_changed_by", "in_store"]}),
        ]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if self._editable(request, obj):
            kwargs["form"] = VersionDocumentForm
        return super().get_form(request, obj, change=change, **kwargs)

    def _editable(self, request: HttpRequest, obj: ContractVersion | None) -> bool:
        return obj is not None and self.has_change_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # it would call QuerySet.delete(): use "Delete the selected Drafts"
        return actions

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # new versions go through the editor, the API or import_contracts

    def get_queryset(self, request: HttpRequest) -> QuerySet[ContractVersion]:
        return roles.readable(super().get_queryset(request), request.user, "contract__domain")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return lifecycle.can_publish(roles.actor_anywhere(request.user))
        actor = roles.actor_in(request.user, obj.contract.domain)
        return lifecycle.can_publish(actor) and lifecycle.can_edit(obj.status) and obj.in_store

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(DELETE_PERMISSION) and (obj is None or can_delete(obj.status))

    def has_steward_permission(self, request: HttpRequest) -> bool:
        return roles.actor_anywhere(request.user).is_steward

    def save_model(self, request: HttpRequest, obj: ContractVersion, form: ModelForm, change: bool) -> None:
        # The form checked the document; the service writes it (and checks again under the lock), never obj.save().
        data = form.cleaned_data
        try:
            result = contract_publish(
                document=data["document"],
                actor=request.user.get_username(),
                expected_fingerprint=data["expected_fingerprint"],
                comment=data.get("comment", ""),
                source="admin",
            )
        except PortalError as exc:
            raise SaveRefused(str(exc)) from exc
        for warning in result.warnings:
            messages.warning(request, warning)

    def delete_model(self, request: HttpRequest, obj: ContractVersion) -> None:
        from dc43_portal.contracts.services import contract_delete

        contract_delete(contract_id=obj.contract.contract_id, version=obj.version, user=request.user)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        try:
            return super().change_view(request, object_id, form_url, extra_context)
        except SaveRefused as exc:  # a write between the form's check and the save: the transaction rolled back
            messages.error(
                request, f"Not saved, nothing was written: {exc}. Reload the Draft and apply your edit again."
            )
            return HttpResponseRedirect(request.get_full_path())
        except PortalError as exc:  # the store could not return the Draft to edit
            messages.error(request, f"This version cannot be edited now: {exc}")
            return HttpResponseRedirect(reverse("admin:contracts_contractversion_changelist"))

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except PortalError as exc:  # the service refused: the admin's transaction has rolled back
            messages.error(request, f"Not deleted: {exc}")
            return HttpResponseRedirect(reverse("admin:contracts_contractversion_change", args=[object_id]))

    @admin.display(description="contract", ordering="contract__contract_id")
    def contract_link(self, row: ContractVersion) -> str:
        url = reverse("admin:contracts_contract_change", args=[row.contract_id])
        return format_html('<a href="{}">{}</a>', url, row.contract.contract_id)

    @admin.display(description="status", ordering="status")
    def status_label(self, row: ContractVersion) -> str:
        return row.status_label

    @admin.display(description="public page")
    def public(self, row: ContractVersion) -> str:
        return _public_link(reverse("contracts:version", args=[row.contract.contract_id, row.version]))

    @admin.display(description="document")
    def document_view(self, row: ContractVersion) -> str:
        try:
            text = odcs.dump_yaml(default_store().get_document(row.contract.contract_id, row.version))
        except PortalError as exc:
            return format_html("<em>The store cannot return this document: {}</em>", exc)
        reason = "" if lifecycle.can_edit(row.status) else f"{row.status_label}: its content can no longer change. "
        return format_html('<p>{}</p><pre style="white-space: pre-wrap">{}</pre>', reason or "Read-only for you.", text)


@admin.register(LifecycleEvent)
class LifecycleEventAdmin(admin_actions.GuardedInputAdmin):
    """The audit: read-only, and nobody deletes it here, superusers included."""

    list_display = ["created_at", "contract_id", "version", "action", "from_status", "to_status", "actor", "source"]
    list_filter = ["action", "source", "to_status"]
    search_fields = ["contract_id", "version", "actor", "comment"]
    date_hierarchy = "created_at"
    fields = readonly_fields = (
        "created_at",
        "contract_id",
        "version",
        "action",
        "from_status",
        "to_status",
        "actor",
        "source",
        "comment",
        "fingerprint",
        "details_view",
        "public",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[LifecycleEvent]:
        events = super().get_queryset(request)
        domains = roles.readable_domains(request.user)
        if domains is None:
            return events
        return events.filter(contract_id__in=Contract.objects.filter(domain__in=sorted(domains)).values("contract_id"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="details")
    def details_view(self, event: LifecycleEvent) -> str:
        items = sorted((str(k), odcs.dump_json(v).strip()) for k, v in (event.details or {}).items())
        return format_html_join("", "<div><strong>{}</strong>: <code>{}</code></div>", items) or "—"

    @admin.display(description="public page")
    def public(self, event: LifecycleEvent) -> str:
        if not event.version or event.action == LifecycleEvent.Action.DELETE:
            return _public_link(reverse("contracts:detail", args=[event.contract_id]), "contract page")
        return _public_link(reverse("contracts:version", args=[event.contract_id, event.version]))
