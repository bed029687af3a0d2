"""The citizens' bot as Telegram meets it: updates posted to the webhook, answers arriving at a
fake Bot API through the outbox."""

from typing import Any
from unittest import mock

import pytest
from django.test import Client

from birge.api.models import ApiClient
from birge.appeals.models import Appeal
from birge.appeals.services.answering import appeal_answer
from birge.bot.models import Chat, HandledUpdate
from birge.channels.models import Channel, Publication, Subscriber
from birge.channels.services import publication_create
from birge.channels.tests.fake_bot_api import FakeBotApi
from birge.claims.demo import claims_demo_load
from birge.claims.models import RumourReport
from birge.core.models import EmergencyContact, Region, StaffRole, Topic
from birge.core.tests.factories import AgencyFactory, staff_member
from birge.stats.demo import DATA
from birge.stats.services import release_import

from .conftest import SECRET, Citizen, text_message

pytestmark = pytest.mark.django_db


def _webhook(client: Client, body: Any, **headers: str) -> Any:
    return client.post("/telegram/webhook/", body, content_type="application/json", headers=headers)


def test_the_webhook_refuses_a_call_without_the_secret(
    bot_settings: Any, client: Client, telegram: FakeBotApi
) -> None:
    update = {"update_id": 1, "message": text_message(5, "/start")}
    assert _webhook(client, update).status_code == 403
    assert (
        _webhook(client, update, **{"X-Telegram-Bot-Api-Secret-Token": "wrong"}).status_code == 403
    )
    bot_settings.TELEGRAM_WEBHOOK_SECRET = ""
    assert _webhook(client, update, **{"X-Telegram-Bot-Api-Secret-Token": ""}).status_code == 403
    assert not HandledUpdate.objects.exists()
    assert not telegram.messages


def test_the_webhook_answers_400_to_what_is_not_an_update(
    bot_settings: Any, client: Client
) -> None:
    secret = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    assert _webhook(client, "{not json", **secret).status_code == 400
    assert _webhook(client, {"message": {}}, **secret).status_code == 400
    assert _webhook(client, {"update_id": "7"}, **secret).status_code == 400
    assert client.get("/telegram/webhook/").status_code == 405


def test_start_offers_the_three_languages_and_the_choice_sticks(citizen: Citizen) -> None:
    assert citizen.says("/start").status_code == 200
    assert [b["callback_data"] for b in citizen.last_buttons()] == ["lang:kk", "lang:ru", "lang:en"]

    response = citizen.presses("lang:en")

    # the button's spinner is stopped in the webhook's own response
    assert response.json()["method"] == "answerCallbackQuery"
    assert "Official information on the emergency" in citizen.last.text
    assert Chat.objects.get(chat_id=str(citizen.chat_id)).language == "en"
    citizen.presses("lang:kk")
    assert "Сұрақ қою" in [b["text"] for b in citizen.last_buttons()]


def test_a_replayed_update_is_handled_once(citizen: Citizen) -> None:
    update = {"update_id": 555, "message": text_message(citizen.chat_id, "/numbers")}
    citizen.post(dict(update))
    citizen.post(dict(update))
    assert len(citizen.received) == 1
    assert HandledUpdate.objects.filter(update_id=555).count() == 1


def test_a_question_asked_in_the_chat_is_answered_in_the_chat(
    citizen: Citizen, bot_client: ApiClient
) -> None:
    region = Region.objects.get(code="KZ-75")
    citizen.presses("lang:ru")
    citizen.presses("ask")
    assert f"qr:{region.pk}" in [b["callback_data"] for b in citizen.last_buttons()]
    citizen.presses(f"qr:{region.pk}")
    assert "Напишите вопрос" in citizen.last.text
    citizen.says("Можно ли ездить между районами Алматы во время карантина?")
    assert "Отправить" in [b["text"] for b in citizen.last_buttons()]

    citizen.presses("send")

    appeal = Appeal.objects.get()
    assert appeal.channel == Appeal.Channel.TELEGRAM
    assert appeal.api_client == bot_client
    assert appeal.telegram_chat_id == str(citizen.chat_id)
    assert (appeal.region, appeal.language, appeal.consent) == (region, "ru", True)
    assert appeal.tracking_code in citizen.last.text
    assert "https://birge.example.kz/ru/appeals/track/" in citizen.last.text

    # when the agency answers
    agency = AgencyFactory(slug="akimat-almaty")
    officer = staff_member(StaffRole.Role.AGENCY_OFFICER, agency, username="officer-bot")
    Appeal.objects.filter(pk=appeal.pk).update(agency=agency)
    appeal.refresh_from_db()
    with citizen.capture(execute=True):
        appeal_answer(
            officer=officer, appeal=appeal, kind="full", text="Да, по пропуску <с 8 до 20>."
        )

    # then the answer itself comes back in the chat, escaped
    assert "Да, по пропуску &lt;с 8 до 20&gt;." in citizen.last.text
    assert citizen.last.parse_mode == "HTML"


