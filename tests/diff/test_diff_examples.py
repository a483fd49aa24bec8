"""Every pair of related example versions in ../shared/odcs/examples: the rules they trigger and the bump verdict.

The curated pairs are versions of one contract (dc43's orders and orders_enriched, datacontract-cli's
changelog and schema-evolution fixtures, ODCS's own full example across spec versions). Every other pair
of documents sharing an id is checked for the diff's properties: it mirrors and ignores list order.
"""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from dc43_portal import odcs
from dc43_portal.diff import ADDED, CHANGED, REMOVED, actual_bump, bump_sufficient, diff, suggested_bump
from dc43_portal.errors import InvalidContract
from dc43_portal.versioning import is_version, version_key
from tests import corpus
from tests.corpus import EXAMPLES, manifest
from tests.diff.strategies import shuffled

pytestmark = corpus.MARKS  # the own twin is test_diff_own_versions.py

D = "dc43/demo_data/contracts/"
C = "datacontract-cli/tests/fixtures/"
# (old, new, suggested bump, whether the actual bump is enough, the rules and how often each fires)
PAIRS = [
    (D + "orders/1.0.0.json", D + "orders/1.1.0.json", "major", False, {"required-property-added": 2}),
    (D + "orders/1.1.0.json", D + "orders/1.2.0.json", "minor", True, {"server-changed": 3}),
    (D + "orders_enriched/1.0.0.json", D + "orders_enriched/1.1.0.json", "major", False, {"quality-rule-stricter": 1}),
    (D + "orders_enriched/1.1.0.json", D + "orders_enriched/2.0.0.json", "major", True, {"required-property-added": 1}),
    (D + "orders_enriched/2.0.0.json", D + "orders_enriched/3.0.0.json", "patch", True, {"metadata-changed": 1}),
    (
        C + "changelog/unit/changelog_unit_v1.yaml",
        C + "changelog/unit/changelog_unit_v2.yaml",
        "major",
        True,
        {
            "metadata-changed": 8,
            "object-added": 1,
            "price-changed": 1,
            "property-added": 1,
            "property-made-required": 1,
            "property-removed": 1,
            "quality-rule-stricter": 2,
            "server-changed": 1,
            "sla-changed": 1,
            "team-changed": 4,
            "type-changed": 1,
        },
    ),
    (
        C + "changelog/integration/changelog_integration_v1.yaml",
        C + "changelog/integration/changelog_integration_v2.yaml",
        "major",
        True,
        {
            "metadata-changed": 1,
            "object-added": 1,
            "property-added": 1,
            "property-made-required": 1,
            "property-removed": 1,
            "sla-changed": 1,
            "type-changed": 1,
        },
    ),
    (
        C + "schema-evolution/odcs-datacontract-cities-version-1.yaml",
        C + "schema-evolution/odcs-datacontract-cities-version-2.yaml",
        "major",
        True,
        {"property-added": 1, "server-added": 11, "server-removed": 2},
    ),
    (
        C + "schema-evolution/odcs-datacontract-cities-version-2.yaml",
        C + "schema-evolution/odcs-datacontract-cities-version-3.yaml",
        "major",
        None,
        {"property-made-required": 1, "server-removed": 3},
    ),
    (
        "datacontract-editor/public/test-contract.yaml",
        C + "excel/shipments-odcs.yaml",
        "minor",
        False,
        {"metadata-changed": 8, "quality-rule-added": 6, "quality-rule-removed": 1},
    ),
    (
        C + "lint/valid.odcs.yaml",
        C + "lint/valid-3.1.0.odcs.yaml",
        "major",
        None,
        {"metadata-changed": 1, "quality-rule-added": 2, "quality-rule-stricter": 2, "team-changed": 1},
    ),
    (
        "eddiethedean-odcs/examples/registry/provider.yaml",
        "eddiethedean-odcs/tests/fixtures/registry/contracts/provider-v2.yaml",
        None,
        True,
        {},
    ),
    (
        "eddiethedean-odcs/examples/minimal.odcs.yaml",
        "eddiethedean-odcs/tests/fixtures/minimal.odcs.yaml",
        None,
        True,
        {},
    ),
    (
        "bitol/v3.0.2/docs/examples/all/full-example.odcs.yaml",
        "bitol/v3.1.0/docs/examples/all/full-example.odcs.yaml",
        "minor",
        None,
        {
            "metadata-changed": 6,
            "object-added": 1,
            "quality-rule-added": 2,
            "quality-rule-removed": 2,
            "relationship-changed": 2,
            "sla-changed": 1,
            "team-changed": 4,
        },
    ),
    (
        "bitol/v3.1.0/docs/examples/all/full-example.odcs.yaml",
        "bitol/dev-v3.2.0/docs/examples/all/full-example.odcs.yaml",
        "major",
        None,
        {"constraint-tightened": 1, "metadata-changed": 1, "property-added": 1},
    ),
]


def load(path: str | Path) -> dict[str, Any]:
    return odcs.parse_document((EXAMPLES / path).read_bytes())


@pytest.mark.parametrize(
    ("old", "new", "bump", "sufficient", "rules"), PAIRS, ids=[f"{p[0]}->{Path(p[1]).name}" for p in PAIRS]
)
def test_it_classifies_related_example_versions(
    old: str, new: str, bump: str | None, sufficient: bool | None, rules: dict[str, int]
) -> None:
    a, b = load(old), load(new)
    changes = diff(a, b)
    assert dict(Counter(c.rule for c in changes)) == rules
    assert suggested_bump(changes) == bump
    assert bump_sufficient(bump, actual_bump(a["version"], b["version"])) is sufficient


def test_it_finds_the_breaking_changes_of_dc43_orders_1_1() -> None:
    # dc43 shipped 1.1.0 as a minor, but two new required columns break every writer of 1.0.0.
    changes = diff(load(D + "orders/1.0.0.json"), load(D + "orders/1.1.0.json"))
    assert [c.path for c in changes.breaking] == [
        "schema.orders.properties.order_ts",
        "schema.orders.properties.currency",
    ]


MIRROR = {ADDED: REMOVED, REMOVED: ADDED, CHANGED: CHANGED}


def _same_id_pairs() -> list[tuple[str, str]]:
    """Consecutive versions (SemVer order) of every id the corpus holds at more than one version."""
    by_id: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in manifest():
        if row["id"] and is_version(row["version"]) and "negative-tests" not in row["path"]:
            by_id[row["id"]].append((row["version"], row["path"].removeprefix("examples/")))
    pairs = []
    for docs in by_id.values():
        docs.sort(key=lambda d: (version_key(d[0]), d[1]))
        pairs += [(a[1], b[1]) for a, b in zip(docs, docs[1:], strict=False) if a[0] != b[0]]
    return pairs


@pytest.mark.parametrize(("old", "new"), _same_id_pairs())
def test_it_mirrors_and_ignores_list_order_on_every_pair_of_a_contract_id(old: str, new: str) -> None:
    try:
        a, b = load(old), load(new)
    except InvalidContract:
        pytest.skip("not a parseable document")

    def signature(c: Any, mirrored: bool = False) -> tuple[Any, ...]:
        kind, before, after = (MIRROR[c.kind], c.new, c.old) if mirrored else (c.kind, c.old, c.new)
        return (c.parts, kind, json.dumps(before, sort_keys=True), json.dumps(after, sort_keys=True))

    assert Counter(signature(c) for c in diff(a, b)) == Counter(signature(c, True) for c in diff(b, a))
    assert list(diff(a, shuffled(a, random.Random(43)))) == []
