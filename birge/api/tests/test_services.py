"""The API clients' services: who may call them and what they refuse."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from birge.api.models import ApiClient
from birge.api.services import api_client_create
from birge.core.models import StaffRole
from birge.core.tests.factories import staff_member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("scopes", "requests_per_minute", "field"),
    [
        (["appeals.submit", "everything"], 60, "scopes"),
        (["appeals.submit"], 0, "requests_per_minute"),
    ],
)
def test_unknown_scopes_and_a_zero_limit_are_refused(
    scopes: list[str], requests_per_minute: int, field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        api_client_create(
            actor=None,
            name="Partner",
            channel="api",
            scopes=scopes,
            requests_per_minute=requests_per_minute,
        )
    assert field in refused.value.message_dict
    assert not ApiClient.objects.exists()


def test_only_administrators_create_clients() -> None:
    coordinator = staff_member(StaffRole.Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        api_client_create(
            actor=coordinator,
            name="Partner",
            channel="api",
            scopes=["appeals.submit"],
            requests_per_minute=60,
        )
    admin = staff_member(StaffRole.Role.ADMINISTRATOR)
    client, _ = api_client_create(
        actor=admin,
        name="Partner",
        channel="api",
        scopes=["appeals.submit"],
        requests_per_minute=60,
    )
    assert client.created_by == admin
