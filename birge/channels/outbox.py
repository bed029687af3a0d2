"""The outbox: a worker claims due deliveries, sends them at the channel's pace and marks each.

One dispatcher per transport (Telegram, e-mail) sends at a time, holding a lease in the shared
cache: Telegram's limits are per bot, so one process paces every message the bot sends. The
dispatcher's own thread does every database write; a small pool only waits on HTTP or SMTP.
Each result is written as soon as it arrives, state and message id together, so a crash loses
at most the messages in flight, and the sweeper puts those back (ADR 0018).
"""

import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from .models import Channel, Delivery, Publication, Subscriber

logger = logging.getLogger(__name__)


class DeliveryRetryLater(Exception):
    """The receiver asked to wait (`seconds`) before anything more is sent."""

    def __init__(self, seconds: float, message: str = "") -> None:
        super().__init__(message or f"retry after {seconds:g} s")
        self.seconds = seconds


class DeliveryTransientError(Exception):
    """A failure worth retrying with backoff: a timeout, a 5xx, a dropped connection."""


class DeliveryRefused(Exception):
    """The receiver refused the message for good; `address_gone` when it can never be reached."""

    def __init__(self, message: str, *, address_gone: bool = False) -> None:
        super().__init__(message)
        self.address_gone = address_gone


class Transport(Protocol):
    name: str
    channels: tuple[str, ...]
    threads: int

    def pace(self) -> "Pacer": ...

    def target_interval(self, channel: str) -> float:
        """Seconds between two messages into the same chat or channel."""
        ...

    def sender(self) -> Callable[[Delivery, Publication], str]:
        """A function for one pool thread: sends one delivery and returns its message id."""
        ...


class Pacer:
    """Spaces sends so that no sliding second holds more than `rate` of them.

    Slots are 3 % wider than 1/rate: the receiver counts arrivals, which jitter by the network's
    delay, and 30 sends then fit in one second only if the jitter exceeds 30 ms.
    """

    def __init__(self, rate: float) -> None:
        self.interval = 1.03 / rate
        self._next_at = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = time.monotonic()
            at = max(now, self._next_at)
            self._next_at = at + self.interval
        if at > now:
            time.sleep(at - now)

    def pause(self, seconds: float) -> None:
        """Send nothing for `seconds` (the receiver's flood control answered)."""
        with self._lock:
            self._next_at = max(self._next_at, time.monotonic() + seconds)


def _transports() -> dict[str, Transport]:
    from .transports import EmailTransport, TelegramTransport

    return {"telegram": TelegramTransport(), "email": EmailTransport()}


def transport_for(channel: str) -> str:
    return "email" if channel == Channel.EMAIL else "telegram"


# --- The lease: one dispatcher per transport ---------------------------------------------------


def _lease_key(name: str) -> str:
    return f"channels:dispatch:{name}"


def _lease_take(name: str, token: str) -> bool:
    return caches["shared"].add(_lease_key(name), token, settings.CHANNELS_LEASE_SECONDS)


def _lease_keep(name: str, token: str) -> bool:
    """Extend our lease; False when it expired and another dispatcher holds it now."""
    shared = caches["shared"]
    if shared.get(_lease_key(name)) != token:
        return False
    # Between the get and the touch another dispatcher could take an expired lease; the lease
    # outlives a batch several times over, so only a process stalled for that long gets here.
    shared.touch(_lease_key(name), settings.CHANNELS_LEASE_SECONDS)
    return True


def dispatcher_running(name: str) -> bool:
    """Whether a dispatcher holds the transport's lease now."""
    return caches["shared"].get(_lease_key(name)) is not None


def _lease_release(name: str, token: str) -> None:
    shared = caches["shared"]
    if shared.get(_lease_key(name)) == token:
        shared.delete(_lease_key(name))


# --- Claiming and recording --------------------------------------------------------------------


def _due(channels: Iterable[str], now: datetime) -> "QuerySet[Delivery]":
    return Delivery.objects.filter(
        channel__in=list(channels),
        state=Delivery.State.PENDING,
        next_attempt_at__lte=now,
        message_id="",
    )


