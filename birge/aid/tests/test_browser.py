"""A family asks for help on a phone-sized screen, and the aid pages pass axe-core."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from birge.conftest import axe_violations
from birge.core.models import Region

from ..models import HelpRequest
from .factories import CampaignFactory, HeadquartersFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_family_asks_for_help_and_every_aid_page_is_accessible(
    live_server: Any, page: Page, reference_data: None
) -> None:
    front_office = HeadquartersFactory(region=Region.objects.get(code="KZ"))
    HeadquartersFactory(parent=front_office, region=Region.objects.get(code="KZ-75"))
    campaign = CampaignFactory(headquarters=front_office)

    for path in ["/kk/aid/", "/ru/aid/volunteer/join/", "/en/aid/volunteer/sign-in/"]:
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path

    page.goto(f"{live_server.url}/kk/aid/ask/")
    assert axe_violations(page) == []
    page.locator("select[name=campaign]").select_option(campaign.slug)
    page.locator("input[name=person_name]").fill("Бибігүл Омарова")
    page.locator("select[name=region]").select_option("KZ-75")
    page.locator("input[name=address]").fill("Абай даңғылы 10")
    page.locator("input[name=phone]").fill("+7 701 123 45 67")
    page.locator("input[name=household_size]").fill("0")
    page.locator("input[name=consent]").check()
    page.locator("form.stacked button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert axe_violations(page) == []
    expect(page.locator("input[name=address]")).to_have_value("Абай даңғылы 10")

    page.locator("input[name=household_size]").fill("1")
    page.locator("input[name=consent]").check()
    page.locator("form.stacked button[type=submit]").click()
    expect(page.locator("#delivery-code")).to_have_text(HelpRequest.objects.get().delivery_code())
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/kk/aid/campaigns/{campaign.slug}/")
    assert axe_violations(page) == []


def test_a_volunteer_signs_in_takes_a_task_and_the_pages_are_accessible(
    live_server: Any, page: Page, reference_data: None
) -> None:
    from birge.core.tests.factories import staff_member

    from ..services import help_request_decide
    from ..services.volunteers import sign_in_token
    from .factories import VolunteerFactory, help_request

    front_office = HeadquartersFactory(region=Region.objects.get(code="KZ"))
    almaty = HeadquartersFactory(parent=front_office, region=Region.objects.get(code="KZ-75"))
    campaign = CampaignFactory(headquarters=front_office)
    operator = staff_member("aid_operator", almaty, username="browser-operator")
    item = help_request(campaign)
    help_request_decide(operator=operator, request=item, eligible=True, reason="")
    volunteer = VolunteerFactory(headquarters=almaty)

    page.goto(f"{live_server.url}/kk/aid/volunteer/sign-in/{sign_in_token(volunteer)}/")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#volunteer-status")).to_have_attribute("data-status", "verified")
    assert axe_violations(page) == []
    page.locator("#tasks-offered a").first.click()
    assert axe_violations(page) == []
    page.locator("button[value=accept]").click()
    expect(page.locator("#task-address")).to_contain_text("Абай даңғылы")
    assert axe_violations(page) == []
