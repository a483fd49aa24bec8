"""The compare page's text diff: computed once per pair of fingerprints, off the request, and cached.

Large documents take seconds to dump and diff. A request waits at most ``DC43_TEXT_DIFF_WAIT`` seconds;
past it the page says the diff is being prepared and asks again, while one background thread per worker
process finishes it into the shared ``textdiff`` cache, so no request holds a worker for long.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from django.conf import settings
from django.core.cache import caches

from dc43_portal import odcs
from dc43_portal.diff.text import TextDiff, line_diff

log = logging.getLogger(__name__)
SEARCH_SECONDS = 1.0  # the line search's own bound, inside the background job
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="textdiff")
_running: dict[str, Future[TextDiff]] = {}
_lock = threading.Lock()


def cache_key(old_fingerprint: str, new_fingerprint: str) -> str:
    return f"textdiff:v1:{old_fingerprint}:{new_fingerprint}"


def text_diff_get(old: Any, new: Any) -> TextDiff | None:
    """The diff of two ``VersionView``s, or ``None`` while it is still being computed."""
    key = cache_key(old.row.fingerprint, new.row.fingerprint)
    cache = caches["textdiff"]
    found: TextDiff | None = cache.get(key)
    if found is not None:
        return found
    with _lock:
        future = _running.get(key)
        if future is None:
            # status is the portal's, outside the fingerprint: leave it out so the cached diff holds for any.
            old_doc = {k: v for k, v in old.document.items() if k != "status"}
            new_doc = {k: v for k, v in new.document.items() if k != "status"}
            future = _executor.submit(_compute, key, old_doc, new_doc)
            _running[key] = future
    try:
        return future.result(timeout=settings.DC43_TEXT_DIFF_WAIT)
    except FutureTimeout:
        return None


def _compute(key: str, old_doc: dict[str, Any], new_doc: dict[str, Any]) -> TextDiff:
    try:
        result = line_diff(odcs.dump_yaml(old_doc), odcs.dump_yaml(new_doc), timeout=SEARCH_SECONDS)
        caches["textdiff"].set(key, result)
        return result
    except Exception:
        log.exception("text diff %s failed", key)
        raise
    finally:
        with _lock:
            _running.pop(key, None)
