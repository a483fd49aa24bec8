"""The steward UI's views: thin typed functions that parse, call one service or selector, and render.

- ``pages``: the list, queue, activity, contract and version pages, and downloads;
- ``edit``: the document editor (upload, new version, edit a Draft);
- ``lifecycle``: the lifecycle buttons (a page or its htmx fragment from one view);
- ``compare``: the compare page of two versions.

Views never import ``stores`` (import-linter checks it): they go through ``services`` and ``selectors``.
"""

from __future__ import annotations
