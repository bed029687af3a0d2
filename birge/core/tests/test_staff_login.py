"""Staff sign in with a password and a second factor; there is no way round the second."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from birge.core.models import AuditEntry, StaffRole
from birge.core.services import staff_member_create

from .factories import PASSWORD, confirmed_totp, current_totp_code, staff_member

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


def sign_in(client: Client, username: str, password: str, code: str) -> Any:
    return client.post(
        LOGIN, {"username": username, "password": password, "code": code, "next": "/admin/"}
    )


def test_password_alone_does_not_open_the_admin(client: Client) -> None:
    user = staff_member(StaffRole.Role.COORDINATOR)
    confirmed_totp(user)
    response = sign_in(client, user.username, PASSWORD, "")
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_password_and_authenticator_code_open_the_admin(client: Client) -> None:
    user = staff_member(StaffRole.Role.COORDINATOR)
    device = confirmed_totp(user)
    response = sign_in(client, user.username, PASSWORD, current_totp_code(device))
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused_with_a_clear_message(client: Client) -> None:
    user = staff_member(StaffRole.Role.COORDINATOR)
    confirmed_totp(user)
    response = sign_in(client, user.username, PASSWORD, "000000")
    assert response.status_code == 200
    assert "Код жарамсыз." in response.content.decode()


def test_a_backup_code_works_once_and_leads_to_enrolment(client: Client) -> None:
    # given: a new member with backup codes and an authenticator not yet confirmed
    admin = staff_member(StaffRole.Role.ADMINISTRATOR)
    user, codes = staff_member_create(
        actor=admin,
        username="newofficer",
        email="newofficer@example.kz",
        password=PASSWORD,
        role=StaffRole.Role.COORDINATOR,
        agency=None,
    )
    # when
    response = sign_in(client, "newofficer", PASSWORD, codes[0])
    # then: signed in and sent to set up the authenticator app
    assert response.status_code == 302
    assert response["Location"] == reverse("core_two_factor")
    page = client.get(reverse("core_two_factor"))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    # and the confirmed app is what later sign-ins use
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("core_two_factor"), {"code": current_totp_code(device)})
    device.refresh_from_db()
    assert device.confirmed
    client.logout()
    assert sign_in(Client(), "newofficer", PASSWORD, codes[0]).status_code == 200
    assert AuditEntry.objects.filter(action="core.staff.totp_confirmed").exists()


def test_an_unverified_session_is_signed_out_of_the_admin(client: Client) -> None:
    user = staff_member(StaffRole.Role.COORDINATOR)
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff_login"))
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_out(client: Client) -> None:
    user = staff_member(StaffRole.Role.COORDINATOR)
    device = confirmed_totp(user)
    for _ in range(5):
        sign_in(client, user.username, "wrong-password", "")
    response = sign_in(client, user.username, PASSWORD, current_totp_code(device))
    assert response.status_code == 429
    assert "тым көп рет сәтсіз аяқталды" in response.content.decode()


def test_an_open_redirect_is_refused(client: Client) -> None:
    user = staff_member(StaffRole.Role.COORDINATOR)
    device = confirmed_totp(user)
    response = client.post(
        LOGIN,
        {
            "username": user.username,
            "password": PASSWORD,
            "code": current_totp_code(device),
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == "/admin/"
