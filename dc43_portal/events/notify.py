"""E-mail notifications (Django's mail framework): review requested to the stewards who may approve,
approved and sent back (with the reason) to the author, a comment to the readers it @mentions, every event of
a watched contract to its watchers.

Each outbox row is claimed before its mails go out, and each address's mail is recorded once sent, so a sweep
that enqueues it again sends nothing twice.
"""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from dc43_portal import statuses
from dc43_portal.contracts.models import ContractVersion
from dc43_portal.events import recipients
from dc43_portal.events.models import MailReceipt, NotificationPreference, OutboxEvent

logger = logging.getLogger(__name__)
Level = NotificationPreference.Level
T = "io.dc43.contract.version."
COMMENTED = "io.dc43.contract.comment.added"
# Types mailed to someone other than watchers.
ADDRESSED_TYPES = frozenset({T + "submitted", T + "approved", T + "rejected", COMMENTED})


def notify_event(event_id: int) -> int:
    """Send the mails of one outbox event; returns how many went out now.

    Each address that got its mail is recorded (``MailReceipt``) as it goes. When the mail server cannot be
    reached or fails part-way, the claim is given back and the worker's sweep tries again later, for the
    addresses still without a receipt: nobody is skipped, nobody mailed twice. An address the server refuses
    for good (5xx) is logged and not retried.
    """
    claimed_at = timezone.now()
    if not OutboxEvent.objects.filter(pk=event_id, notified_at__isnull=True).update(notified_at=claimed_at):
        return 0
    event = OutboxEvent.objects.get(pk=event_id)
    done = set(MailReceipt.objects.filter(event=event).values_list("address", flat=True))
    messages = [m for m in compose(event) if m.to and m.to[0] not in done]
    sent = 0
    try:
        with get_connection() as connection:
            for message in messages:  # one at a time, each recorded once it went
                sent += _send(connection, event, message)
    except (OSError, smtplib.SMTPException) as exc:
        OutboxEvent.objects.filter(pk=event_id, notified_at=claimed_at).update(notified_at=None)
        logger.warning(
            "mail of event %s: %s of %s sent; the next sweep tries the rest (%s)", event_id, sent, len(messages), exc
        )
    return sent


def _send(connection: Any, event: OutboxEvent, message: EmailMessage) -> int:
    try:
        connection.send_messages([message])
    except smtplib.SMTPRecipientsRefused as exc:
        if all(code >= 500 for code, _ in exc.recipients.values()):
            logger.error("mail of event %s refused for good for %s: %s", event.pk, message.to, exc.recipients)
            return 0
        raise
    MailReceipt.objects.get_or_create(event=event, address=message.to[0])
    return 1


def compose(event: OutboxEvent) -> list[EmailMessage]:
    """One message per recipient, each with the reason it was sent (addressed, theirs, or watched)."""
    row = (
        ContractVersion.objects.select_related("contract")
        .filter(contract__contract_id=event.contract_id, version=event.version)
        .first()
    )
    actor = (event.data.get("actor") or {}).get("username", "")
    wanted: dict[int, tuple[Any, str]] = {}
    if event.type == T + "submitted" and row is not None:
        for user in recipients.approvers_for(row):
            wanted.setdefault(user.pk, (user, "review"))
    if event.type in {T + "approved", T + "rejected"}:
        for user in recipients.author_of(row, event.data):
            wanted.setdefault(user.pk, (user, "mine"))
    if event.type == COMMENTED:
        for user in recipients.mentioned_in(event.contract_id, list(event.data.get("mentions") or [])):
            wanted.setdefault(user.pk, (user, "mention"))
    for user in recipients.watchers_of(event.contract_id):
        wanted.setdefault(user.pk, (user, "watch"))
    return [
        _message(event, user, why)
        for user, why in wanted.values()
        if user.email and user.get_username() != actor and _wants(user, why)
    ]


def _wants(user: Any, why: str) -> bool:
    level = recipients.level_of(user)
    return level == Level.ALL or (level == Level.MINE and why == "mine")


SUBJECTS = {
    T + "submitted": "Review requested: {subject}",
    T + "approved": "Approved: {subject}",
    T + "rejected": "Sent back to Draft: {subject}",
    T + "deprecated": "Deprecated: {subject}",
    COMMENTED: "New comment: {subject}",
    "io.dc43.contract.comment.resolved": "Comment resolved: {subject}",
}
WHY = {
    "review": "You receive this because you are a steward who may approve it.",
    "mine": "You receive this because you submitted this version.",
    "watch": "You receive this because you watch this contract.",
    "mention": "You receive this because the comment mentions you.",
}


def _message(event: OutboxEvent, user: Any, why: str) -> EmailMessage:
    data = event.data
    template = "{actor} mentioned you: {subject}" if why == "mention" else SUBJECTS.get(event.type, "{kind}: {subject}")
    subject = template.format(
        subject=event.subject,
        kind=event.type.rsplit(".", 1)[-1].capitalize(),
        actor=(data.get("actor") or {}).get("username", "") or "Someone",
    )
    lines = [f"{event.subject}: {event.type.rsplit('.', 1)[-1]} by {(data.get('actor') or {}).get('username', '')}."]
    if data.get("to_status"):
        lines.append(
            f"Status: {statuses.label(data.get('from_status') or '') or '-'} -> {statuses.label(data['to_status'])}."
        )
    if data.get("comment"):
        label = "Reason" if event.type in {T + "rejected", T + "deprecated", T + "reinstated"} else "Comment"
        lines.append(f"{label}: {data['comment']}")
    if (data.get("links") or {}).get("page"):
        lines.append(f"Open it: {data['links']['page']}")
    lines += ["", WHY[why], "Change what you receive on your notification settings page."]
    return EmailMessage(
        subject=f"[dc43] {subject}"[:200],
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
