"""SemVer 2.0 parsing and precedence (DESIGN §3)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dc43_portal import versioning
from dc43_portal.errors import InvalidContract
from dc43_portal.versioning import (
    MAX_VERSION_BYTES,
    MAX_VERSION_NUMBER,
    Version,
    build_clash,
    highest,
    is_version,
    parse_version,
    sort_fields,
    sort_versions,
    version_key,
)

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


@pytest.fixture(autouse=True)
def _cold_parse_cache() -> None:
    # A parse cached by an earlier test (or by mutmut's first pass) must not hide the rule under test.
    versioning._parse.cache_clear()


def refusal(text: object) -> list[tuple[str, str]]:
    with pytest.raises(InvalidContract) as refused:
        parse_version(text)
    return refused.value.errors


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
    ],
)
def test_it_refuses_what_is_not_strict_semver(text: str) -> None:
    assert refusal(text) == [("version", f"{text!r} is not a SemVer 2.0 version such as 1.2.0 or 1.0.0-rc.1")]
    assert is_version(text) is False


def test_it_refuses_what_is_not_a_string() -> None:
    assert refusal(100) == [("version", "must be a string, got int")]
    assert refusal(None) == [("version", "must be a string, got NoneType")]
    assert is_version(1.0) is False


def test_it_accepts_a_version_of_exactly_128_bytes_and_refuses_one_more() -> None:
    longest = "1.0.0-" + "a" * (MAX_VERSION_BYTES - 6)
    assert len(longest.encode("utf-8")) == MAX_VERSION_BYTES == 128
    assert str(parse_version(longest)) == longest and is_version(longest)
    assert refusal(longest + "a") == [("version", "is longer than 128 bytes")]
    # Bytes, not characters: 62 two-byte letters in build metadata pass 128 bytes in 68 characters.
    assert refusal("1.0.0+" + "é" * 62) == [("version", "is longer than 128 bytes")]


@pytest.mark.parametrize(
    "text",
    [
        f"{MAX_VERSION_NUMBER + 1}.0.0",
        f"0.{MAX_VERSION_NUMBER + 1}.0",
        f"0.0.{MAX_VERSION_NUMBER + 1}",
        "0.0." + "9" * 20,
    ],
)
def test_it_refuses_numbers_beyond_64_bits(text: str) -> None:
    assert refusal(text) == [("version", f"major, minor and patch must each be at most {MAX_VERSION_NUMBER}")]


def test_it_accepts_the_largest_numbers() -> None:
    top = MAX_VERSION_NUMBER
    assert top == 2**63 - 1 == 9223372036854775807
    assert parse_version(f"{top}.{top}.{top}").core == (top, top, top)
    assert parse_version(f"0.0.{top}").patch == top  # 19 digits


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


@settings(deadline=None)  # no time limit: under mutation testing each call is traced, on a shared machine
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30)), min_size=1, max_size=20))
def test_numeric_order_is_numeric_not_lexical(cores: list[tuple[int, int, int]]) -> None:
    texts = [f"{a}.{b}.{c}" for a, b, c in cores]
    assert [parse_version(v).core for v in sort_versions(texts)] == sorted(cores)


def test_it_parses_every_part() -> None:
    version = parse_version("1.2.3-rc.1.x-y+build.7")
    assert (version.major, version.minor, version.patch) == (1, 2, 3)
    assert version.prerelease == ("rc", "1", "x-y") and version.build == "build.7"
    assert str(version) == "1.2.3-rc.1.x-y+build.7"
    assert str(parse_version("1.2.3+b")) == "1.2.3+b" and str(parse_version("1.2.3")) == "1.2.3"
    assert parse_version("1.2.3").prerelease == () and parse_version("1.2.3").build == ""


def test_it_compares_by_precedence() -> None:
    assert parse_version("1.0.0-rc.1") < parse_version("1.0.0") < parse_version("1.0.1")
    assert not parse_version("1.0.0") < parse_version("1.0.0+b")
    assert parse_version("1.0.0-2") < parse_version("1.0.0-10") < parse_version("1.0.0-a")
    assert parse_version("1.0.0") != "1.0.0" and parse_version("1.0.0") == Version(1, 0, 0)
    assert hash(parse_version("1.0.0+a")) == hash(parse_version("1.0.0+b"))
    assert len({parse_version("1.0.0"), parse_version("1.0.0+x"), parse_version("1.0.1")}) == 2
    assert version_key("1.0.0-rc.1") == (1, 0, 0, 0, ((1, 0, "rc"), (0, 1, "")))
    assert version_key("2.1.0") == (2, 1, 0, 1, ())


def test_it_breaks_ties_by_the_text_and_answers_no_highest_for_nothing() -> None:
    assert sort_versions(["1.0.0+b", "1.0.0+a", "0.1.0"]) == ["0.1.0", "1.0.0+a", "1.0.0+b"]
    assert highest([]) is None
    assert highest(["1.0.0+b", "1.0.0+a"]) == "1.0.0+b"


def test_it_gives_the_database_its_sort_fields() -> None:
    assert sort_fields("1.2.3-rc.7") == {
        "major": 1,
        "minor": 2,
        "patch": 3,
        "is_release": False,
        "prerelease_key": "rc." + "7".zfill(20),
    }
    assert sort_fields("4.5.6")["is_release"] is True and sort_fields("4.5.6")["prerelease_key"] == ""


def test_it_refuses_an_unknown_bump() -> None:
    with pytest.raises(ValueError, match=r"^unknown bump 'huge', expected one of major, minor, patch$"):
        parse_version("1.0.0").bump("huge")
    assert str(parse_version("1.2.3-rc.1").bump("minor")) == "1.3.0"
    assert str(parse_version("1.2.3-rc.1").bump("major")) == "2.0.0"


def test_it_finds_a_build_clash_only_among_valid_versions() -> None:
    assert build_clash(["not a version", "1.0.0+a"], "1.0.0+b") == "1.0.0+a"
    assert build_clash(["1.0.0+b"], "1.0.0+b") is None
