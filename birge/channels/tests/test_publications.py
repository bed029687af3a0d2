"""Publishing once writes every delivery in the same transaction, for the right audience."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from birge.channels.models import Channel, Delivery, Publication, Subscriber
from birge.channels.services import (
    deliveries_create,
    publication_approve,
    publication_cancel,
    publication_create,
)
from birge.core.models import Region, StaffRole, Topic
from birge.core.tests.factories import staff_member

from .factories import SubscriberFactory

pytestmark = pytest.mark.django_db

ALL = [Channel.FEED, Channel.TELEGRAM_CHANNEL, Channel.TELEGRAM_BOT, Channel.EMAIL]


@pytest.fixture(autouse=True)
def _channels(settings: Any) -> None:
    settings.TELEGRAM_CHANNELS = {"kk": "@birge_kk", "ru": "@birge_ru"}


def announce(key: str = "1", **fields: object) -> Publication:
    values: dict[str, object] = {
        "kind": Publication.Kind.NEWS,
        "source_kind": "test.news",
        "source_key": key,
        "texts": {"kk": {"title": "Жаңалық", "summary": "Қысқаша", "url": "/kk/news/a/"}},
        "channels": ALL,
    }
    values.update(fields)
    return publication_create(**values)


def targets(publication: Publication, channel: str) -> set[str]:
    return set(
        Delivery.objects.filter(publication=publication, channel=channel).values_list(
            "target", flat=True
        )
    )


def test_one_publication_reaches_the_feed_the_channel_and_each_subscribed_chat() -> None:
    # given
    kk_chat = SubscriberFactory(language="kk")
    SubscriberFactory(language="ru")  # the news exists only in Kazakh
    SubscriberFactory(language="kk", status=Subscriber.Status.UNSUBSCRIBED)
    SubscriberFactory(kind=Subscriber.Kind.EMAIL, address="a@example.kz", language="kk")
    # when
    publication = announce()
    # then
    assert targets(publication, Channel.FEED) == {"kk"}
    assert targets(publication, Channel.TELEGRAM_CHANNEL) == {"@birge_kk"}
    assert targets(publication, Channel.TELEGRAM_BOT) == {kk_chat.address}
    # e-mail subscribers get non-urgent news in the daily digest
    assert targets(publication, Channel.EMAIL) == set()
    bot = Delivery.objects.get(publication=publication, channel=Channel.TELEGRAM_BOT)
    assert (bot.state, bot.language, bot.subscriber_id) == ("pending", "kk", kk_chat.pk)
    feed = Delivery.objects.get(publication=publication, channel=Channel.FEED)
    assert feed.state == Delivery.State.SENT


def test_regions_and_topics_narrow_the_audience() -> None:
    almaty, turkistan = Region.objects.get(code="KZ-75"), Region.objects.get(code="KZ-61")
    topic = Topic.objects.first()
    other_topic = Topic.objects.exclude(pk=topic.pk).first()  # type: ignore[union-attr]
    everywhere = SubscriberFactory()
    in_almaty = SubscriberFactory(regions=[almaty])
    in_turkistan = SubscriberFactory(regions=[turkistan])
    on_topic = SubscriberFactory(topics=[topic])
    off_topic = SubscriberFactory(topics=[other_topic])
    # when
    publication = announce(regions=[almaty], topics=[topic])
    # then
    assert targets(publication, Channel.TELEGRAM_BOT) == {
        everywhere.address,
        in_almaty.address,
        on_topic.address,
    }
    assert in_turkistan.address not in targets(publication, Channel.TELEGRAM_BOT)
    assert off_topic.address not in targets(publication, Channel.TELEGRAM_BOT)


def test_an_urgent_alert_reaches_every_language_and_topic_and_jumps_the_queue() -> None:
    ru_chat = SubscriberFactory(language="ru")
    off_topic = SubscriberFactory(topics=[Topic.objects.first()])
    mailbox = SubscriberFactory(kind=Subscriber.Kind.EMAIL, address="b@example.kz", language="en")
    # when: written by the system (no person), so no second coordinator is needed
    publication = announce(urgent=True, kind=Publication.Kind.URGENT_ALERT)
    # then
    bot: dict[str, Delivery] = {
        d.target: d for d in Delivery.objects.filter(channel=Channel.TELEGRAM_BOT)
    }
    assert set(bot) == {ru_chat.address, off_topic.address}
    assert bot[str(ru_chat.address)].language == "kk"  # the alert's only language
    assert {d.priority for d in bot.values()} == {0}
    assert targets(publication, Channel.EMAIL) == {mailbox.address}


def test_announcing_the_same_thing_twice_announces_once() -> None:
    SubscriberFactory()
    first = announce(key="7")
    second = announce(key="7")
    assert first.pk == second.pk
    assert Delivery.objects.filter(channel=Channel.TELEGRAM_BOT).count() == 1
    # and writing the deliveries again adds none
    before = Delivery.objects.filter(publication=first).count()
    deliveries_create(first)
    assert Delivery.objects.filter(publication=first).count() == before == 3


def test_subscriber_deliveries_are_one_statement_however_many_subscribers() -> None:
    SubscriberFactory.create_batch(50)
    with CaptureQueriesContext(connection) as queries:
        announce(channels=[Channel.TELEGRAM_BOT])
    inserts = [q["sql"] for q in queries if "INSERT INTO" in q["sql"] and "delivery" in q["sql"]]
    assert len(inserts) == 1
    assert Delivery.objects.filter(channel=Channel.TELEGRAM_BOT).count() == 50


def test_an_urgent_alert_to_everyone_waits_for_a_second_coordinator() -> None:
    author = staff_member(StaffRole.Role.COORDINATOR)
    second = staff_member(StaffRole.Role.COORDINATOR)
    SubscriberFactory()
    # when
    publication = announce(urgent=True, actor=author)
    # then: nothing goes anywhere yet
    assert publication.status == Publication.Status.HELD
    assert not Delivery.objects.exists()
    with pytest.raises(ValidationError):
        publication_approve(publication=publication, actor=author)
    publication_approve(publication=publication, actor=second)
    publication.refresh_from_db()
    assert publication.status == Publication.Status.RELEASED
    assert publication.approved_by == second
    assert Delivery.objects.filter(channel=Channel.TELEGRAM_BOT).count() == 1


def test_an_urgent_alert_for_one_region_needs_no_second_coordinator() -> None:
    author = staff_member(StaffRole.Role.COORDINATOR)
    publication = announce(urgent=True, actor=author, regions=[Region.objects.get(code="KZ-75")])
    assert publication.status == Publication.Status.RELEASED


def test_cancelling_stops_what_was_not_sent_and_takes_it_off_the_feed() -> None:
    coordinator = staff_member(StaffRole.Role.COORDINATOR)
    SubscriberFactory.create_batch(3)
    publication = announce()
    sent = Delivery.objects.filter(channel=Channel.TELEGRAM_BOT).order_by("id").first()
    Delivery.objects.filter(pk=sent.pk).update(state=Delivery.State.SENT)  # type: ignore[union-attr]
    # when
    stopped = publication_cancel(publication=publication, actor=coordinator)
    # then
    assert stopped == 2 + 1 + 1  # two chats, the channel post, the feed entry
    states = set(Delivery.objects.values_list("state", flat=True))
    assert states == {Delivery.State.SENT, Delivery.State.CANCELLED}


def test_bad_texts_are_refused_with_a_reason() -> None:
    with pytest.raises(ValidationError):
        announce(texts={"de": {"title": "Nachricht"}})
    with pytest.raises(ValidationError):
        announce(texts={"kk": {"title": "  "}})
    with pytest.raises(ValidationError):
        announce(texts={})
    assert not Publication.objects.exists()
