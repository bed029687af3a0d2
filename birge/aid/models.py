"""Aid campaigns, help requests from families, volunteers, partners' pledges and the fund ledger.

Headquarters are agencies of the kind "volunteer headquarters" (ADR 0020): the vertical from
the republican front office to a district is the agency tree, so access scopes reach every
headquarters under an operator's own. Personal data sits in named fields of `HelpRequest` and
`Volunteer` only, so the retention task knows exactly what to erase; figures keep no names.
"""

import hashlib
import hmac
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from birge.appeals.models import LANGUAGE_CHOICES, tracking_code_new, tracking_token_new
from birge.core.models import Agency, AppendOnlyQuerySet, Region, TrilingualNameMixin

HOUSEHOLD_MAX = 30
ADDRESS_MAX_LENGTH = 500
NOTE_MAX_LENGTH = 2000
# The family tells the volunteer this code at the door; a few wrong tries lock it, and the
# operator confirms by a call instead.
DELIVERY_CODE_DIGITS = 6
DELIVERY_CODE_ATTEMPTS = 5


class HelpKind(models.TextChoices):
    FOOD_BASKET = "food_basket", _("Food basket")
    HYGIENE = "hygiene", _("Masks and antiseptics")
    MEDICINES = "medicines", _("Medicines delivered")
    MONEY = "money", _("One-off money transfer")
    SHOPPING = "shopping", _("Shopping and errands")


class Category(models.TextChoices):
    WAR_VETERAN = "war_veteran", _("War veteran")
    LABOUR_VETERAN = "labour_veteran", _("Labour veteran")
    LONELY_ELDERLY = "lonely_elderly", _("Lonely elderly person")
    LARGE_FAMILY = "large_family", _("Large family")
    LOW_INCOME = "low_income", _("Low-income family")
    MEDIC_FAMILY = "medic_family", _("Family of a medic")
    DISABILITY = "disability", _("Person with a disability")
    LOST_INCOME = "lost_income", _("Lost income in the emergency")


class Skill(models.TextChoices):
    DRIVING = "driving", _("Driving, with a car")
    MEDICAL = "medical", _("Medical training")
    CARRYING = "carrying", _("Carrying and packing")
    PHONE = "phone", _("Hotline calls")
    PSYCHOLOGY = "psychology", _("Psychological support")


def _choice_list_check(values: Any, choices: type[models.TextChoices], field: str) -> None:
    if not isinstance(values, list) or any(value not in choices.values for value in values):
        raise ValidationError({field: _("Choose from the list.")})


