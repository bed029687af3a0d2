"""Wagtail's own screens (pages, images, documents, account settings…) in Birge's audit log.

Wagtail records what its editors do in its own log tables (`ModelLogEntry`, `PageLogEntry`).
Every write must reach `AuditEntry`, the one log coordinators read and export, so each entry
Wagtail writes is copied there as `wagtail.<action>`. This is a signal, against the house rule
of explicit calls, because Wagtail's views are not ours to call a service from.
"""

from typing import Any

from django.db.models.signals import post_save
from wagtail.models import ModelLogEntry, PageLogEntry

from .audit import SYSTEM_ACTOR
from .models import AuditEntry
from .privacy import mask_personal_data


def audit_log_wagtail_entry(*, entry: Any) -> AuditEntry:
    """Append the audit entry for one of Wagtail's log entries."""
    user = entry.user
    return AuditEntry.objects.create(
        at=entry.timestamp,
        actor=user,
        actor_label=user.get_username() if user is not None else SYSTEM_ACTOR,
        action=f"wagtail.{entry.action.removeprefix('wagtail.')}"[:100],
        target_type=entry.content_type.app_label + "." + entry.content_type.model,
        target_id=str(entry.page_id if isinstance(entry, PageLogEntry) else entry.object_id),
        summary=mask_personal_data(entry.label or "")[:500],
    )


def _mirror(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw:
        audit_log_wagtail_entry(entry=instance)


def wagtail_audit_connect() -> None:
    for model in (ModelLogEntry, PageLogEntry):
        post_save.connect(_mirror, sender=model, dispatch_uid=f"birge-audit-{model.__name__}")
