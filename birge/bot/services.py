"""The citizens' bot: one update in, the chat's answers on the outbox, in one transaction.

The webhook and `manage.py bot_poll` both call `update_handle`. The update's id is written in
the transaction that handles it, so an update Telegram sends again (it saw no answer in time)
is handled once; every answer is a delivery on the channels' outbox, keyed by the update, so a
crash never sends it twice and a Telegram outage never loses it. A button press is answered
(the spinner stopped) by what `update_handle` returns: the webhook gives it back to Telegram
in its response, the poller calls the method.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from birge.api.models import ApiClient
from birge.appeals.api import APPEALS_SUBMIT
from birge.appeals.models import Appeal
from birge.appeals.services.intake import appeal_submit
from birge.channels.services import chat_reply_send, telegram_subscribe, telegram_unsubscribe
from birge.claims.services import rumour_check, rumour_send_for_check
from birge.core.models import Region, Topic

from . import replies
from .models import Chat, HandledUpdate
from .replies import Reply
from .updates import (
    KIND_BLOCKED,
    KIND_BUTTON,
    KIND_EDITED,
    KIND_MEDIA,
    KIND_TEXT,
    Incoming,
    incoming_read,
)

logger = logging.getLogger(__name__)

LANGUAGES = ("kk", "ru", "en")
# Telegram's own limit for a message; a longer text can only come from a forged update.
TEXT_MAX_LENGTH = 4096
RUMOUR_MIN_LENGTH = 10
QUESTION_MIN_LENGTH = 10
# (how many, in how many seconds) one chat may send.
QUESTIONS_PER_CHAT = (5, 3600)
CHECKS_PER_CHAT = (30, 600)
# Telegram offers an update again for up to a day; a week covers every replay.
HANDLED_UPDATES_KEPT = timedelta(days=7)

Step = Chat.Step


@dataclass
class Conversation:
    """One update's handling: the chat, and what the bot answers."""

    chat: Chat
    incoming: Incoming
    replies: list[Reply] = field(default_factory=list)
    # Shown on the button the citizen pressed, as Telegram's small notification.
    notification: str = ""

    def say(self, reply: Reply) -> None:
        self.replies.append(reply)

    def reset(self) -> None:
        self.chat.step = Step.IDLE
        self.chat.draft = {}


def update_handle(update: dict[str, Any]) -> dict[str, Any] | None:
    """Handle one update once; returns the Bot API call that answers a button press (a dict
    with "method"), or None. `update` must have an integer "update_id"."""
    incoming = incoming_read(update)
    try:
        with transaction.atomic():
            HandledUpdate.objects.create(update_id=incoming.update_id)
            notification = _handle(incoming)
    except IntegrityError:
        if HandledUpdate.objects.filter(update_id=incoming.update_id).exists():
            logger.info("update %s arrived again; it was handled", incoming.update_id)
            return None
        raise
    return _button_answer(incoming, notification)


def update_failed(update: dict[str, Any]) -> None:
    """After `update_handle` raised: mark the update handled and apologise in the chat, so
    Telegram does not send the same failing update again and the citizen is not left waiting."""
    incoming = incoming_read(update)
    with transaction.atomic():
        _created = HandledUpdate.objects.get_or_create(update_id=incoming.update_id)
        if incoming.private and incoming.chat_id:
            chat = Chat.objects.filter(chat_id=incoming.chat_id).first()
            language = _language(chat, incoming)
            with override(language):
                reply = replies.failure()
            _send(incoming, language, [reply])


def _button_answer(incoming: Incoming, notification: str = "") -> dict[str, Any] | None:
    if incoming.kind != KIND_BUTTON:
        return None
    answer = {"method": "answerCallbackQuery", "callback_query_id": incoming.callback_id}
    if notification:
        answer["text"] = notification
    return answer


def _language(chat: Chat | None, incoming: Incoming) -> str:
    if chat is not None and chat.language:
        return chat.language
    if incoming.language_code in LANGUAGES:
        return incoming.language_code
    return str(settings.LANGUAGE_CODE)


