"""E-mails to citizens and agency staff, rendered in the reader's language; sent by tasks after
commit."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import override

from .models import Appeal, Escalation


def tracking_path(appeal: Appeal) -> str:
    with override(appeal.language):
        return reverse(
            "appeals:track", kwargs={"code": appeal.tracking_code, "token": appeal.tracking_token}
        )


def tracking_url(appeal: Appeal) -> str:
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{tracking_path(appeal)}"


def citizen_mail(*, appeal: Appeal, template: str) -> bool:
    """Send `appeals/email/<template>` to the citizen, if they gave an e-mail; True if sent."""
    if not appeal.contact_email:
        return False
    with override(appeal.language):
        context = {"appeal": appeal, "tracking_url": tracking_url(appeal)}
        subject = render_to_string(f"appeals/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"appeals/email/{template}.txt", context)
    send_mail(subject, body, None, [appeal.contact_email])
    return True


def escalation_mail(*, email: str, language: str, escalations: list[Escalation]) -> None:
    """One overdue notice to one head or coordinator, listing all of their escalated appeals."""
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    with override(language):
        context = {
            "rows": [
                (e, f"{base_url}{reverse('appeals_admin_detail', args=[e.appeal_id])}")
                for e in escalations
            ],
            "count": len(escalations),
        }
        subject = render_to_string("appeals/email/escalation_subject.txt", context).strip()
        body = render_to_string("appeals/email/escalation.txt", context)
    send_mail(subject, body, None, [email])
