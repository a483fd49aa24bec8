"""The document editor: upload a new contract, start a new version from an existing one, or edit a Draft.

Whatever the document says, it is saved as a Draft (``contract_publish`` owns the status). Errors come
back inline, each with its JSON path, and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from dc43_portal import odcs, statuses
from dc43_portal.accounts import roles
from dc43_portal.contracts import lifecycle, selectors, services
from dc43_portal.contracts.forms import TOO_LARGE, DocumentForm
from dc43_portal.contracts.http_errors import portal_errors
from dc43_portal.contracts.models import Contract, ContractVersion
from dc43_portal.contracts.selectors.check import contract_check, stale_edit
from dc43_portal.contracts.views.pages import login_needed
from dc43_portal.diff.compatibility import split_warnings
from dc43_portal.errors import ContractConflict, ContractNotFound, InvalidContract, PortalError, StaleWrite
from dc43_portal.versioning import BUMPS, highest, parse_version


@dataclass
class Target:
    """What the editor may save: any new version, a new version of one contract, or one Draft."""

    mode: str  # "upload", "new" or "edit"
    contract_id: str = ""
    version: str = ""
    fingerprint: str = ""


def _require_author(request: HttpRequest, domain: str | None = None) -> None:
    """An author somewhere (the upload page), or of ``domain`` (a contract's own pages)."""
    actor = roles.actor_anywhere(request.user) if domain is None else roles.actor_in(request.user, domain)
    if not lifecycle.can_publish(actor):
        where = "" if domain is None else f" of domain {domain!r}" if domain else " without a domain"
        raise PermissionDenied(f"Only authors publish versions{where}; ask an administrator for the author role.")


@login_needed
@portal_errors
def contract_upload(request: HttpRequest) -> HttpResponse:
    _require_author(request)
    return _editor(request, Target("upload"), initial="")


@login_needed
@portal_errors
def version_new(request: HttpRequest, contract_id: str) -> HttpResponse:
    contract = selectors.contract_get(contract_id)
    _require_readable_author(request, contract)
    versions = [v.version for v in selectors.contract_versions(contract)]
    source = request.GET.get("from") or highest(versions) or ""
    bump = request.GET.get("bump", "")
    bump = bump if bump in BUMPS else "minor"
    found = selectors.version_get(contract_id, source)
    suggested = lifecycle.suggest_version(source, bump, versions)
    initial = selectors.version_yaml(found, status=statuses.DRAFT, version=suggested)
    extra = {"source": source, "bump": bump, "bumps": BUMPS, "suggested": suggested, "contract": contract}
    return _editor(request, Target("new", contract_id), initial=initial, **extra)


@login_needed
@portal_errors
def version_edit(request: HttpRequest, contract_id: str, version: str) -> HttpResponse:
    found = selectors.version_get(contract_id, version)
    _require_readable_author(request, found.row.contract)
    if not lifecycle.can_edit(found.row.status):
        raise ContractConflict(
            f"{contract_id} {version} is {statuses.label(found.row.status)}: its content can no longer change. "
            "Start a new version from it instead."
        )
    target = Target("edit", contract_id, version, odcs.fingerprint(found.document))
    extra = {"contract": found.row.contract, "row": found.row}
    return _editor(request, target, initial=selectors.version_yaml(found), **extra)


def _require_readable_author(request: HttpRequest, contract: Any) -> None:
    if not roles.can_read(request.user, contract.domain):
        raise ContractNotFound(f"contract {contract.contract_id} not found")
    _require_author(request, contract.domain)


def _editor(request: HttpRequest, target: Target, *, initial: str, **extra: Any) -> HttpResponse:
    """GET shows the editor; POST validates, saves a Draft and redirects, or shows the errors inline."""
    if request.method != "POST":
        form = DocumentForm(initial={"document": initial, "expected_fingerprint": target.fingerprint})
        return _render(request, form, target, **extra)
    form = DocumentForm(request.POST, request.FILES)
    if request.POST.get("check"):
        return _check(request, form, target, **extra)
    if not form.is_valid():
        status = 413 if form.has_error(NON_FIELD_ERRORS, TOO_LARGE) else 400
        return _render(request, form, target, status=status, **extra)
    doc: dict[str, Any] | None = None
    try:
        doc = services.document_parse(form.cleaned_data["source"])
        _check_target(doc, target)
        _check_domain(request, doc)
        result = services.contract_publish(
            document=doc,
            actor=request.user.get_username(),
            expected_fingerprint=form.cleaned_data.get("expected_fingerprint") or None,
            create_only=target.mode != "edit",
            source="ui",
            source_text=_text(form.cleaned_data["source"]),
        )
    except (PortalError, PermissionDenied) as exc:
        return _refused(request, form, target, exc, doc, **extra)
    row = result.version
    if not result.changed:
        messages.info(request, f"{row.contract.contract_id} {row.version}: nothing changed.")
    else:
        messages.success(request, f"Saved {row.contract.contract_id} {row.version} as a Draft.")
    for warning in result.warnings:
        messages.warning(request, warning)
    return redirect(reverse("contracts:version", args=[row.contract.contract_id, row.version]))


def _check_domain(request: HttpRequest, doc: dict[str, Any]) -> None:
    """The author must hold the role in the document's domain and in the contract's current one."""
    current = Contract.objects.filter(contract_id=doc.get("id")).values_list("domain", flat=True).first()
    refusal = roles.publish_refusal(request.user, str(doc.get("domain") or ""), current)
    if refusal:
        raise PermissionDenied(refusal)


def _refused(
    request: HttpRequest,
    form: DocumentForm,
    target: Target,
    exc: PortalError | PermissionDenied,
    doc: dict[str, Any] | None,
    **extra: Any,
) -> HttpResponse:
    """The editor again with what was typed or uploaded, the errors, and for a stale edit who changed what."""
    status = 403 if isinstance(exc, PermissionDenied) else 409 if isinstance(exc, StaleWrite) else exc.status_code
    errors = exc.errors if isinstance(exc, InvalidContract) else [("", str(exc))]
    if form.cleaned_data.get("upload") is not None:
        form = _with_text(request, form.cleaned_data["source"])
    if isinstance(exc, StaleWrite) and target.mode == "edit" and doc is not None:
        extra["conflict"] = stale_edit(target.contract_id, target.version, doc)
    return _render(request, form, target, status=status, errors=errors, **extra)


def _check(request: HttpRequest, form: DocumentForm, target: Target, **extra: Any) -> HttpResponse:
    """The editor's Check: the API's check of what was typed, nothing saved; htmx gets the results alone."""
    if form.is_valid():
        try:
            check = contract_check(form.cleaned_data["source"])
        except PortalError as exc:  # too large for the limit
            check = {"valid": False, "errors": [{"path": "$", "message": str(exc), "line": None}]}
        if form.cleaned_data.get("upload") is not None:  # show the file's text, whose lines the results name
            form = _with_text(request, form.cleaned_data["source"])
    else:
        problems = [str(e) for e in form.non_field_errors()] or ["Nothing to check."]
        check = {"valid": False, "errors": [{"path": "$", "message": m, "line": None} for m in problems]}
    shown = {"check": check, **_verdict_shown(check)}
    if getattr(request, "htmx", False):
        return render(request, "contracts/edit.html#check-results", shown)
    return _render(request, form, target, **shown, **extra)


def _verdict_shown(check: dict[str, Any]) -> dict[str, Any]:
    """The check's compatibility verdict in the version page's blocks, and the other refusals apart from it."""
    approval = check.get("approval") or {}
    verdict = approval.get("compatibility") or {}
    tagged = [*verdict.get("objections", []), *verdict.get("warnings", [])]
    return {
        "verdict_groups": split_warnings(tagged)[1],
        "refusals": [r for r in approval.get("reasons", []) if r not in tagged],
    }


def _text(source: bytes | str) -> str:
    """A file's text as uploaded; typed text with the browser's CRLF line ends back to LF."""
    return source.decode("utf-8-sig", errors="replace") if isinstance(source, bytes) else source.replace("\r\n", "\n")


def _with_text(request: HttpRequest, source: bytes | str) -> DocumentForm:
    """The posted form with the uploaded file's text in the editor, so nothing typed or uploaded is lost."""
    data = request.POST.copy()
    data["document"] = _text(source)
    return DocumentForm(data)


def _check_target(doc: dict[str, Any], target: Target) -> None:
    """The editor saves what its page is about: one Draft, a new version of one contract, or a new version."""
    contract_id, version = doc.get("id"), doc.get("version")
    if target.contract_id and contract_id != target.contract_id:
        raise InvalidContract([("id", f"this page saves versions of {target.contract_id}, not {contract_id}")])
    if target.mode == "edit":
        if version != target.version:
            raise InvalidContract(
                [("version", f"this page edits {target.version}; to save {version}, start a new version")]
            )
        return
    parse_version(version)
    existing = ContractVersion.objects.filter(contract__contract_id=contract_id, version=version).first()
    if existing is not None:
        hint = "edit that Draft instead" if lifecycle.can_edit(existing.status) else "choose a higher version"
        raise InvalidContract([("version", f"{contract_id} {version} already exists; {hint}")])


def _render(
    request: HttpRequest, form: DocumentForm, target: Target, status: int = 200, **context: Any
) -> HttpResponse:
    context |= {"form": form, "target": target}
    return render(request, "contracts/edit.html", context, status=status)
