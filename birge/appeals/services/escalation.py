"""Overdue appeals are escalated to the agency head and the coordinators, once per due date."""

from collections import defaultdict
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from birge.core.audit import audit_log_many
from birge.core.models import StaffRole

from ..models import AppealEvent, Escalation
from ..selectors import appeal_overdue_for_escalation
from ..tasks import escalation_notify_task


@transaction.atomic
def escalations_send() -> int:
    """Record an Escalation for every overdue appeal not escalated for its due date yet and,
    after commit, mail each head and coordinator once, listing their appeals; returns how many
    appeals were escalated.

    Idempotent: the overdue appeals are locked and checked against the Escalation rows (unique
    per appeal and due date) under the lock, so a concurrent or later run skips them. A mail
    that fails is its own task's failure and leaves the escalations recorded.
    """
    now = timezone.now()
    # A concurrent run waits here; its read of the escalations below then sees ours.
    candidates = list(appeal_overdue_for_escalation(now).select_for_update(of=("self",)))
    done = set(Escalation.objects.filter(appeal__in=candidates).values_list("appeal_id", "due_at"))
    appeals = [appeal for appeal in candidates if (appeal.pk, appeal.due_at) not in done]
    if not appeals:
        return 0
    heads: dict[int | None, set[int]] = defaultdict(set)
    coordinators: set[int] = set()
    for user_id, role, agency_id in (
        StaffRole.objects.filter(
            Q(role=StaffRole.Role.AGENCY_HEAD, agency_id__in={a.agency_id for a in appeals})
            | Q(role=StaffRole.Role.COORDINATOR)
        )
        .exclude(user__email="")
        .values_list("user_id", "role", "agency_id")
    ):
        if role == StaffRole.Role.COORDINATOR:
            coordinators.add(user_id)
        else:
            heads[agency_id].add(user_id)
    escalations: list[Escalation] = []
    told: dict[int, list[Escalation]] = defaultdict(list)
    for appeal in appeals:
        assert appeal.due_at is not None  # noqa: S101
        recipients = heads[appeal.agency_id] | coordinators
        escalation = Escalation(
            appeal=appeal, due_at=appeal.due_at, sent_at=now, recipients=len(recipients)
        )
        escalations.append(escalation)
        for user_id in recipients:
            told[user_id].append(escalation)
    Escalation.objects.bulk_create(escalations)
    AppealEvent.objects.bulk_create(
        AppealEvent(
            appeal=appeal,
            at=now,
            kind=AppealEvent.Kind.ESCALATED,
            agency=appeal.agency,
            is_public=False,
        )
        for appeal in appeals
    )
    audit_log_many(
        actor=None,
        action="appeals.appeal.escalated",
        targets=[(escalation, escalation.appeal.agency) for escalation in escalations],
    )
    for user_id, theirs in told.items():
        transaction.on_commit(
            partial(
                escalation_notify_task.enqueue,
                user_id=user_id,
                escalation_ids=[escalation.pk for escalation in theirs],
            ),
            # One recipient's queue failure must not keep the others uninformed.
            robust=True,
        )
    return len(appeals)


@task()
def escalations_send_task() -> int:
    """Periodic: escalate overdue appeals (idempotent; schedule every 15 minutes)."""
    return escalations_send()