def _handle(incoming: Incoming) -> str:
    """Handle the update; returns the notification for a pressed button ("" for none)."""
    if not incoming.private or not incoming.chat_id:
        # The bot talks with citizens one to one; in a group it stays silent.
        return ""
    if incoming.kind == KIND_BLOCKED:
        telegram_unsubscribe(chat_id=incoming.chat_id)
        return ""
    chat = Chat.objects.select_for_update().filter(chat_id=incoming.chat_id).first()
    created = chat is None
    if chat is None:
        # Written once, at the end, with what the conversation made of it: a first contact in
        # a burst costs one INSERT. Two first updates of one chat at the same moment: the
        # second fails on the unique chat id, and its sender is asked to send it again.
        chat = Chat(chat_id=incoming.chat_id, language=_language(None, incoming))
    conversation = Conversation(chat=chat, incoming=incoming)
    with override(chat.language):
        _converse(conversation, first_contact=created)
    chat.last_seen_at = timezone.now()
    chat.save(force_insert=created)
    _send(incoming, chat.language, conversation.replies)
    return conversation.notification


def _send(incoming: Incoming, language: str, answers: list[Reply]) -> None:
    for position, reply in enumerate(answers):
        chat_reply_send(
            chat_id=incoming.chat_id,
            language=language,
            source_key=f"{incoming.update_id}:{position}",
            html=reply.html,
            title=reply.title,
            buttons=reply.buttons,
        )


def _converse(conversation: Conversation, *, first_contact: bool) -> None:
    incoming = conversation.incoming
    if incoming.kind == KIND_BUTTON:
        _button(conversation, incoming.callback_data)
    elif incoming.kind == KIND_EDITED:
        conversation.say(replies.edited())
    elif incoming.kind == KIND_MEDIA:
        conversation.say(replies.media())
    elif incoming.kind == KIND_TEXT:
        command, argument = incoming.command
        if command:
            _command(conversation, command, argument)
        elif first_contact and not incoming.forwarded:
            # Someone who starts by typing has not seen what the bot does: say it first.
            conversation.say(replies.welcome())
            _text(conversation, incoming.text)
        else:
            _text(conversation, incoming.text)


# --- Commands and buttons ----------------------------------------------------------------------


def _command(conversation: Conversation, command: str, argument: str) -> None:
    if command == "/start":
        conversation.reset()
        conversation.say(replies.language_choice())
    elif command in ("/help", "/menu"):
        conversation.say(replies.menu())
    elif command == "/cancel":
        conversation.reset()
        conversation.say(replies.cancelled())
    elif command == "/language":
        conversation.say(replies.language_choice())
    elif command == "/ask":
        _question_start(conversation, text=argument)
    elif command == "/check":
        if argument:
            _rumour_check(conversation, argument)
        else:
            conversation.chat.step = Step.RUMOUR_TEXT
            conversation.say(replies.rumour_prompt())
    elif command == "/figures":
        conversation.say(replies.figures(conversation.chat.region))
    elif command == "/numbers":
        conversation.say(replies.numbers())
    elif command == "/subscribe":
        _subscription_start(conversation)
    elif command == "/unsubscribe":
        _unsubscribe(conversation)
    else:
        conversation.say(replies.unknown_command())


def _button(conversation: Conversation, data: str) -> None:
    chat = conversation.chat
    name, _sep, value = data.partition(":")
    if name == "lang" and value in LANGUAGES:
        chat.language = value
        conversation.reset()
        with override(value):
            conversation.say(replies.welcome())
        return
    simple = {
        "menu": lambda: conversation.say(replies.menu()),
        "ask": lambda: _question_start(conversation, text=""),
        "check": lambda: _rumour_prompt(conversation),
        "figures": lambda: conversation.say(replies.figures(conversation.chat.region)),
        "numbers": lambda: conversation.say(replies.numbers()),
        "subscribe": lambda: _subscription_start(conversation),
        "unsubscribe": lambda: _unsubscribe(conversation),
        "language": lambda: conversation.say(replies.language_choice()),
        "cancel": lambda: _cancel(conversation),
    }
    if name in simple and not value:
        simple[name]()
        return
    draft_text = str(chat.draft.get("text", ""))
    if name == "draft" and value == "ask" and draft_text:
        _question_start(conversation, text=draft_text)
    elif name == "draft" and value == "check" and draft_text:
        conversation.reset()
        _rumour_check(conversation, draft_text)
    elif name == "draft" and value == "report" and draft_text:
        conversation.reset()
        _rumour_report(conversation, draft_text)
    elif name == "qr" and chat.step in (Step.QUESTION_REGION, Step.QUESTION_CONFIRM):
        _question_region(conversation, value)
    elif name == "send" and chat.step == Step.QUESTION_CONFIRM:
        _question_send(conversation)
    elif name == "sr" and chat.step == Step.SUBSCRIBE_REGION:
        _subscription_region(conversation, value)
    elif name == "st" and chat.step == Step.SUBSCRIBE_TOPIC:
        _subscription_topic(conversation, value)
    else:
        # A button from an earlier message whose moment has passed, or made-up data.
        conversation.notification = _("This button is out of date.")
        conversation.say(replies.menu())


