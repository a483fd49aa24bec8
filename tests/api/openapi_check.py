"""Validate every ``/api`` response the suite produces against ``/api/v1/openapi.json``.

A test-only middleware, installed outermost for the whole session when ``tests/api`` is collected, so
responses to the test client and to ``live_server`` (dc43's client, the HTTP store, schemathesis)
are all checked. Problems are collected and asserted after each test by ``tests/api/conftest.py``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from typing import Any

import jsonschema_rs
from django.http import HttpRequest, HttpResponse

from dc43_portal.api.openapi import build

PREFIX = "/api/v1"
problems: list[str] = []
checked: list[int] = [0]


@cache
def spec() -> dict[str, Any]:
    return build()


@cache
def routes() -> list[tuple[re.Pattern[str], str]]:
    compiled = []
    for template in spec()["paths"]:
        regex = re.sub(r"\{[^}]+\}", "[^/]+", re.escape(template).replace(r"\{", "{").replace(r"\}", "}"))
        compiled.append((re.compile(f"^{regex}$"), template))
    # Literal segments win over parameters, as in Django's URL order (contracts/link before {contract_id}).
    return sorted(compiled, key=lambda item: item[1].count("{"))


@cache
def validator(schema_json: str) -> Any:
    schema = {**json.loads(schema_json), "components": spec()["components"]}
    return jsonschema_rs.Draft202012Validator(schema, validate_formats=False)


def problems_of(method: str, path: str, status: int, content_type: str, body: bytes) -> list[str]:
    where = f"{method} {path} -> {status}"
    template = next((t for rx, t in routes() if rx.match(path[len(PREFIX) :])), None)
    if template is None:
        return [] if status == 404 and _is_error(body) else [f"{where}: no such route in the OpenAPI document"]
    operation = spec()["paths"][template].get("get" if method == "HEAD" else method.lower())
    if operation is None:
        return [] if status == 405 and _is_error(body) else [f"{where}: method not described"]
    answer = operation["responses"].get(str(status))
    if answer is None:
        return [f"{where}: status not described for {template}"]
    content = answer.get("content")
    if not content or method == "HEAD":
        return [] if not body or method == "HEAD" else [f"{where}: a body where none is described"]
    media = content_type.split(";")[0].strip()
    if media not in content:
        return [f"{where}: content type {media!r} not described ({', '.join(content)})"]
    if media != "application/json":
        return []
    errors = [e.message for e in validator(json.dumps(content[media]["schema"])).iter_errors(json.loads(body))]
    return [f"{where}: {message}" for message in errors[:5]]


def _is_error(body: bytes) -> bool:
    try:
        data = json.loads(body)
    except ValueError:
        return False
    return isinstance(data, dict) and isinstance(data.get("detail"), str) and isinstance(data.get("error"), str)


class ValidateAgainstOpenAPI:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith(PREFIX + "/"):
            checked[0] += 1
            body = b"" if response.streaming else response.content
            problems.extend(
                problems_of(
                    request.method or "GET",
                    request.path_info,
                    response.status_code,
                    str(response.get("Content-Type", "")),
                    body,
                )
            )
        return response


MIDDLEWARE = f"{__name__}.ValidateAgainstOpenAPI"