def _claim(channels: tuple[str, ...], limit: int) -> list[Delivery]:
    """Mark up to `limit` due deliveries as sending, most urgent first, and return them."""
    now = timezone.now()
    order = ("priority", "next_attempt_at", "id")
    # One ordered, limited index scan per channel, merged: over an IN list PostgreSQL would read
    # every pending row of a million-row fan-out to sort them (bench/fanout: 627 ms -> 0.1 ms).
    # SQLite cannot limit the parts of a UNION, and has no fan-outs that size.
    if connection.features.supports_slicing_ordering_in_compound and len(channels) > 1:
        parts = [
            _due([channel], now).order_by(*order).values_list(*order)[:limit]
            for channel in channels
        ]
        due = parts[0].union(*parts[1:], all=True)
    else:
        due = _due(channels, now).values_list(*order)
    with transaction.atomic():
        ids = [row[2] for row in due.order_by(*order)[:limit]]
        if not ids:
            return []
        Delivery.objects.filter(id__in=ids, state=Delivery.State.PENDING).update(
            state=Delivery.State.SENDING, claimed_at=now
        )
    return list(
        Delivery.objects.filter(id__in=ids, state=Delivery.State.SENDING, claimed_at=now)
        .select_related("subscriber")
        .order_by("priority", "next_attempt_at", "id")
    )


def _backoff(attempts: int) -> timedelta:
    base = settings.CHANNELS_RETRY_BASE_SECONDS
    seconds = min(base * 2 ** max(attempts - 1, 0), settings.CHANNELS_RETRY_MAX_SECONDS)
    # Up to a quarter more, at random, so chats that failed together do not retry together.
    return timedelta(seconds=seconds * (1 + secrets.randbelow(250) / 1000))


def _record(delivery: Delivery, outcome: str | BaseException, transport: Transport) -> str:
    """Write one send's result; returns the state it left the delivery in."""
    now = timezone.now()
    sending = Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.SENDING)
    if isinstance(outcome, str):
        sending.update(
            state=Delivery.State.SENT,
            message_id=outcome[:255],
            sent_at=now,
            attempts=F("attempts") + 1,
            error="",
        )
        return Delivery.State.SENT
    if isinstance(outcome, DeliveryRetryLater):
        transport.pace().pause(outcome.seconds)
        sending.update(
            state=Delivery.State.PENDING,
            next_attempt_at=now + timedelta(seconds=outcome.seconds),
            error=str(outcome)[:500],
        )
        return Delivery.State.PENDING
    attempts = delivery.attempts + 1
    if isinstance(outcome, DeliveryTransientError) and attempts < settings.CHANNELS_MAX_ATTEMPTS:
        sending.update(
            state=Delivery.State.PENDING,
            attempts=attempts,
            next_attempt_at=now + _backoff(attempts),
            error=str(outcome)[:500],
        )
        return Delivery.State.PENDING
    if not isinstance(outcome, DeliveryTransientError | DeliveryRefused):
        logger.exception("delivery %s failed unexpectedly", delivery.pk, exc_info=outcome)
    sending.update(state=Delivery.State.FAILED, attempts=attempts, error=str(outcome)[:500])
    if isinstance(outcome, DeliveryRefused) and outcome.address_gone and delivery.subscriber_id:
        # A chat that blocked the bot (or a mailbox that no longer exists) is unsubscribed, so
        # the next publication does not try it again.
        Subscriber.objects.filter(pk=delivery.subscriber_id).update(
            status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=now
        )
    return Delivery.State.FAILED


def _defer(delivery: Delivery, until: float) -> None:
    """Put a delivery back until its chat's own pace allows it; not an attempt."""
    Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.SENDING).update(
        state=Delivery.State.PENDING,
        next_attempt_at=timezone.now() + timedelta(seconds=max(until - time.monotonic(), 0)),
    )


@dataclass
class _TargetPace:
    """When each chat or channel may next receive a message (Telegram: 1/s per chat)."""

    next_at: dict[tuple[str, str], float] = field(default_factory=dict)

    def take(self, delivery: Delivery, interval: float) -> float | None:
        """Reserve the delivery's slot; None when it may go now, else when it may."""
        key = (delivery.channel, delivery.target)
        now = time.monotonic()
        at = self.next_at.get(key, 0.0)
        if at > now:
            return at
        self.next_at[key] = now + interval
        return None


def _seconds_until_due(channels: tuple[str, ...]) -> float | None:
    # Per channel, each the first row of an index scan (channels_delivery_next).
    times = [
        at
        for channel in channels
        if (
            at := Delivery.objects.filter(
                channel=channel, state=Delivery.State.PENDING, message_id=""
            )
            .order_by("next_attempt_at")
            .values_list("next_attempt_at", flat=True)
            .first()
        )
        is not None
    ]
    if not times:
        return None
    earliest = min(times)
    return max((earliest - timezone.now()).total_seconds(), 0.0)


