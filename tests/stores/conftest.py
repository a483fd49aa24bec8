from __future__ import annotations

from tests.stores.collibra_support import collibra, collibra_server, collibra_store

__all__ = ["collibra", "collibra_server", "collibra_store"]
