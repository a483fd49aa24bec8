"""Response time and SQL query count of the steward pages with 10,000 contracts in the mirror.

Run from the repository root: ``python bench/pages.py`` (10,000 contracts x 10 versions, 15 requests
per page) or ``python bench/pages.py --contracts 500 --reps 5`` for a quick look. "SQL ms" is the
database's share of one more request (the sum of its queries' times, as Django measures them). The database is a
fresh SQLite file in a temp dir, unless ``DATABASE_URL`` points at PostgreSQL, where the script uses
(then drops) a database of its own, ``<name>_bench_pages``. The pages read the metadata mirror only, so
rows are bulk-inserted there (not through the services, to keep the setup to seconds; the search index
is the database's own, so it is built exactly as for rows the services write); the version page reads one document from a real filesystem store.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = [
    ("list, page 1", "/", {}),
    ("list, page 100", "/", {"page": "100"}),
    ("search one word", "/", {"q": "orders"}),
    ("search, htmx fragment", "/", {"q": "orders", "_htmx": "results"}),
    ("search a property name", "/", {"q": "customer_email"}),
    ("search an owner", "/", {"q": "owner7"}),
    ("search two words, rare", "/", {"q": "shop 4242"}),
    ("search, sort by name", "/", {"q": "orders", "sort": "name"}),
    ("filter status + domain", "/", {"status": "proposed", "domain": "d3"}),
    ("sort by recently changed", "/", {"sort": "updated"}),
    ("review queue", "/queue/", {}),
    ("activity, page 1", "/activity/", {}),
    ("activity, one user", "/activity/", {"actor": "author7"}),
    ("contract page", "/contracts/c05000.orders/", {}),
    ("version page", "/contracts/c05000.orders/versions/1.1.0/", {}),
    ("version, 2,000 properties", "/contracts/bench.wide/versions/1.0.0/", {}),
    ("one object, htmx", "/contracts/bench.wide/versions/1.0.0/", {"object": "table_3", "_htmx": "x"}),
    ("compare, 2,000 properties", "/contracts/bench.wide/compare", {"from": "1.0.0", "to": "1.1.0"}),
]


def setup(tmp: Path) -> str:
    """Point Django at a throwaway database and store, then migrate; returns a label of the database."""
    os.environ["DC43_VAR_DIR"] = str(tmp)
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ["DJANGO_SETTINGS_MODULE"] = "dc43_portal.settings"
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        os.environ["DATABASE_URL"] = _own_database(url)
    import django
    from django.conf import settings

    django.setup()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    return f"{connection.vendor} {connection.settings_dict['NAME']}"


def _own_database(url: str) -> str:
    """A fresh database next to the one ``url`` names, so a benchmark never touches real data."""
    import psycopg

    base, _, name = url.rpartition("/")
    own = f"{name or 'postgres'}_bench_pages"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{own}"')
        conn.execute(f'CREATE DATABASE "{own}"')
    return f"{base}/{own}"


def _versions(count: int) -> list[tuple[str, int, str]]:
    """1.0.0 .. 1.<count-1>.0: Deprecated, then Validated, one In review and the newest a Draft."""
    from dc43_portal import statuses

    status = [statuses.DEPRECATED] * max(count - 3, 0) + [statuses.ACTIVE, statuses.PROPOSED, statuses.DRAFT]
    return [(f"1.{minor}.0", minor, s) for minor, s in enumerate(status[-count:])]


def populate(contracts: int, count: int) -> None:
    """``contracts`` contracts x ``count`` versions and 4 events per contract."""
    from dc43_portal.contracts.models import Contract, ContractVersion, LifecycleEvent
    from dc43_portal.contracts.services import contract_publish
    from tests.conftest import make_doc

    rows = Contract.objects.bulk_create(
        Contract(
            contract_id=f"c{i:05}.orders",
            name=f"Orders {i}",
            description=f"Orders of shop {i}",
            domain=f"d{i % 20}",
            owner=f"owner{i % 50}",
            tags=["orders", f"t{i % 30}"],
            tags_text=f"|orders|t{i % 30}|",
            search_text=f"orders order_id amount {'customer_email' if i % 100 == 0 else 'customer_id'} team{i % 50}",
            latest_version=_versions(count)[-1][0],
        )
        for i in range(contracts)
    )
    versions = _versions(count)
    ContractVersion.objects.bulk_create(
        (
            ContractVersion(
                contract=c, version=v, major=1, minor=minor, patch=0, is_release=True, status=s, fingerprint="0" * 64
            )
            for c in rows
            for v, minor, s in versions
        ),
        batch_size=2000,
    )
    LifecycleEvent.objects.bulk_create(
        (
            LifecycleEvent(contract_id=c.contract_id, version=v, action=a, actor=f"author{i % 10}")
            for i, c in enumerate(rows)
            for v, a in (("1.0.0", "publish"), ("1.0.0", "approve"), ("1.1.0", "publish"), ("1.1.0", "submit"))
        ),
        batch_size=2000,
    )
    # One real document in the store, for the version page.
    Contract.objects.filter(contract_id="c05000.orders").delete()
    contract_publish(document=make_doc("c05000.orders", "1.1.0"), actor="author0")
    # A 2,000-property contract (bench/diff.py's) and a realistic revision of it, for the big-contract pages.
    import random

    sys.path.insert(0, str(ROOT / "bench"))
    from diff import revised, wide_contract

    wide = {**wide_contract(), "id": "bench.wide"}
    contract_publish(document=wide, actor="author0")
    contract_publish(document={**revised(wide, random.Random(1)), "version": "1.1.0"}, actor="author0")
    from django.db import connection

    # Planner statistics, as autovacuum (PostgreSQL) or a routine ANALYZE (SQLite) would have them.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(reps: int) -> list[tuple[str, float, float, int, int, float]]:
    from django.contrib.auth.models import Group, User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user = User.objects.create_user("bench-steward", password="x")
    user.groups.add(Group.objects.get(name="stewards"))
    client = Client()
    client.force_login(user)
    results = []
    for label, url, params in PAGES:
        query = {k: v for k, v in params.items() if not k.startswith("_")}
        headers = {"HX-Request": "true", "HX-Target": params["_htmx"]} if "_htmx" in params else {}
        client.get(url, query, headers=headers)  # warm caches (templates, permissions)
        timings = []
        for _ in range(reps):
            start = time.perf_counter()
            response = client.get(url, query, headers=headers)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (label, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            size = len(client.get(url, query, headers=headers).content)
        sql = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        results.append((label, statistics.median(timings), max(timings), len(queries), size, sql))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=10_000)
    parser.add_argument("--versions", type=int, default=10)
    parser.add_argument("--reps", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database = setup(Path(tmp))
        start = time.perf_counter()
        populate(args.contracts, args.versions)
        print(
            f"{args.contracts:,} contracts x {args.versions} versions on {database}, populated in {time.perf_counter() - start:.1f} s"
        )
        print(
            f"median and max of {args.reps} requests through Django's test client (no network), queries per request\n"
        )
        print(f"{'page':<28}{'median ms':>10}{'max ms':>9}{'queries':>9}{'SQL ms':>9}{'KB':>8}")
        print("-" * 73)
        for label, median, worst, queries, size, sql in measure(args.reps):
            print(f"{label:<28}{median:>10.1f}{worst:>9.1f}{queries:>9}{sql:>9.1f}{size / 1024:>8.0f}")
        _drop_own_database()


def _drop_own_database() -> None:
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        return
    import psycopg

    name, url = connection.settings_dict["NAME"], os.environ["DATABASE_URL"]
    connections.close_all()
    with psycopg.connect(f"{url.rpartition('/')[0]}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    main()
