"""Time the portal's verdict (parse + validate_document) on deep, large and real ODCS documents.

Run from the repository root: ``python bench/validate.py``. Exits non-zero when a verdict with the
default settings takes one second or more. Bounded: well under a minute on a small machine.
``--curve-only`` prints just the depth curve around the limit (docs/validation.md).
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

from dc43_portal import nesting, odcs, schemacheck  # noqa: E402
from dc43_portal.errors import DocumentTooLarge, InvalidContract  # noqa: E402

EXAMPLES = Path("/work/shared/odcs/examples")
DEPTHS = (5, 10, 20, 40)  # 5 is the deepest real document
RAW_DEPTHS = (6, 8, 10)  # every schema error listed at once, as before node-by-node listing; ~2x per level
RAW_LIMIT = 12
CURVE_SHAPES = (("array", "v3.1.0"), ("array", "v3.2.0"), ("map", "v3.2.0"))
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


def nested_contract(depth: int, shape: str = "array", api_version: str = "v3.1.0", fan: int = 1) -> dict[str, Any]:
    """A contract whose ``property_depth`` is ``depth``: each level an array (or map) of objects with a sibling.

    The costliest shape per level for the official schema, which checks an item's properties twice.
    """
    node: dict[str, Any] = {"name": "leaf", "logicalType": "string"}
    for level in range(depth, 1, -1):  # the schema object's own ``properties`` is level 1
        kids = [*(dict(node, name=f"n{i}") for i in range(fan)), {"name": f"sibling_{level}", "logicalType": "string"}]
        element = {"logicalType": "object", "properties": kids}
        if shape == "map":
            node = {
                "name": f"map_{level}",
                "logicalType": "map",
                "map": {"key": {"logicalType": "string"}, "value": element},
            }
        else:
            node = {"name": f"list_{level}", "logicalType": "array", "items": element}
    doc = contract(f"bench-deep-{depth}", [{"name": "deep", "logicalType": "object", "properties": [node]}])
    doc["apiVersion"] = api_version
    assert odcs.property_depth(doc) == depth, (odcs.property_depth(doc), depth)
    return doc


def spoiled(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with a typo in its deepest leaf's logicalType: refused by the schema, not by the depth."""
    bad = json.loads(json.dumps(doc))
    node = bad["schema"][0]["properties"][0]
    while "items" in node or "map" in node:
        node = (node.get("items") or node["map"]["value"])["properties"][0]
    node["logicalType"] = "strin"
    return bad


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
    fan = nested_contract(8, fan=3)
    found.append(("nested 8, fan-out 3", "8", json.dumps(fan).encode()))
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


def curve(runs: int) -> list[tuple[str, ...]]:
    """Median verdict times around the default limit, for valid documents and for ones with a deep typo."""
    rows = []
    limit = odcs.DEFAULT_MAX_PROPERTY_DEPTH
    for shape, api_version in CURVE_SHAPES:
        for depth in range(limit - 3, limit + 2):
            doc = nested_contract(depth, shape, api_version)
            cells = [f"{shape} {api_version}", str(depth), str(nesting.measure(doc).cost)]
            for variant in (doc, spoiled(doc)):
                raw = json.dumps(variant).encode()
                result, times = timed(lambda raw=raw: verdict(raw), runs)
                cells += [
                    result.split(":")[0] + (" (depth)" if "levels deep" in result else ""),
                    f"{statistics.median(times):.1f}",
                ]
            rows.append(tuple(cells))
    return rows


def raw_listing(depth: int) -> tuple[str, ...]:
    """Every schema error of a deep invalid document listed at once, as the portal did before (1 run)."""
    doc = spoiled(nested_contract(depth))
    start = time.perf_counter()
    found = schemacheck.errors(doc, "v3.1.0", nesting.Nesting())  # an empty nesting forces the whole listing
    return (f"nested {depth}, typo", str(depth), f"{len(found)} errors", f"{(time.perf_counter() - start) * 1000:.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per default verdict (median reported)")
    parser.add_argument("--curve-only", action="store_true", help="only the depth curve around the limit")
    args = parser.parse_args(argv)
    verdict(json.dumps(wide_contract(100)).encode())  # warm the schema cache and imports
    rows = curve(args.runs)
    print_table(
        f"Depth curve around the limit ({odcs.DEFAULT_MAX_PROPERTY_DEPTH}): median ms of {args.runs} runs",
        ("shape", "depth", "cost", "valid doc", "ms", "deep typo", "ms"),
        rows,
    )
    slow = [f"{r[0]} depth {r[1]}" for r in rows if max(float(r[4]), float(r[6])) >= BUDGET_S * 1000]
    if not args.curve_only:
        slow += others(args.runs)
    if slow:
        print(f"\nFAIL: verdicts took >= {BUDGET_S:g} s: {', '.join(slow)}", file=sys.stderr)
        return 1
    print(f"\nOK: every default verdict took < {BUDGET_S:g} s")
    return 0


def others(runs: int) -> list[str]:
    """The fixed cases, and the whole-document error listing the node-by-node listing replaced."""
    real = largest_example()
    slow, rows = [], []
    for label, depth, raw in cases(real):
        result, times = timed(lambda raw=raw: verdict(raw), runs)
        rows.append((label, depth, result, f"{statistics.median(times):.1f}", f"{max(times):.1f}"))
        if max(times) >= BUDGET_S * 1000:
            slow.append(label)
    print_table(
        f"Verdicts with default settings (max depth {odcs.DEFAULT_MAX_PROPERTY_DEPTH}), {runs} runs",
        ("case", "depth", "verdict", "median ms", "max ms"),
        rows,
    )
    print(f"largest real document: {real or 'none found under ' + str(EXAMPLES)}")
    raw_rows = [raw_listing(depth) for depth in RAW_DEPTHS if depth <= RAW_LIMIT]
    print_table(
        "Every schema error listed at once (before: exponential), 1 run", ("case", "depth", "found", "ms"), raw_rows
    )
    return slow


if __name__ == "__main__":
    sys.exit(main())
