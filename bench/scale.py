"""``sync_contracts`` and ``import_contracts`` at 10,000 contracts x 10 versions on PostgreSQL, timed.

Run from the repository root: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python bench/scale.py``
(``--contracts``, ``--versions``; ``--import-contracts N`` imports the first N contracts' folders too, since
the full write path runs at about 60 documents a second). It writes the folder as ``bench/api.py`` does (one
32-column table, 10.8 KB a file), mirrors it into a fresh database with ``sync_contracts``, then imports into
a second fresh database and store with ``import_contracts``; both commands print their own time and rate.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api import manage, portal_env, seed  # noqa: E402
from pages import _own_database  # noqa: E402


def fresh_env(tmp: Path, store: Path, url: str) -> dict[str, str]:
    env = portal_env(tmp, store)
    env["DATABASE_URL"] = _own_database(url)
    manage(env, "migrate", "--noinput", "-v0")
    return env


def drop(env: dict[str, str]) -> None:
    import psycopg

    base, _, name = env["DATABASE_URL"].rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=10_000)
    parser.add_argument("--versions", type=int, default=10)
    parser.add_argument("--import-contracts", type=int, default=1_000, help="0: every contract")
    parser.add_argument("--steps", default="sync,import", help="sync, import or both")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL server: this measures the production database")
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as name:
        tmp = Path(name)
        start = time.perf_counter()
        seed(tmp / "contracts", args.contracts, args.versions)
        print(f"wrote {args.contracts:,} x {args.versions} files in {time.perf_counter() - start:.0f} s", flush=True)
        if "sync" in args.steps:
            env = fresh_env(tmp / "sync", tmp / "contracts", url)
            try:
                print(f"sync_contracts: {manage(env, 'sync_contracts').splitlines()[-1]}", flush=True)
                print(f"sync_contracts again: {manage(env, 'sync_contracts').splitlines()[-1]}", flush=True)
            finally:
                drop(env)
        if "import" in args.steps:
            count = args.import_contracts or args.contracts + 1  # and the wide contract
            source = tmp / "to-import"
            for folder in sorted((tmp / "contracts").iterdir())[:count]:
                shutil.copytree(folder, source / folder.name)
            env = fresh_env(tmp / "import", tmp / "imported", url)
            try:
                done = manage(env, "import_contracts", str(source)).splitlines()[-1]
                print(f"import_contracts ({count:,} contracts x {args.versions}): {done}", flush=True)
            finally:
                drop(env)


if __name__ == "__main__":
    main()
