"""Logging filters: a client's bad request is a warning line, not an error with a traceback."""

from __future__ import annotations

import logging


class ClientErrorsAsWarnings(logging.Filter):
    """Django logs ``django.security.*`` (bad Host, too many fields, an oversized body) at ERROR with a
    traceback, though each is a 400 answered to the client: keep them as one WARNING line each."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("django.security.") and record.levelno > logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info, record.exc_text = None, None
        return True