def _cancel(conversation: Conversation) -> None:
    conversation.reset()
    conversation.say(replies.cancelled())


def _text(conversation: Conversation, text: str) -> None:
    chat = conversation.chat
    if len(text) > TEXT_MAX_LENGTH:
        conversation.say(replies.too_long(len(text), TEXT_MAX_LENGTH))
        return
    if conversation.incoming.forwarded or chat.step == Step.RUMOUR_TEXT:
        conversation.reset()
        _rumour_check(conversation, text)
    elif chat.step in (Step.QUESTION_TEXT, Step.QUESTION_CONFIRM):
        _question_text(conversation, text)
    elif chat.step == Step.QUESTION_REGION:
        chat.draft["text"] = text
        conversation.say(replies.region_choice(prefix="qr", with_all=False))
    elif chat.step in (Step.SUBSCRIBE_REGION, Step.SUBSCRIBE_TOPIC):
        conversation.say(replies.use_buttons())
    else:
        chat.draft = {"text": text}
        conversation.say(replies.what_to_do(text))


def chat_over_limit(chat: Chat, kind: str, limit: int, window_seconds: int) -> bool:
    """Count one `kind` for the chat; True when it is over `limit` in its window. The count
    lives on the chat's row, which the update has locked and saves anyway: no extra query."""
    now = timezone.now().timestamp()
    start, count = chat.counts.get(kind, (now, 0))
    if now - start >= window_seconds:
        start, count = now, 0
    chat.counts[kind] = [start, count + 1]
    return count + 1 > limit


# --- Asking a question ---------------------------------------------------------------------------


def bot_api_client() -> ApiClient | None:
    """The API client the bot's questions are registered under, if it exists, is active and
    may submit questions (settings.TELEGRAM_BOT_API_CLIENT names it)."""
    client = ApiClient.objects.filter(
        name=settings.TELEGRAM_BOT_API_CLIENT, revoked_at__isnull=True
    ).first()
    if client is None or not client.has_scope(APPEALS_SUBMIT):
        return None
    return client


def _question_start(conversation: Conversation, *, text: str) -> None:
    chat = conversation.chat
    chat.step = Step.QUESTION_REGION
    chat.draft = {"text": text} if text else {}
    conversation.say(replies.region_choice(prefix="qr", with_all=False, current=chat.region))


def _question_region(conversation: Conversation, value: str) -> None:
    chat = conversation.chat
    region = Region.objects.filter(pk=int(value)).first() if value.isdigit() else None
    if region is None:
        conversation.say(replies.region_choice(prefix="qr", with_all=False))
        return
    chat.region = region
    chat.draft["region"] = region.pk
    if chat.draft.get("text"):
        chat.step = Step.QUESTION_CONFIRM
        conversation.say(replies.question_confirm(chat.draft["text"], region))
    else:
        chat.step = Step.QUESTION_TEXT
        conversation.say(replies.question_prompt())


def _question_text(conversation: Conversation, text: str) -> None:
    chat = conversation.chat
    if len(text.strip()) < QUESTION_MIN_LENGTH:
        conversation.say(replies.question_too_short(QUESTION_MIN_LENGTH))
        return
    chat.draft["text"] = text
    region = Region.objects.filter(pk=chat.draft.get("region")).first()
    if region is None:
        chat.step = Step.QUESTION_REGION
        conversation.say(replies.region_choice(prefix="qr", with_all=False))
        return
    chat.step = Step.QUESTION_CONFIRM
    conversation.say(replies.question_confirm(text, region))


