"""SemVer 2.0 parsing and precedence (DESIGN §3)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dc43_portal.errors import InvalidContract
from dc43_portal.versioning import build_clash, highest, parse_version, sort_fields, sort_versions

ORDERED = [
    "0.0.1",
    "1.0.0-0.3.7",
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-alpha.beta",
    "1.0.0-beta",
    "1.0.0-beta.2",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0-rc.2",
    "1.0.0-rc.10",
    "1.0.0",
    "1.1.0-draft-orders-20240101",
    "1.1.0",
    "1.9.0",
    "1.10.0",
    "2.0.0",
    "10.0.0",
]


def test_it_sorts_by_semver_precedence() -> None:
    shuffled = ORDERED[:]
    random.Random(4).shuffle(shuffled)
    assert sort_versions(shuffled) == ORDERED
    assert highest(shuffled) == "10.0.0"


def test_build_metadata_is_ignored_for_precedence_but_is_a_clash() -> None:
    assert parse_version("1.0.0+build.1") == parse_version("1.0.0+build.2")
    assert build_clash(["1.0.0+build.1", "0.9.0"], "1.0.0+build.2") == "1.0.0+build.1"
    assert build_clash(["1.0.0"], "1.0.0") is None
    assert build_clash(["1.0.1"], "1.0.0+x") is None


@pytest.mark.parametrize(
    "text",
    [
        "latest",
        "1.0",
        "1",
        "v1.0.0",
        "01.0.0",
        "1.0.0-",
        "1.0.0-01",
        "1.0.0+",
        " 1.0.0",
        "1.0.0\n",
        "1.0.0-a..b",
        "1" * 130 + ".0.0",
    ],
)
def test_it_refuses_what_is_not_strict_semver(text: str) -> None:
    with pytest.raises(InvalidContract, match="version"):
        parse_version(text)


def test_dc43_draft_versions_parse() -> None:
    version = parse_version("1.1.0-draft-orders-enriched-2024-05-01T10-00-00")
    assert version.core == (1, 1, 0) and version.prerelease


@pytest.mark.parametrize(("part", "expected"), [("major", "2.0.0"), ("minor", "1.3.0"), ("patch", "1.2.4")])
def test_bump(part: str, expected: str) -> None:
    assert str(parse_version("1.2.3").bump(part)) == expected
    assert str(parse_version("1.2.3-rc.1").bump("patch")) == "1.2.3"


def test_database_sort_fields_order_like_semver_for_typical_versions() -> None:
    def key(v: str) -> tuple:
        f = sort_fields(v)
        return (f["major"], f["minor"], f["patch"], f["is_release"], f["prerelease_key"])

    assert sorted(ORDERED, key=key) == ORDERED


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30)), min_size=1, max_size=20))
def test_numeric_order_is_numeric_not_lexical(cores: list[tuple[int, int, int]]) -> None:
    texts = [f"{a}.{b}.{c}" for a, b, c in cores]
    assert [parse_version(v).core for v in sort_versions(texts)] == sorted(cores)
