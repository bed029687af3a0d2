"""What a person does in a browser: open the home page in each language and switch language."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from birge.conftest import axe_violations
from birge.core.models import StaffRole
from birge.core.services import staff_member_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HEADINGS = {
    "kk": "Төтенше жағдай туралы ресми ақпарат",
    "ru": "Официальная информация о чрезвычайной ситуации",
    "en": "Official information on the emergency",
}


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_home_page_in_each_language_has_no_accessibility_violations(
    live_server: Any, page: Page, language: str, reference_data: None
) -> None:
    page.goto(f"{live_server.url}/{language}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADINGS[language])
    assert axe_violations(page) == []


def test_the_switcher_changes_language_and_the_choice_is_remembered(
    live_server: Any, page: Page, reference_data: None
) -> None:
    # given: a visitor on the Kazakh home page
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/kk/")
    # when: they pick Russian
    page.get_by_role("navigation", name="Тіл").get_by_role("link", name="Русский").click()
    # then
    expect(page).to_have_url(f"{live_server.url}/ru/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    # and then English, on another page
    page.get_by_role("link", name="Регионы").first.click()
    page.get_by_role("navigation", name="Язык").get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{live_server.url}/en/regions/")
    assert axe_violations(page) == []
    # and the bare address remembers English
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/en/")


def test_the_keyboard_reaches_the_content_first(
    live_server: Any, page: Page, reference_data: None
) -> None:
    page.goto(f"{live_server.url}/en/agencies/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    skip.press("Enter")
    expect(page.locator("#main")).to_be_focused()


def test_a_new_staff_member_signs_in_with_a_backup_code_and_reads_the_audit_log(
    live_server: Any, page: Page
) -> None:
    # given: a coordinator account with its one-time backup codes
    _, codes = staff_member_create(
        actor=None,
        username="aigerim",
        email="aigerim@example.kz",
        password="a-long-staff-password",
        role=StaffRole.Role.COORDINATOR,
        agency=None,
    )
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    # when: they sign in with password and a backup code
    page.goto(f"{live_server.url}/admin/")
    page.locator("#id_username").fill("aigerim")
    page.get_by_label("Құпия сөз").fill("a-long-staff-password")
    page.get_by_label("Аутентификатор қосымшасындағы код немесе резервтік код").fill(codes[0])
    page.get_by_role("button", name="Кіру").click()
    # then: they are asked to enrol an authenticator app, shown as a QR code
    expect(page).to_have_url(f"{live_server.url}/admin/two-factor/")
    expect(page.locator(".birge-qr svg")).to_be_visible()
    # and the audit log opens inside the admin, with their sign-in setup recorded
    page.goto(f"{live_server.url}/admin/audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Аудит журналы")
    expect(page.get_by_text("core.staff.created")).to_be_visible()
    assert csp_errors == []
