"""Retention: the personal data of closed requests is erased after the campaign's period; the
request row, its status, region, dates and household size stay for the figures."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from birge.core.audit import audit_log_many

from ..models import Campaign, HelpRequest, HelpRequestEvent

ERASE_BATCH = 500
ERASED_FIELDS = {
    "person_name": "",
    "birth_date": None,
    "iin": "",
    "phone": "",
    "email": "",
    "address": "",
    "requester_name": "",
    "requester_phone": "",
    "contact_key": "",
}


def help_requests_erase(*, now: dt.datetime | None = None) -> int:
    """Erase the personal data of every request closed longer than its campaign keeps it, in
    batches; returns how many were erased. Safe to run again."""
    now = now or timezone.now()
    erased = 0
    for campaign_id, days in Campaign.objects.values_list("id", "retention_days"):
        erased += _erase_closed_before(campaign_id, now - dt.timedelta(days=days), now)
    return erased


def _erase_closed_before(campaign_id: int, cutoff: dt.datetime, now: dt.datetime) -> int:
    erased = 0
    while True:
        due = list(
            HelpRequest.objects.filter(
                campaign_id=campaign_id, closed_at__lt=cutoff, erased_at__isnull=True
            )
            .select_related("headquarters")
            .order_by("pk")[:ERASE_BATCH]
        )
        if not due:
            return erased
        with transaction.atomic():
            HelpRequest.objects.filter(pk__in=[r.pk for r in due]).update(
                erased_at=now, **ERASED_FIELDS
            )
            HelpRequestEvent.objects.filter(request__in=due).exclude(note="").update(note="")
            HelpRequestEvent.objects.bulk_create(
                [
                    HelpRequestEvent(request=r, at=now, kind=HelpRequestEvent.Kind.ERASED)
                    for r in due
                ]
            )
            audit_log_many(
                actor=None,
                action="aid.request.erased",
                targets=[(r, r.headquarters) for r in due],
            )
        erased += len(due)


@task()
def help_requests_erase_task() -> int:
    return help_requests_erase()
