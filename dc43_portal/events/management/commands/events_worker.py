"""``manage.py events_worker``: django-tasks-db's ``db_worker`` plus the events sweep (docs/events.md).

Run one or more per machine, on as many machines as needed: each task and each subscription is claimed by
one worker at a time. Options after ``--`` go to ``db_worker`` (e.g. ``--interval 0.2``).
"""

from __future__ import annotations

from argparse import REMAINDER, ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from dc43_portal.events.worker import start_sweeper, sweep

# How often an idle worker looks for tasks: one indexed query, and at most this long before a delivery starts.
POLL_SECONDS = 0.2


class Command(BaseCommand):
    help = "Deliver webhooks and send notification mails (the task worker plus the recovery sweep)"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--sweep-seconds", type=float, default=None, help="default: DC43_EVENTS_SWEEP_SECONDS")
        parser.add_argument("worker_args", nargs=REMAINDER, help="passed to db_worker")

    def handle(self, *args: Any, sweep_seconds: float | None, worker_args: list[str], **options: Any) -> None:
        every = sweep_seconds or settings.DC43_EVENTS_SWEEP_SECONDS
        sweep(every)  # at start: pick up what a previous worker left
        start_sweeper(every)
        rest = [a for a in worker_args if a != "--"]
        if not any(a.startswith("--interval") for a in rest):
            rest += ["--interval", str(POLL_SECONDS)]
        call_command("db_worker", *rest, "--no-reload", "--queue-name", "*", verbosity=options.get("verbosity", 1))
