"""``manage.py wait_for_db [--timeout S]``: wait, within a bound, for a database that is still starting.

The container's entrypoint runs it before ``migrate``, so a portal started beside its PostgreSQL does not
exit on the first refused connection. Exit codes: 0 the database answers, 1 it did not within the bound.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connections


class Command(BaseCommand):
    help = "Wait until the database accepts connections, at most --timeout seconds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait at most (default 60)")
        parser.add_argument("--database", default="default", help="the database alias (default: default)")

    def handle(self, *args: Any, timeout: float, database: str, **options: Any) -> None:
        if timeout < 0:
            raise CommandError("--timeout must be 0 or more seconds", returncode=2)
        deadline = time.monotonic() + timeout
        delay, attempt, error = 0.25, 0, ""
        while True:
            attempt += 1
            try:
                with connections[database].cursor() as cursor:
                    cursor.execute("SELECT 1")
            except DatabaseError as exc:
                error = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                connections[database].close()
            else:
                if attempt > 1:
                    self.stdout.write(f"The database answers (after {attempt} attempts).")
                return
            left = deadline - time.monotonic()
            if left <= 0:
                raise CommandError(f"The database did not answer within {timeout:g} s: {error}", returncode=1)
            if attempt == 1 or attempt % 5 == 0:
                self.stderr.write(f"Waiting for the database ({error}); {left:.0f} s left.")
            time.sleep(min(delay, left))
            delay = min(delay * 2, 2.0)
