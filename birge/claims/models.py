"""The rumour registry: claims as they circulated, their translations, verdicts and evidence;
rumour reports from citizens; the fact-checkers' matching thresholds."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from birge.core.models import Agency, Region, Topic

LANGUAGE_CHOICES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LANGUAGE_CODES = tuple(code for code, _label in LANGUAGE_CHOICES)
CLAIM_TEXT_MAX_LENGTH = 5_000
REPORT_TEXT_MAX_LENGTH = 5_000


class Verdict(models.TextChoices):
    """Ordered from worst to best: the ClaimReview ratingValue is the position (1-5)."""

    FALSE = "false", _("False")
    MISLEADING = "misleading", _("Misleading")
    UNPROVEN = "unproven", _("Unproven")
    PARTLY_TRUE = "partly_true", _("Partly true")
    TRUE = "true", _("True")


VERDICT_RATINGS = {verdict.value: position for position, verdict in enumerate(Verdict, start=1)}


class Channel(models.TextChoices):
    WHATSAPP = "whatsapp", "WhatsApp"
    TELEGRAM = "telegram", "Telegram"
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    FACEBOOK = "facebook", "Facebook"
    VK = "vk", _("VKontakte")
    YOUTUBE = "youtube", "YouTube"
    WEBSITE = "website", _("Websites")
    SMS = "sms", _("SMS")
    OFFLINE = "offline", _("Word of mouth and leaflets")


class ClaimQuerySet(models.QuerySet["Claim"]):
    def published(self) -> "ClaimQuerySet":
        return self.filter(status__in=Claim.PUBLIC_STATUSES)


class Claim(models.Model):
    """A rumour as it circulated, with the fact-checkers' verdict and its workflow state."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_REVIEW = "in_review", _("In review")
        VERDICT_DRAFTED = "verdict_drafted", _("Verdict drafted")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        UPDATED = "updated", _("Updated")

    PUBLIC_STATUSES = (Status.PUBLISHED, Status.UPDATED)

    wording = models.TextField(_("wording as it circulated"), max_length=CLAIM_TEXT_MAX_LENGTH)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    first_seen = models.DateField(_("first seen"), null=True, blank=True)
    channels = models.JSONField(_("where it spread"), default=list, blank=True)
    appearances = models.JSONField(
        _("addresses where it appeared"),
        default=list,
        blank=True,
        help_text=_("Public addresses (URLs) of posts that carried the rumour, if known."),
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("refuting agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
    )
    verdict = models.CharField(_("verdict"), max_length=16, choices=Verdict.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW, db_index=True
    )
    # A new verdict for a claim already published waits here for the second person's approval,
    # while the page keeps showing the approved one.
    verdict_pending = models.CharField(
        _("proposed new verdict"), max_length=16, choices=Verdict.choices, blank=True
    )
    verdict_pending_note = models.CharField(
        _("reason for the new verdict"), max_length=1000, blank=True
    )
    verdict_author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verdict author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), null=True, blank=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")

    def __str__(self) -> str:
        return self.wording[:80]

    def clean(self) -> None:
        unknown = set(self.channels or []) - set(Channel.values)
        if unknown:
            raise ValidationError({"channels": _("Unknown channel.")})
        for url in self.appearances or []:
            if not isinstance(url, str) or not url.startswith(("https://", "http://")):
                raise ValidationError({"appearances": _("Each address must start with https://.")})

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    @property
    def rating(self) -> int | None:
        return VERDICT_RATINGS.get(self.verdict)

    def channel_labels(self) -> list[str]:
        labels = dict(Channel.choices)
        return [str(labels[c]) for c in self.channels if c in labels]

    def translation_in(self, language: str | None = None) -> "ClaimTranslation | None":
        """The translation in `language` (default: the active one), else the claim's own
        language, else any; uses prefetched rows when present."""
        wanted = (language or get_language() or settings.LANGUAGE_CODE)[:2]
        rows = list(self.translations.all())
        by_language = {row.language: row for row in rows}
        return (
            by_language.get(wanted)
            or by_language.get(self.language)
            or next((by_language[c] for c in LANGUAGE_CODES if c in by_language), None)
        )


