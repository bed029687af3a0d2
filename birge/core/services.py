"""Writes of the core domain: staff accounts and their second factor, agencies, audit exports.

Every function here records itself in the audit log; side effects run after commit.
"""

import csv
import io
import secrets
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks import task

from .access import AUDIT_EXPORT, EMERGENCY_CONTACTS_EDIT, STAFF_MANAGE, StaffUser, ensure_can
from .audit import audit_log, changed_fields_summary
from .models import Agency, AuditEntry, AuditExport, EmergencyContact, StaffRole
from .selectors import emergency_contacts_cache_clear

STAFF_GROUP = "Birge staff"
BACKUP_CODE_COUNT = 10
AGENCY_EDITABLE_FIELDS = (
    "name_kk",
    "name_ru",
    "name_en",
    "description_kk",
    "description_ru",
    "description_en",
    "phone",
    "email",
    "website",
)


def _staff_group() -> Group:
    group, created = Group.objects.get_or_create(name=STAFF_GROUP)
    if created:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
    return group


@transaction.atomic
def staff_member_create(
    *,
    actor: StaffUser | None,
    username: str,
    email: str,
    password: str,
    role: StaffRole.Role,
    agency: Agency | None,
) -> tuple[StaffUser, list[str]]:
    """Create a staff account with one role, an unconfirmed TOTP device and backup codes.

    The backup codes are returned once and stored hashed by django-otp's static device; the
    member signs in with one of them and then confirms an authenticator app.
    """
    if actor is not None:
        ensure_can(actor, STAFF_MANAGE)
    user_model = get_user_model()
    user = user_model(username=username, email=email, is_staff=True)
    user.set_password(password)
    user.full_clean()
    user.save()
    staff_role_grant(actor=actor, user=user, role=role, agency=agency)
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    codes = _backup_codes_replace(user)
    audit_log(actor=actor, action="core.staff.created", target=user, summary=f"role: {role}")
    return user, codes


@transaction.atomic
def staff_role_grant(
    *, actor: StaffUser | None, user: StaffUser, role: StaffRole.Role, agency: Agency | None
) -> StaffRole:
    """Give `user` a role and entry to the staff admin; administrators become Wagtail superusers."""
    if actor is not None:
        ensure_can(actor, STAFF_MANAGE)
    staff_role = StaffRole(user=user, role=role, agency=agency)
    staff_role.full_clean()
    staff_role.save()
    user.groups.add(_staff_group())
    if role == StaffRole.Role.ADMINISTRATOR and not user.is_superuser:
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    audit_log(
        actor=actor,
        action="core.staff.role_granted",
        target=user,
        summary=f"role: {role}",
        agency=agency,
    )
    return staff_role


@transaction.atomic
def staff_role_revoke(*, actor: StaffUser, staff_role: StaffRole) -> None:
    """Take a role away; a member left with no role also loses entry to the staff admin."""
    ensure_can(actor, STAFF_MANAGE)
    user = staff_role.user
    role, agency = staff_role.role, staff_role.agency
    staff_role.delete()
    remaining = StaffRole.objects.filter(user=user)
    if role == StaffRole.Role.ADMINISTRATOR and not remaining.filter(role=role).exists():
        user.is_superuser = False
        user.save(update_fields=["is_superuser"])
    if not remaining.exists():
        user.groups.remove(_staff_group())
    audit_log(
        actor=actor,
        action="core.staff.role_revoked",
        target=user,
        summary=f"role: {role}",
        agency=agency,
    )


@transaction.atomic
def staff_second_factor_reset(*, actor: StaffUser, user: StaffUser) -> list[str]:
    """For a lost phone: a new unenrolled authenticator and new backup codes, returned once."""
    ensure_can(actor, STAFF_MANAGE)
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    codes = _backup_codes_replace(user)
    audit_log(actor=actor, action="core.staff.second_factor_reset", target=user)
    return codes


def _backup_codes_replace(user: StaffUser) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name="backup", confirmed=True)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def staff_backup_codes_issue(*, actor: StaffUser | None, user: StaffUser) -> list[str]:
    """Replace the member's one-time backup codes; the old ones stop working."""
    if actor is not None and actor.pk != user.pk:
        ensure_can(actor, STAFF_MANAGE)
    codes = _backup_codes_replace(user)
    audit_log(actor=actor, action="core.staff.backup_codes_issued", target=user)
    return codes


@transaction.atomic
def staff_totp_confirm(*, user: StaffUser, token: str) -> bool:
    """Confirm the member's authenticator app when `token` is a current code from it."""
    device = TOTPDevice.objects.filter(user=user).order_by("pk").first()
    if device is None or not token.strip().isdigit() or not device.verify_token(token.strip()):
        return False
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_log(actor=user, action="core.staff.totp_confirmed", target=user)
    return True


@transaction.atomic
def staff_totp_reset(*, user: StaffUser) -> TOTPDevice:
    """Give the member a new, unconfirmed authenticator secret (for enrolment or a lost phone)."""
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    audit_log(actor=user, action="core.staff.totp_reset", target=user)
    return device


