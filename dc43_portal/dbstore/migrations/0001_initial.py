from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies: list[tuple[str, str]] = []  # type: ignore[misc]

    operations = [
        migrations.CreateModel(
            name="ContractDocumentChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("contract_id", models.CharField(db_index=True, max_length=200)),
                ("version", models.CharField(max_length=128)),
                ("action", models.CharField(max_length=20)),
                ("status", models.CharField(blank=True, max_length=20)),
                ("fingerprint", models.CharField(blank=True, max_length=64)),
                ("actor", models.CharField(blank=True, max_length=150)),
                ("at", models.DateTimeField(auto_now_add=True)),
            ],
            options={"db_table": "dc43_contract_document_change", "ordering": ["id"]},
        ),
        migrations.CreateModel(
            name="ContractDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("contract_id", models.CharField(max_length=200)),
                ("version", models.CharField(max_length=128)),
                ("status", models.CharField(blank=True, max_length=20)),
                ("document", models.JSONField()),
                ("fingerprint", models.CharField(max_length=64)),
                ("property_names", models.JSONField(default=list)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("created_by", models.CharField(blank=True, max_length=150)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("updated_by", models.CharField(blank=True, max_length=150)),
            ],
            options={
                "db_table": "dc43_contract_document",
                "constraints": [
                    models.UniqueConstraint(fields=("contract_id", "version"), name="dc43_contract_document_unique")
                ],
            },
        ),
    ]
