"""What dc43's service routes share: typed bodies and query parameters, the actor, one transaction,
and dc43's exceptions mapped to the portal's JSON errors (dc43 itself would answer most of them with 500)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from pydantic import BaseModel, ValidationError

from dc43_portal import odcs
from dc43_portal.api.auth import api_endpoint
from dc43_portal.api.errors import BadRequest, ReviewRequired, Unprocessable
from dc43_portal.api.inputs import JSON_TYPES, is_json_object_text, read_body
from dc43_portal.api.tokens import Caller
from dc43_portal.errors import ContractNotFound, InvalidContract, PortalError
from dc43_portal.governance.actor import acting_as

Body = TypeVar("Body", bound=BaseModel)
TRUE_WORDS = frozenset({"1", "true", "yes", "on", "t", "y"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", "f", "n"})
MAX_PARAM_CHARS = 1000


def body_of(request: HttpRequest, model: type[Body]) -> Body:
    """The JSON object body as ``model``: 400 when it is not JSON (or too large: 413), 422 when it does not fit."""
    raw, _ = read_body(request, accept=JSON_TYPES, limit=settings.DC43_MAX_DOCUMENT_BYTES)
    if not is_json_object_text(raw):
        raise BadRequest("the body must be a JSON object")
    try:
        data = odcs.parse_document(raw, max_bytes=settings.DC43_MAX_DOCUMENT_BYTES)
    except InvalidContract as exc:
        raise BadRequest(f"the body is not storable JSON: {exc}") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise unprocessable(exc) from None


def unprocessable(exc: ValidationError) -> Unprocessable:
    return Unprocessable(
        [(".".join(str(p) for p in error["loc"]), error["msg"]) for error in exc.errors(include_url=False)]
    )


def param(request: HttpRequest, name: str, *, required: bool = False) -> str | None:
    value = request.GET.get(name)
    if value is None:
        if required:
            raise Unprocessable([(f"query.{name}", "Field required")])
        return None
    return _checked(name, value)


def params(request: HttpRequest, name: str) -> list[str] | None:
    values = [_checked(name, value) for value in request.GET.getlist(name)]
    return values or None


def flag(request: HttpRequest, name: str) -> bool:
    raw = request.GET.get(name)
    if raw is None:
        return False
    value = raw.strip().lower()
    if value not in TRUE_WORDS | FALSE_WORDS:
        raise Unprocessable([(f"query.{name}", "Input should be a valid boolean")])
    return value in TRUE_WORDS


def _checked(name: str, value: str) -> str:
    if not value:
        # dc43's clients omit a parameter they do not mean; an empty one is a mistake, not "any".
        raise Unprocessable([(f"query.{name}", "String should have at least 1 character")])
    if len(value) > MAX_PARAM_CHARS or "\x00" in value:
        raise BadRequest(f"{name} must be at most {MAX_PARAM_CHARS} characters, without NUL")
    return value


def no_content() -> HttpResponse:
    response = HttpResponse(status=204)
    del response["Content-Type"]
    return response


def answer(value: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(value, status=status, safe=False)


def dc43_route(**scopes: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """``@dc43_route(POST="write")``: auth and methods as every API view; then the caller as actor, writes
    in one transaction (a refused call leaves nothing behind), and dc43's exceptions as JSON errors."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @api_endpoint(**scopes)
        @wraps(view)
        def wrapper(request: HttpRequest, caller: Caller, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                with acting_as(caller.username), transaction.atomic():
                    return view(request, *args, **kwargs)
            except PortalError:
                raise
            except FileNotFoundError as exc:
                raise ContractNotFound(str(exc.args[0]) if exc.args else "not found") from exc
            except ValidationError as exc:
                raise unprocessable(exc) from exc
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                # dc43's decoders fail this way on payloads of the wrong shape: the client's error, not ours.
                raise BadRequest(f"dc43 could not read the payload: {exc.__class__.__name__}: {exc}") from exc
            except RuntimeError as exc:
                raise ReviewRequired(str(exc)) from exc

        return wrapper

    return decorator
