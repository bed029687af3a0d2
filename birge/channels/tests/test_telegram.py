import socket
import threading
import time
from collections.abc import Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured
from pytest_django import Settings

from birge.channels.telegram import (
    BotApi,
    PermanentError,
    RetryLater,
    TransientError,
    bot_api,
    html_link,
    html_text,
    text_fit,
)

from .fake_bot_api import (
    FakeBotApi,
    Reply,
    bad_request,
    forbidden,
    hang,
    server_error,
    too_many_requests,
)

TOKEN = "123456:secret-token-AAbbCC"


@pytest.fixture
def fake_api() -> Iterator[FakeBotApi]:
    with FakeBotApi(token=TOKEN) as api:
        yield api


@pytest.fixture
def bot(fake_api: FakeBotApi) -> BotApi:
    return BotApi(token=fake_api.token, base_url=fake_api.base_url, timeout=2.0)


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_send_message_returns_each_chats_message_id_and_sends_html_without_previews(
    fake_api: FakeBotApi, bot: BotApi
) -> None:
    # when
    first = bot.send_message(chat_id=1001, text="<b>Су тасқыны</b>: ескерту")
    second = bot.send_message(chat_id=1001, text="екінші")
    other_chat = bot.send_message(chat_id="@birge_kz", text="арна")
    # then
    assert (first, second, other_chat) == (1, 2, 1)
    posted = fake_api.messages_to(1001)
    assert [message.text for message in posted] == ["<b>Су тасқыны</b>: ескерту", "екінші"]
    assert posted[0].parse_mode == "HTML"
    assert posted[0].params["link_preview_options"] == {"is_disabled": True}
    # No reply_markup was given: none is sent (Telegram refuses a null keyboard).
    assert "reply_markup" not in posted[0].params


def test_send_message_sends_the_keyboard(fake_api: FakeBotApi, bot: BotApi) -> None:
    keyboard = {"inline_keyboard": [[{"text": "Жазылу", "callback_data": "subscribe:kk"}]]}
    bot.send_message(chat_id=5, text="Жазылыңыз", reply_markup=keyboard)
    assert fake_api.messages[0].params["reply_markup"] == keyboard


def test_send_photo_posts_the_url_with_an_html_caption(fake_api: FakeBotApi, bot: BotApi) -> None:
    message_id = bot.send_photo(
        chat_id=7, photo="https://birge.example/media/flood.jpg", caption="<i>Өскемен</i>"
    )
    assert message_id == 1
    [posted] = fake_api.messages
    assert posted.photo == "https://birge.example/media/flood.jpg"
    assert posted.text == "<i>Өскемен</i>"
    assert posted.parse_mode == "HTML"


def test_escaped_text_is_posted_where_raw_markup_is_refused(
    fake_api: FakeBotApi, bot: BotApi
) -> None:
    typed = "1 < 2 & <script>alert(1)</script>"
    # when
    bot.send_message(chat_id=1, text=html_text(typed))
    with pytest.raises(PermanentError) as refused:
        bot.send_message(chat_id=1, text=typed)
    # then
    assert fake_api.messages[0].text == "1 &lt; 2 &amp; &lt;script&gt;alert(1)&lt;/script&gt;"
    assert refused.value.status == 400
    assert "can't parse entities" in refused.value.description
    assert not refused.value.chat_gone


def test_html_text_escapes_what_telegram_parses_and_leaves_quotes() -> None:
    assert html_text("a < b & \"c\" > 'd'") == "a &lt; b &amp; \"c\" &gt; 'd'"


def test_html_link_escapes_the_quotes_of_the_href_and_the_label() -> None:
    link = html_link('https://birge.example/?q="flood"&lang=kk', "<Су> & «жол»")
    assert link == (
        '<a href="https://birge.example/?q=&quot;flood&quot;&amp;lang=kk">'
        "&lt;Су&gt; &amp; «жол»</a>"
    )


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("Өскемен қаласында су деңгейі көтерілді, тұрғындарға ескерту " * 100, 4096),
        ("a&b <c> " * 300, 1024),
        ("R&D " * 50, 37),
        ("Су 😀 тасқыны " * 40, 100),
    ],
)
def test_text_fit_cuts_at_a_word_boundary_within_the_limit_after_escaping(
    text: str, limit: int
) -> None:
    # when
    fitted = text_fit(text, limit)
    # then
    assert _utf16_length(html_text(fitted)) <= limit
    assert fitted.endswith("…")
    kept = fitted.removesuffix("…")
    assert text.startswith(kept)
    assert text[len(kept)].isspace()
    # Not cut further than the next word needs.
    next_word_end = text.find(" ", len(kept) + 1)
    assert _utf16_length(html_text(text[:next_word_end] + "…")) > limit


