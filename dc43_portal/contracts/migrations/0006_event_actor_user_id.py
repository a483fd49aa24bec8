"""The audit refers to users by id: add ``actor_user_id`` and fill it from the usernames of past events."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import migrations, models


def backfill(apps: Any, schema_editor: Any) -> None:
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Event = apps.get_model("contracts", "LifecycleEvent")
    ids = dict(User.objects.values_list("username", "pk"))
    names = Event.objects.filter(actor_user_id__isnull=True).values_list("actor", flat=True).distinct()
    for name in list(names):
        if name in ids:
            Event.objects.filter(actor=name, actor_user_id__isnull=True).update(actor_user_id=ids[name])


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0005_version_numbers_64_bit"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="lifecycleevent",
            name="actor_user_id",
            field=models.BigIntegerField(blank=True, db_index=True, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
