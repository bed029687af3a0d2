"""Reads of the appeals domain: access-checked lookups, inbox, tracking, FAQ search, figures."""

import statistics
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from birge.core.access import Action, Visitor, agency_ids_in_scope, filter_by_agency_scope
from birge.core.models import Agency

from .access import APPEAL_ROUTE, APPEAL_VIEW, STATISTICS_VIEW, appeal_ensure
from .models import Answer, Appeal, AppealEvent, CrisisTarget, FaqEntry
from .search import search_key


def appeal_get_for(user: Visitor, action: Action, appeal_id: int) -> Appeal:
    """The appeal, if `user` may perform `action` on it; 404 otherwise (existence not revealed).

    An appeal no agency holds yet (in triage) is only reachable with an all-agency grant.
    """
    appeal = (
        Appeal.objects.select_related("agency", "topic", "region", "canonical")
        .filter(pk=appeal_id)
        .first()
    )
    if appeal is None:
        raise Http404
    appeal_ensure(user, action, appeal)
    return appeal


def appeal_get_by_token(*, code: str, token: str) -> Appeal:
    """The appeal behind a private tracking link; 404 unless both parts match."""
    appeal = (
        Appeal.objects.select_related("agency", "topic", "region")
        .filter(tracking_code=code.upper(), tracking_token=token)
        .first()
    )
    if appeal is None:
        raise Http404
    return appeal


def appeal_get_by_code(code: str) -> Appeal | None:
    return Appeal.objects.select_related("agency").filter(tracking_code=code.upper()).first()


def appeal_inbox(
    *,
    user: Visitor,
    status: Appeal.Status | None = None,
    topic_id: int | None = None,
    region_id: int | None = None,
    due_before: datetime | None = None,
) -> QuerySet[Appeal]:
    """Appeals of the agencies in the user's scope, soonest deadline first."""
    appeals = filter_by_agency_scope(user, APPEAL_VIEW, Appeal.objects.filter(agency__isnull=False))
    if status:
        appeals = appeals.filter(status=status)
    else:
        appeals = appeals.exclude(status=Appeal.Status.ANSWERED)
    if topic_id:
        appeals = appeals.filter(topic_id=topic_id)
    if region_id:
        appeals = appeals.filter(region_id=region_id)
    if due_before:
        appeals = appeals.filter(due_at__lte=due_before)
    return appeals.select_related("agency", "topic", "region").order_by("due_at", "id")


def appeal_triage_queue(*, user: Visitor) -> QuerySet[Appeal]:
    """Appeals no rule or suggestion could place, oldest first (coordinators only)."""
    if agency_ids_in_scope(user, APPEAL_ROUTE) is not None:
        return Appeal.objects.none()
    return (
        Appeal.objects.filter(status__in=[Appeal.Status.TRIAGE, Appeal.Status.REGISTERED])
        .select_related("topic", "region", "suggested_agency")
        .order_by("registered_at", "id")
    )


def appeal_public_events(appeal: Appeal) -> QuerySet[AppealEvent]:
    return appeal.events.filter(is_public=True).select_related("agency").order_by("at", "id")


def appeal_published_answer(appeal: Appeal) -> Any:
    """The answer the citizen sees: their own, or the canonical question's when merged."""
    source = appeal.canonical or appeal
    return source.answers.published().select_related("agency").first()


def appeal_pending_answer(appeal: Appeal) -> Answer | None:
    """The answer waiting for the head's approval; one the head sent back is never it."""
    return appeal.answers.pending().select_related("author").first()


def appeal_returned_answers(appeal: Appeal) -> QuerySet[Answer]:
    """Answers the head sent back, newest first, with the head's note, for the officer."""
    return appeal.answers.returned().select_related("author", "returned_by")


def crisis_targets() -> dict[int, int]:
    """Hours of the crisis answer target per topic id (one query; few rows)."""
    return dict(CrisisTarget.objects.values_list("topic_id", "hours"))


def crisis_target_hours(appeal: Appeal) -> int | None:
    if appeal.topic_id is None:
        return None
    target = CrisisTarget.objects.filter(topic_id=appeal.topic_id).first()
    return target.hours if target else None


def faq_search(
    *, language: str, query: str = "", topic_slug: str = "", limit: int | None = None
) -> QuerySet[FaqEntry]:
    """Published FAQ entries in `language`, optionally narrowed by topic and words.

    Every word of the query must occur in the normalised question or answer; the portal's
    site-wide search calls this too.
    """
    entries = FaqEntry.objects.filter(is_published=True, language=language).select_related(
        "topic", "agency"
    )
    if topic_slug:
        entries = entries.filter(topic__slug=topic_slug)
    for word in search_key(query).split()[:10]:
        entries = entries.filter(search_text__contains=word)
    return entries[:limit] if limit else entries


