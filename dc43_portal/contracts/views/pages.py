"""Read pages: thin, typed; they parse, call one selector, and render a page or, for htmx, a fragment.

The lifecycle buttons are in ``views/lifecycle.py``; the document editor is in ``views/edit.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from dc43_portal import odcs, statuses
from dc43_portal.accounts import policies, roles
from dc43_portal.contracts import lifecycle, selectors
from dc43_portal.contracts.forms import ActivityFilterForm, ContractFilterForm
from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.http_errors import html_error, portal_errors
from dc43_portal.contracts.models import Comment, LifecycleEvent
from dc43_portal.contracts.services.compatibility import queue_verdicts, review_verdict
from dc43_portal.contracts.services.lifecycle import version_facts, versions_facts
from dc43_portal.diff.compatibility import split_warnings
from dc43_portal.errors import ContractNotFound, PortalError
from dc43_portal.governance import selectors as governance
from dc43_portal.versioning import parse_version

PAGE_SIZE = 50
LATEST = "latest"
TIMELINE_SIZE = 100
LARGE_CONTRACT_PROPERTIES = 300  # above it, schema objects load on demand (a 2,000-property page was 1.16 MB)


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's middleware (for the type checker)."""

    htmx: HtmxDetails


def _to_login(request: HttpRequest) -> HttpResponse:
    """Send a visitor to log in; an htmx request gets a full-page redirect rather than a login form fragment."""
    response = redirect_to_login(request.get_full_path())
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(response["Location"])
    return response


def read_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged-in users may read; anonymous visitors only when ``DC43_UI_ANONYMOUS_READ`` is on."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and not settings.DC43_UI_ANONYMOUS_READ:
            return _to_login(request)
        if roles.has_no_role(request.user):
            return no_role(request)
        return view(request, *args, **kwargs)

    return wrapper


def no_role(request: HttpRequest) -> HttpResponse:
    """A signed-in user without any role sees nothing but whom to ask."""
    admins = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("username")
    context = {"contact": settings.DC43_ACCESS_CONTACT, "admins": [a.get_username() for a in admins[:5]]}
    return render(request, "no_role.html", context, status=403)


def _readable(request: HttpRequest, contract: Any) -> None:
    """A contract outside the reader's domains is not found, as if it did not exist."""
    if not roles.can_read(request.user, contract.domain):
        raise ContractNotFound(f"contract {contract.contract_id} not found")


def login_needed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Writes always need a signed-in user, whatever the anonymous-read setting says."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return _to_login(request)
        return view(request, *args, **kwargs)

    return wrapper


def render_page(request: HttpRequest, template: str, target: str, context: dict[str, Any]) -> HttpResponse:
    """The fragment ``template#target`` when htmx asked to swap ``#target``, else the whole page."""
    htmx = getattr(request, "htmx", None)
    name = f"{template}#{target}" if htmx and htmx.target == target and not htmx.boosted else template
    response = render(request, name, context)
    # One URL, two bodies: caches and the back button must tell them apart.
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


