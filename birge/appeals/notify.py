"""Messages to citizens (through the channels' outbox) and e-mails to agency staff, rendered in
the reader's language, from tasks after commit."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override

from birge.channels.services import notice_send
from birge.channels.telegram import TEXT_LIMIT, html_link, html_text, text_fit

from .models import Appeal, Escalation
from .selectors import appeal_published_answer


def tracking_path(appeal: Appeal) -> str:
    with override(appeal.language):
        return reverse(
            "appeals:track", kwargs={"code": appeal.tracking_code, "token": appeal.tracking_token}
        )


def tracking_url(appeal: Appeal) -> str:
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{tracking_path(appeal)}"


def citizen_mail(*, appeal: Appeal, template: str) -> bool:
    """Put `appeals/email/<template>` for the citizen on the outbox, to the e-mail they gave
    and the Telegram chat they asked from; True if queued. The same event queued twice (a task
    run again) is sent once."""
    if not appeal.contact_email and not appeal.telegram_chat_id:
        return False
    with override(appeal.language):
        context = {"appeal": appeal, "tracking_url": tracking_url(appeal)}
        subject = render_to_string(f"appeals/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"appeals/email/{template}.txt", context)
        chat_html = _chat_html(appeal, subject) if appeal.telegram_chat_id else ""
    # What makes this event this one: the answer's time, the new due date; an updated answer
    # may come any number of times.
    marker = {"answered": appeal.answered_at, "extended": appeal.due_at}.get(template)
    notice_send(
        source_kind="appeals.notice",
        source_key=f"{appeal.pk}:{template}:{(marker or timezone.now()).isoformat()}",
        language=appeal.language,
        subject=subject,
        body=body,
        email=appeal.contact_email,
        telegram_chat_id=appeal.telegram_chat_id,
        chat_html=chat_html,
    )
    return True


def _chat_html(appeal: Appeal, subject: str) -> str:
    """The notice in the citizen's own Telegram chat: the answer itself when there is one (the
    chat is theirs alone, unlike a mailbox a link may be forwarded from), and their page."""
    link = html_link(tracking_url(appeal), gettext("Open your question's page"))
    head = f"<b>{html_text(subject)}</b>"
    answer = appeal_published_answer(appeal)
    if answer is None:
        return f"{head}\n\n{link}"
    agency = html_text(answer.agency.name)
    room = TEXT_LIMIT - len(head) - len(link) - len(agency) - 8
    return f"{head}\n\n{html_text(text_fit(answer.text, room))}\n\n<i>{agency}</i>\n\n{link}"


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
