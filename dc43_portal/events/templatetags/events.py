"""``{% watch_button contract_id %}`` and ``{% my_work_link %}``: events UI pieces for pages of other apps."""

from __future__ import annotations

from typing import Any

from django import template

from dc43_portal.events import selectors

register = template.Library()


@register.inclusion_tag("events/_watch.html", takes_context=True)
def watch_button(context: dict[str, Any], contract_id: str) -> dict[str, Any]:
    user = context.get("user")
    return {
        "user": user,
        "contract_id": contract_id,
        "watching": selectors.is_watching(user, contract_id),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("events/_work_link.html", takes_context=True)
def my_work_link(context: dict[str, Any]) -> dict[str, Any]:
    """The nav link; its count is what this user can act on (to approve, sent back)."""
    user = context.get("user")
    count = selectors.actionable_count(user) if user is not None and user.is_authenticated else 0
    return {"user": user, "count": count, "nav": context.get("nav")}