@require_safe
@read_access
def contract_list(request: HttpRequest) -> HttpResponse:
    form = ContractFilterForm(request.GET)
    filters = form.filters()
    contracts = selectors.contract_search(
        query=filters["q"],
        status=filters["status"],
        domain=filters["domain"],
        owner=filters["owner"],
        tag=filters["tag"],
        sort=filters["sort"],
        domains=roles.readable_domains(request.user),
    )
    if filters["health"]:
        contracts = contracts.filter(contract_id__in=governance.unhealthy_contract_ids(filters["health"]))
    page = Paginator(contracts, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_version_stats(list(page.object_list))
    health = governance.contract_health(c.contract_id for c in page.object_list)
    for c in page.object_list:
        c.health = health.get(c.contract_id, "")  # type: ignore[attr-defined]
    context = {
        "page": page,
        "filters": filters,
        "filtered": any(v for k, v in filters.items() if k != "sort"),
        "statuses": statuses.CHOICES,
        "health_choices": [("unhealthy", "Blocked or warning"), ("block", "Blocked"), ("warn", "Warning")],
        "sorts": [
            ("relevance", "Best match"),
            ("id", "Id"),
            ("name", "Name"),
            ("domain", "Domain"),
            ("owner", "Owner"),
            ("updated", "Recently changed"),
            ("versions", "Most versions"),
        ],
        **selectors.contract_facets(roles.readable_domains(request.user)),
    }
    return render_page(request, "contracts/list.html", "results", context | {"nav": "contracts"})


@require_safe
@read_access
@portal_errors
def contract_detail(request: HttpRequest, contract_id: str) -> HttpResponse:
    contract = selectors.contract_get(contract_id)
    _readable(request, contract)
    versions = selectors.contract_versions(contract)
    validated = max(
        (v for v in versions if v.status == statuses.ACTIVE), key=lambda v: parse_version(v.version), default=None
    )
    # Each row compares with the next lower version (the list is newest first).
    rows = [(v, versions[i + 1] if i + 1 < len(versions) else None) for i, v in enumerate(versions)]
    context = {
        "contract": contract,
        "rows": rows,
        "latest_validated": validated,
        "counts": {s: sum(1 for v in versions if v.status == s) for s in statuses.STATUSES},
        "newest": versions[0] if versions else None,
        "events": selectors.version_events(contract.contract_id)[:15],
        "can_publish": lifecycle.can_publish(roles.actor_in(request.user, contract.domain)),
        "nav": "contracts",
    }
    return render(request, "contracts/detail.html", context)


def version_context(request: HttpRequest, contract_id: str, version: str, **extra: Any) -> dict[str, Any]:
    """Everything the version page and its lifecycle fragment show; ``extra`` carries a form error."""
    found = selectors.version_get(contract_id, version)
    row = found.row
    _readable(request, row.contract)
    actor = roles.actor_in(request.user, row.contract.domain)
    facts = policies.with_approvals(version_facts(row), row)
    others = [v for v in selectors.contract_versions(row.contract) if v.version != row.version]
    validation_warnings, compatibility_warnings = split_warnings(list(row.warnings or []))
    allowed = lifecycle.allowed_transitions(facts, actor)
    verdict = review_verdict(row, found.document)
    if row.status in (statuses.DRAFT, statuses.PROPOSED):
        # The verdict approval would give now, against today's baseline, not the one stored at publication.
        compatibility_warnings = verdict.groups
    large = (row.property_count or 0) > LARGE_CONTRACT_PROPERTIES
    return {
        "contract": row.contract,
        "row": row,
        "doc": found.document,
        # A large contract's page shows its objects collapsed and links to the raw text rather than inlining it.
        "large": large,
        "open_object": request.GET.get("object"),
        "doc_yaml": None if large else selectors.version_yaml(found),
        "doc_json": None if large else odcs.dump_json(found.document),
        "events": selectors.version_events(contract_id, version)[:TIMELINE_SIZE],
        "allowed": allowed,
        "blocked": lifecycle.blocked_transitions(facts, actor),
        "can_discard": lifecycle.discard_refusal(facts, actor) is None,
        "comments": list(Comment.objects.filter(contract_id=contract_id, version=version)),
        "facts": facts,
        "approvals": lifecycle.approval_summary(facts),
        "actor": actor,
        "can_edit": lifecycle.can_publish(actor) and lifecycle.can_edit(row.status),
        "can_publish": lifecycle.can_publish(actor),
        # Only a newer Validated version can replace this one (the service refuses anything else too).
        "replacements": [
            v for v in others if v.status == statuses.ACTIVE and parse_version(v.version) > parse_version(row.version)
        ],
        "previous": next((v for v in others if parse_version(v.version) < parse_version(row.version)), None),
        "validation_warnings": validation_warnings,
        "compatibility_warnings": compatibility_warnings,
        "verdict": verdict,
        "store_history": _store_history(contract_id, version),
        "stepper": _stepper(row.status),
        "nav": "contracts",
        **_governance(contract_id, row.version, [t.action for t in allowed], others),
        **extra,
    }


def _governance(contract_id: str, version: str, actions: list[str], others: list[Any]) -> dict[str, Any]:
    """The pipelines' side: who uses this version, its data quality, and what approving or deprecating hits."""
    versions = [v.version for v in others]
    highest_active = max((parse_version(v.version).major for v in others if v.status == statuses.ACTIVE), default=None)
    impact, impact_of = [], ""
    if "approve" in actions and highest_active is not None and parse_version(version).major > highest_active:
        impact, impact_of = governance.previous_major_impact(contract_id, version, versions), "approve"
    elif "deprecate" in actions:
        impact, impact_of = governance.major_line_impact(contract_id, version, [*versions, version]), "deprecate"
    return {
        "usage": governance.version_usage(contract_id, version),
        "quality": governance.version_quality(contract_id, version),
        "impact": impact,
        "impact_of": impact_of,
        "major": parse_version(version).major,
    }


def _stepper(status: str) -> list[dict[str, Any]]:
    """The four statuses in order, each marked done, current or ahead, for the lifecycle panel."""
    order = list(statuses.STATUSES)
    current = order.index(status) if status in order else 0
    return [
        {
            "value": s,
            "label": statuses.label(s),
            "state": "current" if i == current else "done" if i < current else "ahead",
        }
        for i, s in enumerate(order)
    ]


def _store_history(contract_id: str, version: str) -> dict[str, Any] | None:
    """What the store itself remembers of this version, when it keeps a history (Git, Delta, ...)."""
    store = default_store()
    if not getattr(store, "supports_history", False):
        return None
    try:
        entries = [e for e in store.history(contract_id) if e.version == version]
    except (PortalError, OSError) as exc:
        return {"entries": [], "error": str(exc)}
    # Stores list oldest first; a stable sort keeps their order within one second (Git's clock), then newest first.
    return {"entries": sorted(entries, key=lambda e: e.when)[::-1][:20], "error": ""}


@require_safe
@read_access
@portal_errors
def version_detail(request: HttpRequest, contract_id: str, version: str) -> HttpResponse:
    if version == LATEST:  # the version the API's latest route serves, so a link from a job's config matches
        found = selectors.latest_version(contract_id, status=settings.DC43_API_LATEST_STATUS or None)
        return redirect("contracts:version", contract_id, found.version)
    context = version_context(request, contract_id, version)
    htmx = getattr(request, "htmx", None)
    if htmx and context["open_object"] is not None:
        # One collapsed schema object's properties, asked for when its <details> opens.
        obj = next((o for o in context["doc"].get("schema") or [] if o.get("name") == context["open_object"]), None)
        if obj is None:
            return html_error(request, ContractNotFound(f"no schema object {context['open_object']!r}"))
        return render(request, "contracts/_properties.html", {"properties": obj.get("properties") or []})
    return render_page(request, "contracts/version.html", "lifecycle", context)


@require_safe
@read_access
@portal_errors
def version_download(request: HttpRequest, contract_id: str, version: str, fmt: str) -> HttpResponse:
    if fmt not in ("json", "yaml"):
        return render(request, "error.html", {"status": 404, "message": "Download as .json or .yaml"}, status=404)
    found = selectors.version_get(contract_id, version)
    if fmt == "json":
        body, content_type = odcs.dump_json(found.document), "application/json"
    else:
        body, content_type = selectors.version_yaml(found), "application/yaml"
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_safe_name(contract_id)}-{_safe_name(version)}.{fmt}"'
    return response


