"""``POST /api/v1/contracts/check`` on a 2,000-property contract (target: median under 300 ms).

Run from the repository root: ``python bench/check.py`` (about a minute). It serves the portal with granian
(one sync worker, SQLite, production settings) over a filesystem store holding the Validated 1.0.0 of
``bench/diff.py``'s ``wide_contract``, then has ``wrk`` (one connection, ``--duration`` seconds) POST three
candidates: the realistic revision of ``bench/diff.py`` as JSON and as YAML (diffed with 1.0.0, 140 changes),
and an invalid one (every 100th column with an unknown type: 20 errors located by line through ruamel.yaml).
Every answer must be a 200. Exits non-zero when the JSON revision's median reaches the target; the YAML
rows are reported, not held to it (PyYAML's constructor alone takes ~0.4 s on 480 KB of YAML).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from diff import revised, wide_contract  # noqa: E402

TARGET_MS = 300.0
BIN = Path(sys.executable).parent


def candidates(folder: Path) -> list[tuple[str, Path, str]]:
    """The bodies wrk sends: (name, file, content type)."""
    base = wide_contract()
    (folder / "store" / base["id"]).mkdir(parents=True)
    (folder / "store" / base["id"] / "1.0.0.json").write_text(json.dumps(base), encoding="utf-8")
    revision = revised(base, random.Random(43))
    broken = json.loads(json.dumps(revision))
    for table in broken["schema"]:
        table["properties"][0]["logicalType"] = "money"
    bodies = [
        ("revision, JSON", json.dumps(revision, indent=2), "application/json"),
        ("revision, YAML", yaml.safe_dump(revision, sort_keys=False), "application/yaml"),
        ("20 errors, YAML", yaml.safe_dump(broken, sort_keys=False), "application/yaml"),
    ]
    out = []
    for i, (name, text, content_type) in enumerate(bodies):
        path = folder / f"body{i}"
        path.write_text(text, encoding="utf-8")
        out.append((name, path, content_type))
    return out


def portal(folder: Path) -> tuple[dict[str, str], str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DC43_VAR_DIR": str(folder / "var"),
        "DC43_STORE_OPTIONS": json.dumps({"base_path": str(folder / "store")}),
    }

    def manage(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    manage("migrate", "--noinput", "-v0")
    manage("sync_contracts")
    manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import Group, User; "
        "User.objects.create_user('bench').groups.add(Group.objects.get(name='viewers'))",
    )
    return env, manage("create_api_token", "bench", "--scopes", "read")


def serve(env: dict[str, str], port: int, token: str) -> subprocess.Popen[bytes]:
    command = [str(BIN / "granian"), "--interface", "wsgi", "dc43_portal.wsgi:application", "--workers", "1"]
    command += ["--blocking-threads", "4", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/api/v1/contracts/bench-wide/versions"
    for _ in range(300):
        try:
            request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
            with urllib.request.urlopen(request, timeout=2) as answer:
                if json.load(answer) == ["1.0.0"]:
                    return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the portal did not start")


def load(port: int, token: str, body: Path, content_type: str, duration: int) -> dict[str, Any]:
    env = {**os.environ, "WRK_BODY": str(body), "WRK_TYPE": content_type, "WRK_TOKEN": token}
    url = f"http://127.0.0.1:{port}/api/v1/contracts/check"
    command = ["wrk", "-t1", "-c1", f"-d{duration}s", "--timeout", "10s", "-s", str(ROOT / "bench" / "wrk_report.lua"), url]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    line = next(x for x in done.stdout.splitlines() if x.startswith("WRK_JSON "))
    return dict(json.loads(line.removeprefix("WRK_JSON ")))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per candidate")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dc43-bench-check-") as tmp:
        folder = Path(tmp)
        bodies = candidates(folder)
        env, token = portal(folder)
        process = serve(env, args.port, token)
        try:
            rows = [
                (name, path.stat().st_size, load(args.port, token, path, ctype, args.duration))
                for name, path, ctype in bodies
            ]
        finally:
            process.terminate()
            process.wait(timeout=30)
    print(f"POST /api/v1/contracts/check, 2,000 properties, 1 connection, {args.duration} s each (wrk)")
    print(f"{'candidate':<18} {'bytes':>9} {'requests':>8} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    failed = False
    for name, size, result in rows:
        print(
            f"{name:<18} {size:>9,} {result['requests']:>8} {result['p50_ms']:>8.1f} {result['p99_ms']:>8.1f}  {result['statuses']}"
        )
        failed |= set(result["statuses"]) != {"200"} or (name == "revision, JSON" and result["p50_ms"] >= TARGET_MS)
    print(f"target: JSON revision median under {TARGET_MS:.0f} ms, only 200s -> {'FAILED' if failed else 'ok'}")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
