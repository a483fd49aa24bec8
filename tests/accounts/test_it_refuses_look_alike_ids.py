"""Security finding 7: ids with a zero-width space, a right-to-left override, line and paragraph separators,
a no-break space or a mixed-script homoglyph were accepted (``sales.orders`` + U+200B looks like
``sales.orders``). Now each is a clear 400 naming the character, and nothing is written."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from django.test import Client

from dc43_portal.contracts.models import Contract, LifecycleEvent
from dc43_portal.errors import InvalidContractId
from dc43_portal.ids import check_contract_id
from tests.api.conftest import ApiClient
from tests.conftest import make_doc

LOOK_ALIKES = [
    ("sales.orders\u200b", "U+200B ZERO WIDTH SPACE"),
    ("sales.\u202eorders", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("sales.\u200forders", "U+200F RIGHT-TO-LEFT MARK"),
    ("sales\u2028orders", "U+2028 LINE SEPARATOR"),
    ("sales\u2029orders", "U+2029 PARAGRAPH SEPARATOR"),
    ("sales\u00a0orders", "U+00A0 NO-BREAK SPACE"),
    ("sales\ufefforders", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ("s\u0430les.orders", "U+0430 CYRILLIC SMALL LETTER A"),  # Cyrillic а in a Latin id
    ("sales.\u03bfrders", "U+03BF GREEK SMALL LETTER OMICRON"),
]


@pytest.mark.parametrize(("bad", "named"), LOOK_ALIKES)
def test_the_rule_names_the_character(bad: str, named: str) -> None:
    with pytest.raises(InvalidContractId, match=re.escape(named)):
        check_contract_id(bad)


@pytest.mark.parametrize("good", ["販売.注文", "café.données", "ventes.Übersicht", "заказы.продажи", "with space"])
def test_one_script_ids_stay_valid(good: str) -> None:
    assert check_contract_id(good) == good


@pytest.mark.database
@pytest.mark.parametrize(("bad", "named"), LOOK_ALIKES[:1] + LOOK_ALIKES[-2:-1])
def test_the_api_answers_400_and_writes_nothing(author: Any, bad: str, named: str) -> None:
    from dc43_portal.api.tokens import token_create

    api = ApiClient(token_create(user=author, name="t", scopes="read,write")[1])
    response = api.put(f"/contracts/{quote(bad)}/versions/1.0.0", make_doc(bad))
    assert response.status_code == 400
    assert named in response.json()["detail"]
    assert not Contract.objects.exists() and not LifecycleEvent.objects.exists()


@pytest.mark.database
def test_the_upload_page_answers_400_naming_it(author: Any) -> None:
    client = Client()
    client.force_login(author)
    response = client.post("/new/", {"document": yaml.safe_dump(make_doc("sales.orders\u200b"))})
    assert response.status_code == 400
    assert "U+200B ZERO WIDTH SPACE" in response.content.decode()
    assert not Contract.objects.exists()
