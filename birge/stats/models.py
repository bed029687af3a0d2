"""Indicators, releases of figures, and the values each release published by region and day.

Values stay on the unit the source reported them for: a 2020 figure for Almaty region is the
pre-2022 region (today's Almaty and Zhetisu regions), kept on Region KZ-19 with the name the
source used (see docs/adr/0014-statistics-releases-and-regions.md).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birge.core.models import Region, TrilingualNameMixin


class Indicator(TrilingualNameMixin):
    class Kind(models.TextChoices):
        CUMULATIVE = "cumulative", _("Cumulative total")
        DAILY = "daily", _("New in the day")

    class Unit(models.TextChoices):
        PEOPLE = "people", _("people")
        TESTS = "tests", _("tests")
        DOSES = "doses", _("doses")

    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    explanation_kk = models.TextField(_("explanation (Kazakh)"), blank=True)
    explanation_ru = models.TextField(_("explanation (Russian)"), blank=True)
    explanation_en = models.TextField(_("explanation (English)"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def explanation_in(self, language: str) -> str:
        return getattr(self, f"explanation_{language[:2]}", "") or self.explanation_kk


class Release(models.Model):
    """One publication of a source's figures, whole; a correction is a new release."""

    published_at = models.DateTimeField(_("published at"))
    source = models.CharField(pgettext_lazy("where figures come from", "source"), max_length=255)
    # The importer's name for the source ("kz", "jhu"), so a caller can ask for one series.
    source_key = models.SlugField(_("source key"), max_length=16, blank=True)
    source_url = models.URLField(_("source address"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    is_correction_of = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    # The imported file's SHA-256: the demo loader and operators can see a file already imported.
    file_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    report = models.JSONField(_("validation report"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")

    def __str__(self) -> str:
        return f"{self.source} {self.published_at:%Y-%m-%d %H:%M}"


class Value(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="stat_values")
    date = models.DateField(_("date"))
    value = models.BigIntegerField(_("value"))
    # The unit's name as the source spelled it ("Нур-Султан"), so a reader sees what was reported.
    reported_as = models.CharField(_("reported as"), max_length=255, blank=True)

    class Meta:
        ordering = ["indicator", "region", "date"]
        verbose_name = _("value")
        verbose_name_plural = _("values")
        constraints = [
            models.UniqueConstraint(
                fields=["release", "indicator", "region", "date"], name="stats_value_unique_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.slug} {self.region.code} {self.date}: {self.value}"