class Campaign(TrilingualNameMixin):
    """One drive for help ("food baskets, state of emergency 2020") run by one headquarters."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    headquarters = models.ForeignKey(
        Agency,
        verbose_name=_("coordinating headquarters"),
        on_delete=models.PROTECT,
        related_name="aid_campaigns",
        limit_choices_to={"kind": Agency.Kind.VOLUNTEER_HEADQUARTERS},
    )
    help_kinds = models.JSONField(_("kinds of help"), default=list)
    eligible_categories = models.JSONField(_("eligible categories"), default=list)
    # None: the whole country.
    regions = models.ManyToManyField(Region, verbose_name=_("regions"), blank=True)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    repeat_after_days = models.PositiveSmallIntegerField(
        _("a family may be helped again after (days)"), default=30
    )
    retention_days = models.PositiveSmallIntegerField(
        _("personal data of closed requests kept for (days)"), default=90
    )
    # The campaign's triage rules: points a request earns; the queue is sorted by their sum.
    priority_no_food = models.PositiveSmallIntegerField(_("priority: no food left"), default=40)
    priority_disability = models.PositiveSmallIntegerField(_("priority: disability"), default=30)
    priority_age_80 = models.PositiveSmallIntegerField(_("priority: aged 80 or more"), default=20)
    priority_alone = models.PositiveSmallIntegerField(_("priority: lives alone"), default=10)
    is_active = models.BooleanField(_("taking requests"), default=True)

    class Meta:
        ordering = ["-starts_on", "slug"]
        verbose_name = _("aid campaign")
        verbose_name_plural = _("aid campaigns")

    @property
    def description(self) -> str:
        language = (get_language() or settings.LANGUAGE_CODE)[:2]
        return getattr(self, f"description_{language}", "") or self.description_kk

    def clean(self) -> None:
        _choice_list_check(self.help_kinds, HelpKind, "help_kinds")
        _choice_list_check(self.eligible_categories, Category, "eligible_categories")
        if self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The campaign cannot end before it starts.")})

    def help_kind_labels(self) -> list[str]:
        return [str(HelpKind(kind).label) for kind in self.help_kinds]


class Volunteer(models.Model):
    """A person who delivers help; signs in by an e-mail link, not as staff."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the headquarters' check")
        VERIFIED = "verified", _("Verified")
        SUSPENDED = "suspended", _("Suspended")

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), unique=True)
    phone = models.CharField(_("phone"), max_length=32)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    headquarters = models.ForeignKey(
        Agency, verbose_name=_("headquarters"), on_delete=models.PROTECT, related_name="+"
    )
    skills = models.JSONField(_("skills"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    availability = models.CharField(_("when you can help"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verification_note = models.CharField(
        _("how the identity was checked"), max_length=500, blank=True
    )
    # A sign-in link names the last sign-in it follows, so a used link does not work twice.
    signed_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-registered_at", "-id"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        indexes = [models.Index(fields=["headquarters", "status"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        _choice_list_check(self.skills, Skill, "skills")
        if not isinstance(self.languages, list) or any(
            language not in {"kk", "ru", "en"} for language in self.languages
        ):
            raise ValidationError({"languages": _("Choose from the list.")})


class HelpRequestQuerySet(models.QuerySet["HelpRequest"]):
    def open(self) -> "HelpRequestQuerySet":
        return self.exclude(status__in=HelpRequest.CLOSED_STATUSES)


class HelpRequest(models.Model):
    class Channel(models.TextChoices):
        WEB = "web", _("Website")
        HOTLINE = "hotline", _("Hotline operator")
        API = "api", _("API")
        TELEGRAM = "telegram", _("Telegram")

    class Status(models.TextChoices):
        NEW = "new", _("Waiting for the headquarters")
        ELIGIBLE = "eligible", _("Confirmed; a volunteer is being found")
        ASSIGNED = "assigned", _("A volunteer is on the way")
        DELIVERED = "delivered", _("Delivered")
        NOT_ELIGIBLE = "not_eligible", _("Not eligible in this campaign")
        CANCELLED = "cancelled", _("Cancelled")

    class DuplicateReason(models.TextChoices):
        IIN = "iin", _("The same IIN")
        CONTACT = "contact", _("The same phone and address")

    CLOSED_STATUSES = (Status.DELIVERED, Status.NOT_ELIGIBLE, Status.CANCELLED)

    tracking_code = models.CharField(
        _("tracking code"), max_length=16, unique=True, default=tracking_code_new, editable=False
    )
    tracking_token = models.CharField(
        max_length=64, unique=True, default=tracking_token_new, editable=False
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="requests"
    )
    headquarters = models.ForeignKey(
        Agency, verbose_name=_("headquarters"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    help_kind = models.CharField(_("kind of help"), max_length=32, choices=HelpKind.choices)
    household_size = models.PositiveSmallIntegerField(
        _("people in the household"),
        validators=[MinValueValidator(1), MaxValueValidator(HOUSEHOLD_MAX)],
    )
    categories = models.JSONField(_("categories"), default=list, blank=True)
    no_food = models.BooleanField(_("no food left for the next days"), default=False)
    lives_alone = models.BooleanField(_("lives alone"), default=False)
    # Personal data: erased by the retention task once the request is closed long enough.
    person_name = models.CharField(_("name of the person in need"), max_length=200, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    iin = models.CharField(_("IIN"), max_length=12, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=ADDRESS_MAX_LENGTH, blank=True)
    requester_name = models.CharField(_("asked by (on behalf)"), max_length=200, blank=True)
    requester_phone = models.CharField(_("phone of the person asking"), max_length=32, blank=True)
    # Digits of the phone and the folded address: the duplicate check's key, erased with them.
    contact_key = models.CharField(max_length=64, blank=True, editable=False)
    consent = models.BooleanField(_("consent to the processing of personal data"), default=False)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    api_client = models.ForeignKey(
        "api.ApiClient", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW
    )
    priority = models.PositiveSmallIntegerField(_("priority"), default=0)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    possible_duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("possible duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    duplicate_reason = models.CharField(max_length=16, choices=DuplicateReason.choices, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=NOTE_MAX_LENGTH, blank=True)
    offered_to = models.ForeignKey(
        Volunteer, on_delete=models.SET_NULL, null=True, blank=True, related_name="offers"
    )
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    partner = models.ForeignKey(
        "Partner", on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    hours = models.DecimalField(
        _("volunteer hours"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        indexes = [
            # The triage queue: one headquarters' requests in a status, by priority and waiting.
            models.Index(
                fields=["headquarters", "status", "-priority", "submitted_at"],
                name="aid_request_queue",
            ),
            models.Index(fields=["campaign", "iin"], name="aid_request_iin"),
            models.Index(fields=["campaign", "contact_key"], name="aid_request_contact"),
            models.Index(fields=["campaign", "status", "delivered_at"], name="aid_request_report"),
            models.Index(fields=["status", "closed_at"], name="aid_request_closed"),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES

    def delivery_code(self) -> str:
        """The code the family gives the volunteer: derived from the private token, so it is
        stored nowhere and no staff screen shows it."""
        digest = hmac.new(
            settings.SECRET_KEY.encode(),
            f"aid-delivery:{self.pk}:{self.tracking_token}".encode(),
            hashlib.sha256,
        ).digest()
        number = int.from_bytes(digest[:8], "big") % 10**DELIVERY_CODE_DIGITS
        return f"{number:0{DELIVERY_CODE_DIGITS}d}"


class DeliveryTally(models.Model):
    """Families helped per campaign, region and month, counted as each delivery is confirmed,
    so the public report reads a few hundred rows, not every delivered request."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    month = models.DateField()
    families = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "region", "month"], name="aid_delivery_tally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.region_id} {self.month:%Y-%m}: {self.families}"


class HelpRequestEvent(models.Model):
    """One step of a request, with whoever took it: staff, a volunteer or the family."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Request received")
        FLAGGED_DUPLICATE = "flagged_duplicate", _("Flagged as a possible duplicate")
        ELIGIBLE = "eligible", _("Confirmed as eligible")
        NOT_ELIGIBLE = "not_eligible", _("Found not eligible")
        HANDED_DOWN = "handed_down", _("Handed to another headquarters")
        OFFERED = "offered", _("Offered to a volunteer")
        DECLINED = "declined", _("Declined by the volunteer")
        ACCEPTED = "accepted", _("A volunteer took the task")
        PARTNER_ASSIGNED = "partner_assigned", _("Given to a partner")
        RELEASED = "released", _("The volunteer gave the task back")
        CODE_WRONG = "code_wrong", _("A wrong delivery code was entered")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")
        ERASED = "erased", _("Personal data erased")

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Shown on the family's tracking page; reasons and names are not.
    is_public = models.BooleanField(default=True)
    note = models.CharField(max_length=NOTE_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind}"


class Partner(models.Model):
    """A business or NGO that pledges goods or services to a campaign."""

    class Kind(models.TextChoices):
        BUSINESS = "business", _("Business")
        NGO = "ngo", _("Non-governmental organisation")
        OTHER = "other", _("Other organisation")

    name = models.CharField(_("name"), max_length=300, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    headquarters = models.ForeignKey(
        Agency, verbose_name=_("headquarters"), on_delete=models.PROTECT, related_name="+"
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name


class Pledge(models.Model):
    """What a partner promised ("20,000 mobile internet packages for medics"), and how much of
    it has arrived."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="pledges")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="pledges")
    description = models.CharField(_("what is pledged"), max_length=500)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=50)
    fulfilled_quantity = models.PositiveIntegerField(_("received so far"), default=0)
    due_on = models.DateField(_("promised by"), null=True, blank=True)
    pledged_at = models.DateTimeField(default=timezone.now)
    fulfilled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pledged_at", "-id"]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")

    def __str__(self) -> str:
        return f"{self.partner}: {self.description}"

    @property
    def progress_percent(self) -> int:
        return min(100, self.fulfilled_quantity * 100 // self.quantity) if self.quantity else 0


class LedgerEntryQuerySet(AppendOnlyQuerySet["LedgerEntry"]):
    refusal = "The ledger is append-only: record a reversing entry."


class LedgerEntry(models.Model):
    """One movement of a campaign's fund: a donation in, a purchase or transfer out.

    Append-only, like the audit log: a mistake is corrected by a reversing entry (the same
    amount with the opposite sign, pointing at the entry it reverses) and, if needed, a new one.
    """

    class Kind(models.TextChoices):
        DONATION = "donation", _("Donation received")
        PURCHASE = "purchase", _("Purchase")
        TRANSFER = "transfer", _("Transfer to families")

    INFLOWS = (Kind.DONATION,)

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    amount = models.DecimalField(_("amount, tenge"), max_digits=16, decimal_places=2)
    on_date = models.DateField(_("date"))
    donor = models.CharField(_("donor (empty: anonymous)"), max_length=300, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True
    )
    document_ref = models.CharField(_("document reference"), max_length=200)
    note = models.CharField(_("note"), max_length=500, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-on_date", "-id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0) | models.Q(reverses__isnull=False),
                name="aid_ledger_positive_unless_reversal",
                violation_error_message=_("The amount must be more than zero."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.on_date})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("The ledger is append-only: record a reversing entry.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("The ledger is append-only: record a reversing entry.")

    @property
    def signed_amount(self) -> Decimal:
        return self.amount if self.kind in self.INFLOWS else -self.amount
