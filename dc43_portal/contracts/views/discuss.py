"""The version page's discussion: post a comment or a change request, resolve one, turn a change request into a
Draft. Plain POSTs that redirect back to the discussion (POST-redirect-GET), so no JavaScript is needed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from dc43_portal.contracts import services
from dc43_portal.contracts.http_errors import html_error
from dc43_portal.contracts.models import Comment
from dc43_portal.contracts.views.pages import login_needed
from dc43_portal.errors import ContractNotFound, InvalidContract, PortalError


def _back(contract_id: str, version: str) -> HttpResponse:
    return redirect(reverse("contracts:version", args=[contract_id, version]) + "#discussion")


@require_POST
@login_needed
def comment_post(request: HttpRequest, contract_id: str, version: str) -> HttpResponse:
    try:
        services.comment_add(
            contract_id=contract_id,
            version=version,
            user=request.user,
            body=request.POST.get("body", ""),
            change_request=request.POST.get("change_request") == "yes",
        )
    except ContractNotFound as exc:
        return html_error(request, exc)
    except InvalidContract as exc:
        messages.error(request, "; ".join(msg for _, msg in exc.errors))
        return _back(contract_id, version)
    except (PermissionDenied, PortalError) as exc:
        messages.error(request, str(exc))
        return _back(contract_id, version)
    messages.success(request, "Your comment was added.")
    return _back(contract_id, version)


@require_POST
@login_needed
def comment_resolve(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None:
        return html_error(request, ContractNotFound(f"comment {comment_id} not found"))
    try:
        services.comment_resolve(comment_id=comment_id, user=request.user)
        messages.success(request, "Comment resolved.")
    except (PermissionDenied, PortalError) as exc:
        messages.error(request, str(exc))
    return _back(comment.contract_id, comment.version)


@require_POST
@login_needed
def change_request_accept(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = Comment.objects.filter(pk=comment_id, change_request=True).first()
    if comment is None:
        return html_error(request, ContractNotFound(f"change request {comment_id} not found"))
    try:
        row = services.change_request_accept(comment_id=comment_id, user=request.user)
    except (PermissionDenied, PortalError) as exc:
        messages.error(request, str(exc))
        return _back(comment.contract_id, comment.version)
    messages.success(request, f"Change request #{comment.pk} is now Draft {row.version}: edit it, then submit it.")
    return redirect("contracts:edit", row.contract.contract_id, row.version)
