"""Periodic work: the clock process enqueues tasks at their interval; workers run them.

The clock only enqueues (through the Django Tasks API); it never runs task code itself. Each
entry is claimed in a transaction on its `ScheduledRun` row, so a second clock process started
by mistake does not enqueue anything twice within an interval.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ScheduledRun


@dataclass(frozen=True)
class Periodic:
    task: str  # dotted path of a django-tasks task taking no arguments
    every: timedelta


def schedule() -> list[Periodic]:
    return [
        Periodic(task=str(entry["task"]), every=timedelta(minutes=float(entry["every_minutes"])))
        for entry in settings.BIRGE_SCHEDULE
    ]


def schedule_due_enqueue(*, now: datetime | None = None) -> list[str]:
    """Enqueue every periodic task whose interval has passed; returns the names enqueued."""
    now = now or timezone.now()
    enqueued = []
    for periodic in schedule():
        with transaction.atomic():
            run = ScheduledRun.objects.select_for_update().filter(name=periodic.task).first()
            if run is not None and run.last_enqueued_at + periodic.every > now:
                continue
            if run is None:
                ScheduledRun.objects.create(name=periodic.task, last_enqueued_at=now)
            else:
                run.last_enqueued_at = now
                run.save(update_fields=["last_enqueued_at"])
            task = import_string(periodic.task)
            transaction.on_commit(task.enqueue)
        enqueued.append(periodic.task)
    return enqueued
