"""WSGI entry point (granian under `make run` and in the image; any WSGI server works).

Revalidations of contract reads are answered before Django's request cycle (``api/revalidation.py``).
"""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dc43_portal.settings")
django_application = get_wsgi_application()

from dc43_portal.api.revalidation import RevalidationLane  # noqa: E402 - needs the apps loaded above

application = RevalidationLane(django_application)