def faq_similar(*, text: str, language: str | None = None, top: int = 5) -> list[FaqEntry]:
    """Published FAQ entries most like `text` ("your question may already have an answer")."""
    from .similarity import faq_similar_ids

    ids = faq_similar_ids(text=text, language=language, top=top)
    by_id = {e.pk: e for e in FaqEntry.objects.filter(pk__in=ids, is_published=True)}
    return [by_id[i] for i in ids if i in by_id]


@dataclass(frozen=True)
class AgencyPerformance:
    agency: Agency
    received: int
    answered: int
    median_hours_to_first_answer: float | None
    answered_within_term_share: float | None
    extension_rate: float | None


def agency_performance_many(agencies: list[Agency]) -> list[AgencyPerformance]:
    """Figures from the agencies' own actions (events they recorded), never citizens' ratings.

    Received: appeals assigned to the agency (routed or redirected to it). Answered: appeals it
    answered; the first answer counts for the median time and for "within term" (answered no
    later than the due date in force at that moment). Three queries for any number of agencies.
    """
    ids = [agency.pk for agency in agencies]
    received: dict[int, set[int]] = {pk: set() for pk in ids}
    for agency_id, appeal_id in AppealEvent.objects.filter(
        agency_id__in=ids, kind__in=[AppealEvent.Kind.ROUTED, AppealEvent.Kind.REDIRECTED]
    ).values_list("agency_id", "appeal_id"):
        received[agency_id].add(appeal_id)
    first_answer: dict[int, dict[int, tuple[datetime, datetime, str]]] = {pk: {} for pk in ids}
    for agency_id, appeal_id, at, registered_at, note in (
        AppealEvent.objects.filter(agency_id__in=ids, kind=AppealEvent.Kind.ANSWERED)
        .order_by("at", "id")
        .values_list("agency_id", "appeal_id", "at", "appeal__registered_at", "note")
    ):
        first_answer[agency_id].setdefault(appeal_id, (at, registered_at, note))
    extended: dict[int, set[int]] = {pk: set() for pk in ids}
    for agency_id, appeal_id in AppealEvent.objects.filter(
        agency_id__in=ids, kind=AppealEvent.Kind.EXTENDED
    ).values_list("agency_id", "appeal_id"):
        extended[agency_id].add(appeal_id)
    figures = []
    for agency in agencies:
        answers = first_answer[agency.pk]
        hours = [(at - registered).total_seconds() / 3600 for at, registered, _ in answers.values()]
        on_time = sum(1 for *_, note in answers.values() if note == "within_term")
        got, answered = len(received[agency.pk]), len(answers)
        figures.append(
            AgencyPerformance(
                agency=agency,
                received=got,
                answered=answered,
                median_hours_to_first_answer=round(statistics.median(hours), 1) if hours else None,
                answered_within_term_share=round(on_time / answered, 3) if answered else None,
                extension_rate=round(len(extended[agency.pk]) / got, 3) if got else None,
            )
        )
    return figures


def agency_performance(agency: Agency) -> AgencyPerformance:
    return agency_performance_many([agency])[0]


def agency_open_counts(*, user: Visitor, now: datetime | None = None) -> dict[int, dict[str, int]]:
    """Open and overdue appeals per agency in the user's statistics scope (one query)."""
    from django.db.models import Count

    now = now or timezone.now()
    rows = (
        filter_by_agency_scope(
            user, STATISTICS_VIEW, Appeal.objects.open().filter(agency__isnull=False)
        )
        .values("agency_id")
        .annotate(
            open=Count("id"),
            overdue=Count("id", filter=Q(due_at__lt=now, paused_at__isnull=True)),
        )
    )
    return {row["agency_id"]: {"open": row["open"], "overdue": row["overdue"]} for row in rows}


def appeal_overdue_for_escalation(now: datetime | None = None) -> QuerySet[Appeal]:
    """Open appeals past their due date, not paused, not yet escalated for that due date."""
    now = now or timezone.now()
    return (
        Appeal.objects.open()
        .filter(due_at__lt=now, paused_at__isnull=True, agency__isnull=False)
        .exclude(Q(escalations__due_at=F("due_at")))
        .select_related("agency")
    )
