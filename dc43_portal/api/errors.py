"""HTTP-only refusals of the API; the portal's own errors come from ``dc43_portal.errors``."""

from __future__ import annotations

from dc43_portal.errors import PortalError


class NotAuthenticated(PortalError):
    status_code = 401
    code = "not_authenticated"


class BadRequest(PortalError):
    """A query parameter or request body the API cannot read (not a document problem)."""

    status_code = 400
    code = "bad_request"


class PathMismatch(PortalError):
    status_code = 400
    code = "path_mismatch"


class UnsupportedMediaType(PortalError):
    status_code = 415
    code = "unsupported_media_type"


class LengthRequired(PortalError):
    """A body sent without Content-Length (chunked): the WSGI layer would hand the view an empty body."""

    status_code = 411
    code = "length_required"
