"""The whole path in a browser: a citizen asks, a coordinator routes, an officer answers, the
head approves, the citizen reads the answer, and the FAQ shows it without personal data."""

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from birge.appeals.models import AgencyAppealSettings, Appeal
from birge.conftest import axe_violations
from birge.core.models import Agency, Region, StaffRole
from birge.core.services import staff_member_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "a-long-staff-password"


@pytest.fixture
def staff_pages(chromium: Browser) -> Iterator[Any]:
    contexts = []

    def open_as(live_server: Any, username: str, role: str, agency: Agency | None) -> Page:
        _, codes = staff_member_create(
            actor=None,
            username=username,
            email=f"{username}@example.kz",
            password=PASSWORD,
            role=role,
            agency=agency,
        )
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/admin/login/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("#id_code").fill(codes[0])
        page.locator("form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/admin/two-factor/"))
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_a_question_goes_from_the_citizen_to_the_public_faq(
    reference_data: None, live_server: Any, page: Page, staff_pages: Any
) -> None:
    agency = Agency.objects.create(
        slug="ministry-of-health-test",
        kind=Agency.Kind.MINISTRY,
        region=Region.objects.get(code="KZ"),
        name_kk="Денсаулық сақтау министрлігі",
        name_ru="Министерство здравоохранения",
        name_en="Ministry of Healthcare",
    )
    AgencyAppealSettings.objects.create(agency=agency, answers_need_approval=True)

    csp_errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    # a citizen asks, in English, giving a phone number inside the question
    page.goto(f"{live_server.url}/en/appeals/ask/")
    assert axe_violations(page) == []
    page.get_by_label("Your question or appeal").fill(
        "My name is Aigerim, phone +7 701 555 12 34. Where can my child get a PCR test?"
    )
    page.wait_for_timeout(1200)  # htmx asks for similar answers while typing: no error
    page.get_by_label("Region").select_option("KZ-75")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#tracking-code")).to_be_visible()
    tracking_url = page.url.split("?")[0]
    assert axe_violations(page) == []
    appeal = Appeal.objects.get()
    assert appeal.status == Appeal.Status.TRIAGE  # no rule: the coordinators place it

    # a coordinator routes it from the triage queue
    coordinator = staff_pages(live_server, "coord", StaffRole.Role.COORDINATOR, None)
    coordinator.goto(f"{live_server.url}/admin/appeals/triage/")
    coordinator.locator(f"#agency-{appeal.pk}").select_option(str(agency.pk))
    coordinator.locator("#triage-queue").get_by_role("button").first.click()
    expect(coordinator.locator("#triage-queue")).not_to_contain_text(appeal.tracking_code)

    # an officer of the agency answers; the agency needs the head's approval
    officer = staff_pages(live_server, "officer1", StaffRole.Role.AGENCY_OFFICER, agency)
    officer.goto(f"{live_server.url}/admin/appeals/")
    officer.get_by_role("link", name=appeal.tracking_code).click()
    officer.locator("#id_kind").select_option("full")
    officer.locator("#id_text").fill("PCR tests for children are free at every city polyclinic.")
    officer.locator("#answer-form button[type=submit]").click()
    expect(officer.locator("#appeal-status")).to_have_attribute("data-status", "pending_approval")

    # the head approves
    head = staff_pages(live_server, "head1", StaffRole.Role.AGENCY_HEAD, agency)
    head.goto(f"{live_server.url}/admin/appeals/{appeal.pk}/")
    head.locator("#pending-answer button[type=submit]").first.click()
    expect(head.locator("#appeal-status")).to_have_attribute("data-status", "answered")

    # the citizen sees the answer on the private tracking page
    page.goto(tracking_url)
    expect(page.locator("#answer-text")).to_contain_text("free at every city polyclinic")
    expect(page.locator("#history li[data-kind=answered]")).to_have_count(1)
    assert axe_violations(page) == []
    # and rates it: a form posted from the private page (whose referrer policy must still let
    # the browser send its Origin, or the CSRF check refuses every follow-up)
    page.locator("form.rate button[value=yes]").click()
    expect(page.locator("form.rate")).to_contain_text("(")
    appeal.refresh_from_db()
    assert appeal.helpful is True

    # the officer prepares the FAQ entry: personal data is pre-masked; they confirm
    officer.goto(f"{live_server.url}/admin/appeals/{appeal.pk}/faq/")
    expect(officer.locator("#question-highlighted mark").first).to_be_visible()
    question = officer.locator("#id_question").input_value()
    assert "555" not in question
    officer.locator("#id_question").fill("Where can a child get a PCR test?")
    officer.locator("#faq-form button[type=submit]").click()
    expect(officer.locator("#published-answer")).to_be_visible()

    # the public FAQ shows it, without the name or the phone number
    page.goto(f"{live_server.url}/en/appeals/faq/?q=PCR")
    expect(page.locator(".faq-question")).to_have_text("Where can a child get a PCR test?")
    content = page.content()
    assert "Aigerim" not in content
    assert "555 12 34" not in content
    assert axe_violations(page) == []
    assert csp_errors == []


def test_the_public_appeal_pages_have_no_accessibility_violations_in_kk_and_ru(
    reference_data: None, live_server: Any, page: Page
) -> None:
    for language in ("kk", "ru"):
        for path in ("appeals/ask/", "appeals/faq/", "appeals/track/?code=AAAAA-AAAAA"):
            page.goto(f"{live_server.url}/{language}/{path}")
            expect(page.locator("html")).to_have_attribute("lang", language)
            assert axe_violations(page) == [], (language, path)
        # a registration with an error: the summary and the field error are announced
        page.goto(f"{live_server.url}/{language}/appeals/ask/")
        page.locator("input[name=kind][value=appeal]").check()
        page.locator("#id_text").fill("Test")
        page.locator("form.appeal-form button[type=submit]").last.click()
        expect(page.locator(".error-summary")).to_be_visible()
        assert axe_violations(page) == [], (language, "errors")


def test_the_similar_questions_check_sends_only_the_text(
    reference_data: None, live_server: Any, page: Page
) -> None:
    ask = f"{live_server.url}/en/appeals/ask/"
    page.goto(ask)
    page.get_by_label("Your name (optional)").fill("Aigul")
    page.get_by_label("E-mail").fill("aigul@example.kz")
    page.get_by_label("Phone").fill("+7 701 123 4567")
    # htmx, while the citizen types
    with page.expect_request(lambda request: "/appeals/ask/similar/" in request.url) as typed:
        page.get_by_label("Your question or appeal").fill("Are the parks open in Almaty?")
    assert set(parse_qs(urlsplit(typed.value.url).query)) == {"text"}
    # the button, which works without JavaScript: a POST, nothing in the address
    with page.expect_request(lambda request: request.is_navigation_request()) as checked:
        page.get_by_role("button", name="Check for similar questions").click()
    assert checked.value.method == "POST"
    assert checked.value.url == ask
    expect(page.get_by_label("E-mail")).to_have_value("aigul@example.kz")
    assert Appeal.objects.count() == 0