def test_asking_without_the_bots_api_client_says_so_and_registers_nothing(
    citizen: Citizen, bot_client: ApiClient
) -> None:
    ApiClient.objects.filter(pk=bot_client.pk).update(scopes=["claims.check"])
    region = Region.objects.get(code="KZ-75")
    citizen.presses("lang:en")
    citizen.says("/ask When do schools reopen after the quarantine?")
    citizen.presses(f"qr:{region.pk}")
    citizen.presses("send")
    assert "cannot be sent through the bot right now" in citizen.last.text
    assert not Appeal.objects.exists()


def test_a_question_too_short_is_refused_politely(citizen: Citizen, bot_client: ApiClient) -> None:
    citizen.presses("lang:en")
    citizen.presses("ask")
    citizen.presses(f"qr:{Region.objects.get(code='KZ-71').pk}")
    citizen.says("why")
    assert "too short" in citizen.last.text
    assert Chat.objects.get().step == Chat.Step.QUESTION_TEXT


def test_a_forwarded_rumour_gets_the_verdict_and_its_link(citizen: Citizen) -> None:
    claims_demo_load()
    citizen.presses("lang:en")
    citizen.says(
        "5G towers spread the virus!!! Share with everyone 📡",
        forward_origin={"type": "hidden_user", "date": 1, "sender_user_name": "News"},
    )
    assert "This has been checked" in citizen.last.text
    assert "False" in citizen.last.text
    assert "https://birge.example.kz/en/claims/" in citizen.last.text


def test_an_unknown_rumour_is_filed_for_the_fact_checkers_with_a_reference(
    citizen: Citizen,
) -> None:
    citizen.presses("lang:kk")
    citizen.says("/check Ертең барлық дүкендер үш күнге жабылады деп айтады")
    report = RumourReport.objects.get()
    assert report.reference in citizen.last.text


def test_plain_text_asks_what_to_do_and_keeps_the_text(citizen: Citizen) -> None:
    claims_demo_load()
    citizen.presses("lang:en")
    citizen.says("Garlic cures the coronavirus, eat three cloves a day")
    assert [b["callback_data"] for b in citizen.last_buttons()] == ["draft:check", "draft:ask"]
    citizen.presses("draft:check")
    assert "Garlic" in citizen.last.text


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ({"sticker": {"file_id": "x"}}, "I can only read text"),
        ({"photo": [{"file_id": "x"}]}, "I can only read text"),
        ({"text": "/teleport"}, "I do not know this command"),
        ({"text": "x" * 5000}, "too long (5,000 characters)"),
    ],
)
def test_odd_messages_get_a_polite_answer(
    citizen: Citizen, message: dict[str, Any], expected: str
) -> None:
    citizen.presses("lang:en")
    update = text_message(citizen.chat_id, "")
    del update["text"]
    update.update(message)
    assert citizen.post({"message": update}).status_code == 200
    assert expected in citizen.last.text


def test_an_edited_message_and_a_stale_button_get_a_polite_answer(citizen: Citizen) -> None:
    citizen.presses("lang:ru")
    citizen.post({"edited_message": text_message(citizen.chat_id, "исправлено")})
    assert "только новые сообщения" in citizen.last.text
    response = citizen.presses("send")
    assert response.json()["text"] == "Эта кнопка устарела."


