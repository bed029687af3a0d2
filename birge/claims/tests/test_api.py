"""POST /api/v1/claims/check: matching across scripts and languages, noise, bad input."""

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from birge.claims.demo import claims_demo_load
from birge.claims.models import RumourReport, Verdict

from .factories import published_claim

pytestmark = pytest.mark.django_db

URL = "/api/v1/claims/check"


def check(client: Client, body: Any, **extra: Any) -> Any:
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", **extra)


@pytest.fixture
def helicopters() -> Any:
    return published_claim(
        translations={
            "kk": (
                "Almatyda tünde tikūşaqtar qalany dezinfeksiyalaıtyn zatpen büркıdı, "
                "terezelerdı jabyñyzdar.",
                "Bul jalğan aqparat: tikūşaqtar dezinfeksiya jürgizbeidi.",
            ),
        },
        language="kk",
    )


def test_kazakh_cyrillic_query_finds_a_claim_written_in_kazakh_latin(
    client: Client, registry: Any, helicopters: Any
) -> None:
    response = check(
        client, {"text": "Алматыда түнде тікұшақтар қаланы дезинфекциялайды ма?", "lang": "kk"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "checked"
    assert body["results"][0]["id"] == helicopters.pk
    assert body["results"][0]["verdict"] == "false"


def test_russian_query_gets_the_english_claim_answered_in_russian(client: Client) -> None:
    # given: a claim that circulated in English, with a Russian translation, among others
    claims_demo_load()
    claim = published_claim(
        translations={
            "en": (
                "Bill Gates planned the pandemic to sell vaccines.",
                "There is no such plan.",
            ),
            "ru": (
                "Билл Гейтс спланировал пандемию, чтобы продавать вакцины.",
                "Такого плана нет.",
            ),
        },
        language="en",
    )
    # when
    response = check(client, {"text": "Правда, что пандемию спланировал Билл Гейтс?"})
    # then
    body = response.json()
    assert response.status_code == 200
    first = body["results"][0]
    assert first["id"] == claim.pk
    assert first["language"] == "ru"
    assert first["wording"] == "Билл Гейтс спланировал пандемию, чтобы продавать вакцины."
    assert first["explanation"] == "Такого плана нет."
    assert first["url"].endswith(f"/ru/claims/{claim.pk}/")
    with translation.override("ru"):
        assert first["verdict_label"] == str(Verdict.FALSE.label)


def test_forwarding_noise_does_not_hide_the_claim(client: Client, registry: Any) -> None:
    claim = registry["garlic"]
    text = (
        "Forwarded from Здоровье 24/7\n"
        "‼️‼️ СРОЧНО 🧄🧄 Чеснок излечивает от коронавируса!!! https://t.me/zdorovie247/1234 "
        "Перешлите всем родным 🙏"
    )
    body = check(client, {"text": text}).json()
    assert body["results"][0]["id"] == claim.pk
    assert [r["id"] for r in body["results"]] == [claim.pk]


def test_a_short_forwarded_message_is_answered_as_the_same_claim(
    client: Client, registry: Any
) -> None:
    text = "Переслано от Мама\n🧄 Чеснок лечит коронавирус!!! 🧄 https://bit.ly/3xYz"
    body = check(client, {"text": text}).json()
    assert body["results"][0]["id"] == registry["garlic"].pk
    assert body["results"][0]["match"] == "same_claim"
    assert body["language"] == "ru"


def test_empty_text_is_refused_with_a_message_in_the_callers_language(client: Client) -> None:
    response = check(client, {"text": "   "}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert response.json()["message"] == "Write or paste the message to check."
    assert check(client, {}).status_code == 422


def test_a_one_megabyte_text_is_refused_with_413_and_a_clear_message(client: Client) -> None:
    response = check(client, {"text": "а" * 1_000_000}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413
    assert response.json() == {
        "error": "too_large",
        "message": "The text is too long: send at most 5,000 characters.",
    }
    assert RumourReport.objects.count() == 0


def test_a_text_just_over_the_cap_is_refused(client: Client) -> None:
    assert check(client, {"text": "слово " * 900}).status_code == 413


@pytest.mark.parametrize(
    "body",
    [
        b"\xff\xfe\x00\x01garbage\x80\x81",
        b'{"text": "\xc3\x28"}',
        "not json",
        json.dumps(["text"]),
    ],
)
def test_binary_junk_gets_a_clear_400(client: Client, body: Any) -> None:
    response = check(client, body, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["error"] == "bad_body"


@pytest.mark.parametrize(
    "text",
    [
        "Кoрoнaвирус kорона virus вирус ҚАЗАҚ qazaq 中文 العربية",
        "\x00\x01 nul bytes \ud800 and a lone surrogate",
        "🧄🧄🧄 🙏",
        "1234567890 !!! ???",
    ],
)
def test_odd_text_gets_a_normal_answer_never_a_500(client: Client, text: str) -> None:
    response = check(client, {"text": text})
    assert response.status_code in (200, 422)
    assert response.json()["status" if response.status_code == 200 else "error"]


def test_a_number_instead_of_text_is_invalid_input(client: Client) -> None:
    response = check(client, {"text": 42})
    assert response.status_code == 422


def test_the_answer_follows_the_askers_accept_language_over_the_texts(client: Client) -> None:
    # given: an English speaker pastes a Russian forward about a claim that has an English text
    claim = published_claim(
        translations={
            "en": ("Bill Gates planned the pandemic to sell vaccines.", "There is no such plan."),
            "ru": (
                "Билл Гейтс спланировал пандемию, чтобы продавать вакцины.",
                "Такого плана нет.",
            ),
        },
        language="ru",
    )
    # when
    response = check(client, {"text": "Пандемию спланировал Билл Гейтс"}, HTTP_ACCEPT_LANGUAGE="en")
    unmatched = check(
        client, {"text": "В Караганде раздают бесплатные маски"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    # then
    first = response.json()["results"][0]
    assert first["id"] == claim.pk
    assert first["language"] == "en"
    assert first["explanation"] == "There is no such plan."
    assert unmatched.json()["message"].startswith("We have not checked this yet.")


def test_unmatched_text_becomes_a_report_with_a_reference(client: Client, registry: Any) -> None:
    body = check(
        client, {"text": "В Караганде раздают бесплатные маски в каждом акимате", "lang": "ru"}
    ).json()
    assert body["status"] == "received"
    report = RumourReport.objects.get(reference=body["reference"])
    assert report.count == 1
    assert report.language == "ru"


def test_the_lang_field_chooses_the_language_of_the_messages(client: Client) -> None:
    response = check(client, {"text": "", "lang": "en"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.json()["message"] == "Write or paste the message to check."


def test_the_check_api_is_rate_limited(client: Client, registry: Any) -> None:
    statuses = [check(client, {"text": "чеснок", "lang": "ru"}).status_code for _ in range(61)]
    assert set(statuses[:60]) == {200}
    assert statuses[60] == 429
