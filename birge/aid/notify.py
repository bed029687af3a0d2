"""Messages to the family, through the channels' outbox, in the language they asked in."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import override

from birge.channels.services import notice_send

from .models import HelpRequest


def tracking_url(request: HelpRequest) -> str:
    with override(request.language):
        path = reverse(
            "aid:track", kwargs={"code": request.tracking_code, "token": request.tracking_token}
        )
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}"


def request_received_mail(request: HelpRequest) -> None:
    """The private link and the delivery code, to the e-mail the family gave (a page on a
    borrowed phone is easily lost); sent once per request."""
    if not request.email:
        return
    with override(request.language):
        context = {
            "request": request,
            "link": tracking_url(request),
            "code": request.delivery_code(),
        }
        subject = render_to_string("aid/email/received_subject.txt", context).strip()
        body = render_to_string("aid/email/received.txt", context)
    notice_send(
        source_kind="aid.received",
        source_key=str(request.pk),
        language=request.language,
        subject=subject,
        body=body,
        email=request.email,
    )
