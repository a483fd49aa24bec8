"""The compare page: two version pickers and the semantic diff between them (the diff swaps alone with htmx)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from dc43_portal.contracts import selectors
from dc43_portal.contracts.http_errors import html_error, portal_errors
from dc43_portal.contracts.selectors import compare as comparisons
from dc43_portal.contracts.views.pages import read_access, render_page
from dc43_portal.errors import ContractNotFound

TABS = ("changes", "text")
LARGE_DIFF = 100


@require_safe
@read_access
@portal_errors
def contract_compare(request: HttpRequest, contract_id: str) -> HttpResponse:
    contract = selectors.contract_get(contract_id)
    versions = selectors.contract_versions(contract)
    old, new = request.GET.get("from"), request.GET.get("to")
    if old is None and new is None:
        # The bare page opens on the newest version against the last Validated one below it.
        old, new = comparisons.default_pair(versions) or (None, None)
    tab = request.GET.get("tab", TABS[0])
    tab = tab if tab in TABS else TABS[0]
    context: dict[str, Any] = {
        "contract": contract,
        "versions": versions,
        "from_version": old,
        "to_version": new,
        "tab": tab,
        "nav": "contracts",
    }
    status = 200
    if old is None and new is None:
        context["error"] = "This contract has a single version: there is nothing to compare yet."
    else:
        try:
            found = comparisons.comparison_get(contract.contract_id, old, new)
        except (comparisons.InvalidComparison, ContractNotFound) as exc:
            context["error"], status = str(exc), exc.status_code
        else:
            context |= _comparison_context(found, tab)
            context["open_object"] = request.GET.get("object")
            if getattr(request, "htmx", None) and context["open_object"] is not None:
                return _object_rows(request, context)
    response = render_page(request, "contracts/compare.html", "diff", context)
    response.status_code = status
    return response


def _object_rows(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    """One collapsed schema object's changes, asked for when its <details> opens."""
    group = next((g for g in context["objects"] if g.name == context["open_object"]), None)
    if group is None:
        return html_error(request, ContractNotFound(f"no changed schema object {context['open_object']!r}"))
    return render(request, "contracts/compare.html#object-rows", {**context, "group": group})


def _comparison_context(found: comparisons.Comparison, tab: str) -> dict[str, Any]:
    return {
        # Many changes: schema objects collapse and load on demand, so the page stays fast to render.
        "large": len(found.changes) > LARGE_DIFF,
        "comparison": found,
        "counts": {severity.replace("-", "_"): n for severity, n in found.counts().items()},
        "objects": comparisons.schema_groups(found.changes),
        "sections": comparisons.section_groups(found.changes),
        # The text diff costs seconds on large documents: only when its tab is open, cached, bounded.
        "text": comparisons.text_diff(found) if tab == "text" else None,
    }
