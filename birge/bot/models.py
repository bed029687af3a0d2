"""The bot's memory: each private chat's language and where its conversation stands, and the
updates already handled (Telegram sends an update again when it saw no answer in time)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from birge.core.models import Region


class Chat(models.Model):
    class Step(models.TextChoices):
        IDLE = "idle", _("Nothing asked")
        QUESTION_REGION = "question_region", _("Choosing the question's region")
        QUESTION_TEXT = "question_text", _("Writing a question")
        QUESTION_CONFIRM = "question_confirm", _("Confirming a question")
        RUMOUR_TEXT = "rumour_text", _("Sending a rumour to check")
        SUBSCRIBE_REGION = "subscribe_region", _("Choosing the subscription's region")
        SUBSCRIBE_TOPIC = "subscribe_topic", _("Choosing the subscription's topic")

    chat_id = models.CharField(_("Telegram chat"), max_length=32, unique=True)
    language = models.CharField(_("language"), max_length=2, blank=True)
    step = models.CharField(_("step"), max_length=24, choices=Step.choices, default=Step.IDLE)
    # What the conversation has gathered so far: the question's text and region, a text the
    # citizen sent before saying what it is, the subscription's region.
    draft = models.JSONField(default=dict, blank=True)
    # How many questions and checks the chat sent in its current window, per kind:
    # {"check": [window start as a Unix time, count]} (birge.bot.services.chat_over_limit).
    counts = models.JSONField(default=dict, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bot chat")
        verbose_name_plural = _("bot chats")

    def __str__(self) -> str:
        return self.chat_id


class HandledUpdate(models.Model):
    """An update handled once: its id is written in the transaction that handled it."""

    update_id = models.BigIntegerField(primary_key=True)
    handled_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("handled update")
        verbose_name_plural = _("handled updates")

    def __str__(self) -> str:
        return str(self.update_id)
