"""The audit-log export runs as a background task on each backend Birge supports."""

import csv
import io
import os

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from birge.core.models import AuditEntry, AuditExport, StaffRole
from birge.core.services import audit_export_build, audit_export_request

from .factories import AgencyFactory, AuditEntryFactory, sign_in_verified, staff_member

pytestmark = pytest.mark.django_db


def exported_rows(export: AuditExport) -> list[list[str]]:
    export.refresh_from_db()
    with export.file.open("rb") as file:
        return list(csv.reader(io.StringIO(file.read().decode("utf-8"))))


def test_export_request_enqueues_after_commit_and_builds_the_csv(
    django_capture_on_commit_callbacks: object,
) -> None:
    # given
    coordinator = staff_member(StaffRole.Role.COORDINATOR)
    AuditEntryFactory.create_batch(3, summary="changed: phone")
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # type: ignore[operator]
        export = audit_export_request(actor=coordinator)
    # then
    assert len(callbacks) == 1
    export.refresh_from_db()
    assert export.status == AuditExport.Status.DONE
    rows = exported_rows(export)
    assert rows[0][:3] == ["time", "actor", "action"]
    assert len(rows) == 1 + AuditEntry.objects.count()
    assert sum(row[2] == "core.test.done" for row in rows) == 3


# The worker closes connections it finds inside a transaction, so this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_the_database_backend_runs_the_task_in_its_worker() -> None:
    coordinator = staff_member(StaffRole.Role.COORDINATOR)
    AuditEntryFactory.create_batch(2)
    export = AuditExport.objects.create(requested_by=coordinator)
    # when: queued in the database and picked up by the worker command
    result = audit_export_build.using(backend="database").enqueue(export_id=export.pk)
    call_command("db_worker", "--batch", "--no-startup-delay", "--backend", "database")
    # then
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == AuditEntry.objects.count()
    assert len(exported_rows(export)) == 1 + AuditEntry.objects.count()


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="RQ runs where REDIS_URL is set")
def test_the_rq_backend_runs_the_task_in_an_rq_worker() -> None:
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    coordinator = staff_member(StaffRole.Role.COORDINATOR)
    AuditEntryFactory.create_batch(2)
    export = AuditExport.objects.create(requested_by=coordinator)
    queue = django_rq.get_queue("default")
    queue.empty()
    # when
    result = audit_export_build.using(backend="rq").enqueue(export_id=export.pk)
    worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
    worker.work(burst=True)
    # then
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert len(exported_rows(export)) == 1 + AuditEntry.objects.count()


def test_coordinators_follow_an_export_in_the_admin(
    client: Client, django_capture_on_commit_callbacks: object
) -> None:
    coordinator = staff_member(StaffRole.Role.COORDINATOR)
    sign_in_verified(client, coordinator)
    AuditEntryFactory.create_batch(2)
    # when
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(reverse("core_audit_export_create"), {})
    # then
    assert response.status_code == 302
    status_page = client.get(response["Location"])
    assert status_page.status_code == 200
    assert "CSV файлын жүктеп алу" in status_page.content.decode()
    export = AuditExport.objects.get()
    download = client.get(reverse("core_audit_export_download", args=[export.pk]))
    assert download.status_code == 200
    assert b"core.test.done" in download.getvalue()


def test_an_officer_cannot_read_the_audit_log(client: Client) -> None:
    officer = staff_member(StaffRole.Role.AGENCY_OFFICER, AgencyFactory())
    sign_in_verified(client, officer)
    AuditEntryFactory(summary="only for coordinators")
    response = client.get(reverse("core_audit_log"), follow=True)
    assert response.redirect_chain[0] == ("/admin/", 302)
    assert "only for coordinators" not in response.content.decode()
