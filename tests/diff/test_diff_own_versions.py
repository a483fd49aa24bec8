"""Twin of test_diff_examples.py on the own fixtures: related versions, their rules and the bump verdict."""

from __future__ import annotations

import json
import random
from collections import Counter
from itertools import combinations
from typing import Any

import pytest

from dc43_portal.diff import ADDED, CHANGED, REMOVED, actual_bump, bump_sufficient, diff, suggested_bump
from tests import corpus
from tests.diff.strategies import shuffled

SALES = corpus.OWN / "dc43/bakery_sales"
MIRROR = {ADDED: REMOVED, REMOVED: ADDED, CHANGED: CHANGED}


def test_it_classifies_the_own_related_versions() -> None:
    # Like dc43's orders 1.1.0: shipped as a minor, but a new required column breaks every writer of 1.0.0.
    a, b = corpus.own_doc(SALES / "1.0.0.json"), corpus.own_doc(SALES / "1.1.0.json")
    changes = diff(a, b)
    assert dict(Counter(c.rule for c in changes)) == {"required-property-added": 1, "metadata-changed": 1}
    assert [c.path for c in changes.breaking] == ["schema.sales.properties.baker"]
    assert suggested_bump(changes) == "major"
    assert bump_sufficient("major", actual_bump(a["version"], b["version"])) is False


PAIRS = list(combinations([*corpus.own_valid(), *corpus.own_dc43()], 2))


@pytest.mark.parametrize(("old", "new"), PAIRS, ids=[f"{corpus.own_rel(a)}->{corpus.own_rel(b)}" for a, b in PAIRS])
def test_it_mirrors_and_ignores_list_order_on_own_pairs(old: Any, new: Any) -> None:
    a, b = corpus.own_doc(old), corpus.own_doc(new)

    def signature(c: Any, mirrored: bool = False) -> tuple[Any, ...]:
        kind, before, after = (MIRROR[c.kind], c.new, c.old) if mirrored else (c.kind, c.old, c.new)
        return (c.parts, kind, json.dumps(before, sort_keys=True), json.dumps(after, sort_keys=True))

    assert Counter(signature(c) for c in diff(a, b)) == Counter(signature(c, True) for c in diff(b, a))
    assert list(diff(a, shuffled(a, random.Random(43)))) == []
