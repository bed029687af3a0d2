import pytest
from django.db import DatabaseError, connection, transaction

from birge.core.audit import audit_log
from birge.core.models import AuditEntry, StaffRole
from birge.core.services import agency_update

from .factories import AgencyFactory, AuditEntryFactory, staff_member

pytestmark = pytest.mark.django_db


def test_services_record_who_did_what_without_the_values() -> None:
    # given
    agency = AgencyFactory(phone="")
    admin = staff_member(StaffRole.Role.ADMINISTRATOR)
    # when
    agency_update(actor=admin, agency=agency, phone="+7 701 123 45 67", name_en="Renamed")
    # then
    entry = AuditEntry.objects.get(action="core.agency.updated")
    assert entry.actor == admin
    assert entry.actor_label == admin.username
    assert entry.target_type == "core.agency"
    assert entry.target_id == str(agency.pk)
    assert entry.summary == "changed: name_en, phone"
    assert "701" not in entry.summary


def test_personal_data_in_a_summary_is_masked() -> None:
    agency = AgencyFactory()
    entry = audit_log(
        actor=None,
        action="core.test",
        target=agency,
        summary="asked by aigerim@example.kz, +7 (701) 123-45-67, IIN 900101300123",
    )
    assert "aigerim" not in entry.summary
    assert "123-45-67" not in entry.summary
    assert "900101300123" not in entry.summary
    assert entry.summary.count("[") == 3


def test_entries_cannot_be_changed_or_deleted_through_the_application() -> None:
    entry = AuditEntryFactory()
    entry.summary = "rewritten"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="rewritten")
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()


def test_the_database_refuses_updates_too() -> None:
    entry = AuditEntryFactory()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditentry SET summary = %s WHERE id = %s", ["rewritten", entry.pk]
        )
    entry.refresh_from_db()
    assert entry.summary == "changed: name_en"


def test_agency_update_refuses_fields_outside_its_remit() -> None:
    agency = AgencyFactory()
    admin = staff_member(StaffRole.Role.ADMINISTRATOR)
    with pytest.raises(ValueError, match="region"):
        agency_update(actor=admin, agency=agency, region=None)
    assert not AuditEntry.objects.filter(action="core.agency.updated").exists()
