"""The outbox against a fake Bot API: every post exactly once through throttling, errors and
lost enqueues."""

import itertools
import time
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.core.cache import caches

from birge.channels import outbox
from birge.channels.models import Channel, Delivery, Publication, Subscriber
from birge.channels.outbox import deliveries_send, deliveries_sweep
from birge.channels.services import publication_create

from .factories import SubscriberFactory
from .fake_bot_api import FakeBotApi, bad_request, hang, ok, server_error, too_many_requests

pytestmark = pytest.mark.django_db


def announce(capture: Callable[..., Any], key: str = "1", **fields: object) -> Publication:
    """Publish as a domain does and run what commit sets off (the dispatcher, in-process)."""
    values: dict[str, object] = {
        "kind": Publication.Kind.NEWS,
        "source_kind": "test.news",
        "source_key": key,
        "texts": {
            "kk": {"title": "Карантин <жаңалық>", "summary": "Мәтін & т.б.", "url": "/kk/a/"}
        },
        "channels": [Channel.FEED, Channel.TELEGRAM_CHANNEL, Channel.TELEGRAM_BOT],
    }
    values.update(fields)
    with capture(execute=True):
        return publication_create(**values)


def test_a_publication_is_posted_once_to_the_channel_and_each_chat(
    telegram: FakeBotApi, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    chats = SubscriberFactory.create_batch(3)
    # when
    publication = announce(django_capture_on_commit_callbacks)
    # then: one post in the Kazakh channel (the news has no Russian text) and one per chat
    assert [m.chat_id for m in telegram.messages_to("@birge_kk")] == ["@birge_kk"]
    assert telegram.messages_to("@birge_ru") == []
    for chat in chats:
        assert len(telegram.messages_to(chat.address)) == 1
    post = telegram.messages_to("@birge_kk")[0]
    assert post.text.startswith("<b>Карантин &lt;жаңалық&gt;</b>")
    assert "Мәтін &amp; т.б." in post.text
    assert 'href="http://' in post.text
    assert "/kk/a/" in post.text
    assert post.params["link_preview_options"] == {"is_disabled": True}
    deliveries = Delivery.objects.filter(publication=publication).exclude(channel=Channel.FEED)
    assert {(d.state, bool(d.message_id), d.attempts) for d in deliveries} == {("sent", True, 1)}
    # and a second run sends nothing again
    assert deliveries_send(transport_name="telegram") == 0
    assert len(telegram.messages) == 4


def test_429_waits_as_told_and_then_posts_once(
    telegram: FakeBotApi, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    telegram.script(too_many_requests(retry_after=1), ok())
    # when
    announce(django_capture_on_commit_callbacks, channels=[Channel.TELEGRAM_CHANNEL])
    # then
    sends = [r for r in telegram.requests if r.method.lower() == "sendmessage"]
    assert len(sends) == 2
    assert sends[1].time - sends[0].time >= 1.0
    assert len(telegram.messages) == 1
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("sent", 1)


def test_server_errors_are_retried_with_backoff_until_one_post(
    telegram: FakeBotApi, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    telegram.script(server_error(), server_error(502), server_error(), ok())
    announce(django_capture_on_commit_callbacks, channels=[Channel.TELEGRAM_CHANNEL])
    assert len(telegram.messages) == 1
    sends = [r.time for r in telegram.requests if r.method.lower() == "sendmessage"]
    gaps = [later - earlier for earlier, later in itertools.pairwise(sends)]
    assert len(sends) == 4
    assert gaps[2] > gaps[0]  # backoff grows
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.error) == ("sent", 4, "")


def test_errors_that_never_pass_fail_at_once_and_a_blocked_chat_is_unsubscribed(
    telegram: FakeBotApi, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    blocked, fine = SubscriberFactory.create_batch(2)
    telegram.block_chat(blocked.address)
    telegram.script(bad_request("Bad Request: message is too long"))
    # when
    announce(django_capture_on_commit_callbacks)
    # then
    states = dict(Delivery.objects.values_list("target", "state"))
    assert states[blocked.address] == "failed"
    blocked.refresh_from_db()
    assert blocked.status == Subscriber.Status.UNSUBSCRIBED
    # one of the other two got the 400 (tried once, never again), the other went out
    assert sorted([states["@birge_kk"], states[fine.address]]) == ["failed", "sent"]
    assert (
        Delivery.objects.filter(state="failed")
        .values_list("attempts", flat=True)
        .get(target__in=["@birge_kk", fine.address])
        == 1
    )
    fine.refresh_from_db()
    assert fine.status == Subscriber.Status.ACTIVE


def test_a_timeout_is_retried_and_the_abandoned_request_posts_nothing(
    telegram: FakeBotApi, settings: Any, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    settings.TELEGRAM_TIMEOUT_SECONDS = 0.3
    telegram.script(hang(), ok())
    announce(django_capture_on_commit_callbacks, channels=[Channel.TELEGRAM_CHANNEL])
    assert len(telegram.messages) == 1
    assert Delivery.objects.get().state == "sent"
    assert telegram.release_hung() == 0


def test_a_crash_between_commit_and_enqueue_is_delivered_by_the_sweep(
    telegram: FakeBotApi, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    # given: the queue refuses the enqueue (Redis down, a worker killed right after commit)
    queue_down = mock.Mock()
    queue_down.enqueue.side_effect = ConnectionError("Error 111 connecting to redis:6379")
    with mock.patch("birge.channels.services.deliveries_send_task", queue_down):
        publication = announce(django_capture_on_commit_callbacks)
    assert queue_down.enqueue.call_count == 1
    assert Publication.objects.filter(pk=publication.pk).exists()
    assert telegram.messages == []
    # when: the clock's sweep runs
    result = deliveries_sweep()
    # then
    assert result["started"] == 1
    assert len(telegram.messages) == 1
    assert Delivery.objects.get(channel=Channel.TELEGRAM_CHANNEL).state == "sent"


def test_the_sweep_puts_back_what_a_dead_worker_left_sending(
    telegram: FakeBotApi, settings: Any
) -> None:
    settings.CHANNELS_STUCK_SECONDS = 0
    publication = publication_create(
        kind=Publication.Kind.NEWS,
        source_kind="test.news",
        source_key="stuck",
        texts={"kk": {"title": "Жаңалық"}},
        channels=[Channel.TELEGRAM_CHANNEL],
    )
    claimed = outbox._claim((Channel.TELEGRAM_CHANNEL,), 10)  # a worker claims, then dies
    assert [d.publication_id for d in claimed] == [publication.pk]
    # a delivery that already has its message id is never sent again
    SubscriberFactory()
    # when
    result = deliveries_sweep()
    # then
    assert result["returned"] == 1
    assert len(telegram.messages_to("@birge_kk")) == 1
    delivery = Delivery.objects.get(channel=Channel.TELEGRAM_CHANNEL)
    assert (delivery.state, delivery.attempts) == ("sent", 2)


def test_one_dispatcher_per_transport_at_a_time(telegram: FakeBotApi) -> None:
    publication_create(
        kind=Publication.Kind.NEWS,
        source_kind="test.news",
        source_key="lease",
        texts={"kk": {"title": "Жаңалық"}},
        channels=[Channel.TELEGRAM_CHANNEL],
    )
    caches["shared"].add("channels:dispatch:telegram", "someone-else", 30)
    assert deliveries_send(transport_name="telegram") == 0
    assert telegram.messages == []
    caches["shared"].delete("channels:dispatch:telegram")
    assert deliveries_send(transport_name="telegram") == 1


def test_the_pace_never_exceeds_the_rate_in_any_second(telegram: FakeBotApi, settings: Any) -> None:
    settings.TELEGRAM_RATE_PER_SECOND = 10
    SubscriberFactory.create_batch(25)
    publication_create(
        kind=Publication.Kind.NEWS,
        source_kind="test.news",
        source_key="pace",
        texts={"kk": {"title": "Жаңалық"}},
        channels=[Channel.TELEGRAM_BOT],
    )
    started = time.monotonic()
    assert deliveries_send(transport_name="telegram") == 25
    elapsed = time.monotonic() - started
    arrivals = sorted(r.time for r in telegram.requests if r.method.lower() == "sendmessage")
    busiest = max(sum(1 for t in arrivals if a <= t <= a + 1.0) for a in arrivals)
    assert busiest <= 10
    # 25 messages at ~10/s; the upper bound only catches a pacer that waits whole seconds, with
    # room for a loaded machine.
    assert 2.3 < elapsed < 8.0


def test_two_posts_into_one_channel_keep_its_pace(telegram: FakeBotApi, settings: Any) -> None:
    settings.TELEGRAM_CHANNEL_RATE_PER_MINUTE = 60
    for key in ("a", "b"):
        publication_create(
            kind=Publication.Kind.NEWS,
            source_kind="test.news",
            source_key=key,
            texts={"kk": {"title": f"Жаңалық {key}"}},
            channels=[Channel.TELEGRAM_CHANNEL],
        )
    assert deliveries_send(transport_name="telegram") == 2
    first, second = telegram.messages_to("@birge_kk")
    assert second.time - first.time >= 1.0
    assert (
        Delivery.objects.filter(state="sent").values_list("attempts", flat=True).distinct().get()
        == 1
    )


def test_an_urgent_alert_goes_before_the_queue_in_front_of_it(
    telegram: FakeBotApi, settings: Any
) -> None:
    settings.CHANNELS_BATCH_SIZE = 5
    SubscriberFactory.create_batch(12)
    for key, urgent in (("news", False), ("alert", True)):
        publication_create(
            kind=Publication.Kind.URGENT_ALERT if urgent else Publication.Kind.NEWS,
            source_kind="test",
            source_key=key,
            texts={"kk": {"title": key}},
            channels=[Channel.TELEGRAM_BOT],
            urgent=urgent,
        )
    deliveries_send(transport_name="telegram")
    order = [m.text for m in telegram.messages]
    assert all("alert" in text for text in order[:12])
    assert all("news" in text for text in order[12:])


def _redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def test_with_redis_down_publishing_commits_and_delivers_once_redis_is_back(
    telegram: FakeBotApi, settings: Any, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    """The queue at scale is RQ on Redis: with Redis unreachable (a closed port, no patch of
    our code) the publication still commits; once Redis answers again, the clock's sweep
    enqueues the dispatcher and an RQ worker delivers the post, once."""
    import django_rq.settings
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    live_url = "redis://127.0.0.1:6379/11"
    if not _redis_reachable(live_url):
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    down = {"default": {"URL": "redis://127.0.0.1:9/0", "DEFAULT_TIMEOUT": 60}}
    with mock.patch.dict(django_rq.settings.QUEUES, down, clear=True):
        # when a publication is written while Redis is down
        publication = announce(
            django_capture_on_commit_callbacks, channels=[Channel.TELEGRAM_CHANNEL]
        )
    # then it is committed, with its delivery waiting, and nothing was posted
    assert Publication.objects.filter(pk=publication.pk).exists()
    assert Delivery.objects.get(channel=Channel.TELEGRAM_CHANNEL).state == Delivery.State.PENDING
    assert telegram.messages == []
    back = {"default": {"URL": live_url, "DEFAULT_TIMEOUT": 60}}
    with mock.patch.dict(django_rq.settings.QUEUES, back, clear=True):
        queue = django_rq.get_queue("default", job_class=Job)
        queue.empty()
        # when Redis is back: the clock's sweep, then a worker
        assert deliveries_sweep()["started"] == 1
        SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
        queue.empty()
    # then the post went out exactly once
    assert len(telegram.messages) == 1
    assert Delivery.objects.get(channel=Channel.TELEGRAM_CHANNEL).state == Delivery.State.SENT
