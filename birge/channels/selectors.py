"""Reads of the channels domain for the staff screens: publications with their delivery counts,
the counts per channel, the failures to look into.

A subscriber's address (a chat id, a mailbox) is personal data and never leaves this module:
staff see a Telegram channel's public @name, and for every other delivery only its id.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypedDict

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from birge.core.privacy import mask_personal_data

from .models import Channel, Delivery, Publication

FAILED_DELIVERIES_SHOWN = 100
# The text of a citizen's personal notice is theirs (it can hold an unsubscribe link), and
# there is one per citizen: staff screens leave notices out.
STAFF_KINDS_EXCLUDED = (Publication.Kind.NOTICE,)
WAITING_STATES = (Delivery.State.PENDING, Delivery.State.SENDING)


class ChannelSummary(TypedDict):
    channel: str
    label: str
    pending: int
    sending: int
    sent: int
    failed: int
    cancelled: int


@dataclass(frozen=True)
class FailedDelivery:
    """A failed delivery as staff see it: no field holds a subscriber's address."""

    id: int
    channel: str
    channel_label: str
    language: str
    attempts: int
    error: str
    # A Telegram channel's public @name; empty for a subscriber's chat or mailbox.
    public_target: str


@dataclass(frozen=True)
class PublicationText:
    language: str
    language_name: str
    title: str
    summary: str
    url: str


def _deliveries_counted(states: Q) -> Coalesce:
    # A correlated count per row rather than a JOIN … GROUP BY: the database counts only the
    # deliveries of the page's 50 publications, not of every publication ever sent.
    counted = (
        Delivery.objects.filter(states, publication=OuterRef("pk"))
        .order_by()
        .values("publication")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def publication_list(*, status: str | None, kind: str | None) -> QuerySet[Publication]:
    """Publications newest first, each with its deliveries counted per state, in one query."""
    publications = (
        Publication.objects.exclude(kind__in=STAFF_KINDS_EXCLUDED)
        .annotate(
            sent_count=_deliveries_counted(Q(state=Delivery.State.SENT)),
            waiting_count=_deliveries_counted(Q(state__in=WAITING_STATES)),
            failed_count=_deliveries_counted(Q(state=Delivery.State.FAILED)),
            cancelled_count=_deliveries_counted(Q(state=Delivery.State.CANCELLED)),
        )
        .order_by("-created_at", "-id")
    )
    if status:
        publications = publications.filter(status=status)
    if kind:
        publications = publications.filter(kind=kind)
    return publications


def publications_held() -> QuerySet[Publication]:
    """Urgent alerts waiting for a second coordinator, the longest waiting first."""
    return (
        Publication.objects.filter(status=Publication.Status.HELD)
        .exclude(kind__in=STAFF_KINDS_EXCLUDED)
        .select_related("created_by")
        .order_by("created_at", "id")
    )


def publication_get(*, publication_id: int) -> Publication:
    """A publication with its audience and people; 404 for an unknown one or a notice."""
    publication = (
        Publication.objects.exclude(kind__in=STAFF_KINDS_EXCLUDED)
        .select_related("created_by", "approved_by")
        .prefetch_related("regions", "topics")
        .filter(pk=publication_id)
        .first()
    )
    if publication is None:
        raise Http404
    return publication


def delivery_get(*, delivery_id: int) -> Delivery:
    """A delivery of a publication staff may see; 404 otherwise."""
    delivery = (
        Delivery.objects.exclude(publication__kind__in=STAFF_KINDS_EXCLUDED)
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None:
        raise Http404
    return delivery


def publication_texts(publication: Publication) -> list[PublicationText]:
    """The publication's text in each language it has, in the site's order of languages."""
    return [
        PublicationText(
            language=code,
            language_name=str(name),
            title=str(publication.texts[code].get("title", "")),
            summary=str(publication.texts[code].get("summary", "")),
            url=str(publication.texts[code].get("url", "")),
        )
        for code, name in settings.LANGUAGES
        if code in publication.texts
    ]


def publication_channel_summary(publication: Publication) -> list[ChannelSummary]:
    """One row per chosen channel with its deliveries counted per state, in one GROUP BY."""
    counts: dict[str, Mapping[str, Any]] = {
        row["channel"]: row
        for row in Delivery.objects.filter(publication=publication)
        .order_by()
        .values("channel")
        .annotate(
            pending=Count("pk", filter=Q(state=Delivery.State.PENDING)),
            sending=Count("pk", filter=Q(state=Delivery.State.SENDING)),
            sent=Count("pk", filter=Q(state=Delivery.State.SENT)),
            failed=Count("pk", filter=Q(state=Delivery.State.FAILED)),
            cancelled=Count("pk", filter=Q(state=Delivery.State.CANCELLED)),
        )
    }
    # A chosen channel with nothing to send (no subscribers yet, a held alert) shows its zeros.
    shown = set(counts) | set(publication.channels)
    summary = []
    for channel in Channel:
        if channel not in shown:
            continue
        row = counts.get(channel, {})
        summary.append(
            ChannelSummary(
                channel=channel.value,
                label=str(channel.label),
                pending=row.get("pending", 0),
                sending=row.get("sending", 0),
                sent=row.get("sent", 0),
                failed=row.get("failed", 0),
                cancelled=row.get("cancelled", 0),
            )
        )
    return summary


def _error_for_staff(error: str, *, address: str) -> str:
    # Mail servers and Telegram repeat the recipient in their refusals.
    if address:
        error = error.replace(address, "[address]")
    return mask_personal_data(error)


def publication_failed_deliveries(
    publication: Publication, limit: int = FAILED_DELIVERIES_SHOWN
) -> list[FailedDelivery]:
    """The publication's failed deliveries, oldest first, without any subscriber's address."""
    rows = (
        Delivery.objects.filter(publication=publication, state=Delivery.State.FAILED)
        .order_by("id")
        .values_list("pk", "channel", "language", "attempts", "error", "target")[:limit]
    )
    failed = []
    for pk, channel, language, attempts, error, target in rows:
        public = channel == Channel.TELEGRAM_CHANNEL
        failed.append(
            FailedDelivery(
                id=pk,
                channel=channel,
                channel_label=str(Channel(channel).label),
                language=language,
                attempts=attempts,
                error=error if public else _error_for_staff(error, address=target),
                public_target=target if public else "",
            )
        )
    return failed
