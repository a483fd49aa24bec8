"""Time the semantic diff of two 2,000-property contracts (target: median under 200 ms).

Run from the repository root: ``python bench/diff.py``. Exits non-zero when a median reaches the
target. Cases: identical copies, a realistic revision (5% of the columns touched, some added and
removed, every list shuffled), every column changed, and the largest real document against a
shuffled copy of itself. It also times what the compare page adds: the JSON payload of the changes
and the unified YAML text diff.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dc43_portal import odcs  # noqa: E402
from dc43_portal.diff import change_payload, diff, suggested_bump  # noqa: E402

EXAMPLES = Path("/work/shared/odcs/examples")
TARGET_MS = 200.0
Doc = dict[str, Any]


def wide_contract(n_properties: int = 2000, per_table: int = 100) -> Doc:
    """20 tables of 100 columns, with types, constraints, quality rules and tags, like a real contract."""
    tables = []
    for t in range(n_properties // per_table):
        props = []
        for c in range(per_table):
            prop: dict[str, Any] = {
                "name": f"col_{t}_{c}",
                "logicalType": "string" if c % 3 else "number",
                "physicalType": "varchar(64)" if c % 3 else "double",
                "required": c % 4 == 0,
                "description": f"Column {c} of table {t}",
                "tags": ["bench", f"t{t}"],
            }
            if c % 3:
                prop["logicalTypeOptions"] = {"maxLength": 64, "pattern": "^[A-Z0-9]+$"}
            else:
                prop["quality"] = [{"name": f"positive_{c}", "metric": "invalidValues", "mustBeGreaterThan": 0}]
            props.append(prop)
        tables.append({"name": f"table_{t}", "physicalName": f"tbl_{t}", "logicalType": "object", "properties": props})
    return {
        "apiVersion": "v3.1.0",
        "kind": "DataContract",
        "id": "bench-wide",
        "version": "1.0.0",
        "status": "active",
        "schema": tables,
    }


def shuffled(doc: Doc, rng: random.Random) -> Doc:
    """The same contract with every list of tables and columns in another order."""
    out = copy.deepcopy(doc)
    rng.shuffle(out["schema"])
    for table in out["schema"]:
        rng.shuffle(table.get("properties") or [])
    return out


def revised(doc: Doc, rng: random.Random) -> Doc:
    """A realistic next version: 5% of the columns touched, 20 removed, 20 added, lists shuffled."""
    out = shuffled(doc, rng)
    for table in out["schema"]:
        props = table["properties"]
        for prop in rng.sample(props, 5):
            prop["description"] += " (revised)"
            prop["required"] = not prop["required"]
        del props[0]
        props.append({"name": f"new_{table['name']}", "logicalType": "string"})
    out["version"] = "1.1.0"
    return out


def everything_changed(doc: Doc) -> Doc:
    out = copy.deepcopy(doc)
    for table in out["schema"]:
        for prop in table["properties"]:
            prop["description"] = prop["description"].upper()
            prop["logicalType"] = "integer"
    return out


def largest_real() -> Doc | None:
    candidates = sorted(
        (p for p in EXAMPLES.rglob("*.yaml") if "negative" not in str(p)), key=lambda p: -p.stat().st_size
    )
    for path in candidates:
        try:
            doc = odcs.parse_document(path.read_bytes())
        except Exception:  # noqa: BLE001 - the corpus holds invalid files; take the largest that parses
            continue
        if isinstance(doc.get("schema"), list):
            return doc
    return None


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


def text_diff(old: Doc, new: Doc) -> int:
    return sum(1 for _ in difflib.unified_diff(odcs.dump_yaml(old).splitlines(), odcs.dump_yaml(new).splitlines()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=43)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    base = wide_contract()
    cases: list[tuple[str, Doc, Doc]] = [
        ("identical copies", base, copy.deepcopy(base)),
        ("revision, lists shuffled", base, revised(base, rng)),
        ("every column changed", base, everything_changed(base)),
    ]
    real = largest_real()
    if real is not None:
        cases.append((f"largest real vs shuffled ({real.get('id')})", real, shuffled(real, rng)))
    print(f"Semantic diff, median of {args.runs} runs (target < {TARGET_MS:.0f} ms for the diff)")
    print(f"{'case':<44} {'changes':>7} {'bump':>6} {'diff ms':>8} {'max ms':>7} {'+json ms':>8} {'text ms':>8}")
    worst = 0.0
    for label, old, new in cases:
        result = diff(old, new)
        median, slowest = timed(lambda o=old, n=new: suggested_bump(diff(o, n)), args.runs)
        payload, _ = timed(lambda r=result: json.dumps([change_payload(c) for c in r]), args.runs)
        text, _ = timed(lambda o=old, n=new: text_diff(o, n), max(1, args.runs // 2))
        bump = suggested_bump(result) or "none"
        print(f"{label:<44} {len(result):>7} {bump:>6} {median:>8.1f} {slowest:>7.1f} {payload:>8.1f} {text:>8.1f}")
        worst = max(worst, median)
    verdict = "OK" if worst < TARGET_MS else "TOO SLOW"
    print(f"{verdict}: the slowest median diff took {worst:.1f} ms")
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
