"""Background work of the core domain; each task loads by id and calls a service."""

from django_tasks import task

from .services import audit_export_run


@task()
def audit_export_build(*, export_id: int) -> int:
    """Build an audit-log CSV export; returns the number of rows written."""
    return audit_export_run(export_id=export_id).rows_written
