"""import_contracts reads a file only up to the document limit, so a huge file or a device cannot fill memory.

Found by the QA sweep: ``import_contracts /dev/zero`` read until the kernel killed it, since the whole file
was read before the size check.
"""

from __future__ import annotations

import os
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from dc43_portal import odcs
from dc43_portal.contracts.models import ContractVersion
from dc43_portal.errors import DocumentTooLarge

pytestmark = [pytest.mark.database, pytest.mark.django_db]
LIMIT = 100_000
CHUNK = 64 * 1024
CAP = 8 * 1024 * 1024  # the writer stops here if the reader never does


def test_it_reads_one_byte_past_the_limit_at_most() -> None:
    with pytest.raises(DocumentTooLarge, match="larger than the limit of 100000 bytes"):
        odcs.read_file("/dev/zero", max_bytes=LIMIT)


def test_the_command_stops_reading_an_endless_file(tmp_path: Path, settings: object) -> None:
    settings.DC43_MAX_DOCUMENT_BYTES = LIMIT  # type: ignore[attr-defined]
    fifo = tmp_path / "endless.json"
    os.mkfifo(fifo)
    written = [0]

    def feed() -> None:
        # Writes until the reader closes its end (BrokenPipeError) or the cap is reached.
        with open(fifo, "wb") as pipe:
            try:
                while written[0] < CAP:
                    pipe.write(b" " * CHUNK)
                    written[0] += CHUNK
            except BrokenPipeError:
                pass

    writer = threading.Thread(target=feed)
    writer.start()
    err = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("import_contracts", str(fifo), stdout=StringIO(), stderr=err)
    writer.join(timeout=30)
    assert exited.value.code == 1
    assert f"rejected {fifo}: {fifo} is larger than the limit of {LIMIT} bytes" in err.getvalue()
    assert written[0] < LIMIT + 1024 * 1024  # the pipe buffer and one chunk past the limit, not the cap
    assert not ContractVersion.objects.exists()
