"""Reads through the portal's API (gunicorn, 2 workers, PostgreSQL) against dc43's own FastAPI backend
(uvicorn, 2 workers), same filesystem contracts, same run.

Run from the repository root: ``python bench/api.py`` (about two minutes; PostgreSQL at ``--pg-url``). It
writes a ~10 KB contract and a 2,000-property contract into one folder that both servers read, then
measures ``GET /contracts/{id}/versions/{v}`` and ``GET /contracts/{id}/latest`` with a bounded load
(``--duration`` seconds, ``--concurrency`` keep-alive connections) from a second process on 127.0.0.1
(``bench/api_load.py``), ``--reps`` times per cell, interleaved; the table shows medians. The portal is also measured with ``If-None-Match`` (304, what a polling job
sends). Every answer must be a 200 or a 304, else the script fails. It prints req/s, p50, p99 and the
portal/dc43 ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SMALL_ID, LARGE_ID, VERSION = "bench.orders", "bench.wide", "1.0.0"
SETTLE_SECONDS = 1.0
DC43_APP = """
import os
from dc43_service_backends.web import build_local_app
app = build_local_app(os.environ["DC43_BENCH_STORE"])
"""


# ---------------------------------------------------------------- contracts


def contract(contract_id: str, tables: int, columns: int) -> dict[str, Any]:
    types = (("string", "varchar"), ("integer", "bigint"), ("number", "double"), ("boolean", "boolean"))
    schema = [
        {
            "name": f"table_{t}",
            "logicalType": "object",
            "physicalType": "table",
            "description": f"Table {t} of the benchmark contract",
            "properties": [
                {
                    "name": f"col_{t}_{c}",
                    "logicalType": types[c % 4][0],
                    "physicalType": types[c % 4][1],
                    "description": f"Column {c} of table {t}, as loaded by the nightly job",
                    "required": c % 3 == 0,
                    "primaryKey": c == 0,
                    "tags": ["bench", f"t{t}"],
                }
                for c in range(columns)
            ],
        }
        for t in range(tables)
    ]
    return {
        "apiVersion": "v3.0.2",
        "kind": "DataContract",
        "id": contract_id,
        "version": VERSION,
        "status": "active",
        "name": f"Benchmark {contract_id}",
        "domain": "bench",
        "team": [{"username": "bench", "role": "owner"}],
        "schema": schema,
    }


def write_contracts(folder: Path) -> dict[str, int]:
    """Both servers' filesystem layout, ``{folder}/{id}/{version}.json``; returns the size of each."""
    sizes = {}
    for doc in (contract(SMALL_ID, 1, 32), contract(LARGE_ID, 20, 100)):
        path = folder / doc["id"] / f"{VERSION}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(doc, indent=2, sort_keys=True)
        path.write_text(text, encoding="utf-8")
        sizes[doc["id"]] = len(text.encode("utf-8"))
    return sizes


# ---------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def own_database(pg_url: str) -> str:
    import psycopg

    base, _, name = pg_url.rpartition("/")
    own = f"{name or 'postgres'}_bench_api"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{own}"')
    return f"{base}/{own}"


def portal_env(tmp: Path, contracts: Path, database_url: str) -> dict[str, str]:
    """Production settings (debug off), plain http on 127.0.0.1 (DJANGO_SECURE_PROXY off), PostgreSQL."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECURE_PROXY": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DC43_VAR_DIR": str(tmp / "var"),
        "DC43_STORE_OPTIONS": json.dumps({"base_path": str(contracts)}),
        "DC43_VALIDATION": "dc43",
    }


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def prepare_portal(env: dict[str, str]) -> str:
    """Migrate, mirror the folder, and a viewer's read token; returns the token."""
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "sync_contracts")
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth.models import Group, User; "
        "User.objects.create_user('bench').groups.add(Group.objects.get(name='viewers'))",
    )
    return manage(env, "create_api_token", "bench", "--scopes", "read")


def start(command: list[str], env: dict[str, str], ready_url: str, headers: dict[str, str]) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(urllib.request.Request(ready_url, headers=headers), timeout=2) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
        if process.poll() is not None:
            raise SystemExit(f"{command[0]} exited: {process.stderr.read().decode() if process.stderr else ''}")
    process.kill()
    raise SystemExit(f"{command[0]} did not answer {ready_url} within 60 s")


def etag_of(url: str, headers: dict[str, str]) -> str:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as answer:
        return str(answer.headers["ETag"])


# ---------------------------------------------------------------- load


def load(url: str, headers: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, str(ROOT / "bench" / "api_load.py"), url]
    command += ["--duration", str(args.duration), "--concurrency", str(args.concurrency)]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    result: dict[str, Any] = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    return result