class ClaimTranslation(models.Model):
    """The claim's wording and the verdict's explanation in one language."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    wording = models.TextField(_("wording"), max_length=CLAIM_TEXT_MAX_LENGTH)
    explanation = models.TextField(_("explanation of the verdict"), blank=True)

    class Meta:
        ordering = ["language"]
        verbose_name = _("claim translation")
        verbose_name_plural = _("claim translations")
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "language"], name="claims_translation_one_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.language}: {self.wording[:60]}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        LINK = "link", _("Link")
        DOCUMENT = "document", _("Official document")
        STATEMENT = "statement", _("Agency statement")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.LINK)
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("address"), max_length=500, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.title


class ClaimRevision(models.Model):
    """One step of a claim's workflow, with a dated note of what changed."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="revisions")
    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=16, choices=Claim.Status.choices)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    is_public = models.BooleanField(
        _("shown on the public page"),
        default=False,
        help_text=_("Updates to a published verdict are shown to readers."),
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("claim revision")
        verbose_name_plural = _("claim revisions")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.status}"


class MatchingThresholds(models.Model):
    """The fact-checkers' two score thresholds; one row (pk=1).

    The defaults are calibrated on the dev set for the default (fused) engine so that a wrong
    claim reaches them no more often than it reached 0.70 / 0.40 with the lexical engine
    (docs/benchmarks.md, "Embedding and fused engines"); without the embedding model the scores
    are the lexical ones and these defaults are only stricter.
    """

    same_claim = models.FloatField(
        _("same claim"),
        default=0.77,
        help_text=_("At or above this score the checked claim is given as the answer."),
    )
    maybe_related = models.FloatField(
        _("maybe related"),
        default=0.46,
        help_text=_(
            "At or above this score a claim is suggested; below it the text goes to the "
            "fact-checkers' queue."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("matching thresholds")
        verbose_name_plural = _("matching thresholds")

    def __str__(self) -> str:
        return f"{self.same_claim} / {self.maybe_related}"

    def clean(self) -> None:
        if not 0 < self.maybe_related <= self.same_claim <= 5:
            raise ValidationError(
                _("Use 0 < maybe related ≤ same claim ≤ 5 (scores are usually 0 to 1.5).")
            )

    @classmethod
    def current(cls) -> "MatchingThresholds":
        row = cls.objects.filter(pk=1).first()
        return row if row is not None else cls(pk=1)


class ReportCluster(models.Model):
    """Reports that say the same thing; the fact-checkers' queue works on clusters."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ATTACHED = "attached", _("Attached to a claim")
        DISMISSED = "dismissed", _("Dismissed")

    label = models.CharField(_("sample text"), max_length=300)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    claim = models.ForeignKey(
        Claim,
        verbose_name=_("claim"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clusters",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("report cluster")
        verbose_name_plural = _("report clusters")

    def __str__(self) -> str:
        return self.label


class RumourReport(models.Model):
    """A text citizens sent in to be checked; identical and near-identical texts share a row."""

    reference = models.CharField(_("reference number"), max_length=16, unique=True)
    text = models.TextField(_("text as submitted"), max_length=REPORT_TEXT_MAX_LENGTH)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    normalized = models.TextField(editable=False)
    fingerprint = models.CharField(max_length=64, db_index=True, editable=False)
    count = models.PositiveIntegerField(_("submissions"), default=1)
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now, db_index=True)
    cluster = models.ForeignKey(
        ReportCluster,
        verbose_name=_("cluster"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    claim = models.ForeignKey(
        Claim,
        verbose_name=_("claim"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )

    class Meta:
        ordering = ["-last_seen", "-id"]
        verbose_name = _("rumour report")
        verbose_name_plural = _("rumour reports")

    def __str__(self) -> str:
        return f"{self.reference}: {self.text[:60]}"


class ReportSubmission(models.Model):
    """One submission of a report: when and from which region (for volume and growth)."""

    report = models.ForeignKey(RumourReport, on_delete=models.CASCADE, related_name="submissions")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-at"]
        verbose_name = _("report submission")
        verbose_name_plural = _("report submissions")

    def __str__(self) -> str:
        return f"{self.report_id} {self.at:%Y-%m-%d %H:%M}"
