"""Reads of the rapid-response desk: the staff inbox, a member's requests, the figures."""

import statistics
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from birge.core.access import Visitor, agency_ids_in_scope
from birge.core.models import Agency

from .access import REQUEST_VIEW, media_request_ensure
from .models import MediaRequest, Member

Status = MediaRequest.Status


def media_inbox(*, user: Visitor, answered: bool = False) -> QuerySet[MediaRequest]:
    """The requests the user may see, the nearest due first; a coordinator also sees those no
    agency holds yet."""
    scope = agency_ids_in_scope(user, REQUEST_VIEW)
    queryset = MediaRequest.objects.select_related("outlet", "agency", "member")
    queryset = (
        queryset.filter(status=Status.ANSWERED)
        if answered
        else queryset.exclude(status=Status.ANSWERED)
    )
    if scope is not None:
        queryset = queryset.filter(agency_id__in=scope)
    return queryset.order_by("-answered_at" if answered else "due_at", "id")


def media_request_get_for(user: Visitor, action: object, request_id: int) -> MediaRequest:
    request = (
        MediaRequest.objects.select_related("outlet", "agency", "member", "answered_by")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise Http404
    media_request_ensure(user, action, request)  # type: ignore[arg-type]
    return request


def member_requests(member: Member) -> QuerySet[MediaRequest]:
    """Every request of the member's outlet: colleagues see each other's questions."""
    return (
        MediaRequest.objects.filter(outlet_id=member.outlet_id)
        .select_related("agency", "member")
        .order_by("-submitted_at", "-id")
    )


def member_request_get(member: Member, request_id: int) -> MediaRequest:
    request = member_requests(member).filter(pk=request_id).first()
    if request is None:
        raise Http404
    return request


@dataclass(frozen=True)
class AgencyFigures:
    agency: Agency
    answered: int
    in_time: int
    median_hours: float | None
    open_overdue: int

    @property
    def in_time_percent(self) -> int | None:
        return round(self.in_time * 100 / self.answered) if self.answered else None


def media_figures(*, agencies: QuerySet[Agency] | None = None) -> list[AgencyFigures]:
    """Per agency, from the requests' own times: answers within target, the median hours from
    registration to answer, and open requests past due."""
    now = timezone.now()
    rows = MediaRequest.objects.filter(
        Q(answering_agency__isnull=False) | Q(agency__isnull=False)
    ).values_list("answering_agency_id", "agency_id", "submitted_at", "answered_at", "due_at")
    by_agency: dict[int, dict[str, list[float] | int]] = {}
    for answering_id, agency_id, submitted, answered, due in rows:
        key = answering_id or agency_id
        figures = by_agency.setdefault(key, {"hours": [], "in_time": 0, "overdue": 0})
        if answered is not None:
            figures["hours"].append((answered - submitted).total_seconds() / 3600)  # type: ignore[union-attr]
            figures["in_time"] += answered <= due  # type: ignore[operator]
        elif due < now:
            figures["overdue"] += 1  # type: ignore[operator]
    names = Agency.objects.filter(pk__in=by_agency)
    if agencies is not None:
        names = names.filter(pk__in=agencies)
    result = []
    for agency in names.order_by("name_en"):
        figures = by_agency[agency.pk]
        hours: list[float] = figures["hours"]  # type: ignore[assignment]
        result.append(
            AgencyFigures(
                agency=agency,
                answered=len(hours),
                in_time=int(figures["in_time"]),  # type: ignore[arg-type]
                median_hours=round(statistics.median(hours), 1) if hours else None,
                open_overdue=int(figures["overdue"]),  # type: ignore[arg-type]
            )
        )
    return result
