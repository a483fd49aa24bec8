"""The image's entrypoint refuses a DC43_VAR_DIR it cannot write, naming the uid to chown it for.

Tests run as root, which writes through any permission bits, so the folder here is made unwritable by
sitting under a file. The rest of the entrypoint runs in tests/test_it_runs_from_an_installed_wheel.py.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.conftest import REPO


def test_it_stops_with_the_fix_when_the_data_folder_is_not_writable(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    env = {"PATH": os.environ["PATH"], "DC43_VAR_DIR": str(tmp_path / "a-file" / "data")}
    done = subprocess.run(
        ["sh", str(REPO / "docker" / "entrypoint.sh"), "echo", "never reached"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 1 and "never reached" not in done.stdout
    assert f"is not writable by uid {os.getuid()}" in done.stderr and "chown -R" in done.stderr
