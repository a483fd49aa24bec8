#!/usr/bin/env python
"""Django's command-line utility for a checkout; an installed portal has the same as ``dc43-portal``."""

from __future__ import annotations

from dc43_portal.__main__ import main

if __name__ == "__main__":
    main()