def _send_one(
    send: Callable[[Delivery, Publication], str],
    pacer: Pacer,
    delivery: Delivery,
    publication: Publication,
) -> str:
    pacer.wait()
    return send(delivery, publication)


def deliveries_send(*, transport_name: str, budget_seconds: float | None = None) -> int:
    """Send the transport's due deliveries until none are due or the budget is spent.

    Returns how many were sent; 0 at once when another dispatcher holds the transport's lease
    (it picks up new deliveries itself). Re-enqueues itself when work remains at the end.
    """
    transport = _transports()[transport_name]
    token = secrets.token_hex(8)
    if not _lease_take(transport.name, token):
        return 0
    budget = settings.CHANNELS_DISPATCH_SECONDS if budget_seconds is None else budget_seconds
    deadline = time.monotonic() + budget
    sent = 0
    publications: dict[int, Publication] = {}
    target_pace = _TargetPace()
    pacer = transport.pace()
    thread_senders = threading.local()

    def send_in_thread(delivery: Delivery, publication: Publication) -> str:
        if not hasattr(thread_senders, "send"):
            thread_senders.send = transport.sender()
        return _send_one(thread_senders.send, pacer, delivery, publication)

    batch: list[Delivery] = []
    try:
        with ThreadPoolExecutor(transport.threads, thread_name_prefix=transport.name) as pool:
            batch = _claim(transport.channels, settings.CHANNELS_BATCH_SIZE)
            while True:
                if not batch:
                    wait = _seconds_until_due(transport.channels)
                    if wait is None or wait > deadline - time.monotonic():
                        break
                    time.sleep(max(wait, 0.01))
                    batch = _claim(transport.channels, settings.CHANNELS_BATCH_SIZE)
                    continue
                _publications_load(publications, {d.publication_id for d in batch})
                futures: dict[Future[str], Delivery] = {}
                for delivery in batch:
                    later = target_pace.take(delivery, transport.target_interval(delivery.channel))
                    if later is not None:
                        _defer(delivery, later)
                        continue
                    publication = publications[delivery.publication_id]
                    futures[pool.submit(send_in_thread, delivery, publication)] = delivery
                # The next batch is claimed while this one is on the wire, so the pace never
                # waits for the database.
                batch = []
                if time.monotonic() < deadline:
                    batch = _claim(transport.channels, settings.CHANNELS_BATCH_SIZE)
                for future in as_completed(futures):
                    error = future.exception()
                    state = _record(futures[future], error or future.result(), transport)
                    sent += state == Delivery.State.SENT
                if not _lease_keep(transport.name, token):
                    logger.warning("the %s dispatcher lost its lease", transport.name)
                    break
                if time.monotonic() >= deadline:
                    break
    finally:
        # A batch claimed but not sent goes back at once rather than waiting for the sweep.
        _unclaim(batch)
        _lease_release(transport.name, token)
    if _seconds_until_due(transport.channels) == 0.0:
        from .tasks import deliveries_send_task

        deliveries_send_task.enqueue(transport_name=transport.name)
    return sent


def _unclaim(batch: list[Delivery]) -> None:
    if batch:
        Delivery.objects.filter(pk__in=[d.pk for d in batch], state=Delivery.State.SENDING).update(
            state=Delivery.State.PENDING
        )


def _publications_load(loaded: dict[int, Publication], ids: set[int]) -> None:
    missing = ids - loaded.keys()
    if missing:
        loaded.update(Publication.objects.in_bulk(missing))


def deliveries_sweep() -> dict[str, int]:
    """Put back deliveries a dead worker left in "sending", and start a dispatcher for each
    transport with due deliveries (a lost enqueue, a retry due after a run ended)."""
    stuck_before = timezone.now() - timedelta(seconds=settings.CHANNELS_STUCK_SECONDS)
    returned = Delivery.objects.filter(
        state=Delivery.State.SENDING, claimed_at__lt=stuck_before, message_id=""
    ).update(
        state=Delivery.State.PENDING, attempts=F("attempts") + 1, next_attempt_at=F("claimed_at")
    )
    started = 0
    from .tasks import deliveries_send_task

    now = timezone.now()
    for name, transport in _transports().items():
        if _due(transport.channels, now).exists():
            deliveries_send_task.enqueue(transport_name=name)
            started += 1
    return {"returned": returned, "started": started}
