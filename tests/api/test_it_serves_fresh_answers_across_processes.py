"""Two portal processes (granian, as `make run` serves) on one database and one store folder, each from its
own working folder: a status change made through one is served by the other at once, and a revoked token is
refused by both once ``CALLER_TTL_SECONDS`` (the documented bound) has passed."""

from __future__ import annotations

import json
import os
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from dc43_portal.api.tokens import CALLER_TTL_SECONDS
from tests.fixtures.machines import ROOT, manage, servers, users_with_tokens

ID, VERSION = "sales.orders", "1.0.0"
PATH = f"/api/v1/contracts/{ID}/versions/{VERSION}"


def call(
    port: int, token: str, method: str = "GET", body: dict[str, str] | None = None, held: str = ""
) -> tuple[int, str]:
    """(status, ETag) of one request to the portal on ``port``; ``held`` revalidates (If-None-Match)."""
    data = json.dumps(body).encode() if body is not None else None
    url = f"http://127.0.0.1:{port}{PATH}" + ("/transitions" if method == "POST" else "")
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    headers |= {"If-None-Match": held} if held else {}
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:
            return answer.status, answer.headers.get("ETag", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("ETag", "")


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """Migrated SQLite file and store folder, a viewer's and a steward's token, two servers."""
    tmp = tmp_path_factory.mktemp("two-processes")
    store = tmp / "contracts"
    (store / ID).mkdir(parents=True)
    doc = {"apiVersion": "v3.0.2", "kind": "DataContract", "id": ID, "version": VERSION, "status": "proposed"}
    (store / ID / f"{VERSION}.json").write_text(json.dumps(doc), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env |= {"DC43_VAR_DIR": str(tmp / "var"), "DC43_STORE_OPTIONS": json.dumps({"base_path": str(store)})}
    env |= {"DJANGO_SECRET_KEY": secrets.token_urlsafe(40), "PYTHONPATH": str(ROOT), "DJANGO_LOG_LEVEL": "WARNING"}
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "sync_contracts")
    viewer_and_steward = [("vera", "viewers", "read,steward"), ("stella", "stewards", "read,steward")]
    tokens = users_with_tokens(env, viewer_and_steward)
    with servers(env, tmp, lambda port: call(port, tokens["vera"])[0] == 200) as ports:
        yield {"env": env, "ports": ports, "tokens": tokens}


def test_an_approval_on_one_is_served_by_the_other_at_once(portal: dict[str, object]) -> None:
    first, second = portal["ports"]  # type: ignore[misc]
    viewer, steward = portal["tokens"]["vera"], portal["tokens"]["stella"]  # type: ignore[index]
    held = call(second, viewer)[1]
    assert held.endswith('-proposed"')  # cached by the second process now
    assert call(second, viewer, held=held) == (304, held)  # a revalidation: 304 while nothing changed
    assert call(first, steward, "POST", {"to": "active"})[0] == 200
    status, etag = call(second, viewer, held=held)
    assert (status, etag.endswith('-active"')) == (200, True)
    status, etag = call(second, viewer)
    assert (status, etag.endswith('-active"')) == (200, True)


def test_a_revoked_token_is_refused_by_both_within_the_bound(portal: dict[str, object]) -> None:
    ports, token = portal["ports"], portal["tokens"]["vera"]  # type: ignore[index]
    held = call(ports[0], token)[1]  # type: ignore[index]
    assert [call(port, token)[0] for port in ports] == [200, 200]  # type: ignore[attr-defined]
    assert [call(port, token, held=held)[0] for port in ports] == [304, 304]  # type: ignore[attr-defined]
    code = "from dc43_portal.api.models import ApiToken; from dc43_portal.api.tokens import token_revoke; "
    manage(
        portal["env"],
        "shell",
        "-c",
        f"{code}[token_revoke(token=t) for t in ApiToken.objects.filter(user__username='vera')]",
    )  # type: ignore[arg-type]
    time.sleep(CALLER_TTL_SECONDS + 0.2)
    assert [call(port, token)[0] for port in ports] == [401, 401]  # type: ignore[attr-defined]
    assert [call(port, token, held=held)[0] for port in ports] == [401, 401]  # type: ignore[attr-defined]
