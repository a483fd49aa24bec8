"""The one write path: every governed change to a contract, one module per concern.

- ``publish``: put a document (new Draft, replaced Draft, import), with the guards;
- ``lifecycle``: move a version between statuses under the rules of ``contracts.lifecycle``;
- ``discuss``: comments, resolving them, change requests turned into Drafts;
- ``delete``: remove a Draft (an admin's delete, its author's discard); ``annotate``: the portal-only steward note and labels;
- ``sync``: reconcile the mirror with the store; ``compatibility``: the verdict's database side;
- ``common``: what the writes share (parsing under the settings, the contract lock, guards).

Services may import models, the mirror, the store handler, ``lifecycle`` and the pure modules; never views,
the API or the admin. The modules import each other only through ``common`` and ``compatibility``, so they
form no cycle (import-linter checks it). Callers use the names re-exported here.
"""

from __future__ import annotations

from dc43_portal.contracts.services.annotate import can_annotate, clean_labels, contract_annotate
from dc43_portal.contracts.services.common import (
    contract_lock,
    document_parse,
    document_validate,
    guard_downgrade,
    store_write_status,
)
from dc43_portal.contracts.services.delete import DELETE_PERMISSION, can_delete, contract_delete, contract_discard
from dc43_portal.contracts.services.discuss import change_request_accept, comment_add, comment_resolve
from dc43_portal.contracts.services.lifecycle import contract_transition, transition_move
from dc43_portal.contracts.services.publish import PublishCheck, PublishResult, contract_publish, contract_publish_check
from dc43_portal.contracts.services.sync import SyncReport, contract_sync

__all__ = [
    "DELETE_PERMISSION",
    "PublishCheck",
    "PublishResult",
    "SyncReport",
    "can_annotate",
    "can_delete",
    "change_request_accept",
    "comment_add",
    "comment_resolve",
    "clean_labels",
    "contract_annotate",
    "contract_delete",
    "contract_discard",
    "contract_lock",
    "contract_publish",
    "contract_publish_check",
    "contract_sync",
    "contract_transition",
    "document_parse",
    "document_validate",
    "guard_downgrade",
    "store_write_status",
    "transition_move",
]
