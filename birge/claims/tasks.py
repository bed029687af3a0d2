"""Background work of the rumour registry: each task loads by id and calls a service."""

from django_tasks import task


@task()
def report_cluster_task(*, report_id: int) -> int | None:
    """Put a new report into the cluster of the most similar open report (safe to repeat)."""
    from .services import report_cluster_assign

    cluster = report_cluster_assign(report_id=report_id)
    return cluster.pk if cluster is not None else None


@task()
def reports_recluster_task() -> int:
    """Re-cluster every open report alone in its cluster (after the thresholds change)."""
    from .services import reports_recluster

    return reports_recluster()