def measure(portal: str, dc43: str, token: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Every (contract, route, server) cell ``--reps`` times, interleaved, so a noisy moment hits them all."""
    auth = {"Authorization": f"Bearer {token}"}
    cells = []
    for contract_id in (SMALL_ID, LARGE_ID):
        for route in (f"/contracts/{contract_id}/versions/{VERSION}", f"/contracts/{contract_id}/latest"):
            etag = etag_of(portal + route, auth)
            targets = {
                "dc43 200": (dc43 + route, {}),
                "portal 200": (portal + route, auth),
                "portal 304": (portal + route, {**auth, "If-None-Match": etag}),
            }
            cells.append({"contract": contract_id, "route": route.rsplit("/", 1)[-1], "targets": targets, "runs": {}})
    for _ in range(args.reps):
        for cell in cells:
            for server, (url, headers) in cell["targets"].items():
                cell["runs"].setdefault(server, []).append(load(url, headers, args))
                time.sleep(SETTLE_SECONDS)  # slow answers still in flight must not overlap the next run
    for cell in cells:
        cell["runs"] = {server: median_run(runs) for server, runs in cell["runs"].items()}
    return cells


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    statuses: dict[str, int] = {}
    for run in runs:
        for status, count in run["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    return {
        "rps": statistics.median(r["rps"] for r in runs),
        "p50_ms": statistics.median(r["p50_ms"] for r in runs),
        "p99_ms": statistics.median(r["p99_ms"] for r in runs),
        "requests": sum(r["requests"] for r in runs),
        "statuses": statuses,
    }


def report(rows: list[dict[str, Any]], sizes: dict[str, int]) -> bool:
    print(f"\n{'contract':<24}{'route':<8}{'server':<12}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}  answers")
    ok = True
    for row in rows:
        label = f"{row['contract']} ({sizes[row['contract']] // 1024} KB)"
        for server, run in row["runs"].items():
            print(
                f"{label:<24}{row['route']:<8}{server:<12}{run['rps']:>9.0f}{run['p50_ms']:>9.2f}{run['p99_ms']:>9.2f}"
                f"  {run['statuses']}"
            )
            ok &= set(run["statuses"]) <= {"200", "304"} and run["requests"] > 0
        base = row["runs"]["dc43 200"]["rps"]
        ratios = ", ".join(f"{s}/dc43 {r['rps'] / base:.1f}x" for s, r in row["runs"].items() if s != "dc43 200")
        print(f"{'':<32}ratio: {ratios}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", default=os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--duration", type=float, default=2.0, help="seconds per measurement")
    parser.add_argument("--reps", type=int, default=3, help="measurements per cell; the table shows medians")
    parser.add_argument("--concurrency", type=int, default=8, help="keep-alive connections of the load process")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker (1: sync worker)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp_name:
        tmp = Path(tmp_name)
        contracts = tmp / "contracts"
        sizes = write_contracts(contracts)
        env = portal_env(tmp, contracts, own_database(args.pg_url))
        token = prepare_portal(env)
        portal_port, dc43_port = free_port(), free_port()
        portal_cmd = [str(BIN / "gunicorn"), "dc43_portal.wsgi:application", "--bind", f"127.0.0.1:{portal_port}"]
        # gthread keeps connections alive (the sync worker closes each one); --threads 1 selects sync.
        worker_class = "gthread" if args.threads > 1 else "sync"
        portal_cmd += ["--workers", str(args.workers), "--worker-class", worker_class, "--threads", str(args.threads)]
        (tmp / "dc43_app.py").write_text(DC43_APP, encoding="utf-8")
        dc43_cmd = [str(BIN / "uvicorn"), "dc43_app:app", "--app-dir", str(tmp), "--host", "127.0.0.1"]
        dc43_cmd += ["--port", str(dc43_port), "--workers", str(args.workers), "--log-level", "warning"]
        portal_base, dc43_base = f"http://127.0.0.1:{portal_port}/api/v1", f"http://127.0.0.1:{dc43_port}"
        auth = {"Authorization": f"Bearer {token}"}
        servers = [
            start(portal_cmd, env, f"{portal_base}/contracts", auth),
            start(dc43_cmd, {**os.environ, "DC43_BENCH_STORE": str(contracts)}, f"{dc43_base}/contracts", {}),
        ]
        try:
            print(f"portal: gunicorn {args.workers} workers x {args.threads} threads ({worker_class}), PostgreSQL")
            print(f"dc43:   uvicorn {args.workers} workers, dc43-service-backends FastAPI app")
            print(
                f"load:   {args.concurrency} keep-alive connections from one process, {args.duration:g} s per run,"
                f" median of {args.reps} runs"
            )
            ok = report(measure(portal_base, dc43_base, token, args), sizes)
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=20)
    print("\nevery answer a 200 or a 304" if ok else "\nFAILED: some answers were neither 200 nor 304")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
