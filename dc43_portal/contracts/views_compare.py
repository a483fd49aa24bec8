"""The compare page: two version pickers and the semantic diff between them (the diff swaps alone with htmx)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from dc43_portal.contracts import selectors, selectors_diff
from dc43_portal.contracts.http_errors import portal_errors
from dc43_portal.contracts.views import read_access, render_page
from dc43_portal.errors import ContractNotFound

TABS = ("changes", "text")


@require_safe
@read_access
@portal_errors
def contract_compare(request: HttpRequest, contract_id: str) -> HttpResponse:
    contract = selectors.contract_get(contract_id)
    versions = selectors.contract_versions(contract)
    old, new = request.GET.get("from"), request.GET.get("to")
    if old is None and new is None:
        # The bare page opens on the newest version against the last Validated one below it.
        old, new = selectors_diff.default_pair(versions) or (None, None)
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
            found = selectors_diff.comparison_get(contract.contract_id, old, new)
        except (selectors_diff.InvalidComparison, ContractNotFound) as exc:
            context["error"], status = str(exc), exc.status_code
        else:
            context |= _comparison_context(found, tab)
    response = render_page(request, "contracts/compare.html", "diff", context)
    response.status_code = status
    return response


def _comparison_context(found: selectors_diff.Comparison, tab: str) -> dict[str, Any]:
    return {
        "comparison": found,
        "counts": {severity.replace("-", "_"): n for severity, n in found.counts().items()},
        "objects": selectors_diff.schema_groups(found.changes),
        "sections": selectors_diff.section_groups(found.changes),
        # The text diff costs seconds on a 2,000-property contract: only when its tab is open.
        "text_lines": selectors_diff.text_diff(found) if tab == "text" else None,
    }
