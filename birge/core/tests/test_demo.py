import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings

from birge.claims.models import Claim
from birge.core.demo import DEMO_STAFF
from birge.core.models import Agency, EmergencyContact, StaffRole

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@override_settings(BIRGE_DEMO=True)
def test_load_demo_is_idempotent_and_prints_working_logins() -> None:
    # when: loaded twice
    load_demo()
    output = load_demo()
    # then: nothing is duplicated
    assert get_user_model().objects.count() == len(DEMO_STAFF)
    assert StaffRole.objects.count() == len(DEMO_STAFF)
    assert {role for _, role, _ in DEMO_STAFF} == set(StaffRole.Role)
    assert Agency.objects.count() >= 20
    assert EmergencyContact.objects.filter(number__in=["109", "112", "103"]).count() == 3
    assert Claim.objects.filter(status=Claim.Status.PUBLISHED).count() >= 10
    # and the printed login of the second run signs in
    line = next(line for line in output.splitlines() if line.strip().startswith("coordinator"))
    password = line.split()[1]
    codes_line = output.splitlines()[output.splitlines().index(line) + 1]
    code = codes_line.split(":")[1].split()[0]
    client = Client()
    response = client.post(
        "/admin/login/",
        {"username": "coordinator", "password": password, "code": code, "next": "/admin/audit/"},
    )
    assert response.status_code == 302
    assert client.get("/admin/audit/").status_code == 200


def test_credentials_are_printed_only_in_demo_mode() -> None:
    output = load_demo()
    assert "-birge-demo" not in output
    assert "BIRGE_DEMO=1" in output


def test_agency_directory_shows_demo_agencies_in_three_languages(client: Client) -> None:
    load_demo()
    assert "Министерство здравоохранения" in client.get("/ru/agencies/").content.decode()
    assert "Ministry of Healthcare" in client.get("/en/agencies/").content.decode()
    almaty = client.get("/kk/agencies/?region=KZ-75").content.decode()
    assert "109" in almaty
