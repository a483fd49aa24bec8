"""Revalidations answered before Django (api/revalidation.py): the API's checks, Django's headers, and every
other request left to Django. Driven through the WSGI application the servers load (dc43_portal.wsgi).

Transactional: the lane closes obsolete connections as Django's handler does, which a test's open
transaction would not survive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory

from dc43_portal.accounts.models import RoleAssignment
from dc43_portal.api import representations
from dc43_portal.api.revalidation import RevalidationLane
from dc43_portal.api.tokens import forget_credentials, token_create, token_revoke
from dc43_portal.contracts.services import contract_publish
from dc43_portal.wsgi import application, django_application
from tests.api import openapi_check
from tests.conftest import make_doc
from tests.fixtures.cast import transition

pytestmark = [pytest.mark.database, pytest.mark.django_db(transaction=True)]
VERSION = "/api/v1/contracts/sales.orders/versions/1.0.0"
LATEST = "/api/v1/contracts/sales.orders/latest"
Answer = tuple[int, dict[str, str], bytes]


class Recorder:
    """Django behind the lane, counting the requests that reached it."""

    def __init__(self, django: Any = django_application) -> None:
        self.django = django
        self.calls = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        self.calls += 1
        return self.django(environ, start_response)


def call(app: Any, path: str, method: str = "GET", secure: bool = False, **headers: str) -> Answer:
    request = RequestFactory().generic(method, path, secure=secure, headers=headers)
    seen: dict[str, Any] = {}

    def start_response(status: str, header_list: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen["status"], seen["headers"] = int(status.split()[0]), dict(header_list)

    body = b"".join(app(request.environ, start_response))
    return seen["status"], seen["headers"], body


@pytest.fixture
def token(author: Any) -> str:
    contract_publish(document=make_doc(), actor=author.username)
    return token_create(user=author, name="job", scopes="read")[1]


def etag_of(token: str) -> str:
    status, headers, _ = call(application, VERSION, Authorization=f"Bearer {token}")
    assert status == 200
    return headers["ETag"]


def test_a_current_etag_is_a_304_with_djangos_headers_without_django(token: str) -> None:
    etag = etag_of(token)
    for path in (VERSION, LATEST):
        for held, scheme in (
            (etag, "Bearer"),
            (f"W/{etag}", "bearer"),
            (f'"other", {etag}', "Bearer"),
            ("*", "Bearer"),
        ):
            django = Recorder()
            answer = call(RevalidationLane(django), path, Authorization=f"{scheme} {token}", If_None_Match=held)
            assert (answer[0], answer[2], django.calls) == (304, b"", 0), (path, held)
            assert answer[1]["ETag"] == etag
            # The same request, answered by Django alone: the same status and headers.
            assert (
                call(django_application, path, Authorization=f"{scheme} {token}", If_None_Match=held)[:2] == answer[:2]
            )


def test_behind_a_tls_proxy_it_sends_hsts_and_leaves_plain_http_to_the_redirect(token: str, settings: Any) -> None:
    etag = etag_of(token)
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS = True, 3600
    headers = {"Authorization": f"Bearer {token}", "If_None_Match": etag}
    fresh = WSGIHandler()  # the loaded handler built its middleware with the settings of before
    django = Recorder(fresh)
    lane = RevalidationLane(django)
    answer = call(lane, VERSION, X_Forwarded_Proto="https", **headers)
    assert (answer[0], django.calls, answer[1]["Strict-Transport-Security"]) == (304, 0, "max-age=3600")
    assert call(fresh, VERSION, X_Forwarded_Proto="https", **headers)[:2] == answer[:2]
    redirected = call(lane, VERSION, X_Forwarded_Proto="http", **headers)
    assert (redirected[0], django.calls) == (301, 1)
    assert redirected[1]["Location"].startswith("https://")
    # The HTTPS redirect belongs to the TLS set-up, not to the API: its description leaves it out.
    openapi_check.problems[:] = [problem for problem in openapi_check.problems if "-> 301" not in problem]


def test_a_status_change_is_seen_at_once(token: str, author: Any, steward: Any) -> None:
    etag = etag_of(token)
    transition(author, "proposed")
    django = Recorder()
    status, headers, body = call(RevalidationLane(django), VERSION, Authorization=f"Bearer {token}", If_None_Match=etag)
    assert (status, django.calls) == (200, 1)
    assert headers["ETag"] == etag.replace("-draft", "-proposed") and b'"proposed"' in body


def test_a_deprecated_version_gets_its_deprecation_headers_from_django(token: str, author: Any, steward: Any) -> None:
    for status in ("proposed", "active", "deprecated"):
        transition(steward if status != "proposed" else author, status, comment="superseded")
    etag = etag_of(token)
    django = Recorder()
    status, headers, _ = call(RevalidationLane(django), VERSION, Authorization=f"Bearer {token}", If_None_Match=etag)
    assert (status, django.calls) == (304, 1)
    assert headers["Deprecation"].startswith("@")


def other_readers(author: Any, django_user_model: Any) -> dict[str, tuple[str, int]]:
    """Tokens the lane must not answer for, and the status Django gives each."""
    revoked, revoked_secret = token_create(user=author, name="revoked", scopes="read")
    token_revoke(token=revoked)
    fiona = django_user_model.objects.create_user(username="fiona", password="fiona-pw")
    RoleAssignment.objects.create(user=fiona, role="viewer", domain="finance")
    return {
        "revoked": (revoked_secret, 401),
        "unknown": ("dc43p_nope.nope", 401),
        "no read scope": (token_create(user=author, name="writer", scopes="write")[1], 403),
        "another domain's reader": (token_create(user=fiona, name="fin", scopes="read")[1], 404),
    }


def test_every_refusal_is_djangos_json(token: str, author: Any, django_user_model: Any) -> None:
    etag = etag_of(token)
    forget_credentials()
    for name, (secret, expected) in other_readers(author, django_user_model).items():
        django = Recorder()
        status, headers, body = call(
            RevalidationLane(django), VERSION, Authorization=f"Bearer {secret}", If_None_Match=etag
        )
        assert (status, django.calls, headers["Content-Type"]) == (expected, 1, "application/json"), name
        assert b'"error"' in body, name


@pytest.mark.parametrize(
    ("path", "method", "headers", "expected"),
    [
        (VERSION, "GET", {"If_None_Match": '"someone-else"'}, 200),
        (VERSION, "GET", {"Accept": "application/yaml"}, 200),
        (VERSION, "HEAD", {}, 304),
        (LATEST + "?status=any", "GET", {}, 304),
        ("/api/v1/contracts/sales.orders/versions/9.9.9", "GET", {}, 404),
        ("/api/v1/contracts/sales.orders/versions/not-a-version", "GET", {}, 400),
        ("/api/v1/contracts/sales.orders/versions/1.0.0/status", "GET", {}, 304),
        ("/api/v1/contracts/sales.orders/versions", "GET", {}, 200),
    ],
)
def test_anything_else_goes_on_to_django(
    token: str, path: str, method: str, headers: dict[str, str], expected: int
) -> None:
    etag = etag_of(token)
    django = Recorder()
    sent = {"Authorization": f"Bearer {token}", "If_None_Match": etag, **headers}
    status, _, _ = call(RevalidationLane(django), path, method, **sent)
    assert (status, django.calls) == (expected, 1)


def test_a_failing_database_leaves_the_answer_to_django(token: str, monkeypatch: pytest.MonkeyPatch) -> None:
    etag = etag_of(token)

    def broken(*args: object, **kwargs: object) -> None:
        from django.db import OperationalError

        raise OperationalError("database is locked")

    # Mocked: a database that fails between two queries of one request cannot be arranged for real here.
    monkeypatch.setattr(representations, "version_ref", broken)
    seen: list[str] = []

    def stand_in(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        seen.append(environ["PATH_INFO"])
        start_response("503 Service Unavailable", [("Content-Type", "application/json")])
        return [b'{"error": "unavailable"}']

    status, _, _ = call(RevalidationLane(stand_in), VERSION, Authorization=f"Bearer {token}", If_None_Match=etag)
    assert (status, seen) == (503, [VERSION])


def test_latest_follows_the_default_status_setting(token: str, settings: Any) -> None:
    """With ``DC43_API_LATEST_STATUS=active``, a Draft is nobody's latest: Django's 404, even for its ETag."""
    etag = etag_of(token)
    settings.DC43_API_LATEST_STATUS = "active"
    django = Recorder()
    status, _, body = call(RevalidationLane(django), LATEST, Authorization=f"Bearer {token}", If_None_Match=etag)
    assert (status, django.calls) == (404, 1) and b'"not_found"' in body