def test_group_chats_and_unknown_updates_get_no_answer_and_no_error(citizen: Citizen) -> None:
    group = text_message(-100_5, "/start")
    group["chat"] = {"id": -100_5, "type": "group"}
    assert citizen.post({"message": group}).status_code == 200
    assert citizen.post({"poll": {"id": "1"}}).status_code == 200
    assert citizen.post({"message": {"text": "no chat"}}).status_code == 200
    assert not citizen.telegram.messages


def test_subscribing_to_a_region_brings_its_news_and_unsubscribing_stops_them(
    citizen: Citizen,
) -> None:
    region = Region.objects.get(code="KZ-71")
    citizen.presses("lang:kk")
    citizen.presses("subscribe")
    citizen.presses(f"sr:{region.pk}")
    citizen.presses("st:all")
    subscriber = Subscriber.objects.get(kind=Subscriber.Kind.TELEGRAM)
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert list(subscriber.regions.all()) == [region]
    assert subscriber.all_topics

    with citizen.capture(execute=True):
        publication_create(
            kind=Publication.Kind.NEWS,
            source_kind="test.news",
            source_key="1",
            texts={"kk": {"title": "Астана жаңалығы", "summary": "Мәтін"}},
            regions=[region],
            channels=[Channel.TELEGRAM_BOT],
        )
    assert "Астана жаңалығы" in citizen.last.text

    citizen.says("/unsubscribe")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_blocking_the_bot_ends_the_subscription(citizen: Citizen) -> None:
    citizen.presses("lang:en")
    citizen.presses("subscribe")
    citizen.presses("sr:all")
    citizen.presses(f"st:{Topic.objects.get(slug='testing').pk}")
    citizen.post(
        {
            "my_chat_member": {
                "chat": {"id": citizen.chat_id, "type": "private"},
                "new_chat_member": {"status": "kicked", "user": {"id": 1}},
            }
        }
    )
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_the_latest_figures_and_the_emergency_numbers(citizen: Citizen) -> None:
    citizen.presses("lang:en")
    citizen.says("/figures")
    assert "No figures have been published yet" in citizen.last.text
    release_import(path=DATA / "kz-daily.csv", source="kz")
    citizen.says("/figures")
    assert "Official figures, Kazakhstan" in citizen.last.text
    # a chat that asked about Almaty city sees the city's figures first
    Chat.objects.filter(chat_id=str(citizen.chat_id)).update(
        region=Region.objects.get(code="KZ-75")
    )
    citizen.says("/figures")
    assert citizen.last.text.index("Official figures, Almaty") < citizen.last.text.index(
        "Official figures, Kazakhstan"
    )
    EmergencyContact.objects.create(
        number="103", name_kk="Жедел жәрдем", name_ru="Скорая помощь", name_en="Ambulance"
    )
    citizen.presses("numbers")
    assert "<b>103</b> — Ambulance" in citizen.last.text


def test_an_error_while_handling_is_apologised_for_once(citizen: Citizen) -> None:
    citizen.presses("lang:en")
    update = {"update_id": 9001, "message": text_message(citizen.chat_id, "/figures")}
    with mock.patch("birge.bot.services._converse", side_effect=RuntimeError("bug")):
        assert citizen.post(dict(update)).status_code == 200
        assert citizen.post(dict(update)).status_code == 200
    assert "Something went wrong on our side" in citizen.last.text
    assert len([m for m in citizen.received if "went wrong" in m.text]) == 1


def test_bot_poll_handles_what_telegram_holds_and_confirms_it(
    bot_settings: Any, telegram: FakeBotApi, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.management import call_command

    telegram.push_update({"message": text_message(4242, "/numbers")})
    telegram.push_update(
        {
            "callback_query": {
                "id": "cb-poll",
                "from": {"id": 4242},
                "message": {"message_id": 1, "chat": {"id": 4242, "type": "private"}},
                "data": "lang:en",
            }
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("bot_poll", "--once")
    assert len(telegram.messages_to(4242)) == 2
    answered = [r for r in telegram.requests if r.method.lower() == "answercallbackquery"]
    assert [r.params["callback_query_id"] for r in answered] == ["cb-poll"]
    # the offset confirmed both: a second run finds nothing to handle
    with django_capture_on_commit_callbacks(execute=True):
        call_command("bot_poll", "--once")
    assert len(telegram.messages_to(4242)) == 2
