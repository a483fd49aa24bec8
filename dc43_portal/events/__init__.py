"""Events: the transactional outbox, webhooks, the pull feed's source, e-mail notifications and watching.

- ``outbox``: ``event_emit`` turns one audit event into one outbox row (and its webhook deliveries) in the
  same transaction; ``cloudevents`` renders a row as a CloudEvents 1.0 JSON object (DESIGN §9);
- ``tasks`` / ``delivery`` / ``worker``: the background side on Django Tasks (``django-tasks`` +
  ``django-tasks-db``): ordered, at-least-once, signed delivery with backoff, leases and a recovery sweep;
- ``subscriptions`` / ``ssrf``: webhook subscriptions as a service, and the guard on their targets;
- ``recipients`` / ``notify``: who is told what by e-mail (``stewards_for`` is the one place that names the
  stewards of a contract); ``selectors``: the "My work" inbox and its nav count;
- ``views`` / ``admin``: pages and admin.

May import Django, ``contracts`` models, selectors, ``lifecycle`` and services, and the pure modules; never
``stores``. ``contracts`` reaches this package only through ``outbox.event_emit`` (called by
``contracts.mirror.record_event``).
"""
