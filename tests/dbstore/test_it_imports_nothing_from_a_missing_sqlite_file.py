"""``import_dc43_sql`` on a SQLite path that does not exist says so and creates no file.

Found by the QA sweep: connecting created an empty database file at the mistyped path, then reported
"no table 'contracts'".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

pytestmark = [pytest.mark.database, pytest.mark.django_db]


def test_it_refuses_and_writes_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "typo.sqlite3"
    with pytest.raises(CommandError, match=f"no SQLite database at {missing}"):
        call_command("import_dc43_sql", "--url", f"sqlite:///{missing}")
    assert not missing.exists()
