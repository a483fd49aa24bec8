"""Throughput and peak memory of contract stores: the portal's FSContractStore against dc43's, same run.

Run from the repository root: ``python bench/stores.py`` (1,000 contracts x 10 versions, 3 repetitions)
or ``python bench/stores.py --contracts 50 --reps 1`` for a quick look. Each (store, repetition) runs in
its own child process, in a fresh temp dir, so peak RSS is per store. Another backend is benched with
``--store-class pkg.module.Class --store-options '{"base_path": "{tmp}"}'`` or by adding to ``STORES``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

StoreFactory = Callable[[Path], Any]
# "again": the same sampled ids a second time, as a long-running process reads them (caches warm).
OPS = ("put", "get", "list_versions", "latest", "list_versions again", "latest again")
BASELINE = "dc43"
PRERELEASE = "2.0.0-rc.1"


def _portal_store(tmp: Path) -> Any:
    from dc43_portal.stores.filesystem import FSContractStore

    return FSContractStore(tmp)


def _dc43_store(tmp: Path) -> Any:
    from dc43_service_backends.contracts.backend.stores.filesystem import FSContractStore as Dc43FSStore

    return Dc43FSStore(str(tmp))


def _delta_store(tmp: Path) -> Any:
    from dc43_portal.stores.delta.store import DeltaContractStore

    return DeltaContractStore(str(tmp / "contracts.delta"))


def _object_store(tmp: Path) -> Any:
    """The object store on S3 as moto serves it on 127.0.0.1 in this (child) process."""
    import boto3
    from moto.server import ThreadedMotoServer

    from dc43_portal.stores.objects.store import ObjectStorageContractStore

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = {"endpoint_url": f"http://{host}:{port}", "region_name": "us-east-1"}
    boto3.client("s3", aws_access_key_id="k", aws_secret_access_key="s", **endpoint).create_bucket(Bucket="bench")
    return ObjectStorageContractStore("s3://bench/contracts", {"key": "k", "secret": "s", "client_kwargs": endpoint})


def _collibra_store(tmp: Path) -> Any:
    """The Collibra store against the emulator, in its own process on 127.0.0.1 (state in memory)."""
    import atexit

    from dc43_portal.stores.collibra.store import CollibraContractStore

    command = [sys.executable, "-m", "dc43_portal.stores.collibra.emulator", "--port", "0"]
    emulator = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    atexit.register(emulator.terminate)
    assert emulator.stdout is not None
    url = emulator.stdout.readline().split(" on ", 1)[1].strip()
    return CollibraContractStore(base_url=url, username="admin", password="admin", governed_asset_ids=_PortPerId())


class _PortPerId(dict[str, str]):
    """Collibra links one contract per Data Product Port: a port per contract id, made on demand."""

    def get(self, key: str, default: Any = None) -> str:  # type: ignore[override]
        import uuid

        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench-port:{key}"))


# One entry per store: a name and a factory taking an empty temp dir. Stores take ODCS models in put().
STORES: dict[str, StoreFactory] = {"portal": _portal_store, BASELINE: _dc43_store}
STORES["delta"] = _delta_store
STORES["object-s3"] = _object_store
STORES["collibra"] = _collibra_store


def _git_store(tmp: Path) -> Any:
    from dc43_portal.stores.git.store import GitContractStore

    return GitContractStore(tmp / "contracts.git")


def _database_store(tmp: Path, url: str | None = None) -> Any:
    """The database store on a fresh SQLite file in ``tmp``, or on ``url`` (emptied first); Django set up here."""
    os.environ["DATABASE_URL"] = url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dc43_portal.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", "dbstore", verbosity=0)
    from dc43_portal.dbstore.models import ContractDocument, ContractDocumentChange
    from dc43_portal.dbstore.store import DatabaseContractStore

    ContractDocument.objects.all().delete()
    ContractDocumentChange.objects.all().delete()
    return DatabaseContractStore()


def _database_pg_store(tmp: Path) -> Any:
    """The database store on PostgreSQL at BENCH_PG_URL; the database is created when missing."""
    import psycopg

    url = os.environ["BENCH_PG_URL"]
    server, _, name = url.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return _database_store(tmp, url)


STORES["git"] = _git_store
STORES["database"] = _database_store
if os.environ.get("BENCH_PG_URL"):  # e.g. postgres://postgres@127.0.0.1:5432/dc43_bench
    STORES["database-pg"] = _database_pg_store


def register_store_class(dotted: str, options: dict[str, Any], name: str | None = None) -> str:
    """Add ``STORES[name]`` for a class; ``"{tmp}"`` in string options becomes the temp dir."""
    module_name, _, class_name = dotted.rpartition(".")
    cls = getattr(importlib.import_module(module_name), class_name)

    def factory(tmp: Path) -> Any:
        if not options:
            return cls(str(tmp))
        return cls(**{k: v.replace("{tmp}", str(tmp)) if isinstance(v, str) else v for k, v in options.items()})

    name = name or class_name
    STORES[name] = factory
    return name


def template() -> dict[str, Any]:
    """A small, realistic contract: one table of ten columns."""
    columns = [
        ("order_id", "string", "varchar(36)", True, True),
        ("customer_id", "string", "varchar(36)", True, False),
        ("order_date", "date", "date", True, False),
        ("status", "string", "varchar(16)", True, False),
        ("amount", "number", "decimal(12,2)", True, False),
        ("currency", "string", "char(3)", True, False),
        ("item_count", "integer", "int", False, False),
        ("is_gift", "boolean", "boolean", False, False),
        ("shipped_at", "date", "timestamp", False, False),
        ("notes", "string", "text", False, False),
    ]
    props = [
        {
            "name": n,
            "logicalType": lt,
            "physicalType": pt,
            "required": req,
            "primaryKey": key,
            "description": f"The {n}.",
        }
        for n, lt, pt, req, key in columns
    ]
    props[3]["quality"] = [{"type": "sql", "query": "SELECT COUNT(*) FROM orders WHERE status IS NULL", "mustBe": 0}]
    return {
        "apiVersion": "v3.1.0",
        "kind": "DataContract",
        "id": "template",
        "version": "1.0.0",
        "status": "active",
        "name": "Orders",
        "domain": "sales",
        "description": {"purpose": "Orders placed in the web shop.", "usage": "Reporting and billing."},
        "schema": [{"name": "orders", "physicalName": "sales.orders", "logicalType": "object", "properties": props}],
        "team": {"name": "sales-data"},
    }


def versions(count: int) -> list[str]:
    return [f"1.{i}.0" for i in range(count)]


def maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def rate(fn: Callable[[Any], Any], items: list[Any]) -> float:
    start = time.perf_counter()
    for item in items:
        fn(item)
    return len(items) / (time.perf_counter() - start)


def prerelease_latest(store: Any, model: Any, contract_id: str) -> str:
    """What ``latest`` answers once a pre-release sits next to the releases (after the timings)."""
    try:
        store.put(model.model_copy(update={"id": contract_id, "version": PRERELEASE}))
        found = store.latest(contract_id)
    except Exception as exc:  # noqa: BLE001 - the point is to report the crash
        return f"{type(exc).__name__}: {exc}"[:60]
    return found.version if found is not None else "None"


def run_worker(name: str, args: argparse.Namespace) -> dict[str, Any]:
    from open_data_contract_standard.model import OpenDataContractStandard

    rng = random.Random(args.seed)
    ids = [f"bench-contract-{i:05d}" for i in range(args.contracts)]
    vers = versions(args.versions)
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
        store = STORES[name](Path(tmp))
        base = OpenDataContractStandard.model_validate(template())
        base_rss = maxrss_mib()
        models = [base.model_copy(update={"id": cid, "version": v}) for cid in ids for v in vers]
        pairs = [(rng.choice(ids), rng.choice(vers)) for _ in range(args.samples)]
        sampled_ids = [rng.choice(ids) for _ in range(args.samples)]
        ops = {
            "put": rate(store.put, models),
            "get": rate(lambda p: store.get(*p), pairs),
            "list_versions": rate(store.list_versions, sampled_ids),
            "latest": rate(store.latest, sampled_ids),
        }
        # What a long-running process sees: folders last written more than 2 s ago (the portal's cache does not
        # trust an mtime younger than a filesystem tick, statcache.RACY_NS), read again. Both stores wait.
        time.sleep(2.1)
        ops["list_versions again"] = rate(store.list_versions, sampled_ids)
        ops["latest again"] = rate(store.latest, sampled_ids)
        newest = store.latest(ids[0])
        assert newest is not None and newest.version == vers[-1], newest
        assert sorted(store.list_versions(ids[-1])) == sorted(vers)
        prerelease = prerelease_latest(store, base, ids[0])
    return {"ops": ops, "base_rss": base_rss, "peak_rss": maxrss_mib(), "prerelease": prerelease}


def child_argv(name: str, args: argparse.Namespace) -> list[str]:
    argv = [sys.executable, str(Path(__file__).resolve()), "--worker", name]
    for flag in ("contracts", "versions", "samples", "seed", "store_class", "store_options", "store_name"):
        value = getattr(args, flag)
        if value is not None:
            argv += [f"--{flag.replace('_', '-')}", str(value)]
    return argv


def run_all(names: list[str], args: argparse.Namespace) -> dict[str, list[dict[str, Any]]]:
    """Each repetition runs every store in a child process; the order flips on odd repetitions."""
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    for rep in range(args.reps):
        for name in names if rep % 2 == 0 else names[::-1]:
            done = subprocess.run(child_argv(name, args), capture_output=True, text=True, check=False)
            if done.returncode != 0:
                sys.exit(f"{name} failed (repetition {rep + 1}):\n{done.stderr}")
            results[name].append(json.loads(done.stdout))
            print(f"  rep {rep + 1}/{args.reps} {name}: done", file=sys.stderr)
    return results


def table_row(label: str, values: dict[str, float], others: list[str], fmt: str, ratio: bool = True) -> list[str]:
    ratios = [f"{values[n] / values[BASELINE]:.2f}x" if ratio else "" for n in others]
    return [label, *(format(values[n], fmt) for n in values), *ratios]


def report(results: dict[str, list[dict[str, Any]]], args: argparse.Namespace) -> None:
    names = list(results)
    others = [n for n in names if n != BASELINE] if BASELINE in names else []
    header = ["op", *(f"{n} ops/s" for n in names), *(f"{n}/{BASELINE}" for n in others)]
    rows = [
        table_row(op, {n: statistics.median(r["ops"][op] for r in results[n]) for n in names}, others, ",.0f")
        for op in OPS
    ]
    rows.append(table_row("peak RSS MiB", {n: max(r["peak_rss"] for r in results[n]) for n in names}, others, ".0f"))
    base = {n: max(r["base_rss"] for r in results[n]) for n in names}
    rows.append(table_row("RSS after import MiB", base, others, ".0f", ratio=False))
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    print(
        f"\n{args.contracts} contracts x {args.versions} versions, {args.samples} sampled reads, "
        f"median of {args.reps} repetition(s)"
    )
    for row in [header, ["-" * w for w in widths], *rows]:
        cells = zip(row, widths, strict=True)
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(cells)))
    print(f"\nlatest() with {PRERELEASE} next to the releases (not timed):")
    for n in names:
        print(f"  {n}: {results[n][0]['prerelease']}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=1000)
    parser.add_argument("--versions", type=int, default=10, help="versions per contract: 1.0.0, 1.1.0, ...")
    parser.add_argument("--reps", type=int, default=3, help="repetitions; the median is reported")
    parser.add_argument("--samples", type=int, default=20000, help="random gets / list_versions / latest per rep")
    parser.add_argument("--seed", type=int, default=43)
    parser.add_argument("--stores", help="comma-separated names from STORES (default: all)")
    parser.add_argument("--store-class", help="dotted path of another store class to bench")
    parser.add_argument("--store-options", help='JSON keyword arguments; "{tmp}" is the temp dir')
    parser.add_argument("--store-name", help="name for --store-class in the table (default: the class name)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.store_class:
        options = json.loads(args.store_options) if args.store_options else {}
        register_store_class(args.store_class, options, args.store_name)
    if args.worker:
        print(json.dumps(run_worker(args.worker, args)))
        return 0
    names = args.stores.split(",") if args.stores else list(STORES)
    unknown = [n for n in names if n not in STORES]
    if unknown:
        sys.exit(f"unknown store(s) {', '.join(unknown)}; known: {', '.join(STORES)}")
    report(run_all(names, args), args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
