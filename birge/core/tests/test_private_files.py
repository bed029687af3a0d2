"""Audit exports are private files: random names, no public URL, only the requester downloads."""

import posixpath
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import Client
from django.urls import reverse

from birge.core.files import PrivateFileSystemStorage, public_files_move_to_private
from birge.core.models import AuditExport, StaffRole

from .factories import AgencyFactory, AuditEntryFactory, sign_in_verified, staff_member

pytestmark = pytest.mark.django_db

Role = StaffRole.Role


@pytest.fixture
def coordinator() -> Any:
    return staff_member(Role.COORDINATOR, username="coordinator")


@pytest.fixture
def export(coordinator: Any, django_capture_on_commit_callbacks: Any) -> AuditExport:
    """An export the coordinator asked for on the audit screen, built by its task."""
    AuditEntryFactory.create_batch(2, summary="changed: phone")
    client = Client()
    sign_in_verified(client, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core_audit_export_create"), {})
    export = AuditExport.objects.get()
    assert export.status == AuditExport.Status.DONE
    return export


def stored_name(export: AuditExport) -> str:
    name = export.file.name
    assert name
    return name


def stored_bytes(export: AuditExport) -> bytes:
    with storages["private"].open(stored_name(export), "rb") as file:
        data: bytes = file.read()
    return data


def download_url(export: AuditExport) -> str:
    return reverse("core_audit_export_download", args=[export.pk])


def test_an_export_is_stored_privately_under_a_random_name(export: AuditExport) -> None:
    name = stored_name(export)
    assert name.startswith("audit-exports/")
    assert name.endswith(".csv")
    # the dated name the task proposes is not kept
    assert not posixpath.basename(name).startswith("audit-")
    assert storages["private"].exists(name)
    assert not storages["default"].exists(name)
    assert Client().get(f"/media/{name}").status_code == 404


def test_the_requesting_coordinator_downloads_the_export_sandboxed(
    client: Any, coordinator: Any, export: AuditExport
) -> None:
    sign_in_verified(client, coordinator)
    response = client.get(download_url(export))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == stored_bytes(export)
    assert body.startswith(b"time,actor,action")
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Disposition"] == (
        f'attachment; filename="audit-export-{export.pk}.csv"'
    )


def test_nobody_else_gets_the_export(export: AuditExport) -> None:
    secret = stored_bytes(export)
    # no session: the admin's sign-in page
    response = Client().get(download_url(export))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    # another coordinator: exports are not shared, and their existence is not shown
    other_coordinator = Client()
    sign_in_verified(other_coordinator, staff_member(Role.COORDINATOR, username="coordinator-2"))
    assert other_coordinator.get(download_url(export)).status_code == 404
    # an agency officer may not export at all; the admin answers a refusal with a redirect
    officer = Client()
    sign_in_verified(officer, staff_member(Role.AGENCY_OFFICER, AgencyFactory(), username="o"))
    response = officer.get(download_url(export))
    assert response.status_code in (302, 403)
    assert not response.streaming
    assert secret not in response.content


def test_behind_nginx_the_export_goes_by_internal_redirect(
    client: Any, coordinator: Any, export: AuditExport, settings: Any
) -> None:
    settings.BIRGE_PRIVATE_ACCEL_PREFIX = "/_private/"
    sign_in_verified(client, coordinator)
    response = client.get(download_url(export))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_private/{stored_name(export)}"
    assert response.content == b""
    assert "sandbox" in response["Content-Security-Policy"]


def test_files_stored_publicly_before_are_moved_into_the_private_storage(
    coordinator: Any,
) -> None:
    # given: an export written under the public media root, the old way, and one whose file is gone
    public, private = storages["default"], storages["private"]
    old_name = public.save("audit/2026/12/audit-2026.csv", ContentFile(b"time,actor\n"))
    moved = AuditExport.objects.create(requested_by=coordinator, status=AuditExport.Status.DONE)
    lost = AuditExport.objects.create(requested_by=coordinator, status=AuditExport.Status.DONE)
    AuditExport.objects.filter(pk=moved.pk).update(file=old_name)
    AuditExport.objects.filter(pk=lost.pk).update(file="audit/2026/12/gone.csv")
    # when
    public_files_move_to_private(AuditExport.objects, "file", "audit-exports")
    # then
    moved.refresh_from_db()
    lost.refresh_from_db()
    assert not public.exists(old_name)
    assert stored_name(moved).startswith("audit-exports/")
    assert "/2026/12/" not in stored_name(moved)
    with private.open(stored_name(moved), "rb") as file:
        assert file.read() == b"time,actor\n"
    assert lost.file.name == ""


def test_the_private_file_system_storage_has_no_url(tmp_path: Any) -> None:
    storage = PrivateFileSystemStorage(location=tmp_path)
    name = storage.save("appeals/x.jpg", ContentFile(b"\xff\xd8"))
    with pytest.raises(ValueError, match="no public URL"):
        storage.url(name)
