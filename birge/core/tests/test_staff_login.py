"""Staff sign in with a password and a second factor; there is no way round the second."""

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import global_settings, settings
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from birge.core.middleware import STAFF_ACTIVE_AT, STAFF_SIGNED_IN_AT
from birge.core.models import AuditEntry, StaffRole
from birge.core.services import staff_backup_codes_issue, staff_member_create

from .factories import PASSWORD, confirmed_totp, current_totp_code, sign_in_verified, staff_member

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
LOGOUT = "/admin/logout/"


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


def _wrong_username() -> tuple[str, str, str]:
    staff_member(StaffRole.Role.COORDINATOR, username="officer")
    return "nobody", PASSWORD, "123456"


def _wrong_password() -> tuple[str, str, str]:
    user = staff_member(StaffRole.Role.COORDINATOR)
    return user.username, "wrong-password", current_totp_code(confirmed_totp(user))


def _wrong_code() -> tuple[str, str, str]:
    user = staff_member(StaffRole.Role.COORDINATOR)
    code = current_totp_code(confirmed_totp(user))
    return user.username, PASSWORD, f"{(int(code) + 1) % 1_000_000:06d}"


def _wrong_backup_code() -> tuple[str, str, str]:
    user = staff_member(StaffRole.Role.COORDINATOR)
    staff_backup_codes_issue(actor=None, user=user)
    return user.username, PASSWORD, "notacode"


def _no_second_factor_yet() -> tuple[str, str, str]:
    user = staff_member(StaffRole.Role.COORDINATOR)
    return user.username, PASSWORD, "123456"


def _inactive_account() -> tuple[str, str, str]:
    user = staff_member(StaffRole.Role.COORDINATOR, is_active=False)
    return user.username, PASSWORD, current_totp_code(confirmed_totp(user))


FAILED_SIGN_INS: dict[str, Callable[[], tuple[str, str, str]]] = {
    "wrong username": _wrong_username,
    "wrong password": _wrong_password,
    "wrong code": _wrong_code,
    "wrong backup code": _wrong_backup_code,
    "no second factor yet": _no_second_factor_yet,
    "inactive account": _inactive_account,
}


def _error_summary(response: Any) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', response.content.decode(), re.S)
    return match.group(0) if match else ""


def test_every_failed_sign_in_gets_the_same_answer() -> None:
    # given: one attempt of each kind, each from a fresh browser
    answers = {}
    for case, prepare in FAILED_SIGN_INS.items():
        username, password, code = prepare()
        # when
        response = sign_in(Client(), username, password, code)
        # then: the page says nothing about which part was wrong
        answers[case] = (response.status_code, _error_summary(response))
    first = answers["wrong password"]
    assert first[0] == 200
    assert "error-summary" in first[1]
    assert answers == dict.fromkeys(FAILED_SIGN_INS, first)


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


def test_a_get_to_logout_asks_first_and_leaves_no_half_ended_session(client: Client) -> None:
    # given
    user = staff_member(StaffRole.Role.COORDINATOR)
    sign_in_verified(client, user)
    # when: a link to the sign-out address is followed
    response = client.get(LOGOUT)
    # then: a confirmation with a POST form; the cookie and the session both live on (Wagtail's
    # view deleted the cookie and left the session working for whoever had its id)
    assert response.status_code == 200
    assert re.search(r'<form method="post" action="/admin/logout/"', response.content.decode())
    assert "sessionid" not in response.cookies or response.cookies["sessionid"].value
    assert client.get("/admin/").status_code == 200


def test_signing_out_ends_the_session_on_the_server(client: Client) -> None:
    # given: a signed-in member whose session id someone has copied
    user = staff_member(StaffRole.Role.COORDINATOR)
    sign_in_verified(client, user)
    copied = client.cookies["sessionid"].value
    # when
    response = client.post(LOGOUT)
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("staff_login")
    # no session cookie left, so the proxy's micro-cache serves this browser again
    assert response.cookies["sessionid"].value == ""
    thief = Client()
    thief.cookies["sessionid"] = copied
    assert thief.get("/admin/")["Location"].startswith(reverse("staff_login"))


def test_signing_out_needs_the_csrf_token() -> None:
    user = staff_member(StaffRole.Role.COORDINATOR)
    client = Client(enforce_csrf_checks=True)
    sign_in_verified(client, user)
    assert client.post(LOGOUT).status_code == 403
    assert client.get("/admin/").status_code == 200


def _age_session(client: Client, key: str, seconds: int) -> None:
    session = client.session
    session[key] = int(time.time()) - seconds
    session.save()


