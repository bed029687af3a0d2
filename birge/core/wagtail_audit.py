"""Wagtail's own screens (pages, images, documents, account settings…) in Birge's audit log.

Wagtail records what its editors do in its own log tables (`ModelLogEntry`, `PageLogEntry`).
Every write must reach `AuditEntry`, the one log coordinators read and export, so each entry
Wagtail writes is copied there as `wagtail.<action>`. This is a signal, against the house rule
of explicit calls, because Wagtail's views are not ours to call a service from.
"""

from typing import Any

from django.db.models.signals import post_save
from wagtail.models import ModelLogEntry, PageLogEntry

from .audit import audit_log_by_label
from .models import AuditEntry


def audit_log_wagtail_entry(*, entry: Any) -> AuditEntry:
    """Append the audit entry for one of Wagtail's log entries."""
    return audit_log_by_label(
        actor=entry.user,
        action=f"wagtail.{entry.action.removeprefix('wagtail.')}",
        target_type=f"{entry.content_type.app_label}.{entry.content_type.model}",
        target_id=str(entry.page_id if isinstance(entry, PageLogEntry) else entry.object_id),
        summary=entry.label or "",
        at=entry.timestamp,
    )


def _mirror(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw:
        audit_log_wagtail_entry(entry=instance)


def wagtail_audit_connect() -> None:
    for model in (ModelLogEntry, PageLogEntry):
        post_save.connect(_mirror, sender=model, dispatch_uid=f"birge-audit-{model.__name__}")
