"""The same dc43 Spark job (``dc43_portal/demo/pipeline.py``) against the portal and against dc43's own service backend.

Starts both servers on 127.0.0.1 (the portal under granian as `make run` serves it, 2 workers, debug off, SQLite in a
temporary folder;
dc43's FastAPI app under uvicorn (httptools, uvloop) with its filesystem and in-memory backends), then runs the job
``--reps`` times against each, alternating, in one Spark session (``local[1]``, UI off), and prints
the median wall time of each and their ratio. Run from the repository root:
``.venv/bin/python bench/pipeline.py --reps 3``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def load_pipeline():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("dc43_demo_pipeline", ROOT / "dc43_portal" / "demo" / "pipeline.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            urllib.request.urlopen(url, timeout=2)
            return
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds} s")


@contextlib.contextmanager
def server(command: list[str], env: dict[str, str], health: str) -> Iterator[None]:
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(health)
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def portal_env(var: Path) -> dict[str, str]:
    """The portal as it ships (debug off, as bench/api.py runs it), SQLite in ``var``, the demo loaded."""
    env = {**os.environ, "DC43_VAR_DIR": str(var), "DJANGO_DEBUG": "false", "DJANGO_SECURE_PROXY": "false"}
    env |= {"DJANGO_SECRET_KEY": secrets.token_urlsafe(40), "DJANGO_ALLOWED_HOSTS": "127.0.0.1"}
    env |= {"DJANGO_LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"], ["demo_setup"]):
        subprocess.run([PY, "manage.py", *command], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return env


def warm(url: str, token: str | None) -> None:
    """Sixteen governance reads at once, each on its own connection, so that every worker has loaded what the
    job's calls need (the portal imports dc43's governance libraries on a worker's first such call, 0.45 s)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(_: int) -> None:
        with contextlib.suppress(OSError):
            urllib.request.urlopen(urllib.request.Request(f"{url}/governance/datasets", headers=headers), timeout=30)

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(get, range(16)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--portal-port", type=int, default=8771)
    parser.add_argument("--dc43-port", type=int, default=8772)
    args = parser.parse_args()
    pipeline = load_pipeline()
    with tempfile.TemporaryDirectory(prefix="dc43-bench-pipeline-") as tmp:
        base = Path(tmp)
        env = portal_env(base / "portal")
        token = subprocess.run(
            [PY, "manage.py", "pipeline_demo_setup"], env=env, cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout.strip()
        portal_url = f"http://127.0.0.1:{args.portal_port}/api/v1"
        dc43_url = f"http://127.0.0.1:{args.dc43_port}"
        granian = [
            str(Path(PY).parent / "granian"),
            "--interface",
            "wsgi",
            "dc43_portal.wsgi:application",
            "--workers",
            "2",
        ]
        granian += ["--blocking-threads", "4", "--host", "127.0.0.1", "--port", str(args.portal_port)]
        dc43 = [PY, "bench/dc43_service.py", "--port", str(args.dc43_port), "--root", str(base / "dc43-contracts")]
        with (
            server(granian, env, f"http://127.0.0.1:{args.portal_port}/healthz"),
            server(dc43, dict(os.environ), f"{dc43_url}/docs"),
        ):
            warm(portal_url, token)
            warm(dc43_url, None)
            spark = pipeline.spark_session()
            times: dict[str, list[float]] = {"portal": [], "dc43": []}
            # One warm-up run each (JVM, first requests), not counted.
            for rep in range(args.reps + 1):
                for name, url, tok in (("portal", portal_url, token), ("dc43", dc43_url, None)):
                    work = base / f"{name}-{rep}"
                    work.mkdir()
                    result = pipeline.run(url, tok, work, spark=spark)
                    assert result["read"] == "ok" and result["bad_read"] == "block", result
                    if rep:
                        times[name].append(result["seconds"])
            spark.stop()
    portal, dc43_median = statistics.median(times["portal"]), statistics.median(times["dc43"])
    print(f"dc43 Spark job wall time, median of {args.reps} (after one warm-up each):")
    print(f"  against the portal:            {portal:7.2f} s  {times['portal']}")
    print(f"  against dc43's service backend: {dc43_median:7.2f} s  {times['dc43']}")
    print(f"  ratio portal / dc43:            {portal / dc43_median:7.2f}x")


if __name__ == "__main__":
    main()
