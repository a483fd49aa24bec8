"""Contract id rules (DESIGN §3)."""

from __future__ import annotations

import unicodedata

import pytest

from dc43_portal.errors import InvalidContractId
from dc43_portal.ids import MAX_ID_BYTES, check_contract_id, is_contract_id


@pytest.mark.parametrize("good", ["sales.orders", "a", "販売.注文", "x" * MAX_ID_BYTES, "with space inside", "a+b"])
def test_it_accepts(good: str) -> None:
    assert check_contract_id(good) == good


@pytest.mark.parametrize(
    ("bad", "rule"),
    [
        ("", "must not be empty"),
        ("a/b", "must not contain a slash"),
        ("a\\b", "must not contain a backslash"),
        ("a%2fb", "must not contain a percent sign"),
        ("a\x00b", "must not contain control characters"),
        ("a\nb", "must not contain control characters"),
        (" a", "must not start or end with whitespace"),
        ("a ", "must not start or end with whitespace"),
        (".a", "must not start with '.'"),
        ("..", "must not start with '.'"),
        ("é" * 101, "is longer than 200 UTF-8 bytes"),
        ("x" * (MAX_ID_BYTES + 1), "is longer than 200 UTF-8 bytes"),
        (unicodedata.normalize("NFD", "café"), "must be in Unicode NFC form"),
        (None, "must be a string, got NoneType"),
        (42, "must be a string, got int"),
    ],
)
def test_it_refuses(bad: object, rule: str) -> None:
    with pytest.raises(InvalidContractId) as refused:
        check_contract_id(bad)
    assert refused.value.errors == [("id", rule)]
    assert not is_contract_id(bad)


def test_it_reports_the_path_it_is_given() -> None:
    with pytest.raises(InvalidContractId) as refused:
        check_contract_id("a/b", path="body.id")
    assert refused.value.errors == [("body.id", "must not contain a slash")]


def test_it_answers_is_contract_id() -> None:
    assert is_contract_id("sales.orders") is True
    assert is_contract_id("x" * MAX_ID_BYTES) is True
    assert is_contract_id("a/b") is False


def test_every_allowed_id_fits_a_file_name() -> None:
    assert len(("é" * 100).encode()) <= MAX_ID_BYTES == 200 < 255
