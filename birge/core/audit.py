"""The one function every service calls to record a write in the audit log."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone

from .access import StaffUser
from .models import Agency, AuditEntry
from .privacy import mask_personal_data

SYSTEM_ACTOR = "system"


def audit_log(
    *,
    actor: StaffUser | None,
    action: str,
    target: models.Model,
    summary: str = "",
    agency: Agency | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Append an entry; personal data that slipped into the summary is masked, never stored.

    `at` records when the write happened when it is logged later (a citizen's submission is
    logged by the task that processes it, to keep the intake at one INSERT).
    """
    entry = _entry(actor=actor, action=action, target=target, summary=summary, agency=agency, at=at)
    entry.save()
    return entry


def audit_log_many(
    *,
    actor: StaffUser | None,
    action: str,
    targets: Sequence[tuple[models.Model, Agency | None]],
) -> list[AuditEntry]:
    """Append one entry per (target, agency) in one INSERT, for a run that writes many rows
    (a periodic task whose query count must not grow with its batch)."""
    at = timezone.now()
    return AuditEntry.objects.bulk_create(
        [
            _entry(actor=actor, action=action, target=target, summary="", agency=agency, at=at)
            for target, agency in targets
        ]
    )


def audit_log_by_label(
    *,
    actor: StaffUser | None,
    action: str,
    target_type: str,
    target_id: str,
    summary: str = "",
    at: datetime | None = None,
) -> AuditEntry:
    """Append an entry for a target known only by its type and id (a row another app logged,
    perhaps deleted since)."""
    entry = _labelled_entry(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        summary=summary,
        agency=None,
        at=at,
    )
    entry.save()
    return entry


def _entry(
    *,
    actor: StaffUser | None,
    action: str,
    target: models.Model,
    summary: str,
    agency: Agency | None,
    at: datetime | None,
) -> AuditEntry:
    return _labelled_entry(
        actor=actor,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        summary=summary,
        agency=agency,
        at=at,
    )


def _labelled_entry(
    *,
    actor: StaffUser | None,
    action: str,
    target_type: str,
    target_id: str,
    summary: str,
    agency: Agency | None,
    at: datetime | None,
) -> AuditEntry:
    user = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry(
        at=at or timezone.now(),
        actor=user,
        actor_label=user.get_username() if user is not None else SYSTEM_ACTOR,
        action=action[:100],
        target_type=target_type,
        target_id=target_id,
        agency=agency,
        summary=mask_personal_data(summary)[:500],
    )


def changed_fields_summary(before: dict[str, Any], after: dict[str, Any]) -> str:
    """Name the fields that changed, not their values (values may be personal data)."""
    changed = sorted(name for name in after if before.get(name) != after[name])
    return "changed: " + ", ".join(changed) if changed else "no change"
