"""The press desk's public pages on a phone-sized screen pass axe-core."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from birge.conftest import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_outlet_applies_and_the_pages_are_accessible(
    live_server: Any, page: Page, reference_data: None
) -> None:
    page.goto(f"{live_server.url}/ru/press/sign-in/")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/kk/press/")
    assert axe_violations(page) == []
    page.locator("input[name=name]").fill("Kazinform")
    page.locator("input[name=registration]").fill("KZ-0042")
    page.locator("input[name=editor]").fill("Ерлан Ахметов")
    page.locator("input[name=email]").fill("desk@kazinform.kz")
    page.locator("input[name=phone]").fill("letters")
    page.locator("form.stacked button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert axe_violations(page) == []
    page.locator("input[name=phone]").fill("+7 717 255 00 00")
    page.locator("form.stacked button[type=submit]").click()
    expect(page.locator("[role=status]")).to_contain_text("desk@kazinform.kz")
    assert axe_violations(page) == []


def test_a_member_asks_from_the_desk_and_its_pages_are_accessible(
    live_server: Any, page: Page, reference_data: None
) -> None:
    from birge.core.tests.factories import staff_member

    from ..models import Member
    from ..services import member_sign_in_token, outlet_apply, outlet_decide

    coordinator = staff_member("coordinator", None, username="browser-coordinator")
    outlet = outlet_apply(
        name="Kazinform", kind="media", registration="1", editor="Ерлан Ахметов",
        email="desk@kazinform.kz", phone="+7 717 255 00 00",
    )  # fmt: skip
    outlet_decide(coordinator=coordinator, outlet=outlet, status="accredited", reason="")
    member = Member.objects.get()

    page.goto(f"{live_server.url}/kk/press/sign-in/{member_sign_in_token(member)}/")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Kazinform")
    assert axe_violations(page) == []
    page.locator("textarea[name=question]").fill("Қанша төсек бос?")
    page.locator("form.stacked button[type=submit]").click()
    expect(page.locator("#media-status")).to_have_attribute("data-status", "new")
    assert axe_violations(page) == []
