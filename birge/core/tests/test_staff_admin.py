"""Administrators manage staff accounts in the admin; nobody else can."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from birge.core.models import AuditEntry, StaffRole

from .factories import AgencyFactory, sign_in_verified, staff_member

pytestmark = pytest.mark.django_db

Role = StaffRole.Role


def admin_client() -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    sign_in_verified(client, staff_member(Role.ADMINISTRATOR))
    return client


def test_an_administrator_creates_a_member_who_can_then_sign_in() -> None:
    # given
    client = admin_client()
    agency = AgencyFactory()
    # when
    response = client.post(
        reverse("core_staff_create"),
        {
            "username": "dana",
            "email": "dana@example.kz",
            "role": Role.AGENCY_OFFICER,
            "agency": agency.pk,
        },
    )
    # then: the temporary password and backup codes are shown once
    assert response.status_code == 200
    html = response.content.decode()
    found = re.search(r"Temporary password: <code>([^<]+)</code>", html)
    assert found is not None
    password = found.group(1)
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", html)
    assert len(codes) == 10
    member = get_user_model().objects.get(username="dana")
    assert member.staff_roles.get().agency == agency
    # and the member signs in with them
    login = Client().post(
        "/admin/login/", {"username": "dana", "password": password, "code": codes[0]}
    )
    assert login.status_code == 302
    assert login["Location"] == reverse("core_two_factor")


def test_an_agency_role_without_an_agency_is_refused() -> None:
    client = admin_client()
    response = client.post(
        reverse("core_staff_create"),
        {"username": "nurlan", "email": "nurlan@example.kz", "role": Role.AGENCY_HEAD},
    )
    assert response.status_code == 200
    assert "Choose the agency this person works for." in response.content.decode()
    assert not get_user_model().objects.filter(username="nurlan").exists()


def test_roles_are_granted_and_revoked_with_an_audit_trail() -> None:
    client = admin_client()
    member = staff_member(Role.AGENCY_OFFICER, AgencyFactory())
    client.post(reverse("core_staff_detail", args=[member.pk]), {"role": Role.COORDINATOR})
    assert set(member.staff_roles.values_list("role", flat=True)) == {
        Role.AGENCY_OFFICER,
        Role.COORDINATOR,
    }
    for staff_role in list(member.staff_roles.all()):
        client.post(reverse("core_staff_role_remove", args=[member.pk, staff_role.pk]))
    member.refresh_from_db()
    assert not member.staff_roles.exists()
    assert not member.groups.exists()
    assert AuditEntry.objects.filter(action="core.staff.role_revoked").count() == 2


def test_resetting_the_second_factor_cancels_the_old_codes() -> None:
    client = admin_client()
    member = staff_member(Role.COORDINATOR)
    first = client.post(reverse("core_staff_second_factor", args=[member.pk])).content.decode()
    old_code = re.findall(r"<li><code>([a-z0-9]+)</code></li>", first)[0]
    client.post(reverse("core_staff_second_factor", args=[member.pk]))
    login = Client().post(
        "/admin/login/",
        {"username": member.username, "password": "correct-horse-battery-staple", "code": old_code},
    )
    assert login.status_code == 200


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_only_administrators_reach_staff_management(role: str) -> None:
    client = Client()
    agency = None if role in StaffRole.GLOBAL_ROLES else AgencyFactory()
    sign_in_verified(client, staff_member(role, agency))
    other = staff_member(Role.AGENCY_OFFICER, AgencyFactory())
    assert client.get(reverse("core_staff_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("core_staff_list")).status_code == 302
    response = client.post(
        reverse("core_staff_create"),
        {"username": "intruder", "email": "i@example.kz", "role": Role.ADMINISTRATOR},
    )
    assert response.status_code == 302
    assert not get_user_model().objects.filter(username="intruder").exists()
