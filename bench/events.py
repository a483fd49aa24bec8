"""Events: how many a portal emits per second through publish and transitions, how long a committed event
takes to reach a webhook receiver with one worker, and what the outbox costs a publish.

Run from the repository root: ``python bench/events.py`` (PostgreSQL at ``--pg-url``; about two minutes).
Load comes from ``wrk`` (Lua scripts below): PUTs of new contracts (each a publish), then POSTs of
transitions (submit, then reject, in turn) through ``/api/v1``, against granian (2 workers x 4 threads, as `make run`).

- *after*: this tree, with one webhook subscription to a receiver on 127.0.0.1 and one ``events_worker``;
  events/s = outbox rows written during a load run / its duration. After the load, a paced phase publishes
  ``--paced`` contracts at 10/s and the receiver's arrival times, against each event's write time (its
  CloudEvent ``time``, a few ms before its commit), give the write->delivery delay (median, p99), an upper
  bound of commit->delivery;
- *before*: ``--baseline`` (a git ref, default ``main``) exported with ``git archive``, same load.

Runs alternate before/after ``--reps`` times; tables show medians. Exits 1 if an answer was not 2xx.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.request
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DOC = {
    "apiVersion": "v3.1.0", "kind": "DataContract", "id": "ID", "version": "1.0.0", "status": "draft",
    "name": "Bench", "domain": "bench",
    "schema": [{"name": "t", "logicalType": "object", "properties": [{"name": "a", "logicalType": "string"}]}],
}
# Each wrk thread publishes its own contracts: PREFIX.<thread>.<n>, version 1.0.0.
PUBLISH_LUA = """
local counter, tid = 0, 0
local threads = {}
function setup(thread) thread:set("tid", #threads); table.insert(threads, thread) end
function init(args) tid = tonumber(wrk.thread:get("tid")) or 0 end
function request()
  counter = counter + 1
  local id = os.getenv("PREFIX") .. "." .. tid .. "." .. counter
  local body = string.gsub(os.getenv("DOC"), '"ID"', '"' .. id .. '"')
  return wrk.format("PUT", "/api/v1/contracts/" .. id .. "/versions/1.0.0", nil, body)
end
"""
# Submit, then reject (with a reason), each thread over its own contracts, so the pair repeats forever.
TRANSITION_LUA = """
local ids, step, tid, n = {}, 0, 0, 0
local threads = {}
function setup(thread) thread:set("tid", #threads); table.insert(threads, thread) end
function init(args)
  tid = tonumber(wrk.thread:get("tid")) or 0
  n = tonumber(os.getenv("THREADS"))
  local i = 0
  for line in io.lines(os.getenv("IDS")) do if i % n == tid then table.insert(ids, line) end; i = i + 1 end
end
function request()
  local k = step % (2 * #ids)
  local id = ids[(k % #ids) + 1]
  local to = (k < #ids) and '{"to":"proposed"}' or '{"to":"draft","comment":"bench"}'
  step = step + 1
  return wrk.format("POST", "/api/v1/contracts/" .. id .. "/versions/1.0.0/transitions", nil, to)
end
"""


class Arrivals:
    """A webhook receiver: the first arrival time of each event id."""

    def __init__(self) -> None:
        self.first: dict[str, float] = {}
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                self.rfile.read(int(self.headers.get("content-length") or 0))
                with outer.lock:
                    outer.first.setdefault(self.headers.get("webhook-id", ""), time.time())
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def database(pg_url: str, name: str) -> str:
    import psycopg

    base, _, _ = pg_url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def sql(url: str, query: str) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(url) as conn:
        return list(conn.execute(query).fetchall())


SETUP = """
from django.contrib.auth.models import Group, User
from dc43_portal.api.tokens import token_create
user = User.objects.create_user("bench")
user.groups.add(*Group.objects.filter(name__in=["authors", "stewards"]))
print(token_create(user=user, name="bench", scopes="read,write,steward")[1])
"""


def prepare(code: Path, tmp: Path, db_url: str, receiver: str | None) -> tuple[dict[str, str], str]:
    env = {
        **os.environ, "PYTHONPATH": str(code), "DATABASE_URL": db_url, "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40), "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_LOG_LEVEL": "WARNING", "DC43_VAR_DIR": str(tmp / "var"), "DC43_VALIDATION": "dc43",
        "DC43_STORE_OPTIONS": json.dumps({"base_path": str(tmp / "contracts")}), "DC43_WEBHOOK_ALLOW_PRIVATE": "true",
    }
    run = [sys.executable, "manage.py"]
    subprocess.run([*run, "migrate", "--noinput", "-v0"], cwd=code, env=env, check=True)
    subprocess.run([*run, "collectstatic", "--noinput", "-v0"], cwd=code, env=env, check=True)
    token = subprocess.run([*run, "shell", "-c", SETUP], cwd=code, env=env, check=True, capture_output=True, text=True)
    if receiver:
        hook = f"from dc43_portal.events.subscriptions import webhook_create; from django.contrib.auth.models import User; webhook_create(user=User.objects.get(username='bench'), url='{receiver}')"
        subprocess.run([*run, "shell", "-c", hook], cwd=code, env=env, check=True, capture_output=True)
    return env, token.stdout.strip().splitlines()[-1]


def start(code: Path, env: dict[str, str], port: int, worker: bool) -> list[subprocess.Popen[bytes]]:
    granian = [str(BIN / "granian"), "--interface", "wsgi", "dc43_portal.wsgi:application", "--host", "127.0.0.1"]
    granian += ["--port", str(port), "--workers", "2", "--blocking-threads", "4"]
    procs = [subprocess.Popen(granian, cwd=code, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    if worker:
        procs += start_worker(code, env)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return procs
        except OSError:
            time.sleep(0.2)
    raise SystemExit("granian did not start")


def start_worker(code: Path, env: dict[str, str]) -> list[subprocess.Popen[bytes]]:
    command = [sys.executable, "manage.py", "events_worker", "-v0"]
    return [subprocess.Popen(command, cwd=code, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]


def wrk(script: str, url: str, token: str, seconds: float, env: dict[str, str]) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    command = ["wrk", "-t2", "-c4", f"-d{seconds:g}s", "--timeout", "30s", "--latency", "-s", lua.name, url]
    command += ["-H", f"Authorization: Bearer {token}", "-H", "Content-Type: application/json"]
    out = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True, check=True).stdout
    os.unlink(lua.name)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p50, p99 = (re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out) for p in ("50", "99"))
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "bad": float(bad.group(1)) if bad else 0.0,
        "p50": float(p50.group(1)) * scale[p50.group(2)] if p50 else 0.0,
        "p99": float(p99.group(1)) * scale[p99.group(2)] if p99 else 0.0,
    }


def outbox_count(db_url: str) -> int:
    try:
        return int(sql(db_url, "SELECT count(*) FROM events_outboxevent")[0][0])
    except Exception:  # the baseline has no outbox
        return 0


def load_round(code: Path, label: str, args: argparse.Namespace, receiver: Arrivals | None) -> dict[str, Any]:
    """One fresh database and server; publish load, then transition load; events/s from the outbox."""
    with tempfile.TemporaryDirectory(prefix="bench-events-") as tmp_name:
        tmp = Path(tmp_name)
        db_url = database(args.pg_url, f"bench_events_{label}")
        env, token = prepare(code, tmp, db_url, receiver.url if receiver else None)
        port = 20000 + secrets.randbelow(20000)
        # The worker starts after the load, so the load measures the request path alone (on a 2-core machine
        # a concurrent worker takes the cores the requests need); --worker-during-load measures both together.
        procs = start(code, env, port, worker=receiver is not None and args.worker_during_load)
        base = f"http://127.0.0.1:{port}"
        try:
            result: dict[str, Any] = {}
            for phase, script, extra in (
                ("publish", PUBLISH_LUA, {"PREFIX": f"b{secrets.token_hex(3)}", "DOC": json.dumps(DOC)}),
                ("transition", TRANSITION_LUA, {"THREADS": "2", "IDS": str(tmp / "ids.txt")}),
            ):
                if phase == "transition":
                    ids = [r[0] for r in sql(db_url, "SELECT contract_id FROM contracts_contract ORDER BY id")]
                    (tmp / "ids.txt").write_text("\n".join(ids) + "\n")
                before = outbox_count(db_url)
                result[phase] = wrk(script, base, token, args.duration, extra)
                result[phase]["events_per_s"] = (outbox_count(db_url) - before) / args.duration
            if receiver is not None:
                if not args.worker_during_load:
                    procs += start_worker(code, env)
                result["delivery"] = delivery_delays(db_url, base, token, receiver, args.paced)
            return result
        finally:
            for proc in procs:
                proc.terminate()
                proc.wait(30)


def delivery_delays(db_url: str, base: str, token: str, receiver: Arrivals, paced: int) -> dict[str, float]:
    """Drain the load's backlog (deliveries/s with one worker), then publish at 10/s and time each delivery."""
    total = outbox_count(db_url)
    start = time.time()
    while len(receiver.first) < total and time.time() - start < 600:
        time.sleep(0.2)
    drain = len(receiver.first) / max(time.time() - start, 1e-9)
    receiver.first.clear()
    for n in range(paced):
        doc = {**DOC, "id": f"paced.{n}"}
        request = urllib.request.Request(
            f"{base}/api/v1/contracts/paced.{n}/versions/1.0.0", data=json.dumps(doc).encode(), method="PUT",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        urllib.request.urlopen(request, timeout=10).read()
        time.sleep(0.1)
    deadline = time.time() + 60
    while len(receiver.first) < paced and time.time() < deadline:
        time.sleep(0.2)
    committed = dict(sql(db_url, "SELECT event_id::text, created_at FROM events_outboxevent WHERE contract_id LIKE 'paced.%'"))
    delays = sorted(
        (receiver.first[eid] - when.timestamp()) * 1000 for eid, when in committed.items() if eid in receiver.first
    )
    return {
        "drain_per_s": drain,
        "delivered": len(delays),
        "p50_ms": statistics.median(delays) if delays else float("nan"),
        "p99_ms": delays[min(len(delays) - 1, int(len(delays) * 0.99))] if delays else float("nan"),
    }


def baseline_tree(ref: str, into: Path) -> Path:
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True).stdout
    into.mkdir()
    (into / "tree.tar").write_bytes(archive)
    with tarfile.open(into / "tree.tar") as tar:
        tar.extractall(into, filter="data")
    return into


def report(after: list[dict[str, Any]], before: list[dict[str, Any]]) -> bool:
    def med(rows: list[dict[str, Any]], phase: str, key: str) -> float:
        return statistics.median(r[phase][key] for r in rows) if rows else float("nan")

    print(f"\n{'':24}{'before':>12}{'after':>12}{'after/before':>14}")
    for phase in ("publish", "transition"):
        for key, unit in (("rps", "req/s"), ("p50", "p50 ms"), ("p99", "p99 ms")):
            b, a = med(before, phase, key), med(after, phase, key)
            print(f"{phase + ' ' + unit:24}{b:12.1f}{a:12.1f}{a / b if b else float('nan'):14.2f}")
        print(f"{phase + ' events/s':24}{'':12}{med(after, phase, 'events_per_s'):12.1f}")
    deliveries = [r["delivery"] for r in after]
    for key, label in (("drain_per_s", "backlog deliveries/s"), ("p50_ms", "write->delivery p50 ms"), ("p99_ms", "write->delivery p99 ms")):
        print(f"{label:24}{'':12}{statistics.median(d[key] for d in deliveries):12.1f}")
    bad = sum(r[p]["bad"] for r in after + before for p in ("publish", "transition"))
    print(f"\nnon-2xx answers: {bad:g}; paced events delivered: {[d['delivered'] for d in deliveries]}")
    return bad == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", default=os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per wrk run")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--paced", type=int, default=100, help="publishes at 10/s for the delay")
    parser.add_argument("--worker-during-load", action="store_true", help="run the worker during the load too")
    parser.add_argument("--baseline", default="main", help="git ref measured as 'before' ('' to skip)")
    args = parser.parse_args()
    receiver = Arrivals()
    after, before = [], []
    with tempfile.TemporaryDirectory(prefix="bench-events-base-") as base_dir:
        old = baseline_tree(args.baseline, Path(base_dir) / "tree") if args.baseline else None
        for rep in range(args.reps):
            print(f"rep {rep + 1}/{args.reps} at {datetime.now():%H:%M:%S}", flush=True)
            if old is not None:
                before.append(load_round(old, "before", args, None))
            after.append(load_round(ROOT, "after", args, receiver))
    return 0 if report(after, before) else 1


if __name__ == "__main__":
    sys.exit(main())
