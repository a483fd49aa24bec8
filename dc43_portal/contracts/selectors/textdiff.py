"""The compare page's text diff: computed once per pair of fingerprints, off the request, and cached.

Large documents take seconds to dump and diff. The work runs in one child process per worker process (a
thread would share the GIL with the worker's requests and slow them all), except for small documents
(``INLINE_BYTES``), diffed in the request in milliseconds; a request waits at most
``DC43_TEXT_DIFF_WAIT`` seconds, past which the page says the diff is being prepared and asks again, while
the result lands in the shared ``textdiff`` cache. So no request holds a worker for long.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from django.conf import settings
from django.core.cache import caches

from dc43_portal.diff.text import TextDiff, lower_priority, yaml_diff

log = logging.getLogger(__name__)
SEARCH_SECONDS = 1.0  # the line search's own bound, inside the child process
INLINE_SEARCH_SECONDS = 0.25  # and their line search's bound, in the request
INLINE_BYTES = 64 * 1024  # documents this small diff in milliseconds: in the request, without a child's start-up
_executor: ProcessPoolExecutor | None = None
_running: dict[str, Future[TextDiff]] = {}
_lock = threading.Lock()


def cache_key(old_fingerprint: str, new_fingerprint: str) -> str:
    return f"textdiff:v1:{old_fingerprint}:{new_fingerprint}"


def _pool() -> ProcessPoolExecutor:
    global _executor
    if _executor is None:
        # spawn, not fork: a forked copy of a threaded worker process may inherit a held lock.
        # niced: the diff yields the cores to the requests of every worker, /healthz included.
        context = multiprocessing.get_context("spawn")
        _executor = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=lower_priority)
    return _executor


def text_diff_get(old: Any, new: Any) -> TextDiff | None:
    """The diff of two ``VersionView``s, or ``None`` while it is still being computed."""
    key = cache_key(old.row.fingerprint, new.row.fingerprint)
    found: TextDiff | None = caches["textdiff"].get(key)
    if found is not None:
        return found
    with _lock:
        future = _running.get(key)
    if future is None:
        # status is the portal's, outside the fingerprint: leave it out so the cached diff holds for any.
        old_doc = {k: v for k, v in old.document.items() if k != "status"}
        new_doc = {k: v for k, v in new.document.items() if k != "status"}
        if _small(old_doc) and _small(new_doc):
            found = yaml_diff(old_doc, new_doc, INLINE_SEARCH_SECONDS)
            caches["textdiff"].set(key, found)
            return found
        future = _submit(key, old_doc, new_doc)
    try:
        return future.result(timeout=settings.DC43_TEXT_DIFF_WAIT)
    except FutureTimeout:
        return None
    except BrokenProcessPool:  # the child died mid-diff: the next poll starts a new one
        _forget_pool()
        return None


def _submit(key: str, old_doc: dict[str, Any], new_doc: dict[str, Any]) -> Future[TextDiff]:
    with _lock:
        future = _running.get(key)
        if future is None:
            try:
                future = _pool().submit(yaml_diff, old_doc, new_doc, SEARCH_SECONDS)
            except BrokenProcessPool:  # the child died (killed, out of memory): start a new one
                _forget_pool(locked=True)
                future = _pool().submit(yaml_diff, old_doc, new_doc, SEARCH_SECONDS)
            future.add_done_callback(lambda done: _store(key, done))
            _running[key] = future
    return future


def _forget_pool(locked: bool = False) -> None:
    global _executor
    if locked:
        _executor = None
        return
    with _lock:
        _executor = None


def _small(doc: dict[str, Any]) -> bool:
    return len(json.dumps(doc, default=str)) <= INLINE_BYTES


def _store(key: str, done: Future[TextDiff]) -> None:
    with _lock:
        _running.pop(key, None)
    if done.exception() is not None:
        log.error("text diff %s failed: %r", key, done.exception())
        return
    caches["textdiff"].set(key, done.result())
