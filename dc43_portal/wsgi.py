"""WSGI entry point (granian under `make run` and in the image; any WSGI server works)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dc43_portal.settings")
application = get_wsgi_application()
