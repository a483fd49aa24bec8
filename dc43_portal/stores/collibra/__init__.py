"""The Collibra store: contracts kept in Collibra through its Data Product API v1, and a protocol emulator.

- ``store``: ``CollibraContractStore``, the ``ContractStore`` (re-exported here, so the BACKEND path
  ``dc43_portal.stores.collibra.CollibraContractStore`` works);
- ``http``, ``client``: the HTTP adapter and the API client (pagination, retries, error bodies);
- ``mapping``: how contract versions and statuses map to Collibra's data products and ports;
- ``emulator``, ``emulator_routes``, ``emulator_state``: ``python -m dc43_portal.stores.collibra.emulator``.

May import the pure modules and ``stores.interface``; never Django.
"""

from __future__ import annotations

from dc43_portal.stores.collibra.store import CollibraContractStore

__all__ = ["CollibraContractStore"]
