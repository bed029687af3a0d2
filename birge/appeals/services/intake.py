"""Intake: a citizen's question or appeal is registered with one INSERT.

Nothing else happens on the request path. The registration is recorded in the history and the
audit log, and the appeal routed, by `appeals_route_pending` in a task after commit; under load
that task is enqueued at most once a second per process and sweeps every new appeal, so a burst
of submissions costs one task, not one per appeal (docs/benchmarks.md, "Appeals intake").
"""

import hashlib
import json
import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from birge.core.models import Region, Topic

from ..clock import term_start
from ..models import Appeal

_route_enqueued_at = 0.0
_route_lock = threading.Lock()


def appeal_submit(
    *,
    kind: str,
    text: str,
    region: Region,
    language: str,
    topic: Topic | None = None,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    consent: bool = False,
    channel: str = Appeal.Channel.WEB,
    attachment: UploadedFile | None = None,
    idempotency_key: str | None = None,
    request_fingerprint: str = "",
) -> Appeal:
    """Register the appeal and start its legal clock; routing follows after commit.

    Raises IntegrityError when `idempotency_key` was used before (see appeal_submit_idempotent).
    """
    now = timezone.now()
    term = term_start(now)
    appeal = Appeal(
        kind=kind,
        text=text,
        topic=topic,
        region=region,
        language=language,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        contact_phone=contact_phone.strip(),
        consent=consent,
        channel=channel,
        registered_at=now,
        due_at=term.due_at,
        term_limit_at=term.limit_at,
        idempotency_key=idempotency_key,
        request_fingerprint=request_fingerprint,
    )
    if attachment is not None:
        appeal.attachment = attachment
    # Region and topic are instances the caller looked up; the unique codes and the key are the
    # database's to enforce. Skipping those checks keeps the intake at its single INSERT.
    appeal.full_clean(
        exclude=["attachment", "region", "topic"], validate_unique=False, validate_constraints=False
    )
    # One statement needs no transaction of its own; inside a caller's transaction a savepoint
    # keeps a duplicate key from breaking it.
    with transaction.atomic() if connection.in_atomic_block else nullcontext():
        appeal.save(force_insert=True)
    _route_soon()
    return appeal


def _route_soon() -> None:
    """Enqueue the routing sweep after commit, at most once per interval in this process."""
    from ..tasks import appeals_route_pending_task

    global _route_enqueued_at
    now = time.monotonic()
    with _route_lock:
        if now - _route_enqueued_at < settings.BIRGE_APPEALS_ROUTE_COALESCE_SECONDS:
            return
        _route_enqueued_at = now
    transaction.on_commit(appeals_route_pending_task.enqueue)


def request_fingerprint(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class IdempotentOutcome:
    appeal: Appeal | None
    replayed: bool = False
    conflict: bool = False


def appeal_submit_idempotent(*, key: str, body: dict[str, Any], **fields: Any) -> IdempotentOutcome:
    """Submit once per Idempotency-Key: a retry with the same body gets the same appeal back,
    the same key with another body a conflict. Two racing requests with one key both end with
    the winner's appeal (the loser's INSERT fails on the unique key)."""
    fingerprint = request_fingerprint(body)
    try:
        appeal = appeal_submit(idempotency_key=key, request_fingerprint=fingerprint, **fields)
    except IntegrityError:
        existing = Appeal.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        if existing.request_fingerprint != fingerprint:
            return IdempotentOutcome(appeal=None, conflict=True)
        return IdempotentOutcome(appeal=existing, replayed=True)
    return IdempotentOutcome(appeal=appeal)
