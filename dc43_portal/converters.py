"""The one URL converter for ids and versions, shared by the pages and the API."""

from __future__ import annotations

from django.urls import register_converter


class SegmentConverter:
    """One path segment, percent-decoded by Django; ids and versions are checked in the views (400)."""

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SegmentConverter, "segment")
