"""Contract id rules (DESIGN §3)."""

from __future__ import annotations

import unicodedata

import pytest

from dc43_portal.errors import InvalidContractId
from dc43_portal.ids import MAX_ID_BYTES, check_contract_id, describe_char, is_contract_id


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


LATIN_A = "U+0061 LATIN SMALL LETTER A"


@pytest.mark.parametrize(
    ("bad", "rule"),
    [
        (
            "sales.orders\u200b",
            "must not contain U+200B ZERO WIDTH SPACE, an invisible formatting character: it makes ids that look alike",
        ),
        ("sales\u2028orders", "must not contain U+2028 LINE SEPARATOR, a line separator: it makes ids that look alike"),
        (
            "sales\u2029orders",
            "must not contain U+2029 PARAGRAPH SEPARATOR, a paragraph separator: it makes ids that look alike",
        ),
        (
            "sales\u00a0orders",
            "must not contain U+00A0 NO-BREAK SPACE, a space other than U+0020: it makes ids that look alike",
        ),
        (
            "s\u0430les.orders",
            "mixes scripts: U+0430 CYRILLIC SMALL LETTER A is Cyrillic, which looks like 'a' "
            f"({LATIN_A}) in an otherwise Latin id; use one script",
        ),
        (
            "x\u0301y.\u0430",  # a combining mark belongs to no script
            "mixes scripts: U+0430 CYRILLIC SMALL LETTER A is Cyrillic, which looks like 'a' "
            f"({LATIN_A}) in an otherwise Latin id; use one script",
        ),
        (
            "sales.\u0437\u0430\u043a\u0430\u0437\u044b",  # more Cyrillic than Latin: the Latin letters stand out
            "mixes scripts: U+0073 LATIN SMALL LETTER S is Latin, which looks like '\u0455' "
            "(U+0455 CYRILLIC SMALL LETTER DZE) in an otherwise Cyrillic id; use one script",
        ),
        (
            "orders\u044a",  # confusable, but with no Latin twin to name
            "mixes scripts: U+044A CYRILLIC SMALL LETTER HARD SIGN is Cyrillic in an otherwise Latin id; use one script",
        ),
    ],
)
def test_it_refuses_ids_that_look_like_others(bad: str, rule: str) -> None:
    with pytest.raises(InvalidContractId) as refused:
        check_contract_id(bad)
    assert refused.value.errors == [("id", rule)]


@pytest.mark.parametrize(
    "good", ["café.v1", "販売 注文", "販売.orders", "x\u0300y", "café.données", "заказы.продажи", "販売.注文"]
)
def test_it_accepts_scripts_that_cannot_pass_for_each_other(good: str) -> None:
    assert check_contract_id(good) == good


def test_it_names_a_character_by_code_point_and_name() -> None:
    assert describe_char("\u200b") == "U+200B ZERO WIDTH SPACE"
    assert describe_char("\U000e0000") == "U+E0000 UNNAMED CHARACTER"
    assert describe_char("a") == LATIN_A
