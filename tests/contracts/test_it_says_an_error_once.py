"""The error page says each problem once: one problem as the message, several as a counted list."""

from __future__ import annotations

from typing import Any

from django.test import RequestFactory

from dc43_portal.contracts.http_errors import html_error
from dc43_portal.errors import InvalidContract


def test_one_problem_is_the_message_alone(rf: RequestFactory, viewer: Any) -> None:
    request = rf.get("/")
    request.user = viewer
    body = html_error(request, InvalidContract([("status", "'nope' is not a status")])).content.decode()
    assert body.count("is not a status") == 1


def test_several_problems_are_listed_once_each(rf: RequestFactory, viewer: Any) -> None:
    request = rf.get("/")
    request.user = viewer
    exc = InvalidContract([("$.id", "id is missing"), ("$.version", "version is missing")])
    body = html_error(request, exc).content.decode()
    assert body.count("id is missing") == 1 and body.count("version is missing") == 1
    assert "2 problems; nothing was saved:" in body