@transaction.atomic
def agency_update(*, actor: StaffUser, agency: Agency, **changes: Any) -> Agency:
    """Change an agency's public names, description and contacts (not its place or scope)."""
    unknown = set(changes) - set(AGENCY_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    before = {name: getattr(agency, name) for name in changes}
    for name, value in changes.items():
        setattr(agency, name, value)
    agency.full_clean()
    agency.save()
    audit_log(
        actor=actor,
        action="core.agency.updated",
        target=agency,
        summary=changed_fields_summary(before, changes),
        agency=agency,
    )
    return agency


@transaction.atomic
def audit_export_request(
    *, actor: StaffUser, date_from: date | None = None, date_to: date | None = None
) -> AuditExport:
    """Queue a CSV export of the audit log; a worker builds it after commit."""
    ensure_can(actor, AUDIT_EXPORT)
    export = AuditExport.objects.create(requested_by=actor, date_from=date_from, date_to=date_to)
    audit_log(actor=actor, action="core.audit.export_requested", target=export)
    export_id = export.pk
    transaction.on_commit(lambda: audit_export_build.enqueue(export_id=export_id))
    return export


EXPORT_COLUMNS = ["time", "actor", "action", "object type", "object id", "agency id", "summary"]
EXPORT_PROGRESS_EVERY = 500


def audit_export_run(*, export_id: int) -> AuditExport:
    """Write the export's CSV, recording progress; running it again rebuilds the same file."""
    export = AuditExport.objects.get(pk=export_id)
    if export.status == AuditExport.Status.DONE:
        return export
    entries = AuditEntry.objects.order_by("at", "id")
    if export.date_from:
        entries = entries.filter(at__date__gte=export.date_from)
    if export.date_to:
        entries = entries.filter(at__date__lte=export.date_to)
    export.status = AuditExport.Status.RUNNING
    export.rows_total = entries.count()
    export.rows_written = 0
    export.save(update_fields=["status", "rows_total", "rows_written"])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    try:
        for written, entry in enumerate(entries.iterator(chunk_size=EXPORT_PROGRESS_EVERY), 1):
            writer.writerow(
                [
                    entry.at.isoformat(),
                    entry.actor_label,
                    entry.action,
                    entry.target_type,
                    entry.target_id,
                    entry.agency_id or "",
                    entry.summary,
                ]
            )
            if written % EXPORT_PROGRESS_EVERY == 0:
                AuditExport.objects.filter(pk=export.pk).update(rows_written=written)
        name = f"audit-{timezone.now():%Y%m%d-%H%M%S}-{secrets.token_hex(4)}.csv"
        export.file.save(name, ContentFile(buffer.getvalue().encode("utf-8")), save=False)
    except Exception:
        AuditExport.objects.filter(pk=export.pk).update(status=AuditExport.Status.FAILED)
        raise
    export.status = AuditExport.Status.DONE
    export.rows_written = export.rows_total
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "rows_written", "file", "finished_at"])
    return export


AUDIT_EXPORT_RETENTION_DAYS = 7


def audit_exports_prune(*, older_than_days: int = AUDIT_EXPORT_RETENTION_DAYS) -> int:
    """Delete export files (and their rows) older than the retention period; returns how many."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    pruned = 0
    for export in AuditExport.objects.filter(requested_at__lt=cutoff):
        if export.file:
            export.file.delete(save=False)
        export.delete()
        pruned += 1
    return pruned


EMERGENCY_CONTACT_FIELDS = ("number", "name_kk", "name_ru", "name_en", "sort_order")


@transaction.atomic
def emergency_contact_save(
    *, actor: StaffUser, contact: EmergencyContact | None, **values: Any
) -> EmergencyContact:
    """Add or change a number shown in every page header; audited, headers follow after commit."""
    ensure_can(actor, EMERGENCY_CONTACTS_EDIT)
    unknown = set(values) - set(EMERGENCY_CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    created = contact is None
    target = EmergencyContact() if contact is None else contact
    before = {name: getattr(target, name) for name in values}
    for name, value in values.items():
        setattr(target, name, value)
    target.full_clean()
    target.save()
    audit_log(
        actor=actor,
        action="core.emergency_contact.created" if created else "core.emergency_contact.changed",
        target=target,
        summary=target.number if created else changed_fields_summary(before, values),
    )
    transaction.on_commit(emergency_contacts_cache_clear)
    return target


@transaction.atomic
def emergency_contact_delete(*, actor: StaffUser, contact: EmergencyContact) -> None:
    """Remove a number from the page headers; audited."""
    ensure_can(actor, EMERGENCY_CONTACTS_EDIT)
    audit_log(
        actor=actor, action="core.emergency_contact.deleted", target=contact, summary=contact.number
    )
    contact.delete()
    transaction.on_commit(emergency_contacts_cache_clear)


# --- background runs of the services above -------------------------------------------------


@task()
def audit_export_build(*, export_id: int) -> int:
    """Build an audit-log CSV export; returns the number of rows written."""
    return audit_export_run(export_id=export_id).rows_written


@task()
def audit_exports_prune_task() -> int:
    """Delete audit-log exports past their retention period (they hold staff names)."""
    return audit_exports_prune()
