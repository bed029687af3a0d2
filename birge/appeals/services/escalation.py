"""Overdue appeals are escalated to the agency head and the coordinators, once per due date."""

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from birge.core.audit import audit_log
from birge.core.models import StaffRole

from ..models import AppealEvent, Escalation
from ..selectors import appeal_overdue_for_escalation


def escalations_send() -> int:
    """Send the overdue notices not sent yet; returns how many appeals were escalated.

    Idempotent: the Escalation row (unique per appeal and due date) is written before the mail
    in the same transaction, so a second run finds it and sends nothing.
    """
    sent = 0
    for appeal in appeal_overdue_for_escalation(timezone.now()):
        recipients = sorted(
            set(
                StaffRole.objects.filter(role=StaffRole.Role.AGENCY_HEAD, agency=appeal.agency)
                .exclude(user__email="")
                .values_list("user__email", flat=True)
            )
            | set(
                StaffRole.objects.filter(role=StaffRole.Role.COORDINATOR)
                .exclude(user__email="")
                .values_list("user__email", flat=True)
            )
        )
        try:
            with transaction.atomic():
                assert appeal.due_at is not None  # noqa: S101
                escalation = Escalation.objects.create(
                    appeal=appeal, due_at=appeal.due_at, recipients=len(recipients)
                )
                AppealEvent.objects.create(
                    appeal=appeal,
                    kind=AppealEvent.Kind.ESCALATED,
                    agency=appeal.agency,
                    is_public=False,
                )
                audit_log(
                    actor=None,
                    action="appeals.appeal.escalated",
                    target=escalation,
                    agency=appeal.agency,
                )
                if recipients:
                    with override("kk"):
                        subject = _("Overdue appeal %(code)s") % {"code": appeal.tracking_code}
                        body = _(
                            "The appeal %(code)s held by %(agency)s passed its due date "
                            "%(due)s without an answer."
                        ) % {
                            "code": appeal.tracking_code,
                            "agency": appeal.agency,
                            "due": timezone.localtime(appeal.due_at).strftime("%Y-%m-%d %H:%M"),
                        }
                    send_mail(subject, body, None, recipients)
        except IntegrityError:
            continue
        sent += 1
    return sent
