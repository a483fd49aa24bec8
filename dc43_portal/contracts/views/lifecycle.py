"""The lifecycle buttons: one POST, told apart by the button's ``action``.

A plain POST redirects back to the version page (POST-redirect-GET). An htmx POST gets only the
lifecycle panel, plus the timeline, the status badge and the warnings out of band, and a
``queue-changed`` event that refreshes the nav's review count. A refused move re-renders the panel
with the reason and the status code of the error (403, 400, 409), and writes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from dc43_portal import statuses
from dc43_portal.contracts import lifecycle, selectors, services
from dc43_portal.contracts.http_errors import html_error, status_of
from dc43_portal.contracts.models import ContractVersion
from dc43_portal.contracts.services.compatibility import review_verdict
from dc43_portal.contracts.views.pages import HtmxHttpRequest, login_needed, version_context
from dc43_portal.errors import (
    ContractConflict,
    ContractNotFound,
    InvalidContract,
    PortalError,
    StaleWrite,
    StoreUnavailable,
)
from dc43_portal.ids import check_contract_id
from dc43_portal.versioning import parse_version


@require_http_methods(["GET", "HEAD", "POST"])
def version_transition(request: HtmxHttpRequest, contract_id: str, version: str) -> HttpResponse:
    try:
        # A malformed path has no page to show a refusal on (and a NUL in it must never reach a query).
        check_contract_id(contract_id)
        parse_version(version)
    except InvalidContract as exc:
        return _page_error(request, exc)
    page = reverse("contracts:version", args=[contract_id, version]) + "#lifecycle"
    if request.method != "POST":
        # A bookmarked or post-login GET lands on the panel rather than on a "use POST" page.
        return redirect(page)
    if not request.user.is_authenticated:
        return _signed_out(request, page)
    move = lifecycle.BY_ACTION.get(request.POST.get("action", ""))
    try:
        if move is None:
            raise InvalidContract([("action", "Choose one of the lifecycle buttons.")])
        _check_acknowledged(request, contract_id, version, move.action)
        row = services.contract_transition(
            contract_id=contract_id,
            version=version,
            to_status=move.target,
            user=request.user,
            comment=request.POST.get("comment", ""),
            replaced_by=request.POST.get("replaced_by") or None,
            expected_fingerprint=request.POST.get("fingerprint") or None,
            source="ui",
            action=move.action,
            sunset=request.POST.get("sunset") or None,
        )
    except (ContractNotFound, StoreUnavailable) as exc:
        return _page_error(request, exc)
    except (PermissionDenied, PortalError) as exc:
        try:
            return _refused(request, contract_id, version, exc)
        except PortalError:
            # No page to show the reason on (a malformed id or version, a store gone meanwhile).
            return _page_error(request, exc)
    done = f"{row.contract.contract_id} {row.version} {move.done}: it is now {statuses.label(row.status)}."
    if move.action == "approve" and row.status == statuses.PROPOSED:
        done = f"{row.contract.contract_id} {row.version}: your approval is recorded; the domain's policy needs more."
    if not request.htmx:
        messages.success(request, done)
        return redirect(page)
    response = _panel(request, contract_id, version, notice=done)
    return trigger_client_event(response, "queue-changed")


def _check_acknowledged(request: HtmxHttpRequest, contract_id: str, version: str, action: str) -> None:
    """Submitting a version that approval would refuse takes an explicit acknowledgement (a checkbox)."""
    if action != "submit" or request.POST.get("acknowledge"):
        return
    found = selectors.version_get(contract_id, version)
    if review_verdict(found.row, found.document).refused:
        raise InvalidContract(
            [("acknowledge", "Approval would refuse this version as it stands: tick the box to submit it anyway.")]
        )


@require_POST
@login_needed
def version_discard(request: HtmxHttpRequest, contract_id: str, version: str) -> HttpResponse:
    """An author discards their own Draft: a plain POST (confirmed by a checkbox), then the contract page."""
    try:
        check_contract_id(contract_id)
        parse_version(version)
    except InvalidContract as exc:
        return _page_error(request, exc)
    try:
        if request.POST.get("confirm") != "yes":
            raise InvalidContract([("confirm", "Tick the box to confirm that this Draft should be discarded.")])
        services.contract_discard(
            contract_id=contract_id, version=version, user=request.user, comment=request.POST.get("comment", "")
        )
    except (ContractNotFound, StoreUnavailable) as exc:
        return _page_error(request, exc)
    except (PermissionDenied, PortalError) as exc:
        return _refused(request, contract_id, version, exc)
    messages.success(request, f"{contract_id} {version} was discarded.")
    if ContractVersion.objects.filter(contract__contract_id=contract_id).exists():
        return redirect("contracts:detail", contract_id)
    return redirect("contracts:list")


def _panel(
    request: HtmxHttpRequest, contract_id: str, version: str, status: int = 200, **extra: object
) -> HttpResponse:
    """The lifecycle panel, with the timeline and the heading's badge swapped out of band."""
    context = version_context(request, contract_id, version, oob=True, **extra)
    body = "".join(
        render_to_string(f"contracts/version.html#{name}", context, request=request)
        for name in ("lifecycle", "timeline", "status-badge", "actions", "warnings")
    )
    return HttpResponse(body, status=status)


def _refused(request: HtmxHttpRequest, contract_id: str, version: str, exc: Exception) -> HttpResponse:
    status = 409 if isinstance(exc, StaleWrite) else status_of(exc)
    message = str(exc) or "You are not allowed to do that."
    if isinstance(exc, InvalidContract):
        message = "; ".join(msg for _, msg in exc.errors)
    posted = request.POST.get("status", "")
    current = ContractVersion.objects.filter(contract__contract_id=contract_id, version=version).first()
    extra: dict[str, object] = {"error": message, "posted": request.POST}
    if isinstance(exc, ContractConflict | StaleWrite) and current and posted and posted != current.status:
        by = f" by {current.status_changed_by}" if current.status_changed_by else ""
        message = (
            f"This version changed while you were looking at it: it is now {statuses.label(current.status)}{by}. "
            f"Nothing was written. {message}"
        )
        # The buttons changed: a fresh form, so a reason typed to reject never lands in another action's field.
        extra = {"error": message, "typed": request.POST.get("comment", "")}
    if request.htmx:
        return _panel(request, contract_id, version, status=status, **extra)
    context = version_context(request, contract_id, version, **extra)
    return render(request, "contracts/version.html", context, status=status)


def _signed_out(request: HtmxHttpRequest, page: str) -> HttpResponse:
    """A POST after the session ended: htmx gets a 401 notice in the panel (the form keeps its text), a plain
    form a sign-in that comes back to the version page, never to this POST-only URL."""
    login = redirect_to_login(page)
    if not request.htmx:
        return login
    body = render_to_string("contracts/_session.html", {"kind": "expired", "login_url": login["Location"]}, request)
    return reswap(retarget(HttpResponse(body, status=401), "#lifecycle-alert"), "innerHTML")


def _page_error(request: HtmxHttpRequest, exc: Exception) -> HttpResponse:
    """The error page; for htmx it replaces the whole main area, since the panel has no version to show."""
    if not request.htmx:
        return html_error(request, exc)
    status = status_of(exc)
    context = {"status": status, "message": str(exc), "exc": exc}
    body = render_to_string("error.html#error-body", context, request)
    return reswap(retarget(HttpResponse(body, status=status), "main"), "innerHTML")
