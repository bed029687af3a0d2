"""Reads for aid: the triage queue, one request for staff or for its volunteer, the public fund
report. Lists carry no personal data but what the reader's role needs (names masked)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from birge.core.access import Visitor, filter_by_agency_scope

from .access import REQUEST_VIEW, VOLUNTEER_VERIFY, help_request_ensure
from .models import Campaign, DeliveryTally, HelpRequest, LedgerEntry, Volunteer

# A cell of the public report with fewer families than this shows "fewer than 5": a district and
# a month with two deliveries would point at two families.
SMALL_CELL = 5
Status = HelpRequest.Status


def campaigns_public() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("headquarters").prefetch_related("regions")


def campaigns_taking_requests() -> QuerySet[Campaign]:
    today = timezone.localdate()
    return (
        campaigns_public()
        .filter(is_active=True, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    )


def campaign_by_slug(slug: str) -> Campaign:
    campaign = campaigns_public().filter(slug=slug).first()
    if campaign is None:
        raise Http404
    return campaign


def triage_queue(
    *, user: Visitor, status: str = Status.NEW, headquarters_id: int | None = None
) -> QuerySet[HelpRequest]:
    """The requests in `status` the user's headquarters hold, most urgent first, then the
    longest waiting (the index aid_request_queue serves this order)."""
    queryset = HelpRequest.objects.filter(status=status)
    if headquarters_id is not None:
        queryset = queryset.filter(headquarters_id=headquarters_id)
    return (
        filter_by_agency_scope(user, REQUEST_VIEW, queryset, agency_field="headquarters")
        .select_related("campaign", "region", "headquarters")
        .order_by("-priority", "submitted_at", "id")
    )


def help_request_get_for(user: Visitor, action: object, request_id: int) -> HelpRequest:
    """The request if `user` may perform `action` on it; 404 otherwise (not revealing it)."""
    request = (
        HelpRequest.objects.select_related(
            "campaign",
            "region",
            "headquarters",
            "volunteer",
            "offered_to",
            "partner",
            "possible_duplicate_of",
        )
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise Http404
    help_request_ensure(user, action, request)  # type: ignore[arg-type]
    return request


def help_request_by_token(*, code: str, token: str) -> HelpRequest:
    request = (
        HelpRequest.objects.select_related("campaign", "headquarters")
        .filter(tracking_code=code.upper(), tracking_token=token)
        .first()
    )
    if request is None:
        raise Http404
    return request


def volunteers_for(*, user: Visitor, status: str | None = None) -> QuerySet[Volunteer]:
    queryset = Volunteer.objects.select_related("region", "headquarters")
    if status:
        queryset = queryset.filter(status=status)
    return filter_by_agency_scope(user, VOLUNTEER_VERIFY, queryset, agency_field="headquarters")


def volunteer_get_for(user: Visitor, volunteer_id: int) -> Volunteer:
    volunteer = volunteers_for(user=user).filter(pk=volunteer_id).first()
    if volunteer is None:
        raise Http404
    return volunteer


def _area(volunteer: Volunteer) -> Q:
    # The volunteer's headquarters and any under it (a district's), in their region.
    return Q(headquarters_id=volunteer.headquarters_id) | Q(
        headquarters__parent_id=volunteer.headquarters_id
    )


def volunteer_tasks_offered(volunteer: Volunteer) -> QuerySet[HelpRequest]:
    """Confirmed requests of the volunteer's area open to them: offered to them, or to nobody."""
    return (
        HelpRequest.objects.filter(_area(volunteer), status=Status.ELIGIBLE)
        .filter(Q(offered_to__isnull=True) | Q(offered_to=volunteer))
        .select_related("campaign", "region")
        .order_by("-priority", "submitted_at", "id")
    )


def volunteer_tasks_taken(volunteer: Volunteer) -> QuerySet[HelpRequest]:
    return HelpRequest.objects.filter(volunteer=volunteer).select_related("campaign", "region")


def volunteer_task_get(volunteer: Volunteer, request_id: int) -> HelpRequest:
    """A task the volunteer may open: one offered in their area, or one they took. Whether the
    address and phone show is `task_contact_visible`'s to say."""
    request = (
        HelpRequest.objects.select_related("campaign", "region")
        .filter(pk=request_id)
        .filter(
            Q(volunteer=volunteer)
            | (
                _area(volunteer)
                & Q(status=Status.ELIGIBLE)
                & (Q(offered_to__isnull=True) | Q(offered_to=volunteer))
            )
        )
        .first()
    )
    if request is None:
        raise Http404
    return request


