"""Kazakhstan's working-day calendar: weekends by rule, every other difference a dated row."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from birge.core.models import TrilingualNameMixin


class WorkdayException(TrilingualNameMixin):
    """One date that differs from the weekly rule (Monday-Friday work, Saturday-Sunday rest).

    A holiday; a day off moved from a holiday that fell on a weekend (Law «On holidays in the
    RK», art. 5); or a day the Government transferred: a weekday made a day off, a Saturday or
    Sunday made a working day. A holiday on a weekend is kept too, so the calendar names it
    and shows why the next working day is off.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday")
        MOVED_DAY_OFF = "moved_day_off", _("Day off moved from a holiday on a weekend")
        TRANSFERRED_DAY_OFF = "transferred_day_off", _("Day off transferred by the Government")
        TRANSFERRED_WORKING_DAY = (
            "transferred_working_day",
            _("Working day transferred by the Government"),
        )

    date = models.DateField(
        _("date"),
        unique=True,
        error_messages={
            "unique": _(
                "This date is already in the calendar. Open its entry and change it instead."
            )
        },
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    source = models.CharField(
        _("source"),
        max_length=500,
        help_text=_("The law or Government decree this date is based on."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("working-calendar date")
        verbose_name_plural = _("working-calendar dates")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}"

    def clean(self) -> None:
        super().clean()
        if self.date is None or not self.kind:
            return
        weekend = self.date.weekday() >= 5
        if weekend and self.kind in (self.Kind.MOVED_DAY_OFF, self.Kind.TRANSFERRED_DAY_OFF):
            raise ValidationError(
                {"kind": _("A Saturday or Sunday is already a day off; choose another kind.")}
            )
