"""Writes of the channels domain: publications and their deliveries, notices, subscriptions.

Every domain announces through `publication_create` (and a citizen's own message through
`notice_send`); the deliveries are written in the same transaction, and the dispatchers are
started after commit. The clock's sweep starts them too, so a lost enqueue only delays.
"""

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import (
    Case,
    CharField,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from birge.core.access import StaffUser, ensure_can
from birge.core.audit import audit_log
from birge.core.models import Region, Topic
from birge.core.text import text_clean

from .access import DELIVERY_RETRY, PUBLICATION_APPROVE, PUBLICATION_CREATE
from .models import Channel, Delivery, Publication, Subscriber
from .outbox import dispatcher_running, transport_for
from .tasks import deliveries_send_task
from .transports import absolute_url

logger = logging.getLogger(__name__)

PRIORITY_URGENT = 0
PRIORITY_NOTICE = 10
PRIORITY_NORMAL = 50

# "html" and "buttons" are a chat reply's: its Telegram HTML and its inline keyboard.
TEXT_FIELDS = ("title", "summary", "url", "agency", "items", "html", "buttons")


def _texts_clean(texts: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    languages = {code for code, _name in settings.LANGUAGES}
    cleaned: dict[str, dict[str, Any]] = {}
    for language, text in texts.items():
        if language not in languages:
            raise ValidationError(_("Unknown language: %(code)s") % {"code": language})
        unknown = set(text) - set(TEXT_FIELDS)
        if unknown:
            raise ValidationError(f"unknown text fields: {sorted(unknown)}")
        entry = {
            key: text_clean(value).strip() if isinstance(value, str) else value
            for key, value in text.items()
        }
        if not entry.get("title"):
            raise ValidationError(_("Every language needs a title."))
        cleaned[language] = entry
    if not cleaned:
        raise ValidationError(_("Write the text in at least one language."))
    return cleaned


def _enqueue_after_commit(channels: Iterable[str]) -> None:
    for name in sorted({transport_for(c) for c in channels if c != Channel.FEED}):

        def enqueue(name: str = name) -> None:
            # A running dispatcher finds what was committed before it let go of its lease: it
            # looks once more after releasing it (outbox.deliveries_send). So a burst of chat
            # replies costs one dispatcher run, not one task per reply.
            if dispatcher_running(name):
                return
            try:
                deliveries_send_task.enqueue(transport_name=name)
            except Exception:
                # The publication is committed; with the queue away (Redis down) the clock's
                # sweep starts the dispatcher once it is back.
                logger.exception("could not start the %s dispatcher; the sweep will", name)

        transaction.on_commit(enqueue)


def _two_person_rule_applies(
    *, urgent: bool, regions: Sequence[Region], channels: list[str]
) -> bool:
    """An urgent alert to every subscriber in the country waits for a second coordinator."""
    return urgent and not regions and bool(set(channels) - {Channel.FEED})


@transaction.atomic
def publication_create(
    *,
    kind: str,
    source_kind: str,
    source_key: str,
    texts: Mapping[str, Mapping[str, Any]],
    channels: Iterable[str],
    regions: Sequence[Region] = (),
    topics: Sequence[Topic] = (),
    urgent: bool = False,
    photo_url: str = "",
    actor: StaffUser | None = None,
) -> Publication:
    """Announce something once: the publication and all its deliveries, in one transaction.

    Idempotent on (source_kind, source_key): the same announcement twice gives the first one.
    An urgent alert to the whole country written by a person is held for a second coordinator
    (`publication_approve`); nothing is delivered until then.
    """
    existing = Publication.objects.filter(source_kind=source_kind, source_key=source_key).first()
    if existing is not None:
        return existing
    chosen = [str(Channel(c)) for c in dict.fromkeys(channels)]
    held = actor is not None and _two_person_rule_applies(
        urgent=urgent, regions=regions, channels=chosen
    )
    publication = Publication(
        kind=kind,
        source_kind=source_kind,
        source_key=source_key,
        texts=_texts_clean(texts),
        photo_url=photo_url,
        urgent=urgent,
        channels=chosen,
        status=Publication.Status.HELD if held else Publication.Status.RELEASED,
        created_by=actor,
        released_at=None if held else timezone.now(),
    )
    publication.full_clean(exclude=["regions", "topics"])
    try:
        with transaction.atomic():
            publication.save()
    except IntegrityError:
        # The same announcement committed meanwhile by another worker.
        return Publication.objects.get(source_kind=source_kind, source_key=source_key)
    publication.regions.set(regions)
    publication.topics.set(topics)
    audit_log(
        actor=actor,
        action="channels.publication.held" if held else "channels.publication.created",
        target=publication,
        summary=f"{publication.get_kind_display()}: {publication.title()}"[:500],
    )
    if not held:
        deliveries_create(publication)
    return publication


def deliveries_create(publication: Publication) -> None:
    """Write the publication's deliveries to every chosen channel, set-based; a second call for
    the same publication adds none.

    Subscribers get it in their language when it has one; an urgent alert reaches every
    subscriber in its regions in the first language it has, and ignores their topics.
    """
    now = timezone.now()
    priority = PRIORITY_URGENT if publication.urgent else PRIORITY_NORMAL
    languages = publication.languages()
    rows = []
    if Channel.FEED in publication.channels:
        rows += [
            Delivery(
                publication=publication,
                channel=Channel.FEED,
                target=language,
                language=language,
                state=Delivery.State.SENT,
                priority=priority,
                next_attempt_at=now,
                sent_at=now,
                created_at=now,
            )
            for language in languages
        ]
    if Channel.TELEGRAM_CHANNEL in publication.channels:
        rows += [
            Delivery(
                publication=publication,
                channel=Channel.TELEGRAM_CHANNEL,
                target=settings.TELEGRAM_CHANNELS[language],
                language=language,
                priority=priority,
                next_attempt_at=now,
                created_at=now,
            )
            for language in languages
            if language in settings.TELEGRAM_CHANNELS
        ]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    subscriber_channels = {Channel.TELEGRAM_BOT: Subscriber.Kind.TELEGRAM}
    # E-mail subscribers get urgent alerts at once and everything else in the daily digest.
    if publication.urgent or publication.kind == Publication.Kind.DIGEST:
        subscriber_channels[Channel.EMAIL] = Subscriber.Kind.EMAIL
    for channel, kind in subscriber_channels.items():
        if channel in publication.channels:
            _subscriber_deliveries_insert(
                publication, channel=channel, kind=kind, priority=priority, now=now
            )
    _enqueue_after_commit(publication.channels)


def _subscriber_deliveries_insert(
    publication: Publication, *, channel: str, kind: str, priority: int, now: datetime
) -> int:
    """INSERT … SELECT one delivery per matching subscriber: one statement for a million."""
    languages = publication.languages()
    subscribers = Subscriber.objects.filter(kind=kind, status=Subscriber.Status.ACTIVE)
    region_ids = list(publication.regions.values_list("pk", flat=True))
    if region_ids:
        subscribers = subscribers.filter(
            Q(all_regions=True)
            | Exists(
                Subscriber.regions.through.objects.filter(
                    subscriber_id=OuterRef("pk"), region_id__in=region_ids
                )
            )
        )
    topic_ids = list(publication.topics.values_list("pk", flat=True))
    if topic_ids and not publication.urgent:
        subscribers = subscribers.filter(
            Q(all_topics=True)
            | Exists(
                Subscriber.topics.through.objects.filter(
                    subscriber_id=OuterRef("pk"), topic_id__in=topic_ids
                )
            )
        )
    language: Case | F
    if publication.urgent:
        language = Case(
            When(language__in=languages, then=F("language")),
            default=Value(languages[0]),
            output_field=CharField(),
        )
    else:
        subscribers = subscribers.filter(language__in=languages)
        language = F("language")
    columns = {
        "publication_id": Value(publication.pk, output_field=IntegerField()),
        "channel": Value(channel, output_field=CharField()),
        "subscriber_id": F("pk"),
        "target": F("address"),
        "language": language,
        "state": Value(Delivery.State.PENDING, output_field=CharField()),
        "priority": Value(priority, output_field=IntegerField()),
        "attempts": Value(0, output_field=IntegerField()),
        "next_attempt_at": Value(now, output_field=DateTimeField()),
        "created_at": Value(now, output_field=DateTimeField()),
        "message_id": Value("", output_field=CharField()),
        "error": Value("", output_field=CharField()),
    }
    select = (
        subscribers.order_by()
        .annotate(**{f"col_{name}": expression for name, expression in columns.items()})
        .values_list(*(f"col_{name}" for name in columns))
    )
    sql, params = select.query.sql_with_params()
    table = connection.ops.quote_name(Delivery._meta.db_table)
    names = ", ".join(connection.ops.quote_name(name) for name in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) {sql} ON CONFLICT DO NOTHING", params)
        return max(cursor.rowcount, 0)


@transaction.atomic
def publication_approve(*, publication: Publication, actor: StaffUser) -> Publication:
    """The second coordinator releases a held alert: its deliveries are written now."""
    ensure_can(actor, PUBLICATION_APPROVE)
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if publication.status != Publication.Status.HELD:
        raise ValidationError(_("This publication is not waiting for approval."))
    if publication.created_by_id == actor.pk:
        raise ValidationError(
            _("An urgent alert to everyone needs a second coordinator: you wrote this one.")
        )
    publication.status = Publication.Status.RELEASED
    publication.approved_by = actor
    publication.released_at = timezone.now()
    publication.save(update_fields=["status", "approved_by", "released_at"])
    audit_log(
        actor=actor,
        action="channels.publication.approved",
        target=publication,
        summary=publication.title()[:500],
    )
    deliveries_create(publication)
    return publication


@transaction.atomic
def publication_cancel(*, publication: Publication, actor: StaffUser) -> int:
    """Stop a publication: a held one is never sent, a released one sends nothing more.

    Returns how many deliveries were stopped; what was already delivered stays delivered.
    """
    ensure_can(actor, PUBLICATION_CREATE)
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if publication.status == Publication.Status.CANCELLED:
        return 0
    publication.status = Publication.Status.CANCELLED
    publication.save(update_fields=["status"])
    stopped = publication.deliveries.filter(
        Q(state=Delivery.State.PENDING) | Q(channel=Channel.FEED)
    ).update(state=Delivery.State.CANCELLED)
    audit_log(
        actor=actor,
        action="channels.publication.cancelled",
        target=publication,
        summary=f"{publication.title()} — {stopped}"[:500],
    )
    return stopped


def publications_withdraw(*, source_kind: str, source_key_prefix: str) -> int:
    """Take withdrawn content out of the feed and stop what was not sent yet (an unpublish)."""
    return (
        Delivery.objects.filter(
            publication__source_kind=source_kind,
            publication__source_key__startswith=source_key_prefix,
        )
        .filter(Q(state=Delivery.State.PENDING) | Q(channel=Channel.FEED))
        .update(state=Delivery.State.CANCELLED)
    )


@transaction.atomic
def delivery_retry(*, delivery: Delivery, actor: StaffUser) -> Delivery:
    """Send a failed delivery again, from its first attempt."""
    ensure_can(actor, DELIVERY_RETRY)
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.state != Delivery.State.FAILED:
        raise ValidationError(_("Only a failed delivery can be sent again."))
    if delivery.subscriber_id and delivery.subscriber.status != Subscriber.Status.ACTIVE:  # type: ignore[union-attr]
        raise ValidationError(_("This subscriber has unsubscribed."))
    delivery.state = Delivery.State.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["state", "attempts", "next_attempt_at"])
    audit_log(
        actor=actor,
        action="channels.delivery.retried",
        target=delivery.publication,
        summary=f"{delivery.get_channel_display()} #{delivery.pk}",
    )
    _enqueue_after_commit([delivery.channel])
    return delivery


@transaction.atomic
def notice_send(
    *,
    source_kind: str,
    source_key: str,
    language: str,
    subject: str,
    body: str,
    url: str = "",
    email: str = "",
    telegram_chat_id: str = "",
    chat_html: str = "",
) -> Publication | None:
    """A message to one citizen (an answer is ready, a deadline moved) through the outbox: by
    e-mail, in their Telegram chat (as `chat_html` when given, Telegram's HTML), or both. None
    when there is nowhere to send it."""
    if not email and not telegram_chat_id:
        return None
    text = {"title": subject, "summary": body, "url": url}
    if chat_html:
        text["html"] = chat_html
    publication = publication_create(
        kind=Publication.Kind.NOTICE,
        source_kind=source_kind,
        source_key=source_key,
        texts={language: text},
        channels=[],
    )
    now = timezone.now()
    targets = [(Channel.EMAIL, email), (Channel.TELEGRAM_BOT, telegram_chat_id)]
    Delivery.objects.bulk_create(
        [
            Delivery(
                publication=publication,
                channel=channel,
                target=target,
                language=language,
                priority=PRIORITY_NOTICE,
                next_attempt_at=now,
                created_at=now,
            )
            for channel, target in targets
            if target
        ],
        ignore_conflicts=True,
    )
    _enqueue_after_commit([channel for channel, target in targets if target])
    return publication


@transaction.atomic(savepoint=False)
def chat_reply_send(
    *,
    chat_id: str,
    language: str,
    source_key: str,
    html: str,
    title: str,
    buttons: list[list[dict[str, str]]] | None = None,
) -> Publication:
    """The bot's answer to one update, through the outbox like any message: `html` is the
    message in Telegram's HTML, `title` its plain first words for the staff, `buttons` the rows
    of an inline keyboard. Called once per `source_key` (the update and the reply's place in
    it): the bot records each update it handles in the same transaction.

    Two INSERTs and no audit entry: a reply is the bot's, not a staff member's act, and a burst
    of checks is hundreds a second (docs/benchmarks.md, "Citizens' bot").
    """
    text: dict[str, Any] = {"title": title[:200] or "…", "html": html}
    if buttons:
        text["buttons"] = buttons
    now = timezone.now()
    publication = Publication.objects.create(
        kind=Publication.Kind.NOTICE,
        source_kind="bot.reply",
        source_key=source_key,
        texts={language: text},
        channels=[],
        released_at=now,
    )
    Delivery.objects.create(
        publication=publication,
        channel=Channel.TELEGRAM_BOT,
        target=str(chat_id),
        language=language,
        priority=PRIORITY_NOTICE,
        next_attempt_at=now,
        created_at=now,
    )
    _enqueue_after_commit([Channel.TELEGRAM_BOT])
    return publication


# --- Subscriptions ---------------------------------------------------------------------------


def _preferences_set(
    subscriber: Subscriber, *, regions: Sequence[Region], topics: Sequence[Topic]
) -> None:
    subscriber.all_regions = not regions
    subscriber.all_topics = not topics
    subscriber.save(update_fields=["all_regions", "all_topics"])
    subscriber.regions.set(regions)
    subscriber.topics.set(topics)


@transaction.atomic
def email_subscribe(
    *, email: str, language: str, regions: Sequence[Region] = (), topics: Sequence[Topic] = ()
) -> Subscriber:
    """Ask an address to confirm its subscription (double opt-in) with a link by e-mail.

    The answer on the page is the same whether or not the address was known, and an active
    subscription is not changed from the form: only its owner, by the link, can do that.
    """
    address = email.strip().lower()
    validate_email(address)
    subscriber, _created = Subscriber.objects.select_for_update().get_or_create(
        kind=Subscriber.Kind.EMAIL,
        address=address,
        defaults={"language": language},
    )
    template = "already_subscribed"
    if subscriber.status != Subscriber.Status.ACTIVE:
        subscriber.status = Subscriber.Status.PENDING
        subscriber.language = language
        subscriber.save(update_fields=["status", "language"])
        _preferences_set(subscriber, regions=regions, topics=topics)
        template = "confirm"
    with override(language):
        context = {
            "confirm_url": absolute_url(
                reverse("channels:subscribe_confirm", kwargs={"token": subscriber.token})
            ),
            "unsubscribe_url": absolute_url(
                reverse("channels:unsubscribe", kwargs={"token": subscriber.token})
            ),
        }
        subject = render_to_string(f"channels/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"channels/email/{template}.txt", context)
    # One confirmation request per address and day: the form cannot be used to flood a mailbox.
    day = timezone.now().date().isoformat()
    notice_send(
        source_kind="channels.subscribe",
        source_key=f"{subscriber.pk}:{template}:{day}",
        language=language,
        subject=subject,
        body=body,
        email=address,
    )
    return subscriber


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscriber | None:
    """The link in the confirmation e-mail: the subscription starts. None for a wrong link."""
    subscriber = Subscriber.objects.select_for_update().filter(token=token).first()
    if subscriber is None:
        return None
    if subscriber.status == Subscriber.Status.PENDING:
        subscriber.status = Subscriber.Status.ACTIVE
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["status", "confirmed_at"])
    return subscriber


@transaction.atomic
def subscription_end(*, token: str) -> Subscriber | None:
    """One-click unsubscribe: nothing more is sent, and what was waiting is stopped."""
    subscriber = Subscriber.objects.select_for_update().filter(token=token).first()
    if subscriber is None:
        return None
    _unsubscribe(subscriber)
    return subscriber


def _unsubscribe(subscriber: Subscriber) -> None:
    if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at"])
    Delivery.objects.filter(subscriber=subscriber, state=Delivery.State.PENDING).update(
        state=Delivery.State.CANCELLED
    )


@transaction.atomic
def telegram_subscribe(
    *, chat_id: str, language: str, regions: Sequence[Region] = (), topics: Sequence[Topic] = ()
) -> Subscriber:
    """A chat subscribes through the bot: the chat itself is the confirmation."""
    subscriber, _created = Subscriber.objects.select_for_update().get_or_create(
        kind=Subscriber.Kind.TELEGRAM, address=str(chat_id), defaults={"language": language}
    )
    subscriber.status = Subscriber.Status.ACTIVE
    subscriber.language = language
    subscriber.confirmed_at = subscriber.confirmed_at or timezone.now()
    subscriber.unsubscribed_at = None
    subscriber.save(update_fields=["status", "language", "confirmed_at", "unsubscribed_at"])
    _preferences_set(subscriber, regions=regions, topics=topics)
    return subscriber


@transaction.atomic
def telegram_unsubscribe(*, chat_id: str) -> bool:
    subscriber = (
        Subscriber.objects.select_for_update()
        .filter(kind=Subscriber.Kind.TELEGRAM, address=str(chat_id))
        .first()
    )
    if subscriber is None or subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        return False
    _unsubscribe(subscriber)
    return True


# --- The daily e-mail digest ------------------------------------------------------------------


def email_digest_send(*, now: datetime | None = None) -> list[Publication]:
    """One digest per language of what was published since the last digest, to every e-mail
    subscriber of that language. Urgent alerts went out at once and are left out."""
    now = now or timezone.now()
    last = (
        Publication.objects.filter(kind=Publication.Kind.DIGEST)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    since = last or now - timedelta(days=1)
    published = [
        publication
        for publication in Publication.objects.filter(
            status=Publication.Status.RELEASED,
            released_at__gt=since,
            released_at__lte=now,
            urgent=False,
        )
        .exclude(kind__in=[Publication.Kind.NOTICE, Publication.Kind.DIGEST])
        .order_by("released_at", "id")
        if Channel.EMAIL in publication.channels
    ]
    # The e-mail "delivery" of a non-urgent publication is its place in the digest.
    digests = []
    for code, _name in settings.LANGUAGES:
        items = [
            {
                "title": p.texts[code].get("title", ""),
                "summary": p.texts[code].get("summary", ""),
                "url": p.texts[code].get("url", ""),
            }
            for p in published
            if code in p.texts
        ]
        if not items:
            continue
        with override(code):
            title = _("Birge: what was published on %(date)s") % {
                "date": timezone.localdate(now).strftime("%d.%m.%Y")
            }
        digests.append(
            publication_create(
                kind=Publication.Kind.DIGEST,
                source_kind="channels.digest",
                source_key=f"{code}:{timezone.localdate(now).isoformat()}",
                texts={code: {"title": title, "items": items}},
                channels=[Channel.EMAIL],
            )
        )
    return digests


@task()
def email_digest_send_task() -> int:
    return len(email_digest_send())
