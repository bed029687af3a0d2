from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from birge.core.models import AuditExport, ScheduledRun, StaffRole
from birge.core.schedule import schedule_due_enqueue

from .factories import staff_member

pytestmark = pytest.mark.django_db

PRUNE = "birge.core.services.audit_exports_prune_task"


def test_the_clock_enqueues_a_periodic_task_once_per_interval(
    django_capture_on_commit_callbacks: object,
) -> None:
    # given: an export past its retention period and a fresh one
    coordinator = staff_member(StaffRole.Role.COORDINATOR)
    old = AuditExport.objects.create(
        requested_by=coordinator, requested_at=timezone.now() - timedelta(days=8)
    )
    old.file.save("old.csv", ContentFile(b"time,actor\n"))
    AuditExport.objects.create(requested_by=coordinator)
    now = timezone.now()
    # when: the clock ticks; the task runs in-process (immediate backend in tests)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        first = schedule_due_enqueue(now=now)
    # then
    assert PRUNE in first
    assert AuditExport.objects.count() == 1
    # and within the interval nothing is enqueued again, after it once more
    assert PRUNE not in schedule_due_enqueue(now=now + timedelta(hours=23))
    assert PRUNE in schedule_due_enqueue(now=now + timedelta(hours=25))
    assert ScheduledRun.objects.get(name=PRUNE).last_enqueued_at == now + timedelta(hours=25)


def test_the_clock_command_checks_once(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("schedule_run", "--once")
    assert f"enqueued {PRUNE}" in capsys.readouterr().out
