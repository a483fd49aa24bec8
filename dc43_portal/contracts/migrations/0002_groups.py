"""The three groups of the portal, with their permissions."""

from __future__ import annotations

from typing import Any

from django.db import migrations

GROUPS = {
    "viewers": ["view_contract", "view_contractversion", "view_lifecycleevent"],
    "authors": ["view_contract", "view_contractversion", "view_lifecycleevent", "author_contract"],
    "stewards": ["view_contract", "view_contractversion", "view_lifecycleevent", "steward_contract"],
}


def create_groups(apps: Any, schema_editor: Any) -> None:
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; create them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="contracts", codename__in=codenames))


def remove_groups(apps: Any, schema_editor: Any) -> None:
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, remove_groups)]
