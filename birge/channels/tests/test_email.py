"""E-mail subscribers: double opt-in, urgent alerts at once, the daily digest, one-click
unsubscribe, and a mail server that refuses or goes away, all through a local SMTP server."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from birge.channels.models import Channel, Delivery, Publication, Subscriber
from birge.channels.outbox import deliveries_send
from birge.channels.services import email_digest_send, publication_create

from .factories import SubscriberFactory
from .smtp_sink import SmtpSink

pytestmark = pytest.mark.django_db


def alert(capture: Callable[..., Any], key: str = "a", **fields: Any) -> Publication:
    values: dict[str, Any] = {
        "kind": Publication.Kind.URGENT_ALERT,
        "source_kind": "test.alert",
        "source_key": key,
        "texts": {
            "kk": {"title": "Шұғыл хабар", "summary": "Үйде болыңыз.", "url": "/kk/news/x/"},
            "ru": {"title": "Срочное сообщение", "summary": "Оставайтесь дома."},
        },
        "channels": [Channel.EMAIL],
        "urgent": True,
    }
    values.update(fields)
    with capture(execute=True):
        return publication_create(**values)


def link_in(message: Any, pattern: str) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    found = re.search(rf"https?://\S+{pattern}\S*", body)
    assert found, body
    return found.group(0)


def test_a_citizen_subscribes_confirms_and_receives_an_alert_in_their_language(
    client: Client, smtp: SmtpSink, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    # when: the form on the Russian page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ru/subscribe/", {"email": "Aigerim@Example.kz"})
    # then: nothing is sent but the confirmation request
    assert response.status_code == 200
    assert "Проверьте почту" in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert (subscriber.address, subscriber.status, subscriber.language) == (
        "aigerim@example.kz",
        "pending",
        "ru",
    )
    (confirmation,) = smtp.messages_to("aigerim@example.kz")
    confirm_url = link_in(confirmation, "/confirm/")
    path = confirm_url.split("://", 1)[1].split("/", 1)[1]
    # a mail scanner's GET confirms nothing; the button's POST does
    assert client.get(f"/{path}").status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == "pending"
    assert client.post(f"/{path}").status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == "active"
    # and the next urgent alert arrives in Russian, with one-click unsubscribe
    alert(django_capture_on_commit_callbacks)
    mails = smtp.messages_to("aigerim@example.kz")
    assert len(mails) == 2
    message = mails[1]
    assert "Срочное сообщение" in str(message["Subject"])
    assert "Оставайтесь дома." in message.get_content()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].strip().startswith("<http")


def test_one_click_unsubscribe_works_without_a_cookie_and_stops_what_waits(
    smtp: SmtpSink, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    subscriber = SubscriberFactory(kind=Subscriber.Kind.EMAIL, address="d@example.kz")
    alert(django_capture_on_commit_callbacks)
    (message,) = smtp.messages_to("d@example.kz")
    url = message["List-Unsubscribe"].strip("<>")
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    # when: the mail client's POST, as RFC 8058 describes it, with CSRF checks on
    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    # then
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    alert(django_capture_on_commit_callbacks, key="b")
    assert len(smtp.messages_to("d@example.kz")) == 1


def test_a_wrong_link_says_so(client: Client) -> None:
    response = client.post("/en/subscribe/unsubscribe/not-a-token/")
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_bad_addresses_get_a_clear_error_and_nothing_is_stored(client: Client) -> None:
    response = client.post("/kk/subscribe/", {"email": "not an address"})
    assert response.status_code == 422
    assert "Бұл электрондық пошта мекенжайына ұқсамайды" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_an_active_subscription_is_not_changed_from_the_form(
    client: Client, smtp: SmtpSink, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    subscriber = SubscriberFactory(kind=Subscriber.Kind.EMAIL, address="e@example.kz")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ru/subscribe/", {"email": "e@example.kz", "regions": ["KZ-75"]})
    # the page says the same as for a new address; the owner is told by e-mail
    assert "Проверьте почту" in response.content.decode()
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.all_regions, subscriber.language) == (
        "active",
        True,
        "kk",
    )
    (notice,) = smtp.messages_to("e@example.kz")
    assert "/unsubscribe/" in notice.get_content()


def test_a_temporary_refusal_is_retried_and_a_missing_mailbox_unsubscribes(
    smtp: SmtpSink, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    kept = SubscriberFactory(kind=Subscriber.Kind.EMAIL, address="f@example.kz")
    gone = SubscriberFactory(kind=Subscriber.Kind.EMAIL, address="g@example.kz")
    smtp.refuse("g@example.kz")
    smtp.script("451 4.7.1 Try again later")
    # when
    alert(django_capture_on_commit_callbacks)
    # then
    assert len(smtp.messages_to("f@example.kz")) == 1
    states = dict(Delivery.objects.values_list("target", "state"))
    assert states == {"f@example.kz": "sent", "g@example.kz": "failed"}
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert (kept.status, gone.status) == ("active", "unsubscribed")
    assert Delivery.objects.get(target="f@example.kz").attempts >= 1


def test_a_mail_server_that_is_away_leaves_the_mail_waiting(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    settings.CHANNELS_RETRY_BASE_SECONDS = 60
    SubscriberFactory(kind=Subscriber.Kind.EMAIL, address="h@example.kz")
    publication_create(
        kind=Publication.Kind.URGENT_ALERT,
        source_kind="test.alert",
        source_key="away",
        texts={"kk": {"title": "Шұғыл"}},
        channels=[Channel.EMAIL],
        urgent=True,
    )
    deliveries_send(transport_name="email", budget_seconds=1)
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("pending", 1)
    assert delivery.error


def test_the_daily_digest_lists_what_was_published_in_the_subscribers_language(
    smtp: SmtpSink, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    SubscriberFactory(kind=Subscriber.Kind.EMAIL, address="i@example.kz", language="kk")
    SubscriberFactory(kind=Subscriber.Kind.EMAIL, address="j@example.kz", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        publication_create(
            kind=Publication.Kind.GUIDANCE,
            source_kind="test.guidance",
            source_key="1",
            texts={"kk": {"title": "Белгілер", "summary": "Дене қызуы.", "url": "/kk/g/"}},
            channels=[Channel.FEED, Channel.EMAIL],
        )
    # non-urgent: nothing yet
    assert smtp.messages == []
    # when
    with django_capture_on_commit_callbacks(execute=True):
        digests = email_digest_send()
    # then: a Kazakh digest to the Kazakh subscriber; nothing in English was published
    assert [d.languages() for d in digests] == [["kk"]]
    (digest,) = smtp.messages_to("i@example.kz")
    assert "Белгілер" in digest.get_content()
    assert "/kk/g/" in digest.get_content()
    assert smtp.messages_to("j@example.kz") == []
    # and a second run the same day sends nothing again
    with django_capture_on_commit_callbacks(execute=True):
        email_digest_send()
    assert len(smtp.messages) == 1
