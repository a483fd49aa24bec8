"""HTTP-only refusals of the API; the portal's own errors come from ``dc43_portal.errors``."""

from __future__ import annotations

from dc43_portal.errors import InvalidContract, PortalError


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


class Unprocessable(InvalidContract):
    """A well-formed body or query that does not match dc43's schema: 422, as dc43's FastAPI answers."""

    status_code = 422
    code = "validation_error"


class ReviewRequired(PortalError):
    """dc43 stops a pipeline whose data-product registration needs a steward's review first."""

    status_code = 409
    code = "review_required"
