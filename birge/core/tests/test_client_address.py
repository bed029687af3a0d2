"""The client's address comes from the proxy's headers only when the proxy is one we trust."""

from typing import Any

import pytest
from django.test import Client, RequestFactory, override_settings

from birge.core.client_address import client_address
from birge.core.models import StaffRole

from .factories import PASSWORD, confirmed_totp, current_totp_code, staff_member

PROXY = "127.0.0.1"
LOGIN = "/admin/login/"


def address_of(**meta: str) -> str:
    return client_address(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_headers_are_ignored() -> None:
    assert (
        address_of(
            REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="198.51.100.1", HTTP_X_FORWARDED_FOR="198.51.100.2"
        )
        == PROXY
    )


@override_settings(BIRGE_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_the_right_most_forwarded_address_that_is_not_a_proxy_is_the_client() -> None:
    # the left-most entry is whatever the client wrote; 10.0.0.3 is a second proxy of ours
    forwarded = "192.0.2.66, 198.51.100.7, 10.0.0.3"
    assert address_of(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded) == "198.51.100.7"
    # a connection that is not from a proxy keeps its own address
    assert address_of(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=forwarded) == "203.0.113.9"


@override_settings(BIRGE_TRUSTED_PROXIES=[PROXY])
def test_a_header_that_is_not_an_address_falls_back_to_the_connection() -> None:
    assert address_of(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="<script>") == PROXY
    assert address_of(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="unknown") == PROXY
    assert address_of(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=" 2001:db8::1 ") == "2001:db8::1"


def sign_in(client: Client, username: str, password: str, code: str, **meta: str) -> Any:
    return client.post(LOGIN, {"username": username, "password": password, "code": code}, **meta)


@pytest.mark.django_db
@override_settings(BIRGE_TRUSTED_PROXIES=[PROXY])
def test_a_lockout_behind_the_proxy_locks_only_the_address_it_came_from() -> None:
    # given: someone at one address fails five times on an officer's account
    user = staff_member(StaffRole.Role.COORDINATOR)
    device = confirmed_totp(user)
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_REAL_IP": "203.0.113.66"}
    for _ in range(5):
        sign_in(Client(), user.username, "wrong-password", "", **attacker)
    assert sign_in(Client(), user.username, PASSWORD, "", **attacker).status_code == 429
    # when: the officer signs in from their own address, through the same proxy
    officer = {"REMOTE_ADDR": PROXY, "HTTP_X_REAL_IP": "198.51.100.20"}
    response = sign_in(Client(), user.username, PASSWORD, current_totp_code(device), **officer)
    # then
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


@pytest.mark.django_db
def test_a_forged_header_does_not_escape_a_lockout() -> None:
    user = staff_member(StaffRole.Role.COORDINATOR)
    device = confirmed_totp(user)
    for n in range(5):
        sign_in(
            Client(),
            user.username,
            "wrong-password",
            "",
            REMOTE_ADDR="203.0.113.66",
            HTTP_X_REAL_IP=f"198.51.100.{n}",
        )
    response = sign_in(
        Client(),
        user.username,
        PASSWORD,
        current_totp_code(device),
        REMOTE_ADDR="203.0.113.66",
        HTTP_X_REAL_IP="198.51.100.99",
    )
    assert response.status_code == 429


def test_a_mistyped_trusted_proxy_setting_fails_the_start_up_check() -> None:
    from django.core.checks import run_checks
    from django.test import override_settings

    with override_settings(BIRGE_TRUSTED_PROXIES=["127.0.0.1", "10.0.0.0/33"]):
        errors = [message for message in run_checks() if message.id == "birge.E001"]
    assert len(errors) == 1
    assert "10.0.0.0/33" in errors[0].msg
