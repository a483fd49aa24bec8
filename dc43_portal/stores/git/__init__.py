"""The Git store: one commit per change (dulwich), history, push, and review by branch.

- ``store``: ``GitContractStore`` (BACKEND ``dc43_portal.stores.git.GitContractStore``);
- ``review``: ``GitReviewContractStore``, which keeps a version under review on its own branch;
- ``support``: refs, paths and the compare-and-swap of a ref across processes.

May import the pure modules and ``stores.interface``; never Django.
"""

from __future__ import annotations

from dc43_portal.stores.git.review import GitReviewContractStore
from dc43_portal.stores.git.store import GitContractStore

__all__ = ["GitContractStore", "GitReviewContractStore"]
