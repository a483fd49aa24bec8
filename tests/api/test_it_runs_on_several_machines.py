"""Stateless web workers: two granian processes, each in its own working folder, on one PostgreSQL database
and one S3 store (moto's server, ``ObjectStorageContractStore``), as two machines behind a proxy would run.

An approval through one is served by the other at once, a revoked token is refused by both once
``CALLER_TTL_SECONDS`` (the documented bound) has passed, and concurrent creates of one version through both
keep exactly one winner, in the store, the mirror and the audit alike.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from dc43_portal.api.tokens import CALLER_TTL_SECONDS
from tests.conftest import make_doc
from tests.fixtures.machines import ROOT, manage, servers, users_with_tokens
from tests.stores.s3_server import process_server

pytestmark = pytest.mark.database
SERVER = "postgres://postgres@127.0.0.1:5432"
ID = "sales.orders"


def request(port: int, token: str, path: str, method: str = "GET", body: Any = None, **headers: str) -> tuple[int, str]:
    """(status, ETag) of one request to ``/api/v1/contracts/{ID}{path}`` on ``port``."""
    data = json.dumps(body).encode() if body is not None else None
    url = f"http://127.0.0.1:{port}/api/v1/contracts/{ID}{path}"
    headers |= {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data, headers, method=method), timeout=30) as answer:
            return answer.status, answer.headers.get("ETag", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("ETag", "")


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """A database of this module's own on the shared PostgreSQL server, dropped afterwards."""
    psycopg = pytest.importorskip("psycopg")
    name = f"test_machines_{uuid.uuid4().hex[:8]}"
    try:
        admin = psycopg.connect(f"{SERVER}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable at 127.0.0.1:5432 ({exc.__class__.__name__}): two machines need one")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{SERVER}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def machines(database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Users and tokens, then two servers sharing nothing but the database and the bucket."""
    tmp, s3 = tmp_path_factory.mktemp("machines"), process_server()
    store = {"url": f"s3://{s3.new_bucket()}/contracts", "storage_options": s3.s3fs_options()}
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DC43_STORE_OPTIONS"}}
    env |= {"DATABASE_URL": database, "DC43_STORE_BACKEND": "dc43_portal.stores.objects.ObjectStorageContractStore"}
    env |= {"DC43_STORE_OPTIONS": json.dumps(store), "DJANGO_SECRET_KEY": secrets.token_urlsafe(40)}
    env |= {"PYTHONPATH": str(ROOT), "DJANGO_LOG_LEVEL": "WARNING", "DC43_VAR_DIR": str(tmp / "var")}
    manage(env, "migrate", "--noinput", "-v0")
    users = [("vera", "viewers", "read"), ("alice", "authors", "read,write"), ("stella", "stewards", "read,steward")]
    tokens = users_with_tokens(env, users)
    try:
        with servers(env, tmp, lambda port: request(port, tokens["vera"], "/versions")[0] in (200, 404)) as ports:
            yield {"env": env, "ports": ports, "tokens": tokens}
    finally:
        s3.stop()


def put(port: int, token: str, version: str, **extra: Any) -> int:
    return request(
        port, token, f"/versions/{version}", "PUT", make_doc(ID, version, **extra), **{"If-None-Match": "*"}
    )[0]


def test_an_approval_on_one_is_served_by_the_other_at_once(machines: dict[str, Any]) -> None:
    first, second = machines["ports"]
    tokens = machines["tokens"]
    assert put(first, tokens["alice"], "1.0.0") == 204
    assert request(second, tokens["alice"], "/versions/1.0.0/transitions", "POST", {"to": "proposed"})[0] == 200
    held = request(second, tokens["vera"], "/versions/1.0.0")[1]
    assert held.endswith('-proposed"')  # cached there now
    assert request(second, tokens["vera"], "/versions/1.0.0", **{"If-None-Match": held}) == (304, held)
    assert request(first, tokens["stella"], "/versions/1.0.0/transitions", "POST", {"to": "active"})[0] == 200
    status, etag = request(second, tokens["vera"], "/versions/1.0.0", **{"If-None-Match": held})  # revalidated at once
    assert (status, etag.endswith('-active"')) == (200, True)
    status, etag = request(second, tokens["vera"], "/versions/1.0.0")
    assert (status, etag.endswith('-active"')) == (200, True)
    assert request(second, tokens["vera"], "/latest")[1] == etag


def test_concurrent_publishes_through_both_keep_exactly_one_winner(machines: dict[str, Any]) -> None:
    ports, token = machines["ports"], machines["tokens"]["alice"]
    for n in range(4):
        version = f"2.{n}.0"
        answers = race(ports, token, version)
        assert sorted(answers.values())[0] == 204 and sorted(answers.values())[1] in (409, 412), answers
        winner = next(port for port, code in answers.items() if code == 204)
        stored = who_won(machines["env"], version)
        assert stored == {"store": f"by {winner}", "mirror": f"by {winner}", "events": 1}, (version, answers)


def race(ports: list[int], token: str, version: str) -> dict[int, int]:
    """Both servers asked at the same instant to create ``version``, each with its own name in the body."""
    answers: dict[int, int] = {}
    barrier = threading.Barrier(len(ports))

    def publish(port: int) -> None:
        barrier.wait()
        answers[port] = put(port, token, version, name=f"by {port}")

    threads = [threading.Thread(target=publish, args=(port,)) for port in ports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def who_won(env: dict[str, str], version: str) -> dict[str, Any]:
    """What the store, the mirror and the audit hold for one version, read by a third process."""
    code = (
        "import json; from dc43_portal.contracts.handler import default_store; "
        "from dc43_portal.contracts.models import ContractVersion as V, LifecycleEvent as E; "
        f"print(json.dumps({{'store': default_store().get_document({ID!r}, {version!r})['name'], "
        f"'mirror': V.objects.get(contract__contract_id={ID!r}, version={version!r}).name, "
        f"'events': E.objects.filter(contract_id={ID!r}, version={version!r}, action='publish').count()}}))"
    )
    return dict(json.loads(manage(env, "shell", "-c", code).splitlines()[-1]))  # after the shell's banner


def test_a_revoked_token_is_refused_by_both_within_the_bound(machines: dict[str, Any]) -> None:
    ports, token = machines["ports"], machines["tokens"]["vera"]
    assert [request(port, token, "/versions")[0] for port in ports] == [200, 200]
    code = "from dc43_portal.api.models import ApiToken; from dc43_portal.api.tokens import token_revoke; "
    manage(
        machines["env"],
        "shell",
        "-c",
        f"{code}[token_revoke(token=t) for t in ApiToken.objects.filter(user__username='vera')]",
    )
    time.sleep(CALLER_TTL_SECONDS + 0.2)
    assert [request(port, token, "/versions")[0] for port in ports] == [401, 401]
