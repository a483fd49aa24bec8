"""A GIN index on ``property_names`` (jsonb containment, ``@>``) on PostgreSQL only; other databases skip it."""

from __future__ import annotations

from typing import Any

from django.db import migrations

INDEX = "dc43_contract_document_props_gin"


def create_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON dc43_contract_document USING gin (property_names jsonb_path_ops)"
        )


def drop_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("dbstore", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
