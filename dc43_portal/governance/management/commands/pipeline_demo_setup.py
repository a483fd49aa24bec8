"""``manage.py pipeline_demo_setup``: the demo pipeline's two contracts, Validated, and a pipeline token.

Run after ``demo_setup`` (its users): the author publishes and submits, the steward approves, as a dc43
team migrating to the portal would. Prints only the token, so ``make demo-pipeline`` can pass it on.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dc43_portal.api.tokens import token_create
from dc43_portal.contracts.models import ContractVersion
from dc43_portal.contracts.services import contract_publish, contract_transition


def _pipeline_module() -> Any:
    path = Path(settings.PACKAGE_DIR) / "demo" / "pipeline.py"
    spec = importlib.util.spec_from_file_location("dc43_demo_pipeline", path)
    if spec is None or spec.loader is None:
        raise CommandError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Command(BaseCommand):
    help = "Publish and approve the demo pipeline's contracts; print a read,write token for the pipeline."

    def handle(self, *args: Any, **options: Any) -> None:
        users = get_user_model().objects
        try:
            author, steward = users.get(username="author"), users.get(username="steward")
        except users.model.DoesNotExist:
            raise CommandError("run manage.py demo_setup first (it creates the demo users)") from None
        pipeline = _pipeline_module()
        for contract_id in pipeline.CONTRACT_IDS:
            row = ContractVersion.objects.filter(contract__contract_id=contract_id, version=pipeline.VERSION).first()
            if row is None:
                doc = pipeline.contract(contract_id, extra_column=contract_id.endswith("clean"))
                row = contract_publish(document=doc, actor=author.username, source="demo").version
            if row.status == "draft":
                contract_transition(contract_id=contract_id, version=row.version, to_status="proposed", user=author)
            if row.status in ("draft", "proposed"):
                contract_transition(contract_id=contract_id, version=row.version, to_status="active", user=steward)
        self.stdout.write(token_create(user=author, name="demo-pipeline", scopes="read,write")[1])
