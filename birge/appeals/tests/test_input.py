"""What a citizen types is cleaned by the intake service, the same for the web form and the API;
staff pages show names isolated from the text around them."""

from typing import Any

import pytest

from birge.appeals.models import Appeal
from birge.appeals.services import appeal_request_clarification
from birge.core.tests.factories import sign_in_verified

from .factories import AppealFactory

pytestmark = pytest.mark.django_db

ASK = "/en/appeals/ask/"
API = "/api/v1/appeals"


def form_data(**changes: Any) -> dict[str, Any]:
    return {"kind": "question", "text": "Are the parks open?", "region": "KZ-75", **changes}


def api_post(client: Any, **changes: Any) -> Any:
    body = {"text": "Are the parks open?", "region": "KZ-75", "language": "en", **changes}
    return client.post(API, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")


def test_a_lone_surrogate_and_nul_in_api_text_are_dropped_not_a_500(client: Any) -> None:
    # json.dumps writes them as the escapes "\ud800" and "\u0000"
    response = api_post(client, text="Are the parks open?\ud800\u0000")
    assert response.status_code == 201
    assert Appeal.objects.get().text == "Are the parks open?"


def test_invalid_utf_8_in_the_web_form_is_stored_replaced_never_a_500(client: Any) -> None:
    # the bytes a lone surrogate would have in UTF-8; Django decodes them as U+FFFD
    body = b"kind=question&region=KZ-75&text=Are+the+parks+open+%ED%A0%80+now"
    response = client.post(ASK, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert "\ufffd" in Appeal.objects.get().text


def test_text_of_control_characters_only_is_refused_on_the_form_and_by_the_api(
    client: Any,
) -> None:
    page = client.post(ASK, form_data(text="\x01\x02\x7f"))
    assert page.status_code == 400
    assert b"Write the question." in page.content
    response = api_post(client, text="\x01\x02\x7f")
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["details"]] == ["text"]
    assert Appeal.objects.count() == 0


def test_text_is_stored_in_nfc_with_plain_line_breaks(client: Any) -> None:
    # "е" + combining diaeresis, as some keyboards type "ё"; a Windows line break
    api_post(client, text="Где получить е\u0308\r\nсправку?")
    assert Appeal.objects.get().text == "Где получить ё\nсправку?"


@pytest.mark.parametrize("phone", ["((((((", "call me please", "+7 701 123 4567 ext. 5", "1-2-3-4"])
def test_the_phone_rule_is_the_same_for_the_web_form_and_the_api(client: Any, phone: str) -> None:
    page = client.post(ASK, form_data(contact_phone=phone, consent="on"))
    assert page.status_code == 400
    assert b"Enter the phone number in digits" in page.content
    response = api_post(client, contact_phone=phone, consent=True)
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["details"]] == ["contact_phone"]
    assert Appeal.objects.count() == 0


def test_invisible_and_bidi_characters_are_stripped_from_names_and_phones(client: Any) -> None:
    response = client.post(
        ASK,
        form_data(
            contact_name="\u202eАйгүл\u200b   \u2066Серікова\u2069\ufeff",
            contact_phone="\u200e+7 701\u00a0123 45 67\u200f",
            consent="on",
        ),
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.contact_name == "Айгүл Серікова"
    assert appeal.contact_phone == "+7 701 123 45 67"


@pytest.mark.parametrize("name", ["!!!", "\u202e\u200b...", "-- --"])
def test_a_name_without_a_letter_or_digit_is_refused(client: Any, name: str) -> None:
    page = client.post(ASK, form_data(contact_name=name, consent="on"))
    assert page.status_code == 400
    assert b"Write the name in letters." in page.content
    assert Appeal.objects.count() == 0


def test_a_clarification_of_control_characters_only_is_refused(
    client: Any, agency: Any, officer: Any
) -> None:
    appeal = AppealFactory(agency=agency)
    appeal_request_clarification(officer=officer, appeal=appeal, question="Which district?")
    base = f"/en/appeals/track/{appeal.tracking_code}/{appeal.tracking_token}/"
    client.post(base + "clarify/", {"text": "\x01\x02"})
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.AWAITING_CLARIFICATION
    assert b"Write your clarification." in client.get(base).content


def test_staff_see_the_citizens_name_isolated_in_bdi(
    client: Any, agency: Any, officer: Any
) -> None:
    appeal = AppealFactory(
        agency=agency,
        kind=Appeal.Kind.APPEAL,
        contact_name="أحمد",
        contact_email="ahmad@example.kz",
        consent=True,
    )
    sign_in_verified(client, officer)
    page = client.get(f"/admin/appeals/{appeal.pk}/")
    assert page.status_code == 200
    assert "<bdi>أحمد</bdi>" in page.content.decode()
