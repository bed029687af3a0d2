"""A statement published once on the portal is announced on the channels: the Telegram channel,
the subscribers' chats and the RSS feed, once; a correction is announced as one, a withdrawal
leaves the feed."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from birge.channels.models import Channel, Delivery, Publication
from birge.channels.services import publication_approve
from birge.channels.tests.factories import SubscriberFactory
from birge.channels.tests.fake_bot_api import FakeBotApi
from birge.core.models import StaffRole
from birge.core.tests.factories import AgencyFactory, staff_member

from ..services import page_publish, page_unpublish, urgent_notice_publish
from .factories import statement_published

pytestmark = pytest.mark.django_db


def test_a_published_statement_is_posted_once_and_listed_in_the_feed(
    client: Client,
    telegram: FakeBotApi,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    # given a subscribed chat
    chat = SubscriberFactory(language="kk")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        page = statement_published(title="Карантин ережелері", summary="Үйде қалыңыз.")
    # then
    (post,) = telegram.messages_to("@birge_kk")
    assert "Карантин ережелері" in post.text
    assert page.url in post.text
    assert len(telegram.messages_to(chat.address)) == 1
    assert telegram.messages_to("@birge_ru") == []
    feed = client.get("/kk/portal/feed/rss/").content.decode()
    assert "Карантин ережелері" in feed
    assert "Үйде қалыңыз." in feed
    # when: a correction
    page.summary = "Үйде қалыңыз, маска киіңіз."
    page.save_revision()
    with django_capture_on_commit_callbacks(execute=True):
        page_publish(page=page, actor=None, reason="маска туралы қосылды", check_access=False)
    # then: announced as a correction, once more
    kinds = list(Publication.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == [Publication.Kind.NEWS, Publication.Kind.CORRECTION]
    assert len(telegram.messages_to("@birge_kk")) == 2
    # when: withdrawn, it leaves the feed
    with django_capture_on_commit_callbacks(execute=True):
        page_unpublish(page=page, actor=staff_member(StaffRole.Role.COORDINATOR))
    assert "Карантин ережелері" not in client.get("/kk/portal/feed/rss/").content.decode()


def test_a_statement_with_no_channels_ticked_is_not_announced(telegram: FakeBotApi) -> None:
    statement_published(announce_on=[])
    assert not Publication.objects.exists()
    assert telegram.messages == []


def test_an_urgent_notice_to_everyone_waits_for_a_second_coordinator(
    telegram: FakeBotApi, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    author = staff_member(StaffRole.Role.COORDINATOR)
    second = staff_member(StaffRole.Role.COORDINATOR)
    chat = SubscriberFactory(language="ru")
    # when: the notice is on the portal at once
    with django_capture_on_commit_callbacks(execute=True):
        urgent_notice_publish(
            actor=author,
            language="kk",
            agency=AgencyFactory(),
            title="Шұғыл хабарлама",
            summary="Төтенше жағдай енгізілді.",
            body="<p>Мәтін</p>",
            source="ТЖМ",
            banner_texts={"kk": "Төтенше жағдай"},
        )
    publication = Publication.objects.get()
    assert (publication.kind, publication.status) == ("urgent_alert", "held")
    assert telegram.messages == []
    # then: the second coordinator sends it, to every subscriber whatever their language
    with django_capture_on_commit_callbacks(execute=True):
        publication_approve(publication=publication, actor=second)
    (message,) = telegram.messages_to(chat.address)
    assert "Шұғыл хабарлама" in message.text
    assert Delivery.objects.filter(channel=Channel.TELEGRAM_CHANNEL, state="sent").count() == 1