def task_contact_visible(volunteer: Volunteer, request: HelpRequest) -> bool:
    """The family's address and phone: only to the volunteer who accepted, while it is open."""
    return request.volunteer_id == volunteer.pk and request.status == Status.ASSIGNED


def volunteer_hours(volunteer: Volunteer) -> Decimal:
    total = volunteer_tasks_taken(volunteer).aggregate(total=Sum("hours"))["total"]
    return total or Decimal(0)


@dataclass
class ReportCell:
    families: int
    suppressed: bool

    @property
    def shown(self) -> str:
        return f"< {SMALL_CELL}" if self.suppressed else str(self.families)


@dataclass(frozen=True)
class Bar:
    month: dt.date
    shown: str
    x: int
    y: int
    width: int
    height: int


CHART_WIDTH, CHART_HEIGHT, CHART_BASE = 640, 240, 200


@dataclass
class FundReport:
    campaign: Campaign
    raised: Decimal
    spent: Decimal
    families_helped: int
    months: list[dt.date]
    regions: list[tuple[str, dict[dt.date, ReportCell], ReportCell]] = field(default_factory=list)
    money_by_month: list[tuple[dt.date, Decimal, Decimal]] = field(default_factory=list)

    @property
    def balance(self) -> Decimal:
        return self.raised - self.spent

    def families_by_month(self) -> list[tuple[dt.date, ReportCell]]:
        totals: dict[dt.date, int] = defaultdict(int)
        for _name, cells, _total in self.regions:
            for month, cell in cells.items():
                totals[month] += cell.families
        return [(month, _cell(totals[month])) for month in self.months]

    def bars(self) -> list[Bar]:
        """The families-by-month chart; a suppressed month is drawn flat, labelled "< 5"."""
        months = self.families_by_month()
        if not months:
            return []
        top = (
            max(cell.families for _month, cell in months if not cell.suppressed)
            if any(not cell.suppressed for _month, cell in months)
            else 1
        )
        slot = CHART_WIDTH // len(months)
        bars = []
        for index, (month, cell) in enumerate(months):
            height = 0 if cell.suppressed else round(cell.families / top * (CHART_BASE - 30))
            bars.append(
                Bar(
                    month=month,
                    shown=cell.shown,
                    x=index * slot + slot // 6,
                    y=CHART_BASE - height,
                    width=slot * 2 // 3,
                    height=height,
                )
            )
        return bars


def _cell(families: int) -> ReportCell:
    return ReportCell(families=families, suppressed=0 < families < SMALL_CELL)


def fund_report(campaign: Campaign) -> FundReport:
    """Raised, spent and families helped, by region and month; cells under SMALL_CELL are
    suppressed (the exact figure never leaves this function for them)."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    money: dict[dt.date, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    rows = (
        LedgerEntry.objects.filter(campaign=campaign)
        .annotate(month=TruncMonth("on_date"))
        .values("kind", "month")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        inflow = row["kind"] in LedgerEntry.INFLOWS
        totals["raised" if inflow else "spent"] += row["total"]
        money[row["month"]][0 if inflow else 1] += row["total"]
    # The tally is counted with each delivery (birge.aid.services.triage.delivery_count): a few
    # hundred rows however many requests the campaign has.
    deliveries = (
        DeliveryTally.objects.filter(campaign=campaign, families__gt=0)
        .values(
            "region__name_kk", "region__name_ru", "region__name_en", "region__sort_order", "month"
        )
        .annotate(families=Sum("families"))
    )
    language = (get_language() or "kk")[:2]
    by_region: dict[tuple[int, str], dict[dt.date, int]] = defaultdict(dict)
    months: set[dt.date] = set()
    helped = 0
    for delivered in deliveries:
        month = _month(delivered["month"])
        months.add(month)
        name = {
            "kk": delivered["region__name_kk"],
            "ru": delivered["region__name_ru"],
            "en": delivered["region__name_en"],
        }.get(language) or delivered["region__name_kk"]
        by_region[(delivered["region__sort_order"], name)][month] = delivered["families"]
        helped += delivered["families"]
    report = FundReport(
        campaign=campaign,
        raised=totals["raised"],
        spent=totals["spent"],
        families_helped=helped,
        months=sorted(months),
    )
    for (_order, name), cells in sorted(by_region.items()):
        report.regions.append(
            (
                name,
                {month: _cell(count) for month, count in cells.items()},
                _cell(sum(cells.values())),
            )
        )
    report.money_by_month = [
        (_month(month), raised, spent) for month, (raised, spent) in sorted(money.items())
    ]
    return report


def _month(value: dt.date | dt.datetime) -> dt.date:
    # TruncMonth gives a datetime for a DateTimeField, a date for a DateField.
    return value.date() if isinstance(value, dt.datetime) else value
