"""``manage.py migrate`` on a DC43_VAR_DIR that does not exist yet creates it, instead of a traceback.

Found by the QA sweep: ``DC43_VAR_DIR=/tmp/qa/var manage.py migrate`` on a fresh machine failed with
SQLite's "unable to open database file", since SQLite does not create the folder of its file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_migrate_creates_the_folder(tmp_path: Path) -> None:
    var = tmp_path / "fresh" / "var"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env |= {"DC43_VAR_DIR": str(var), "DJANGO_DEBUG": "false"}
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert (var / "db.sqlite3").is_file()