def _safe_name(text: str) -> str:
    return "".join(c if c.isalnum() or c in "._-+" else "_" for c in text)


@require_safe
@read_access
def review_queue(request: HttpRequest) -> HttpResponse:
    actor = roles.actor_anywhere(request.user)
    queue = selectors.review_queue(roles.readable_domains(request.user))
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    versions = selectors.with_review_baselines(list(page.object_list))
    for row, verdict in zip(versions, queue_verdicts(versions), strict=True):
        row.verdict = verdict  # type: ignore[attr-defined]
    rows = [
        (row, facts, lifecycle.user_can(roles.actor_in(request.user, row.contract.domain), "approve", facts))
        for row, facts in zip(versions, versions_facts(versions), strict=True)
    ]
    return render(request, "contracts/queue.html", {"rows": rows, "page": page, "actor": actor, "nav": "queue"})


@require_safe
@read_access
def queue_badge(request: HttpRequest) -> HttpResponse:
    """The nav link with its count, re-fetched by htmx when a lifecycle button fires ``queue-changed``."""
    return render(request, "base.html#queue-link")


@require_safe
@read_access
def activity(request: HttpRequest) -> HttpResponse:
    form = ActivityFilterForm(request.GET)
    filters = form.filters()
    # Who did what is for stewards and admins; everyone else sees what happened, not by whom.
    show_actors = roles.actor_anywhere(request.user).is_steward
    if not show_actors:
        filters["actor"] = ""
    events = selectors.activity(
        actor=filters["actor"],
        contract_id=filters["contract"],
        action=filters["action"],
        domains=roles.readable_domains(request.user),
    )
    context = {
        "page": Paginator(events, PAGE_SIZE).get_page(request.GET.get("page")),
        "filters": filters,
        "filtered": any(filters.values()),
        "show_actors": show_actors,
        "actors": selectors.activity_actors() if show_actors else [],
        "actions": LifecycleEvent.Action.choices,
    }
    return render_page(request, "contracts/activity.html", "results", context | {"nav": "activity"})
