"""django-csp's middleware, with one fixed policy for the API's non-HTML answers.

django-csp builds its header from the settings on every response, about a quarter of a cached API read. A
JSON or YAML answer runs no script and embeds nothing, so it gets the strictest policy, precomputed.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware
from django.http import HttpRequest
from django.http.response import HttpResponseBase

API_PREFIX = "/api/"
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


class PortalCSPMiddleware(CSPMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        # A 304 carries Django's default text/html type but no body at all.
        is_html = response.status_code != 304 and str(response.get("Content-Type", "")).startswith("text/html")
        if request.path_info.startswith(API_PREFIX) and not is_html:
            response.headers.setdefault("Content-Security-Policy", API_POLICY)
            return response
        return super().process_response(request, response)
