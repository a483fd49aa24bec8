"""Reads of a deprecated version carry Deprecation (RFC 9745), Sunset (RFC 8594) and a successor Link."""

from __future__ import annotations

import datetime as dt
import json
from email.utils import parsedate_to_datetime
from typing import Any

import pytest

from dc43_portal.contracts.models import ContractVersion
from tests.api.conftest import ApiClient
from tests.conftest import make_doc

pytestmark = pytest.mark.database
LATER = dt.date.today() + dt.timedelta(days=30)


def path(version: str) -> str:
    return f"/contracts/sales.orders/versions/{version}"


def validate(author_api: ApiClient, steward_api: ApiClient, version: str) -> None:
    assert author_api.put(path(version), json.dumps(make_doc(version=version))).status_code == 204
    assert author_api.post(f"{path(version)}/transitions", json.dumps({"to": "proposed"})).status_code == 200
    assert steward_api.post(f"{path(version)}/transitions", json.dumps({"to": "active"})).status_code == 200


@pytest.fixture
def two(author_api: ApiClient, steward_api: ApiClient) -> None:
    validate(author_api, steward_api, "1.0.0")
    validate(author_api, steward_api, "1.1.0")


def deprecate(api: ApiClient, **extra: Any) -> Any:
    return api.post(f"{path('1.0.0')}/transitions", json.dumps({"to": "Deprecated", "comment": "old", **extra}))


def test_a_validated_version_has_no_deprecation_headers(two: None, steward_api: ApiClient) -> None:
    response = steward_api.get(path("1.0.0"))
    assert response.status_code == 200
    assert "Deprecation" not in response and "Sunset" not in response and "Link" not in response


def test_a_deprecated_version_names_when_until_when_and_its_successor(two: None, steward_api: ApiClient) -> None:
    response = deprecate(steward_api, replaced_by="1.1.0", sunset=LATER.isoformat())
    assert response.status_code == 200, response.content
    assert (response.json()["replaced_by"], response.json()["sunset"]) == ("1.1.0", LATER.isoformat())
    changed = ContractVersion.objects.get(version="1.0.0").status_changed_at
    for headers in ({}, {"Accept": "application/yaml"}):
        read = steward_api.get(path("1.0.0"), headers=headers)
        assert read.status_code == 200
        assert read["Deprecation"] == f"@{int(changed.timestamp())}"
        sunset = parsedate_to_datetime(read["Sunset"])
        assert (sunset.date(), sunset.tzinfo is not None, read["Sunset"].endswith(" GMT")) == (LATER, True, True)
        assert (
            read["Link"] == '<http://testserver/api/v1/contracts/sales.orders/versions/1.1.0>; rel="successor-version"'
        )
    revalidated = steward_api.get(path("1.0.0"), headers={**headers, "If-None-Match": read["ETag"]})
    assert revalidated.status_code == 304 and revalidated["Deprecation"] == read["Deprecation"]


def test_without_a_date_or_successor_only_deprecation(two: None, steward_api: ApiClient) -> None:
    assert deprecate(steward_api).status_code == 200
    read = steward_api.get(path("1.0.0"))
    assert read["Deprecation"].startswith("@") and "Sunset" not in read and "Link" not in read
    # The latest route serves the Validated 1.1.0: no header there.
    assert "Deprecation" not in steward_api.get("/contracts/sales.orders/latest")


def test_it_refuses_an_older_or_unvalidated_successor(two: None, author_api: ApiClient, steward_api: ApiClient) -> None:
    assert author_api.put(path("1.2.0"), json.dumps(make_doc(version="1.2.0"))).status_code == 204
    assert deprecate(steward_api, replaced_by="1.2.0").status_code == 400
    assert deprecate(steward_api, sunset="someday").status_code == 400
    assert ContractVersion.objects.get(version="1.0.0").status == "active"
