"""A per-process cache of values derived from files and folders, valid while their ``stat`` is unchanged.

A value is keyed by its path and remembered with the path's ``(st_mtime_ns, st_ino, st_size)``; a read
re-stats the path (about a microsecond) and drops the value when any of the three differs, so a write by
another process or machine on a shared folder is never missed. An mtime is only as fine as the
filesystem's clock (a kernel tick, 2 s on some network filesystems): a value is therefore only stored
when the path last changed more than ``RACY_NS`` before it was read, the way git handles "racy" index
entries. Pure Python, no Django.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from typing import Any

# A change within this long of a read could keep the same mtime, so such reads are never cached.
RACY_NS = 2_000_000_000
Key = tuple[int, int, int]


def stat_key(path: str) -> Key | None:
    """The validator of ``path``, or ``None`` when it does not exist."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return (st.st_mtime_ns, st.st_ino, st.st_size)


class StatCache:
    """A bounded LRU of ``path -> value``; ``weight`` of each value counts against ``max_weight``."""

    def __init__(self, max_weight: int) -> None:
        self.max_weight = max_weight
        self._items: OrderedDict[str, tuple[Key, Any, int]] = OrderedDict()
        self._weight = 0
        self._lock = threading.Lock()

    def get(self, path: str, key: Key) -> Any:
        """The value stored for ``path`` under the same ``key``, else ``None``."""
        with self._lock:
            found = self._items.get(path)
            if found is None or found[0] != key:
                return None
            self._items.move_to_end(path)
            return found[1]

    def put(self, path: str, key: Key, value: Any, weight: int = 1) -> None:
        """Remember ``value`` unless the path changed too recently to trust its mtime, or it is too big."""
        if time.time_ns() - key[0] <= RACY_NS or weight > self.max_weight // 4:
            return
        with self._lock:
            old = self._items.pop(path, None)
            if old is not None:
                self._weight -= old[2]
            self._items[path] = (key, value, weight)
            self._weight += weight
            while self._weight > self.max_weight and self._items:
                _, (_, _, dropped) = self._items.popitem(last=False)
                self._weight -= dropped

    def forget(self, path: str) -> None:
        with self._lock:
            old = self._items.pop(path, None)
            if old is not None:
                self._weight -= old[2]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._weight = 0