def _question_send(conversation: Conversation) -> None:
    chat = conversation.chat
    region = Region.objects.filter(pk=chat.draft.get("region")).first()
    text = str(chat.draft.get("text", ""))
    if region is None or not text:
        _question_start(conversation, text=text)
        return
    client = bot_api_client()
    if client is None:
        logger.error(
            "the bot's API client %r is missing, revoked or lacks %s: questions are refused",
            settings.TELEGRAM_BOT_API_CLIENT,
            APPEALS_SUBMIT,
        )
        conversation.reset()
        conversation.say(replies.questions_unavailable())
        return
    if chat_over_limit(chat, "question", *QUESTIONS_PER_CHAT):
        conversation.say(replies.too_many_questions())
        return
    try:
        appeal = appeal_submit(
            kind=Appeal.Kind.QUESTION,
            text=text,
            region=region,
            language=chat.language,
            telegram_chat_id=chat.chat_id,
            # Pressing "Send" under the notice that the chat is kept to answer is the consent.
            consent=True,
            channel=Appeal.Channel.TELEGRAM,
            api_client=client,
        )
    except ValidationError as error:
        chat.step = Step.QUESTION_TEXT
        conversation.say(replies.question_invalid(error.messages))
        return
    conversation.reset()
    conversation.say(replies.question_registered(appeal))


# --- Checking a rumour ---------------------------------------------------------------------------


def _rumour_prompt(conversation: Conversation) -> None:
    conversation.chat.step = Step.RUMOUR_TEXT
    conversation.say(replies.rumour_prompt())


def _rumour_check(conversation: Conversation, text: str) -> None:
    chat = conversation.chat
    if len(text.strip()) < RUMOUR_MIN_LENGTH:
        conversation.say(replies.rumour_too_short(RUMOUR_MIN_LENGTH))
        return
    if chat_over_limit(chat, "check", *CHECKS_PER_CHAT):
        conversation.say(replies.too_many_checks())
        return
    outcome = rumour_check(
        text=text, language=None, answer_language=chat.language, region=chat.region
    )
    if outcome.matches and outcome.matches[0].match != "same_claim":
        # The citizen may say none of the suggestions is it: the text waits for that button.
        chat.draft = {"text": text}
    conversation.say(replies.rumour_outcome(outcome))


def _rumour_report(conversation: Conversation, text: str) -> None:
    chat = conversation.chat
    outcome = rumour_send_for_check(text=text, answer_language=chat.language, region=chat.region)
    conversation.say(replies.rumour_outcome(outcome))


# --- Subscriptions ----------------------------------------------------------------------------


def _subscription_start(conversation: Conversation) -> None:
    conversation.chat.step = Step.SUBSCRIBE_REGION
    conversation.chat.draft = {}
    conversation.say(replies.region_choice(prefix="sr", with_all=True))


def _subscription_region(conversation: Conversation, value: str) -> None:
    chat = conversation.chat
    if value != "all" and not (value.isdigit() and Region.objects.filter(pk=int(value)).exists()):
        conversation.say(replies.region_choice(prefix="sr", with_all=True))
        return
    chat.draft = {"region": value}
    chat.step = Step.SUBSCRIBE_TOPIC
    conversation.say(replies.topic_choice())


def _subscription_topic(conversation: Conversation, value: str) -> None:
    chat = conversation.chat
    region_value = str(chat.draft.get("region", "all"))
    regions = list(Region.objects.filter(pk=int(region_value))) if region_value.isdigit() else []
    topics = list(Topic.objects.filter(pk=int(value))) if value.isdigit() else []
    if value != "all" and not topics:
        conversation.say(replies.topic_choice())
        return
    telegram_subscribe(chat_id=chat.chat_id, language=chat.language, regions=regions, topics=topics)
    conversation.reset()
    conversation.say(replies.subscribed(regions, topics))


def _unsubscribe(conversation: Conversation) -> None:
    conversation.reset()
    conversation.say(replies.unsubscribed(telegram_unsubscribe(chat_id=conversation.chat.chat_id)))


# --- Housekeeping ------------------------------------------------------------------------------


def handled_updates_prune() -> int:
    """Forget updates older than Telegram would ever send again."""
    cutoff = timezone.now() - HANDLED_UPDATES_KEPT
    deleted, _by_model = HandledUpdate.objects.filter(handled_at__lt=cutoff).delete()
    return deleted


@task()
def handled_updates_prune_task() -> int:
    return handled_updates_prune()
