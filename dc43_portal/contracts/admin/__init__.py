"""The Django admin for contracts: registrations (``registry``), lifecycle actions (``actions``), forms (``forms``).

The admin parses, then calls one service or selector: every write goes through ``contracts.services``, never a
store directly (import-linter checks it).
"""

from __future__ import annotations

from dc43_portal.contracts.admin import registry  # noqa: F401 - registers the models with the admin site
