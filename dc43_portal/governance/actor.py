"""Who the current API call acts for, so the stores can record it without dc43's interfaces knowing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_actor: ContextVar[str] = ContextVar("dc43_governance_actor", default="")


def current_actor() -> str:
    return _actor.get()


@contextmanager
def acting_as(username: str) -> Iterator[None]:
    token = _actor.set(username)
    try:
        yield
    finally:
        _actor.reset(token)
