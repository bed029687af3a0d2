import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from birge.api.models import ApiClient
from birge.api.scopes import scopes_registered
from birge.api.services import api_client_create
from birge.channels.tests.fake_bot_api import FakeBotApi, PostedMessage

SECRET = "webhook-secret-42"
_update_ids = itertools.count(1000)


def text_message(chat_id: int, text: str, **fields: Any) -> dict[str, Any]:
    return {
        "message_id": 1,
        "date": 1_600_000_000,
        "chat": {"id": chat_id, "type": "private"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "A", "language_code": "ru"},
        "text": text,
        **fields,
    }


@dataclass
class Citizen:
    """One Telegram user talking to the bot through the webhook, as Telegram posts updates."""

    chat_id: int
    client: Client
    telegram: FakeBotApi
    capture: Callable[..., Any]
    responses: list[Any] = field(default_factory=list)

    def post(self, update: dict[str, Any], *, secret: str = SECRET) -> Any:
        update.setdefault("update_id", next(_update_ids))
        # Commit sets off the outbox's dispatcher, which sends to the fake Bot API in-process.
        with self.capture(execute=True):
            response = self.client.post(
                "/telegram/webhook/",
                update,
                content_type="application/json",
                headers={"X-Telegram-Bot-Api-Secret-Token": secret},
            )
        self.responses.append(response)
        return response

    def says(self, text: str, **fields: Any) -> Any:
        return self.post({"message": text_message(self.chat_id, text, **fields)})

    def presses(self, data: str) -> Any:
        return self.post(
            {
                "callback_query": {
                    "id": f"cb-{next(_update_ids)}",
                    "from": {"id": self.chat_id, "is_bot": False, "first_name": "A"},
                    "message": {"message_id": 1, "chat": {"id": self.chat_id, "type": "private"}},
                    "data": data,
                }
            }
        )

    @property
    def received(self) -> list[PostedMessage]:
        return self.telegram.messages_to(self.chat_id)

    @property
    def last(self) -> PostedMessage:
        return self.received[-1]

    def last_buttons(self) -> list[dict[str, str]]:
        markup = self.last.params.get("reply_markup") or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]


@pytest.fixture
def bot_settings(settings: Any, telegram: FakeBotApi) -> Any:
    settings.TELEGRAM_WEBHOOK_SECRET = SECRET
    settings.WAGTAILADMIN_BASE_URL = "https://birge.example.kz"
    return settings


@pytest.fixture
def bot_client(db: Any) -> ApiClient:
    client, _key = api_client_create(
        actor=None,
        name="Telegram bot",
        channel=ApiClient.Channel.TELEGRAM,
        scopes=list(scopes_registered()),
        requests_per_minute=600,
    )
    return client


@pytest.fixture
def citizen(
    bot_settings: Any,
    telegram: FakeBotApi,
    client: Client,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> Citizen:
    return Citizen(
        chat_id=777_001,
        client=client,
        telegram=telegram,
        capture=django_capture_on_commit_callbacks,
    )
