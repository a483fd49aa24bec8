"""Contract id rules (DESIGN §3)."""

from __future__ import annotations

import unicodedata

import pytest

from dc43_portal.errors import InvalidContractId
from dc43_portal.ids import MAX_ID_BYTES, check_contract_id


@pytest.mark.parametrize("good", ["sales.orders", "a", "販売.注文", "x" * MAX_ID_BYTES, "with space inside", "a+b"])
def test_it_accepts(good: str) -> None:
    assert check_contract_id(good) == good


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("", "empty"),
        ("a/b", "slash"),
        ("a\\b", "backslash"),
        ("a%2fb", "percent"),
        ("a\x00b", "control"),
        ("a\nb", "control"),
        (" a", "whitespace"),
        ("a ", "whitespace"),
        (".a", "start with '.'"),
        ("..", "start with '.'"),
        ("é" * 101, "200 UTF-8 bytes"),
        (unicodedata.normalize("NFD", "café"), "NFC"),
        (None, "string"),
        (42, "string"),
    ],
)
def test_it_refuses(bad: object, reason: str) -> None:
    with pytest.raises(InvalidContractId, match=reason):
        check_contract_id(bad)


def test_every_allowed_id_fits_a_file_name() -> None:
    assert len(("é" * 100).encode()) <= MAX_ID_BYTES < 255
