"""Small template helpers for the steward pages."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

import nh3
from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

from dc43_portal import statuses

register = template.Library()


@register.simple_tag
def compare_url(contract_id: str, old: str, new: str) -> str:
    """The compare page of two versions, or "" while the diff issue has not added ``contracts:compare``."""
    try:
        base = reverse("contracts:compare", args=[contract_id])
    except NoReverseMatch:
        return ""
    return f"{base}?{urlencode({'from': old, 'to': new})}"


@register.filter
def as_text(value: Any) -> str:
    """Scalars as the document writes them (``true``, not Python's ``True``), lists and mappings as compact JSON."""
    if isinstance(value, bool | dict | list):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


@register.filter
def is_mapping(value: Any) -> bool:
    return isinstance(value, dict)


@register.filter
def members(team: Any) -> list[Any]:
    """ODCS 3.0 ``team`` is a list of members; 3.1 nests them under ``team.members``."""
    found = team.get("members") if isinstance(team, dict) else team
    return [m for m in found or [] if isinstance(m, dict)]


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def safe_url(value: Any) -> str:
    """A link target from a document only when it is http(s) or mailto; ``javascript:`` and the like become ""."""
    text = str(value or "").strip()
    return text if text.lower().startswith(("https://", "http://", "mailto:")) else ""


_BADGE_ICONS = {"draft": "✎", "proposed": "◔", "active": "✓", "deprecated": "⊘"}


@register.simple_tag
def status_badge(status: str) -> str:
    """A status as a badge with an icon, its label and its colour (colour is never the only signal)."""
    icon = _BADGE_ICONS.get(status)
    if icon is None:
        return format_html('<span class="badge" title="status: {}">{}</span>', status, status)
    return format_html(
        '<span class="badge status-{}" title="status: {}"><span aria-hidden="true">{}</span> {}</span>',
        status,
        status,
        icon,
        statuses.label(status),
    )


_VERDICT_ICONS = {"ok": "✓", "warn": "!", "block": "✕", "unknown": "?"}
_VERDICT_LABELS = {"ok": "OK", "warn": "Warning", "block": "Blocked", "unknown": "Unknown"}


@register.simple_tag
def verdict_badge(verdict: str) -> str:
    """A data-quality verdict (dc43's ok / warn / block / unknown) as a badge: icon, word and colour."""
    key = verdict if verdict in _VERDICT_ICONS else "unknown"
    return format_html(
        '<span class="badge verdict-{}" title="data quality: {}"><span aria-hidden="true">{}</span> {}</span>',
        key,
        key,
        _VERDICT_ICONS[key],
        _VERDICT_LABELS[key],
    )


_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False})
_MENTION = re.compile(r"(?<![\w@/])@([\w.+-]*\w)")


@register.filter
def markdown(text: str, mentions: list[str] | None = None) -> str:
    """A comment's Markdown as HTML: CommonMark with raw HTML off, then nh3 (ammonia) keeps only safe tags and
    URL schemes; @mentions of real users are highlighted."""
    html = _MARKDOWN.render(text or "")
    known = set(mentions or [])
    if known:
        html = _MENTION.sub(
            lambda m: f'<strong class="mention">@{m.group(1)}</strong>' if m.group(1) in known else m.group(0), html
        )
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}, "strong": {"class"}, "code": set()})
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


ALLOWED_TAGS = {"p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h3", "h4", "hr"}
