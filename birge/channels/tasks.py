"""The outbox's background work: a dispatcher run per transport, and the clock's sweep."""

from django_tasks import task

from .outbox import deliveries_send, deliveries_sweep


@task()
def deliveries_send_task(*, transport_name: str) -> int:
    """Send what is due on one transport (Telegram or e-mail); safe to run twice at once: the
    second run finds the lease taken and returns."""
    return deliveries_send(transport_name=transport_name)


@task()
def deliveries_sweep_task() -> dict[str, int]:
    return deliveries_sweep()
