"""Fixtures of the steward pages: versions in each status, published through the real services."""

from __future__ import annotations

from typing import Any

import pytest

from dc43_portal.contracts.models import ContractVersion
from dc43_portal.contracts.services import contract_publish, contract_transition
from tests.conftest import make_doc


def publish(user: Any, version: str = "1.0.0", contract_id: str = "sales.orders", **extra: Any) -> ContractVersion:
    return contract_publish(document=make_doc(contract_id, version, **extra), actor=user.username).version


def transition(user: Any, status: str, version: str = "1.0.0", **kwargs: Any) -> ContractVersion:
    return contract_transition(contract_id="sales.orders", version=version, to_status=status, user=user, **kwargs)


@pytest.fixture
def draft(author: Any) -> ContractVersion:
    return publish(author)


@pytest.fixture
def proposed(draft: ContractVersion, author: Any) -> ContractVersion:
    return transition(author, "proposed")


@pytest.fixture
def validated(proposed: ContractVersion, steward: Any) -> ContractVersion:
    return transition(steward, "active")
