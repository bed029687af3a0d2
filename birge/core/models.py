"""Reference data every domain shares: regions, agencies, topics, staff roles, the audit log."""

from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .files import private_name, private_storage


class TrilingualNameMixin(models.Model):
    """Reference data named in the three languages; `name` follows the active language."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_in(get_language() or settings.LANGUAGE_CODE)

    def name_in(self, language: str) -> str:
        return getattr(self, f"name_{language[:2]}", "") or self.name_kk


class Region(TrilingualNameMixin):
    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        REGION = "region", _("Region")
        CITY = "city", _("City of republican significance")

    code = models.CharField(_("ISO 3166-2 code"), max_length=8, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_source = models.CharField(_("population source"), max_length=255, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class RegionAlias(models.Model):
    """An older or alternative name of a region found in real data (Nur-Sultan, pre-2022 units)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("name"), max_length=255)
    normalized = models.CharField(max_length=255, unique=True, editable=False)
    language = models.CharField(_("language"), max_length=2, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("region alias")
        verbose_name_plural = _("region aliases")

    def __str__(self) -> str:
        return self.name


class Topic(TrilingualNameMixin):
    slug = models.SlugField(_("slug"), max_length=64, unique=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class Agency(TrilingualNameMixin):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        COMMITTEE = "committee", _("Committee")
        DEPARTMENT = "department", _("Territorial department")
        REGIONAL_AKIMAT = "regional_akimat", _("Regional akimat")
        CITY_AKIMAT = "city_akimat", _("City akimat")
        COMMUNICATIONS_SERVICE = "communications_service", _("Central Communications Service")
        COORDINATION_CENTRE = "coordination_centre", _("Emergency coordination centre")
        # The aid vertical (republican front office, regional and district headquarters) is a
        # tree of agencies, so access scopes reach the headquarters under one (ADR 0020).
        VOLUNTEER_HEADQUARTERS = "volunteer_headquarters", _("Volunteer headquarters")
        OTHER = "other", _("Other state body")

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region of responsibility"),
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    phone = models.CharField(_("public phone"), max_length=64, blank=True)
    email = models.EmailField(_("public e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    @property
    def description(self) -> str:
        language = (get_language() or settings.LANGUAGE_CODE)[:2]
        return getattr(self, f"description_{language}", "") or self.description_kk


class StaffRole(models.Model):
    """A staff member's role; every role but coordinator and administrator is tied to an agency."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        AGENCY_OFFICER = "agency_officer", _("Agency officer")
        AGENCY_HEAD = "agency_head", _("Agency head")
        EDITOR = "editor", _("Editor")
        FACT_CHECKER = "fact_checker", _("Fact-checker")
        AID_OPERATOR = "aid_operator", _("Aid operator")
        ANALYST = "analyst", _("Analyst")
        ADMINISTRATOR = "administrator", _("Administrator")

    GLOBAL_ROLES = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_roles",
    )
    granted_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "agency"], name="core_staffrole_unique_per_agency"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(agency__isnull=True),
                name="core_staffrole_unique_global",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["coordinator", "administrator"])
                | models.Q(agency__isnull=False),
                name="core_staffrole_agency_required",
                violation_error_message=_("This role is tied to an agency."),
            ),
        ]

    def __str__(self) -> str:
        scope = self.agency.name if self.agency else _("all agencies")
        return f"{self.get_role_display()} ({scope})"


_M = TypeVar("_M", bound=models.Model)


class AppendOnlyQuerySet(models.QuerySet[_M]):
    """Rows written once and never changed (the audit log, a fund's ledger): bulk updates and
    deletes are refused with `refusal`."""

    refusal = "These rows are append-only."

    def update(self, **kwargs: Any) -> int:
        raise TypeError(self.refusal)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError(self.refusal)


class AuditEntryQuerySet(AppendOnlyQuerySet["AuditEntry"]):
    refusal = "The audit log is append-only."


class AuditEntry(models.Model):
    """One write a service performed: who, what, on which object, when, in a short summary.

    Append-only: updates are refused by the model, the queryset and a database trigger. The
    summary never carries personal data (services pass field names and ids, not values).
    """

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField(_("actor"), max_length=150, editable=False)
    action = models.CharField(_("action"), max_length=100, db_index=True, editable=False)
    target_type = models.CharField(_("object type"), max_length=100, editable=False)
    target_id = models.CharField(_("object id"), max_length=64, editable=False)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    summary = models.CharField(_("summary"), max_length=500, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("The audit log is append-only.")


def audit_export_name(instance: Any, filename: str) -> str:
    return private_name("audit-exports", filename)


class AuditExport(models.Model):
    """A CSV export of the audit log, produced by a background task with visible progress."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a worker")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    date_from = models.DateField(_("from"), null=True, blank=True)
    date_to = models.DateField(_("to"), null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=audit_export_name, storage=private_storage, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"audit export {self.pk} ({self.status})"

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_written * 100 // self.rows_total)


class EmergencyContact(TrilingualNameMixin):
    """A number shown in every page header (109 contact centre, 112, 103)."""

    number = models.CharField(_("number"), max_length=32)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "number"]
        verbose_name = _("emergency contact")
        verbose_name_plural = _("emergency contacts")

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class ScheduledRun(models.Model):
    """When a periodic task was last enqueued; the schedule clock's memory across restarts."""

    name = models.CharField(max_length=200, unique=True)
    last_enqueued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.last_enqueued_at:%Y-%m-%d %H:%M}"