def test_text_fit_leaves_a_text_that_fits_and_cuts_one_long_word() -> None:
    assert text_fit("R&D", 7) == "R&D"
    assert text_fit("x" * 50, 10) == "x" * 9 + "…"
    assert text_fit("Алматы https://birge.example/" + "a" * 100, 40) == (
        "Алматы https://birge.example/" + "a" * 10 + "…"
    )


def test_too_many_requests_raises_retry_later_with_telegrams_delay(
    fake_api: FakeBotApi, bot: BotApi
) -> None:
    # given
    fake_api.script(too_many_requests(retry_after=3))
    # when
    with pytest.raises(RetryLater) as throttled:
        bot.send_message(chat_id=1, text="бірінші")
    # then
    assert throttled.value.retry_after == 3
    assert throttled.value.status == 429
    assert fake_api.messages == []
    assert bot.send_message(chat_id=1, text="бірінші") == 1


def test_a_refusal_that_says_when_to_retry_raises_retry_later(
    fake_api: FakeBotApi, bot: BotApi
) -> None:
    fake_api.script(Reply(status=400, description="Bad Request: wait a little", retry_after=5))
    with pytest.raises(RetryLater) as throttled:
        bot.send_message(chat_id=1, text="x")
    assert throttled.value.retry_after == 5


@pytest.mark.parametrize("status", [500, 502])
def test_a_server_error_raises_transient_error(
    fake_api: FakeBotApi, bot: BotApi, status: int
) -> None:
    fake_api.script(server_error(status))
    with pytest.raises(TransientError) as failed:
        bot.send_message(chat_id=1, text="x")
    assert failed.value.status == status


def test_a_timeout_raises_transient_error_and_the_abandoned_request_posts_nothing(
    fake_api: FakeBotApi,
) -> None:
    # given
    impatient = BotApi(token=fake_api.token, base_url=fake_api.base_url, timeout=0.3)
    fake_api.script(hang())
    # when
    with pytest.raises(TransientError):
        impatient.send_message(chat_id=1, text="ұзақ күту")
    # then the fake notices the client left, and a release finds nothing to post
    deadline = time.monotonic() + 2.0
    while fake_api.hung_count and time.monotonic() < deadline:
        time.sleep(0.01)
    assert fake_api.hung_count == 0
    assert fake_api.release_hung() == 0
    assert fake_api.messages == []


def test_a_released_hang_posts_exactly_one_message(fake_api: FakeBotApi, bot: BotApi) -> None:
    # given
    fake_api.script(hang())
    message_ids: list[int] = []
    sender = threading.Thread(
        target=lambda: message_ids.append(bot.send_message(chat_id=9, text="кешікті"))
    )
    sender.start()
    # when
    assert fake_api.wait_for_hung(timeout=2.0)
    assert fake_api.release_hung() == 1
    sender.join(timeout=2.0)
    # then
    assert message_ids == [1]
    assert [message.text for message in fake_api.messages] == ["кешікті"]
    assert [request.method for request in fake_api.requests] == ["sendMessage"]


def test_a_refused_connection_raises_transient_error_without_the_token() -> None:
    # given a port nothing listens on
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    unreachable = BotApi(token=TOKEN, base_url=f"http://127.0.0.1:{port}", timeout=1.0)
    # when
    with pytest.raises(TransientError) as failed:
        unreachable.call("getMe")
    # then: requests' own message holds the URL, and so the token
    assert failed.value.status is None
    assert "ConnectionError" in str(failed.value)
    assert TOKEN not in str(failed.value)
    assert failed.value.__cause__ is None
    assert failed.value.__context__ is None


@pytest.mark.parametrize(
    "description",
    [
        "Forbidden: bot was blocked by the user",
        "Forbidden: user is deactivated",
        "Forbidden: bot was kicked from the supergroup chat",
    ],
)
def test_a_chat_that_blocked_or_left_the_bot_is_gone(
    fake_api: FakeBotApi, bot: BotApi, description: str
) -> None:
    fake_api.script(forbidden(description))
    with pytest.raises(PermanentError) as refused:
        bot.send_message(chat_id=1, text="x")
    assert refused.value.status == 403
    assert refused.value.chat_gone


