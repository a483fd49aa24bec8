"""The publish loop shared by the import commands: one progress bar, one line per rejection, exit 2 when the store is down."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from dc43_portal.contracts import services
from dc43_portal.contracts.management.progress import progress
from dc43_portal.errors import PortalError, StoreUnavailable


def publish_all(
    docs: list[tuple[str, dict[str, Any]]],
    rejected: list[tuple[str, str]],
    *,
    actor: str,
    keep_status: bool,
    comment: str,
    stderr: Any,
    audit_name: Callable[[str], str] = str,
) -> int:
    """Publish ``(where, document)`` pairs in order; refusals join ``rejected``. Returns how many were stored.

    The audit names each source with ``audit_name(where)``: the operator's messages keep full paths, but the
    audit, which every signed-in user reads, must not show the server's folders.
    """
    imported = 0
    for where, doc in progress(docs, stderr, label="importing "):
        try:
            services.contract_publish(
                document=doc,
                actor=actor,
                keep_status=keep_status,
                source="import",
                comment=f"{comment} {audit_name(where)}",
            )
            imported += 1
        except StoreUnavailable as exc:
            stderr.write(f"store unavailable: {exc}")
            sys.exit(2)
        except PortalError as exc:
            rejected.append((where, str(exc)))
    for where, reason in rejected:
        stderr.write(f"rejected {where}: {reason}")
    return imported
