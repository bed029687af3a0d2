"""Publications, the deliveries that carry them to each channel (the outbox), and subscribers.

A publication is written once, by any domain, with its text in one or more languages; every
place it goes (the portal's feed, the Telegram channel, each subscribed chat and mailbox) is a
`Delivery` row written in the same transaction, which a worker sends and marks (ADR 0018).
"""

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birge.core.models import Region, Topic


class Channel(models.TextChoices):
    FEED = "feed", _("Portal feed (RSS, Atom)")
    TELEGRAM_CHANNEL = "telegram_channel", _("Telegram channel")
    TELEGRAM_BOT = "telegram_bot", _("Telegram bot subscribers")
    EMAIL = "email", _("E-mail subscribers")


# The channels a coordinator picks for a publication; a citizen's own notice goes to one chat or
# one mailbox and is addressed directly.
ANNOUNCE_CHANNELS = [
    Channel.FEED,
    Channel.TELEGRAM_CHANNEL,
    Channel.TELEGRAM_BOT,
    Channel.EMAIL,
]


def default_announce_channels() -> list[str]:
    return [str(channel) for channel in ANNOUNCE_CHANNELS]


class Publication(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        GUIDANCE = "guidance", _("Guidance")
        MEASURE = "measure", _("State measure")
        DOCUMENT = "document", _("Official document")
        MEDIA = "media", _("Media")
        BRIEFING = "briefing", _("Briefing")
        CORRECTION = "correction", _("Correction")
        CLAIM = "claim", _("Checked rumour")
        STATS_RELEASE = "stats_release", _("Statistics release")
        FAQ_ANSWER = "faq_answer", _("Updated answer")
        URGENT_ALERT = "urgent_alert", _("Urgent alert")
        NOTICE = "notice", pgettext_lazy("a message to one citizen", "Personal notice")
        DIGEST = "digest", _("E-mail digest")

    class Status(models.TextChoices):
        HELD = "held", _("Waiting for a second coordinator")
        RELEASED = "released", _("Released")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # What the publication announces, in the domain's own terms ("portal.change", "claims.claim"):
    # the pair is unique, so a publish that runs twice announces once.
    source_kind = models.CharField(max_length=32)
    source_key = models.CharField(max_length=64)
    # {"kk": {"title": ..., "summary": ..., "url": ...}, "ru": {...}}: the languages it exists in.
    texts = models.JSONField(_("texts"))
    photo_url = models.URLField(_("image"), blank=True, max_length=500)
    urgent = models.BooleanField(_("urgent"), default=False)
    regions = models.ManyToManyField(
        Region, verbose_name=_("regions"), blank=True, related_name="+"
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="+")
    channels = models.JSONField(_("channels"), default=default_announce_channels, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RELEASED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.UniqueConstraint(
                fields=["source_kind", "source_key"], name="channels_publication_source_unique"
            )
        ]
        indexes = [models.Index(fields=["-created_at"], name="channels_pub_created")]

    def __str__(self) -> str:
        return self.title()

    def languages(self) -> list[str]:
        return [code for code, _name in settings.LANGUAGES if code in self.texts]

    def text_for(self, language: str) -> dict[str, Any]:
        """The text in `language`, else in the first language it has (Kazakh before Russian)."""
        if language in self.texts:
            return dict(self.texts[language])
        return dict(self.texts[self.languages()[0]]) if self.texts else {}

    def title(self, language: str = "") -> str:
        return self.text_for(language or settings.LANGUAGE_CODE).get("title", "")


class Subscriber(models.Model):
    """One Telegram chat or one mailbox that asked for publications, with what it wants."""

    class Kind(models.TextChoices):
        TELEGRAM = "telegram", _("Telegram chat")
        EMAIL = "email", _("E-mail")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        ACTIVE = "active", _("Active")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # A chat id or a lower-cased e-mail address.
    address = models.CharField(_("address"), max_length=254)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    # No region (or topic) chosen means all of them.
    regions = models.ManyToManyField(
        Region, verbose_name=_("regions"), blank=True, related_name="+"
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="+")
    all_regions = models.BooleanField(default=True)
    all_topics = models.BooleanField(default=True)
    # Confirms and unsubscribes by link without signing in; never shown to staff.
    token = models.CharField(max_length=43, unique=True, default=secrets.token_urlsafe)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "address"], name="channels_subscriber_address_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["kind", "language"],
                condition=Q(status="active"),
                name="channels_subscriber_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"


class Delivery(models.Model):
    """One publication to one place: the outbox row a worker sends, retries and marks."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Delivered")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    # Indexed by the unique constraint below, which starts with it; a second index would cost
    # one more write per delivery of a million-row fan-out.
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Where it goes: a chat id, a channel's @name, an e-mail address, or the feed's language.
    target = models.CharField(max_length=254)
    language = models.CharField(max_length=2)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    # Lower goes first: urgent alerts, then a citizen's own notices, then the rest.
    priority = models.PositiveSmallIntegerField(default=50)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    # Telegram's message_id or the e-mail's Message-ID, stored with the "sent" state in one
    # write: a delivery that has one is never sent again.
    message_id = models.CharField(max_length=255, blank=True)
    error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "channel", "target"], name="channels_delivery_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["channel", "priority", "next_attempt_at", "id"],
                condition=Q(state="pending", message_id=""),
                name="channels_delivery_due",
            ),
            models.Index(
                fields=["channel", "next_attempt_at"],
                condition=Q(state="pending", message_id=""),
                name="channels_delivery_next",
            ),
            models.Index(
                fields=["claimed_at"],
                condition=Q(state="sending"),
                name="channels_delivery_sending",
            ),
            models.Index(fields=["publication", "channel", "state"], name="channels_delivery_pub"),
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} → {self.channel}"