def test_a_blocked_chat_is_refused_while_others_are_served(
    fake_api: FakeBotApi, bot: BotApi
) -> None:
    fake_api.block_chat(7)
    with pytest.raises(PermanentError) as refused:
        bot.send_message(chat_id=7, text="x")
    assert refused.value.chat_gone
    assert bot.send_message(chat_id=8, text="x") == 1
    assert fake_api.messages_to(7) == []


@pytest.mark.parametrize(
    ("description", "chat_gone"),
    [
        ("Bad Request: chat not found", True),
        ("Bad Request: message is too long", False),
    ],
)
def test_a_bad_request_is_permanent_and_gone_only_for_a_missing_chat(
    fake_api: FakeBotApi, bot: BotApi, description: str, chat_gone: bool
) -> None:
    fake_api.script(bad_request(description))
    with pytest.raises(PermanentError) as refused:
        bot.send_message(chat_id=1, text="x")
    assert refused.value.status == 400
    assert refused.value.description == description
    assert refused.value.chat_gone is chat_gone


def test_a_wrong_token_is_permanent_never_gone_and_not_shown(fake_api: FakeBotApi) -> None:
    wrong_token = "999:not-the-bots-token"
    stranger = BotApi(token=wrong_token, base_url=fake_api.base_url, timeout=2.0)
    with pytest.raises(PermanentError) as refused:
        stranger.send_message(chat_id=1, text="x")
    assert refused.value.status == 401
    # A configuration mistake must not unsubscribe the chat.
    assert not refused.value.chat_gone
    assert wrong_token not in str(refused.value)
    assert wrong_token not in repr(stranger)
    assert fake_api.messages == []


def test_bot_api_is_built_from_settings(settings: Settings) -> None:
    settings.TELEGRAM_BOT_TOKEN = TOKEN
    settings.TELEGRAM_API_BASE_URL = "http://127.0.0.1:8081/"
    settings.TELEGRAM_TIMEOUT_SECONDS = 2.5
    api = bot_api()
    assert (api.token, api.base_url, api.timeout) == (TOKEN, "http://127.0.0.1:8081", 2.5)


def test_bot_api_refuses_to_start_without_a_token(settings: Settings) -> None:
    settings.TELEGRAM_BOT_TOKEN = ""
    with pytest.raises(ImproperlyConfigured):
        bot_api()


def test_get_updates_returns_the_updates_from_the_offset_on(
    fake_api: FakeBotApi, bot: BotApi
) -> None:
    # given
    first = fake_api.push_update({"message": {"text": "/start"}})
    second = fake_api.push_update({"message": {"text": "/help"}})
    # when
    everything = bot.get_updates(offset=None, timeout=0)
    after_first = bot.get_updates(offset=first + 1, timeout=0)
    # then
    assert [update["update_id"] for update in everything] == [first, second]
    assert [update["message"]["text"] for update in after_first] == ["/help"]
    assert fake_api.requests[-1].params == {"offset": first + 1, "timeout": 0}


def test_get_updates_waits_the_long_poll_out_beyond_the_clients_timeout(
    fake_api: FakeBotApi,
) -> None:
    impatient = BotApi(token=fake_api.token, base_url=fake_api.base_url, timeout=0.3)
    started = time.monotonic()
    assert impatient.get_updates(offset=None, timeout=1) == []
    assert time.monotonic() - started >= 0.9


def test_webhook_and_callback_answers_send_their_parameters(
    fake_api: FakeBotApi, bot: BotApi
) -> None:
    bot.set_webhook(url="https://birge.example/telegram/webhook", secret_token="s3cret")
    bot.answer_callback_query(callback_query_id="cb-1")
    bot.answer_callback_query(callback_query_id="cb-2", text="Жазылдыңыз")
    assert [(request.method, request.params) for request in fake_api.requests] == [
        (
            "setWebhook",
            {"url": "https://birge.example/telegram/webhook", "secret_token": "s3cret"},
        ),
        ("answerCallbackQuery", {"callback_query_id": "cb-1"}),
        ("answerCallbackQuery", {"callback_query_id": "cb-2", "text": "Жазылдыңыз"}),
    ]
