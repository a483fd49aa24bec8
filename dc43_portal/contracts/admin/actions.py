"""Admin actions on selected versions: the lifecycle moves and deleting Drafts.

Each asks for its comment or reason on an intermediate page, then calls the service once per row, so the
same rules apply as in the steward pages (roles, four eyes, downgrade, compatibility). The result is
reported per row: what succeeded, and why the others were refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse

from dc43_portal.contracts import lifecycle
from dc43_portal.contracts.admin.forms import ActionCommentForm
from dc43_portal.contracts.models import ContractVersion
from dc43_portal.contracts.services import can_delete, contract_delete
from dc43_portal.contracts.services.lifecycle import contract_transition, transition_forecast
from dc43_portal.errors import PortalError

ActionResult = TemplateResponse | None
CONFIRM_TEMPLATE = "admin/contracts/contractversion/action_confirm.html"
# The largest primary key (BigAutoField); a longer "id" would overflow the database driver.
MAX_PK = 2**63 - 1


class GuardedInputAdmin(admin.ModelAdmin):
    """Refuse an action whose selection holds non-ids, which Django's admin takes to the database (500).
    A NUL in a list filter is refused for every route by ``guards.NulQueryMiddleware``."""

    def response_action(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse | None:
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(s.isascii() and s.isdigit() and int(s) <= MAX_PK for s in selected):
            messages.error(request, "Nothing was done: the selection holds ids that are not rows of this list.")
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)


@dataclass(frozen=True)
class Step:
    """What one action does to one row, and how the pages speak of it."""

    name: str
    verb: str  # the button: "Approve"
    done: str  # past tense: "approved"
    comment: str  # "required", "optional"
    comment_label: str


def lifecycle_action(transition: lifecycle.Transition) -> Callable[..., ActionResult]:
    """An admin action for one transition of ``lifecycle.TRANSITIONS``."""
    step = Step(transition.action, transition.label, transition.done, transition.comment, transition.comment_label)

    def run(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[ContractVersion]) -> ActionResult:
        rows = list(queryset.select_related("contract"))
        # Shown before confirming, by the rules and the guards; the service decides again when the action runs.
        notes = [transition_forecast(row, request.user, transition.target) for row in rows]

        def apply(row: ContractVersion, comment: str) -> None:
            contract_transition(
                contract_id=row.contract.contract_id,
                version=row.version,
                to_status=transition.target,
                user=request.user,
                comment=comment,
                source="admin",
            )

        return _confirm_then_apply(modeladmin, request, rows, notes, step, apply)

    run.__name__ = transition.action
    return admin.action(description=f"{transition.label} the selected versions", permissions=["steward"])(run)


@admin.action(description="Delete the selected Drafts", permissions=["delete"])
def delete_drafts(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[ContractVersion]) -> Any:
    rows = list(queryset.select_related("contract"))
    notes = ["" if can_delete(row.status) else f"{row.status_label}: only Drafts can be deleted" for row in rows]

    def apply(row: ContractVersion, comment: str) -> None:
        contract_delete(contract_id=row.contract.contract_id, version=row.version, user=request.user, comment=comment)

    step = Step("delete_drafts", "Delete", "deleted", "optional", "Reason")
    return _confirm_then_apply(modeladmin, request, rows, notes, step, apply)


def _confirm_then_apply(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    rows: list[ContractVersion],
    notes: list[str],
    step: Step,
    apply: Callable[[ContractVersion, str], None],
) -> ActionResult:
    """The intermediate page on the first POST; on the confirming POST, apply to each row and report it."""
    confirming = request.POST.get("post") == "yes"
    form = ActionCommentForm(
        request.POST if confirming else None, required=step.comment == "required", label=step.comment_label
    )
    if confirming and form.is_valid():
        for row in rows:
            try:
                apply(row, form.cleaned_data["comment"])
            except (PortalError, PermissionDenied) as exc:
                # The admin capitalises the first letter of a message: start with a word, never with an id.
                messages.error(request, f"Refused: {row.contract.contract_id} {row.version}. {exc}")
            else:
                messages.success(request, f"{step.done.capitalize()}: {row.contract.contract_id} {row.version}.")
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": f"{step.verb} {len(rows)} version(s)",
        "opts": modeladmin.model._meta,
        "step": step,
        "rows": list(zip(rows, notes, strict=True)),
        "form": form,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "action": request.POST.get("action", step.name),
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, CONFIRM_TEMPLATE, context)


LIFECYCLE_ACTIONS = [
    lifecycle_action(lifecycle.BY_ACTION[name]) for name in ("approve", "reject", "deprecate", "reinstate")
]
