"""The rapid-response desk: accredited media and NGOs, their requests to agencies on a clock in
hours, and the targets coordinators set per kind of request.

A request's clock is calendar hours from its registration (`due_at`), not the appeals' working
days: a journalist's factual question in an emergency is worth nothing in 15 working days.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from birge.appeals.models import LANGUAGE_CHOICES, TEXT_MAX_LENGTH
from birge.core.models import Agency

REASON_MAX_LENGTH = 1000


class Outlet(models.Model):
    """A media organisation or an NGO that applies for accreditation."""

    class Kind(models.TextChoices):
        MEDIA = "media", _("Media organisation")
        NGO = "ngo", _("Non-governmental organisation")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Application under review")
        ACCREDITED = "accredited", _("Accredited")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Accreditation revoked")
        REFUSED = "refused", _("Application refused")

    name = models.CharField(_("name"), max_length=300, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    registration = models.CharField(_("registration number"), max_length=100)
    editor = models.CharField(_("editor-in-chief or head"), max_length=200)
    email = models.EmailField(_("e-mail of the organisation"))
    phone = models.CharField(_("phone"), max_length=32)
    website = models.URLField(_("website"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.APPLIED
    )
    status_reason = models.CharField(_("reason"), max_length=REASON_MAX_LENGTH, blank=True)
    applied_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("media outlet")
        verbose_name_plural = _("media outlets")

    def __str__(self) -> str:
        return self.name

    @property
    def is_accredited(self) -> bool:
        return self.status == self.Status.ACCREDITED


class Member(models.Model):
    """A journalist or an NGO's representative; signs in by an e-mail link, not as staff."""

    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), unique=True)
    signed_in_at = models.DateTimeField(null=True, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("outlet member")
        verbose_name_plural = _("outlet members")

    def __str__(self) -> str:
        return self.name


class RequestKind(models.TextChoices):
    FACTUAL = "factual", _("Factual question")
    COMMENT = "comment", _("Official comment")
    DATA = "data", _("Data or documents")
    INTERVIEW = "interview", _("Interview")


# Until coordinators set their own (/admin/media/targets/): 4 h for a fact in an emergency.
DEFAULT_TARGET_HOURS = {
    RequestKind.FACTUAL: 4,
    RequestKind.COMMENT: 8,
    RequestKind.DATA: 24,
    RequestKind.INTERVIEW: 24,
}


class ResponseTarget(models.Model):
    kind = models.CharField(
        _("kind of request"), max_length=16, choices=RequestKind.choices, unique=True
    )
    hours = models.PositiveSmallIntegerField(_("answer within (hours)"))

    class Meta:
        verbose_name = _("response target")
        verbose_name_plural = _("response targets")

    def __str__(self) -> str:
        return f"{self.kind}: {self.hours} h"


class MediaRequest(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("With the coordinators")
        WITH_AGENCY = "with_agency", _("With the agency")
        PENDING_APPROVAL = "pending_approval", _("Answer awaiting approval")
        ANSWERED = "answered", _("Answered")

    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="requests")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="requests")
    kind = models.CharField(_("kind of request"), max_length=16, choices=RequestKind.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency asked"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="media_requests",
    )
    question = models.TextField(_("question"), max_length=TEXT_MAX_LENGTH)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW
    )
    submitted_at = models.DateTimeField(_("registered"), default=timezone.now)
    target_hours = models.PositiveSmallIntegerField(_("target (hours)"))
    due_at = models.DateTimeField(_("due"))
    answer = models.TextField(_("answer"), max_length=TEXT_MAX_LENGTH, blank=True)
    # What the head wrote when sending a draft answer back to the officer.
    return_note = models.CharField(_("returned with"), max_length=REASON_MAX_LENGTH, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The agency that answered: the figures count its answer even if the request moved on.
    answering_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("media request")
        verbose_name_plural = _("media requests")
        indexes = [
            models.Index(fields=["agency", "status", "due_at"], name="media_request_inbox"),
            models.Index(fields=["answering_agency", "answered_at"], name="media_request_figures"),
        ]

    def __str__(self) -> str:
        return f"{self.outlet} {self.submitted_at:%Y-%m-%d %H:%M}"

    @property
    def answered_in_time(self) -> bool | None:
        if self.answered_at is None:
            return None
        return self.answered_at <= self.due_at


class MediaRequestEvent(models.Model):
    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Request received")
        ROUTED = "routed", _("Sent to the agency")
        ANSWER_SUBMITTED = "answer_submitted", _("Answer submitted for approval")
        ANSWER_RETURNED = "answer_returned", _("Answer returned to the officer")
        ANSWERED = "answered", _("Answered")

    request = models.ForeignKey(MediaRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind}"
