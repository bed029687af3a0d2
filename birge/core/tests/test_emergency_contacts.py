"""The numbers in every page header: changed only by administrators, always audited."""

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from birge.core.models import AuditEntry, EmergencyContact, StaffRole
from birge.core.tests.factories import AgencyFactory, sign_in_verified, staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact() -> EmergencyContact:
    return EmergencyContact.objects.create(
        number="109", name_kk="Байланыс орталығы", name_ru="Контакт-центр", name_en="Contact centre"
    )


def _form(number: str) -> dict[str, str]:
    return {
        "number": number,
        "name_kk": "Байланыс орталығы",
        "name_ru": "Контакт-центр",
        "name_en": "Contact centre",
        "sort_order": "0",
    }


def test_an_administrator_changes_the_number_audited_and_every_header_follows(
    client: Any, contact: EmergencyContact, django_capture_on_commit_callbacks: Any
) -> None:
    # given: the header shows 109, from the cache
    assert "109" in client.get("/en/").content.decode()
    admin = staff_member(StaffRole.Role.ADMINISTRATOR)
    sign_in_verified(client, admin)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/emergency_contacts/edit/{contact.pk}/", _form("1409"))
    # then
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="core.emergency_contact.changed")
    assert entry.actor == admin
    assert entry.summary == "changed: number"
    client.logout()
    assert "1409" in client.get("/en/").content.decode()


def test_adding_and_removing_a_number_are_audited(client: Any, contact: EmergencyContact) -> None:
    sign_in_verified(client, staff_member(StaffRole.Role.ADMINISTRATOR))
    client.post("/admin/emergency_contacts/new/", _form("112"))
    added = EmergencyContact.objects.get(number="112")
    client.post(f"/admin/emergency_contacts/delete/{added.pk}/")
    assert not EmergencyContact.objects.filter(number="112").exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"core.emergency_contact.created", "core.emergency_contact.deleted"} <= actions


@pytest.mark.parametrize("role", [r for r in StaffRole.Role if r != StaffRole.Role.ADMINISTRATOR])
def test_nobody_else_changes_the_numbers(client: Any, contact: EmergencyContact, role: str) -> None:
    agency = None if role in StaffRole.GLOBAL_ROLES else AgencyFactory()
    sign_in_verified(client, staff_member(role, agency))
    response = client.post(f"/admin/emergency_contacts/edit/{contact.pk}/", _form("000"))
    assert response.status_code in (302, 403)
    contact.refresh_from_db()
    assert contact.number == "109"
    assert not AuditEntry.objects.filter(action__startswith="core.emergency_contact").exists()


def test_wagtails_user_and_group_screens_are_closed_even_to_administrators(client: Any) -> None:
    sign_in_verified(client, staff_member(StaffRole.Role.ADMINISTRATOR))
    response = client.post(
        "/admin/users/new/",
        {"username": "sneaky", "password1": "x" * 20, "password2": "x" * 20, "email": "s@e.kz"},
    )
    assert response.status_code in (302, 403)
    assert not get_user_model().objects.filter(username="sneaky").exists()
    assert client.get("/admin/groups/").status_code in (302, 403)
    menu = client.get("/admin/").content.decode()
    assert "/admin/users/" not in menu
    assert "/admin/groups/" not in menu
