"""Citizens' questions and formal appeals, their routing, legal clock, answers and public FAQ.

The clock's states ("due soon", "overdue", "deemed refused") are computed in selectors from the
stored due date; only facts are stored: when the appeal was registered, which agency holds it
since when, pauses and extensions, and every move in `AppealEvent`.
"""

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from birge.core.files import private_name, private_storage
from birge.core.models import Agency, Region, Topic

TEXT_MAX_LENGTH = 10_000
# Crockford-style alphabet: no 0/O, 1/I/L, so a code read over the phone is not mistyped.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_CODE_LENGTH = 10


def tracking_code_new() -> str:
    """A short code (about 50 bits) the citizen quotes; it shows status only, no personal data."""
    raw = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def tracking_token_new() -> str:
    """The secret part of the private tracking link (answers, clarification, rating)."""
    return secrets.token_urlsafe(24)


def attachment_name(instance: Any, filename: str) -> str:
    return private_name("appeals", filename)


LANGUAGE_CHOICES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]


class AppealQuerySet(models.QuerySet["Appeal"]):
    def open(self) -> "AppealQuerySet":
        return self.exclude(status__in=Appeal.CLOSED_STATUSES)


class Appeal(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", _("Question")
        APPEAL = "appeal", _("Formal appeal")

    class Channel(models.TextChoices):
        WEB = "web", _("Website")
        API = "api", _("API")
        CALL_CENTRE = "call_centre", _("Contact centre 109")
        TELEGRAM = "telegram", _("Telegram")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        TRIAGE = "triage", _("Being assigned to an agency")
        IN_PROGRESS = "in_progress", _("With the agency")
        AWAITING_CLARIFICATION = "awaiting_clarification", _("Awaiting your clarification")
        PENDING_APPROVAL = "pending_approval", _("Answer awaiting approval")
        ANSWERED = "answered", _("Answered")

    CLOSED_STATUSES = (Status.ANSWERED,)

    tracking_code = models.CharField(
        _("tracking code"), max_length=16, unique=True, default=tracking_code_new, editable=False
    )
    tracking_token = models.CharField(
        max_length=64, unique=True, default=tracking_token_new, editable=False
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.QUESTION)
    text = models.TextField(_("text"), max_length=TEXT_MAX_LENGTH)
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.PROTECT, null=True, blank=True
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    contact_name = models.CharField(_("name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=32, blank=True)
    # The chat a question came from through the bot: its notices are answered there.
    telegram_chat_id = models.CharField(_("Telegram chat"), max_length=32, blank=True)
    consent = models.BooleanField(_("consent to the processing of personal data"), default=False)
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.WEB
    )
    attachment = models.FileField(
        _("attachment"), upload_to=attachment_name, storage=private_storage, blank=True
    )
    status = models.CharField(
        _("status"), max_length=32, choices=Status.choices, default=Status.REGISTERED
    )
    registered_at = models.DateTimeField(_("registered"), default=timezone.now, db_index=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("responsible agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    # The legal term for the agency holding the appeal: set when the clock starts or restarts,
    # moved by pauses and extensions. `term_limit_at` is the latest date extensions may reach.
    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    term_limit_at = models.DateTimeField(_("latest possible due date"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    first_answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    canonical = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    suggested_agency = models.ForeignKey(
        Agency,
        verbose_name=_("suggested agency"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    suggestion_confidence = models.FloatField(null=True, blank=True)
    helpful = models.BooleanField(_("answer was helpful"), null=True, blank=True)
    # The machine caller that submitted it (contact centre, bot, partner); none for the website
    # and anonymous API callers.
    api_client = models.ForeignKey(
        "api.ApiClient",
        verbose_name=_("API client"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A caller's Idempotency-Key and a fingerprint of its body: a retry finds the appeal it
    # created through the key, unique per client, in the same INSERT, with no table of its own.
    # NULL, not "", for "no key": the partial unique constraints below leave NULLs out.
    idempotency_key = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001
    request_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    objects = AppealQuerySet.as_manager()

    class Meta:
        ordering = ["-registered_at"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        indexes = [models.Index(fields=["agency", "status", "due_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["api_client", "idempotency_key"],
                condition=models.Q(api_client__isnull=False, idempotency_key__isnull=False),
                name="appeals_idempotency_per_client",
            ),
            # Anonymous callers share one namespace of keys (but never see another's appeal: a
            # replay answers only with the same body, whose fingerprint the key is bound to).
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=models.Q(api_client__isnull=True, idempotency_key__isnull=False),
                name="appeals_idempotency_anonymous",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    def clean(self) -> None:
        if self.kind == self.Kind.APPEAL and not (self.contact_email or self.contact_phone):
            raise ValidationError(
                {"contact_email": _("A formal appeal needs an e-mail address or a phone number.")}
            )
        contact = self.contact_email or self.contact_phone or self.telegram_chat_id
        if (contact or self.kind == self.Kind.APPEAL) and not self.consent:
            raise ValidationError(
                {"consent": _("Agree to the processing of your personal data to send this.")}
            )


class AppealEvent(models.Model):
    """One move in an appeal's life; the public ones make up the history on the tracking page."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ROUTED = "routed", _("Assigned to an agency")
        TRIAGED = "triaged", _("Sent to the coordinators for assignment")
        SUGGESTED = "suggested", _("Agency suggested")
        REDIRECTED = "redirected", _("Redirected to another agency")
        NOT_COMPETENT = "not_competent", _("Not within the agency's competence")
        CLARIFICATION_REQUESTED = "clarification_requested", _("Clarification requested")
        CLARIFIED = "clarified", _("Clarification received")
        EXTENDED = "extended", _("Term extended")
        ANSWER_SUBMITTED = "answer_submitted", _("Answer submitted for approval")
        ANSWERED = "answered", _("Answered")
        ANSWER_UPDATED = "answer_updated", _("Answer updated")
        MERGED = "merged", _("Merged with the same question")
        RATED = "rated", _("Answer rated")
        REOPENED = "reopened", _("Reopened")
        COMPLAINED = "complained", _("Complaint filed")
        ESCALATED = "escalated", _("Escalated: overdue")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_public = models.BooleanField(default=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["kind", "agency", "at"])]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.kind}"


class AnswerQuerySet(models.QuerySet["Answer"]):
    def pending(self) -> "AnswerQuerySet":
        """Submitted and waiting for the head: neither published nor sent back."""
        return self.filter(published_at__isnull=True, returned_at__isnull=True)

    def published(self) -> "AnswerQuerySet":
        return self.filter(published_at__isnull=False)

    def returned(self) -> "AnswerQuerySet":
        return self.filter(returned_at__isnull=False)


class Answer(models.Model):
    class Kind(models.TextChoices):
        FULL = "full", _("Full answer")
        PARTIAL = "partial", _("Partial answer")
        REFUSED = "refused", _("Refused, with the legal ground")
        NOT_COMPETENT = "not_competent", _("Not within competence")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="answers")
    kind = models.CharField(_("kind of answer"), max_length=16, choices=Kind.choices)
    legal_ground = models.CharField(_("legal ground"), max_length=500, blank=True)
    text = models.TextField(_("answer"), max_length=TEXT_MAX_LENGTH)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    outdated_at = models.DateTimeField(null=True, blank=True)
    # A head who sends a submitted answer back keeps it on record, with the reason.
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    return_note = models.TextField(blank=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.appeal_id})"

    def clean(self) -> None:
        if self.kind == self.Kind.REFUSED and not self.legal_ground.strip():
            raise ValidationError({"legal_ground": _("A refusal must name its legal ground.")})


class RoutingRule(models.Model):
    """Appeals on `topic` from `region` go to `agency`; the most specific matching rule wins."""

    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.CASCADE, null=True, blank=True
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, null=True, blank=True
    )
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(topic__isnull=False) | models.Q(region__isnull=False),
                name="appeals_routingrule_topic_or_region",
                violation_error_message=_("A rule needs a topic, a region or both."),
            ),
            models.UniqueConstraint(
                fields=["topic", "region", "agency"], name="appeals_routingrule_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic or '*'} / {self.region or '*'} -> {self.agency}"

    @property
    def specificity(self) -> int:
        return (2 if self.topic_id else 0) + (1 if self.region_id else 0)


class CrisisTarget(models.Model):
    """A faster answer target than the legal term, for a topic during the crisis."""

    topic = models.OneToOneField(Topic, verbose_name=_("topic"), on_delete=models.CASCADE)
    hours = models.PositiveIntegerField(_("answer within (hours)"))

    class Meta:
        verbose_name = _("crisis target")
        verbose_name_plural = _("crisis targets")

    def __str__(self) -> str:
        return f"{self.topic}: {self.hours} h"


class AgencyAppealSettings(models.Model):
    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="appeal_settings")
    answers_need_approval = models.BooleanField(
        _("answers need the head's approval"), default=False
    )

    def __str__(self) -> str:
        return str(self.agency)


class AnswerTemplate(models.Model):
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    text = models.TextField(_("text"), max_length=TEXT_MAX_LENGTH)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Extension(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="extensions")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    previous_due_at = models.DateTimeField()
    new_due_at = models.DateTimeField()
    reason = models.TextField(_("reason"), max_length=2000)

    def __str__(self) -> str:
        return f"{self.appeal_id}: {self.new_due_at:%Y-%m-%d}"


class Escalation(models.Model):
    """An overdue notice sent once per appeal and due date."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="escalations")
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["appeal", "due_at"], name="appeals_escalation_once")
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id} @ {self.due_at:%Y-%m-%d}"


class FaqEntry(models.Model):
    """A published question and answer, masked of personal data, in one language."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="faq_entries")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="faq_entries")
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.PROTECT, null=True, blank=True
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    question = models.TextField(_("question"), max_length=TEXT_MAX_LENGTH)
    answer_text = models.TextField(_("answer"), max_length=TEXT_MAX_LENGTH)
    search_text = models.TextField(editable=False, blank=True)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    is_published = models.BooleanField(default=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "language"], name="appeals_faq_one_per_language"
            )
        ]
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")

    def __str__(self) -> str:
        return self.question[:80]

    def save(self, *args: Any, **kwargs: Any) -> None:
        from .search import search_key

        self.search_text = search_key(f"{self.question}\n{self.answer_text}")
        super().save(*args, **kwargs)


class RoutingClassifier(models.Model):
    """The learned routing suggestion: centroids over char n-grams, trained on past routing."""

    trained_at = models.DateTimeField(default=timezone.now)
    samples = models.PositiveIntegerField()
    payload = models.JSONField()

    class Meta:
        ordering = ["-trained_at", "-id"]

    def __str__(self) -> str:
        return f"classifier {self.trained_at:%Y-%m-%d %H:%M} ({self.samples})"