def test_an_idle_staff_session_is_signed_out_with_a_reason(client: Client) -> None:
    # given: a member whose last request was longer ago than the idle limit
    user = staff_member(StaffRole.Role.COORDINATOR)
    sign_in_verified(client, user)
    assert client.get("/admin/").status_code == 200
    copied = client.cookies["sessionid"].value
    _age_session(client, STAFF_ACTIVE_AT, settings.BIRGE_STAFF_IDLE_TIMEOUT_SECONDS + 1)
    # when
    response = client.get("/admin/")
    # then: sent to sign in again, told why, and the old session id is dead
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('staff_login')}?next=%2Fadmin%2F"
    page = client.get(response["Location"])
    assert "30 минут бойы ешқандай әрекет жасалмағандықтан" in page.content.decode()
    thief = Client()
    thief.cookies["sessionid"] = copied
    assert thief.get("/admin/").status_code == 302


def test_activity_keeps_a_session_open_until_its_absolute_limit(client: Client) -> None:
    user = staff_member(StaffRole.Role.COORDINATOR)
    with freeze_time("2026-03-18 09:00:00") as clock:
        sign_in_verified(client, user)
        # a request every 20 minutes for two hours keeps the session open
        for _ in range(6):
            assert client.get("/admin/").status_code == 200
            clock.tick(20 * 60)
        # however busy, the session ends SESSION_COOKIE_AGE after sign-in
        _age_session(client, STAFF_SIGNED_IN_AT, settings.SESSION_COOKIE_AGE + 1)
        response = client.get("/admin/")
    assert response.status_code == 302
    assert (
        "8 сағат өткендіктен, сеанс аяқталды" in client.get(response["Location"]).content.decode()
    )


def test_development_has_the_same_absolute_limit_as_production() -> None:
    from config.settings import dev

    # without its own value, development kept Django's two weeks
    assert getattr(dev, "SESSION_COOKIE_AGE", global_settings.SESSION_COOKIE_AGE) == 8 * 3600


BACKUP_CODES = "/admin/two-factor/backup-codes/"


def test_new_backup_codes_need_the_password_and_a_current_code(client: Client) -> None:
    # given: a signed-in member with an authenticator and backup codes
    user = staff_member(StaffRole.Role.COORDINATOR)
    sign_in_verified(client, user)
    device = TOTPDevice.objects.get(user=user)
    old_codes = staff_backup_codes_issue(actor=None, user=user)
    issued = AuditEntry.objects.filter(action="core.staff.backup_codes_issued", actor=user)
    assert client.get(BACKUP_CODES).status_code == 200
    # when: the open session alone, a wrong password, or a wrong code
    refusals = [
        client.post(BACKUP_CODES, {}),
        client.post(BACKUP_CODES, {"password": "wrong-password", "code": old_codes[0]}),
        client.post(BACKUP_CODES, {"password": PASSWORD, "code": "notacode"}),
    ]
    # then: no new codes; the two wrong answers read alike
    assert [r.status_code for r in refusals] == [200, 200, 200]
    assert _non_field_errors(refusals[1]) == _non_field_errors(refusals[2]) != []
    assert not issued.exists()
    assert StaticToken.objects.filter(device__user=user, token=old_codes[1]).exists()
    # when: both right
    response = client.post(BACKUP_CODES, {"password": PASSWORD, "code": current_totp_code(device)})
    # then: new codes, shown once and audited; the old ones are gone
    assert response.status_code == 200
    new_codes = response.context["codes"]
    assert len(new_codes) == 10
    assert new_codes[0] in response.content.decode()
    assert issued.count() == 1
    device_tokens = StaticDevice.objects.get(user=user).token_set.values_list("token", flat=True)
    assert set(device_tokens) == set(new_codes)


def test_wrong_answers_to_the_backup_codes_form_count_towards_the_lockout(client: Client) -> None:
    user = staff_member(StaffRole.Role.COORDINATOR)
    sign_in_verified(client, user)
    device = TOTPDevice.objects.get(user=user)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(BACKUP_CODES, {"password": "wrong-password", "code": "123456"})
    response = client.post(BACKUP_CODES, {"password": PASSWORD, "code": "000000x"})
    assert response.status_code == 429
    assert AccessAttempt.objects.get(username=user.username).failures_since_start == 5
    again = client.post(BACKUP_CODES, {"password": PASSWORD, "code": current_totp_code(device)})
    assert again.status_code == 429


def _non_field_errors(response: Any) -> list[str]:
    return list(response.context["form"].non_field_errors())
