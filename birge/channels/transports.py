"""How a delivery leaves: Telegram through the Bot API, e-mail through Django's mail backend.

Each transport renders a publication in the delivery's language and maps its receiver's answers
onto the outbox's three outcomes (wait, retry later, refused for good).
"""

import smtplib
from collections.abc import Callable
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext, override

from . import telegram
from .models import Channel, Delivery, Publication
from .outbox import DeliveryRefused, DeliveryRetryLater, DeliveryTransientError, Pacer

# Pacers outlive one dispatcher run: two runs back to back in one worker keep the same pace.
_pacers: dict[tuple[str, float], Pacer] = {}


def _pacer(name: str, rate: float) -> Pacer:
    return _pacers.setdefault((name, rate), Pacer(rate))


def absolute_url(path_or_url: str) -> str:
    if not path_or_url or "://" in path_or_url:
        return path_or_url
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path_or_url}"


def telegram_text(publication: Publication, language: str, *, limit: int) -> str:
    """The post in Telegram's HTML: a bold title, the summary, a link to the full text."""
    text = publication.text_for(language)
    if text.get("html"):
        # A chat reply is written in Telegram's HTML by the bot, within the limit.
        return str(text["html"])
    with override(language):
        title = text.get("title", "")
        if publication.urgent:
            title = gettext("Urgent: %(title)s") % {"title": title}
        summary = text.get("summary", "")
        url = absolute_url(text.get("url", ""))
        link = telegram.html_link(url, gettext("Read on the portal")) if url else ""
        footer = "\n\n" + link if link else ""
        if publication.kind != Publication.Kind.NOTICE:
            head = f"<b>{telegram.html_text(telegram.text_fit(title, 300))}</b>"
        else:
            head = ""
        room = limit - len(head) - len(footer) - 2
        body = telegram.html_text(telegram.text_fit(summary, room)) if summary and room > 0 else ""
    return "\n\n".join(part for part in (head, body) if part) + footer


class TelegramTransport:
    name = "telegram"
    channels: tuple[str, ...] = (Channel.TELEGRAM_CHANNEL, Channel.TELEGRAM_BOT)

    def __init__(self) -> None:
        self.threads = settings.TELEGRAM_SEND_THREADS

    def pace(self) -> Pacer:
        return _pacer(self.name, settings.TELEGRAM_RATE_PER_SECOND)

    def target_interval(self, channel: str) -> float:
        if channel == Channel.TELEGRAM_CHANNEL:
            return 1.03 * 60 / settings.TELEGRAM_CHANNEL_RATE_PER_MINUTE
        return 1.03

    def sender(self) -> Callable[[Delivery, Publication], str]:
        api = telegram.bot_api()

        def send(delivery: Delivery, publication: Publication) -> str:
            try:
                if publication.photo_url:
                    message_id = api.send_photo(
                        chat_id=delivery.target,
                        photo=absolute_url(publication.photo_url),
                        caption=telegram_text(
                            publication, delivery.language, limit=telegram.CAPTION_LIMIT
                        ),
                    )
                else:
                    buttons = publication.text_for(delivery.language).get("buttons")
                    message_id = api.send_message(
                        chat_id=delivery.target,
                        text=telegram_text(
                            publication, delivery.language, limit=telegram.TEXT_LIMIT
                        ),
                        reply_markup={"inline_keyboard": buttons} if buttons else None,
                    )
            except telegram.RetryLater as error:
                raise DeliveryRetryLater(error.retry_after or 1.0, str(error)) from error
            except telegram.TransientError as error:
                raise DeliveryTransientError(str(error)) from error
            except telegram.PermanentError as error:
                raise DeliveryRefused(str(error), address_gone=error.chat_gone) from error
            return str(message_id)

        return send


def email_message(delivery: Delivery, publication: Publication) -> EmailMessage:
    """The e-mail for one delivery, in its language, with one-click unsubscribe for subscribers."""
    text = publication.text_for(delivery.language)
    headers = {}
    unsubscribe_url = ""
    with override(delivery.language):
        if delivery.subscriber is not None:
            unsubscribe_url = absolute_url(
                reverse("channels:unsubscribe", kwargs={"token": delivery.subscriber.token})
            )
            # RFC 8058: mail clients show an unsubscribe button that POSTs to this address.
            headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        context = {
            "publication": publication,
            "title": text.get("title", ""),
            "summary": text.get("summary", ""),
            "url": absolute_url(text.get("url", "")),
            "items": text.get("items", []),
            "unsubscribe_url": unsubscribe_url,
        }
        subject = text.get("title", "")
        if publication.urgent:
            subject = gettext("Urgent: %(title)s") % {"title": subject}
        body = render_to_string("channels/email/publication.txt", context)
    headers["Message-ID"] = make_msgid(domain=settings.BIRGE_MAIL_DOMAIN)
    return EmailMessage(
        subject=" ".join(subject.split())[:200], body=body, to=[delivery.target], headers=headers
    )


class EmailTransport:
    name = "email"
    channels: tuple[str, ...] = (Channel.EMAIL,)

    def __init__(self) -> None:
        self.threads = settings.EMAIL_SEND_THREADS

    def pace(self) -> Pacer:
        return _pacer(self.name, settings.EMAIL_RATE_PER_SECOND)

    def target_interval(self, channel: str) -> float:
        return 0.0

    def sender(self) -> Callable[[Delivery, Publication], str]:
        connection = get_connection()

        def send(delivery: Delivery, publication: Publication) -> str:
            message = email_message(delivery, publication)
            message.connection = connection
            try:
                message.send()
            except smtplib.SMTPRecipientsRefused as error:
                codes = [code for code, _text in error.recipients.values()]
                permanent = all(500 <= code < 600 for code in codes)
                if permanent:
                    raise DeliveryRefused(str(error), address_gone=True) from error
                raise DeliveryTransientError(str(error)) from error
            except smtplib.SMTPResponseException as error:
                if 500 <= error.smtp_code < 600:
                    raise DeliveryRefused(str(error)) from error
                raise DeliveryTransientError(str(error)) from error
            except (TimeoutError, smtplib.SMTPException, OSError) as error:
                # The server went away mid-conversation: open a new connection next time.
                connection.close()
                raise DeliveryTransientError(str(error) or type(error).__name__) from error
            return str(message.extra_headers["Message-ID"])

        return send
