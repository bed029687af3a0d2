"""Background side effects of the appeals domain: mail and index updates, loaded by id.

Nothing here imports a service: a task that runs a service is defined beside it (the routing
sweep in services/routing.py, the escalation run in services/escalation.py), so services may
import these tasks at the top and the import graph has one direction (import-linter checks it).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django_tasks import task

from .models import Appeal, Escalation, FaqEntry
from .notify import citizen_mail, escalation_mail


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
def escalation_notify_task(*, user_id: int, escalation_ids: list[int]) -> bool:
    """Send one head or coordinator the overdue notice for their escalated appeals, in the
    language they chose for the admin (Kazakh unless they chose another)."""
    recipient = (
        get_user_model()
        .objects.filter(pk=user_id)
        .values_list("email", "wagtail_userprofile__preferred_language")
        .first()
    )
    escalations = list(
        Escalation.objects.filter(pk__in=escalation_ids)
        .select_related("appeal__agency")
        .order_by("due_at", "id")
    )
    if recipient is None or not recipient[0] or not escalations:
        return False
    email, language = recipient
    escalation_mail(
        email=email, language=language or settings.LANGUAGE_CODE, escalations=escalations
    )
    return True


@task()
def routing_train_task() -> int:
    """Retrain the routing suggestion on past decisions; returns the sample count (0: too few)."""
    from .routing_model import routing_train

    model = routing_train()
    return model.samples if model else 0
