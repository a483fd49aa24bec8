"""An admin list filtered or searched with a NUL shows the list without it and says so; it answered 500.

Found by the QA sweep: ``/admin/contracts/lifecycleevent/?action__exact=%00`` reached PostgreSQL, which
refuses a NUL in a query.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.admin.conftest import CONTRACTS, EVENTS, VERSIONS, login

pytestmark = pytest.mark.database


@pytest.mark.parametrize(
    "url",
    [f"{EVENTS}?action__exact=%00", f"{EVENTS}?q=a%00", f"{VERSIONS}?status__exact=%00", f"{CONTRACTS}?q=%00"],
)
def test_it_redirects_to_the_plain_list(superuser: Any, draft: Any, url: str) -> None:
    client = login(superuser)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == url.split("?")[0]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "A filter or search held a NUL character; the list is shown without it." in page.content.decode()


def test_it_keeps_ordinary_filters(superuser: Any, draft: Any) -> None:
    assert login(superuser).get(f"{VERSIONS}?status__exact=draft").status_code == 200
