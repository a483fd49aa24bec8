"""``/healthz`` latency while four text diffs of 1.5 MB documents run (the compare page's Text tab).

Run from the repository root: ``python bench/textdiff.py``. It publishes four contracts of two ~1.5 MB
versions each (the second shuffled, the costliest case) into a throwaway var dir, starts granian (3
workers of 4 threads, as the image) on 127.0.0.1, fires the four Text tabs at once and polls each until its diff is
ready, while curl times ``/healthz`` every 100 ms. ``--wait`` sets ``DC43_TEXT_DIFF_WAIT`` (how long a
request waits for the diff before it answers "being prepared").
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from diff import revised, shuffled, wide_contract  # noqa: E402

PORT = 8791
CURL = ["curl", "-s", "-o", "/dev/null", "--max-time", "60", "-w", "%{http_code} %{time_total}"]


def populate(var: Path, contracts: int) -> None:
    os.environ.update(DC43_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="dc43_portal.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from dc43_portal.contracts.services import contract_publish

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)  # /healthz renders a page with the manifest
    big = {**wide_contract(), "id": "bench.big"}  # 2,000 properties, and a realistic revision of it
    contract_publish(document=big, actor="bench")
    contract_publish(document={**revised(big, random.Random(1)), "version": "1.1.0"}, actor="bench")
    for n in range(contracts):
        doc = wide_contract(6000)
        doc["id"] = f"bench.wide{n}"
        contract_publish(document=doc, actor="bench")
        other = shuffled(doc, random.Random(n))
        other["version"] = "1.1.0"
        contract_publish(document=other, actor="bench")


def curl(url: str) -> tuple[str, float]:
    out = subprocess.run([*CURL, url], capture_output=True, text=True, check=False).stdout.split()
    return (out[0], float(out[1])) if len(out) == 2 else ("err", 60.0)


PAGES = [
    ("version page, 2,000 properties", "/contracts/bench.big/versions/1.0.0/"),
    ("compare page, 2,000 properties", "/contracts/bench.big/compare?from=1.0.0&to=1.1.0"),
]


def page_load(path: str) -> dict[str, Any]:
    """Two connections of wrk for 5 s on one page (its own latency, not a load test), statuses counted."""
    command = ["wrk", "-t1", "-c2", "-d5s", "--timeout", "10s", "-s", str(ROOT / "bench" / "wrk_report.lua")]
    done = subprocess.run([*command, f"http://127.0.0.1:{PORT}{path}"], capture_output=True, text=True, check=True)
    cell: dict[str, Any] = json.loads(next(x for x in done.stdout.splitlines() if x.startswith("WRK_JSON "))[9:])
    return cell


def fetch_until_ready(n: int, report: dict[int, list[float]]) -> None:
    url = f"http://127.0.0.1:{PORT}/contracts/bench.wide{n}/compare?from=1.0.0&to=1.1.0&tab=text"
    times = report.setdefault(n, [])
    for _ in range(120):
        out = subprocess.run(["curl", "-s", "--max-time", "60", "-w", "\n%{time_total}", url], capture_output=True)
        body, _, took = out.stdout.rpartition(b"\n")
        times.append(float(took or 60))
        if b"being prepared" not in body:
            return
        time.sleep(1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wait", default="0.2", help="DC43_TEXT_DIFF_WAIT for the server")
    parser.add_argument("--contracts", type=int, default=4)
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp(prefix="bench-textdiff-"))
    env = {**os.environ, "DC43_VAR_DIR": str(var), "DC43_UI_ANONYMOUS_READ": "true", "DC43_TEXT_DIFF_WAIT": args.wait}
    env.update(DJANGO_ALLOWED_HOSTS="127.0.0.1", DJANGO_SECRET_KEY="bench", PYTHONPATH=str(ROOT))
    t0 = time.monotonic()
    populate(var, args.contracts)
    print(f"published {args.contracts} x 2 versions of ~1.5 MB in {time.monotonic() - t0:.0f} s")
    # The image's server: granian, 3 workers (WEB_CONCURRENCY's default) of 4 blocking threads.
    granian = [sys.executable, "-m", "granian", "--interface", "wsgi", "dc43_portal.wsgi:application"]
    bind = ["--workers", "3", "--blocking-threads", "4", "--host", "127.0.0.1", "--port", str(PORT)]
    # Its own process group: killing granian's master alone would leave its workers (and their diff children) running.
    server = subprocess.Popen([*granian, *bind], env=env, cwd=ROOT, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(100):
            if curl(f"http://127.0.0.1:{PORT}/healthz")[0] == "200":
                break
            time.sleep(0.2)
        idle = [curl(f"http://127.0.0.1:{PORT}/healthz")[1] for _ in range(20)]
        pages = [(label, page_load(path)) for label, path in PAGES]
        report: dict[int, list[float]] = {}
        threads = [threading.Thread(target=fetch_until_ready, args=(n, report)) for n in range(args.contracts)]
        health: list[float] = []
        start = time.monotonic()
        for thread in threads:
            thread.start()
        while any(t.is_alive() for t in threads):
            health.append(curl(f"http://127.0.0.1:{PORT}/healthz")[1])
            time.sleep(0.1)
        total = time.monotonic() - start
    finally:
        os.killpg(server.pid, signal.SIGKILL)  # workers may still be finishing diffs in their children
        server.wait(timeout=30)
    print(f"DC43_TEXT_DIFF_WAIT={args.wait}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for label, cell in pages:
        print(
            f"{label}: wrk -t1 -c2 -d5s, {cell['rps']:.1f} req/s, p50 {cell['p50_ms']:.0f} ms,"
            f" p99 {cell['p99_ms']:.0f} ms, answers {cell['statuses']}"
        )
    print(f"/healthz idle: median {statistics.median(idle) * 1000:.0f} ms, max {max(idle) * 1000:.0f} ms")
    for n, times in sorted(report.items()):
        print(
            f"text diff {n}: {len(times)} requests until ready, longest {max(times):.2f} s, ready after {sum(times):.1f} s+polls"
        )
    health.sort()
    p95 = health[int(len(health) * 0.95) - 1] if health else 0
    print(
        f"/healthz during the diffs ({len(health)} probes over {total:.0f} s): median "
        f"{statistics.median(health) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {max(health) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
