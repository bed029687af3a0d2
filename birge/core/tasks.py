"""Background work of the core domain; each task loads by id and calls a service."""

from django_tasks import task

from .services import audit_export_run, audit_exports_prune


@task()
def audit_export_build(*, export_id: int) -> int:
    """Build an audit-log CSV export; returns the number of rows written."""
    return audit_export_run(export_id=export_id).rows_written


@task()
def audit_exports_prune_task() -> int:
    """Delete audit-log exports past their retention period (they hold staff names)."""
    return audit_exports_prune()
