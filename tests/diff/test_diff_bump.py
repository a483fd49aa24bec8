"""How far a version moves, and whether that is enough for the suggested bump."""

from __future__ import annotations

import pytest

from dc43_portal.diff import actual_bump, bump_sufficient


@pytest.mark.parametrize(
    ("old", "new", "bump"),
    [
        ("1.0.0", "2.0.0", "major"),
        ("1.9.3", "2.0.0-rc.1", "major"),
        ("1.0.0", "1.1.0", "minor"),
        ("1.0.0", "1.1.0-draft-orders-x", "minor"),
        ("1.0.0", "1.0.1", "patch"),
        ("1.1.0-rc.1", "1.1.0", "patch"),
        ("1.1.0-rc.1", "1.1.0-rc.2", "patch"),
        ("1.1.0", "1.0.0", None),
        ("1.0.0", "1.0.0", None),
    ],
)
def test_it_measures_the_actual_bump(old: str, new: str, bump: str | None) -> None:
    assert actual_bump(old, new) == bump


@pytest.mark.parametrize(
    ("suggested", "actual", "enough"),
    [
        ("major", "minor", False),
        ("major", "major", True),
        ("minor", "patch", False),
        ("minor", "major", True),
        ("patch", "patch", True),
        (None, "patch", True),
        ("major", None, None),
    ],
)
def test_it_judges_whether_the_actual_bump_is_enough(
    suggested: str | None, actual: str | None, enough: bool | None
) -> None:
    assert bump_sufficient(suggested, actual) is enough
