"""Background work of the appeals domain: each task loads by id and calls a service."""

from django_tasks import task

from .models import Appeal, FaqEntry
from .notify import citizen_mail


@task()
def appeals_route_pending_task() -> int:
    """Route every newly registered appeal (rules, then the learned suggestion, else triage)
    and index it for "similar questions"; returns how many were routed."""
    from .services import appeals_route_pending
    from .similarity import open_appeal_index

    routed = appeals_route_pending()
    for appeal in routed:
        open_appeal_index(appeal)
    return len(routed)


@task()
def appeal_answered_notify_task(*, appeal_id: int) -> bool:
    """Tell the citizen their appeal is answered; drop it from the open-questions index."""
    from .similarity import open_appeal_index

    appeal = Appeal.objects.filter(pk=appeal_id).first()
    if appeal is None:
        return False
    open_appeal_index(appeal)
    return citizen_mail(appeal=appeal, template="answered")


@task()
def appeal_extended_notify_task(*, appeal_id: int) -> bool:
    appeal = Appeal.objects.filter(pk=appeal_id).first()
    return appeal is not None and citizen_mail(appeal=appeal, template="extended")


@task()
def answer_updated_notify_task(*, appeal_ids: list[int]) -> int:
    """Tell everyone who asked the question that its answer changed."""
    return sum(
        citizen_mail(appeal=appeal, template="answer_updated")
        for appeal in Appeal.objects.filter(pk__in=appeal_ids)
    )


@task()
def faq_index_task(*, entry_id: int) -> bool:
    """Add or refresh a published FAQ entry in the similar-questions index."""
    from .similarity import faq_index_entry

    entry = FaqEntry.objects.filter(pk=entry_id).first()
    if entry is None:
        return False
    faq_index_entry(entry)
    return True


@task()
def escalations_send_task() -> int:
    """Periodic: escalate overdue appeals (idempotent; schedule every 15 minutes)."""
    from .services import escalations_send

    return escalations_send()


@task()
def routing_train_task() -> int:
    """Retrain the routing suggestion on past decisions; returns the sample count (0: too few)."""
    from .routing_model import routing_train

    model = routing_train()
    return model.samples if model else 0
