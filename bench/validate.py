"""Time the portal's verdict (parse + validate_document) on deep, large and real ODCS documents.

Run from the repository root: ``python bench/validate.py``. Exits non-zero when a verdict with the
default settings takes one second or more. Bounded: well under a minute on a small machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dc43_portal import odcs  # noqa: E402
from dc43_portal.errors import DocumentTooLarge, InvalidContract  # noqa: E402

EXAMPLES = Path("/work/shared/odcs/examples")
DEPTHS = (8, 10, 20, 40)  # 8 is the deepest real document
RAW_DEPTHS = (10, 14, 18)  # the validator with the guard lifted; ~2x per 2 levels, so nothing past 20
RAW_LIMIT = 20
LIFTED_DEPTH = 1000
BUDGET_S = 1.0
Case = tuple[str, str, bytes]  # (label, depth, raw bytes)


def contract(contract_id: str, schema: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "apiVersion": "v3.1.0",
        "kind": "DataContract",
        "id": contract_id,
        "version": "1.0.0",
        "status": "draft",
        "schema": schema,
    }


def nested_contract(depth: int) -> dict[str, Any]:
    """A contract whose ``property_depth`` is ``depth``: objects (with a sibling) alternate with arrays."""
    node: dict[str, Any] = {"name": "leaf", "logicalType": "string"}
    for level in range(depth, 1, -1):  # the schema object's own ``properties`` is level 1
        if level % 2 == 0:
            node = {"name": f"list_{level}", "logicalType": "array", "items": node}
        else:
            sibling = {"name": f"sibling_{level}", "logicalType": "string"}
            node = {"name": f"record_{level}", "logicalType": "object", "properties": [sibling, node]}
    doc = contract(f"bench-deep-{depth}", [{"name": "deep", "logicalType": "object", "properties": [node]}])
    assert odcs.property_depth(doc) == depth, (odcs.property_depth(doc), depth)
    return doc


def wide_contract(n_properties: int = 2000, per_table: int = 100) -> dict[str, Any]:
    """A flat contract: ``n_properties`` columns spread over tables of ``per_table``."""
    tables = []
    for t in range(n_properties // per_table):
        props = [
            {
                "name": f"col_{t}_{i}",
                "logicalType": ("string", "integer", "number", "boolean", "date")[i % 5],
                "physicalType": ("varchar", "bigint", "double", "boolean", "date")[i % 5],
                "description": f"Column {i} of table {t}",
                "required": i % 3 == 0,
                "primaryKey": i == 0,
            }
            for i in range(per_table)
        ]
        tables.append({"name": f"table_{t}", "logicalType": "object", "physicalType": "table", "properties": props})
    return contract("bench-wide-2000", tables)


def largest_example(folder: Path = EXAMPLES) -> Path | None:
    """The biggest file (by bytes) under ``folder`` that looks like an ODCS data contract."""
    best: tuple[int, Path] | None = None
    for path in folder.rglob("*"):
        if path.suffix not in (".yaml", ".yml", ".json") or not path.is_file():
            continue
        size = path.stat().st_size
        if best is not None and size <= best[0]:
            continue
        text = path.read_text("utf-8", errors="replace")
        if "apiVersion" in text and "DataContract" in text:
            best = (size, path)
    return best[1] if best else None


def verdict(raw: bytes, max_depth: int = odcs.DEFAULT_MAX_PROPERTY_DEPTH) -> str:
    try:
        odcs.validate_document(odcs.parse_document(raw), max_depth=max_depth)
    except (InvalidContract, DocumentTooLarge) as exc:
        return f"rejected: {str(exc)[:60]}"
    return "accepted"


def timed(fn: Callable[[], str], runs: int) -> tuple[str, list[float]]:
    times, result = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return result, times


def cases(real: Path | None) -> list[Case]:
    found = [(f"nested {d}", str(d), json.dumps(nested_contract(d)).encode()) for d in DEPTHS]
    wide = wide_contract()
    found.append(("2,000 properties", str(odcs.property_depth(wide)), json.dumps(wide).encode()))
    if real is not None:
        raw = real.read_bytes()
        depth = odcs.property_depth(odcs.parse_document(raw))
        found.append((f"largest real ({len(raw) // 1024} KiB)", str(depth), raw))
    return found


def print_table(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}")
    for row in [header, tuple("-" * w for w in widths), *rows]:
        cells = zip(row, widths, strict=True)
        print("  ".join(str(c).ljust(w) if i < 3 else str(c).rjust(w) for i, (c, w) in enumerate(cells)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per default verdict (median reported)")
    args = parser.parse_args(argv)
    verdict(json.dumps(wide_contract(100)).encode())  # warm the schema cache and imports
    real = largest_example()
    slow, rows = [], []
    for label, depth, raw in cases(real):
        result, times = timed(lambda raw=raw: verdict(raw), args.runs)
        rows.append((label, depth, result, f"{statistics.median(times):.1f}", f"{max(times):.1f}"))
        if max(times) >= BUDGET_S * 1000:
            slow.append(label)
    print_table(
        f"Verdicts with default settings (max depth {odcs.DEFAULT_MAX_PROPERTY_DEPTH}), {args.runs} runs",
        ("case", "depth", "verdict", "median ms", "max ms"),
        rows,
    )
    print(f"largest real document: {real or 'none found under ' + str(EXAMPLES)}")
    raw_rows = []
    for depth in (d for d in RAW_DEPTHS if d <= RAW_LIMIT):
        raw = json.dumps(nested_contract(depth)).encode()
        result, times = timed(lambda raw=raw: verdict(raw, max_depth=LIFTED_DEPTH), 1)
        raw_rows.append((f"nested {depth}", str(depth), result, f"{times[0]:.1f}"))
    title = f"Raw validator, depth guard lifted (max_depth={LIFTED_DEPTH}), 1 run"
    print_table(title, ("case", "depth", "verdict", "ms"), raw_rows)
    if slow:
        print(f"\nFAIL: verdicts took >= {BUDGET_S:g} s: {', '.join(slow)}", file=sys.stderr)
        return 1
    print(f"\nOK: every default verdict took < {BUDGET_S:g} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
