"""Intake: a citizen's question or appeal is registered in one short transaction.

Routing, matching and notifications are not done here: they run after commit in tasks, so the
intake stays a handful of INSERTs however busy the day is.
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from birge.core.audit import audit_log
from birge.core.models import Region, Topic

from ..clock import term_start
from ..models import Appeal, AppealEvent, IdempotencyRecord


@transaction.atomic(savepoint=False)
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
) -> Appeal:
    """Register the appeal and start its legal clock; routing follows after commit."""
    from ..tasks import appeal_route_task

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
    )
    if attachment is not None:
        appeal.attachment = attachment
    # Region and topic are model instances the caller looked up, and the tracking code's
    # uniqueness is the database's to enforce (a 50-bit random code): skipping those checks
    # keeps the intake at its INSERTs.
    appeal.full_clean(exclude=["attachment", "region", "topic"], validate_unique=False)
    appeal.save()
    AppealEvent.objects.create(appeal=appeal, at=now, kind=AppealEvent.Kind.REGISTERED)
    audit_log(
        actor=None,
        action="appeals.appeal.submitted",
        target=appeal,
        summary=f"kind: {kind}; channel: {channel}",
    )
    appeal_id = appeal.pk
    transaction.on_commit(lambda: appeal_route_task.enqueue(appeal_id=appeal_id))
    return appeal


def request_fingerprint(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class IdempotentOutcome:
    status_code: int
    body: dict[str, Any]
    conflict: bool = False


def idempotent_replay(*, key: str, body: dict[str, Any]) -> IdempotentOutcome | None:
    """The stored response for a retried request; a conflict if the key came with another body."""
    record = IdempotencyRecord.objects.filter(key=key).first()
    if record is None:
        return None
    if record.body_hash != request_fingerprint(body):
        return IdempotentOutcome(status_code=422, body={}, conflict=True)
    return IdempotentOutcome(status_code=record.status_code, body=record.response)


def appeal_submit_idempotent(
    *, key: str, body: dict[str, Any], submit: Any, respond: Any
) -> IdempotentOutcome:
    """Run `submit()` once per Idempotency-Key, storing `respond(appeal)` with the appeal.

    The record and the appeal commit together; when two requests with one key race, the loser's
    transaction (its appeal included) rolls back and it replays the winner's response.
    """
    replay = idempotent_replay(key=key, body=body)
    if replay is not None:
        return replay
    try:
        with transaction.atomic():
            appeal = submit()
            status_code, response = respond(appeal)
            IdempotencyRecord.objects.create(
                key=key,
                body_hash=request_fingerprint(body),
                status_code=status_code,
                response=response,
            )
    except IntegrityError:
        replay = idempotent_replay(key=key, body=body)
        if replay is None:
            raise
        return replay
    return IdempotentOutcome(status_code=status_code, body=response)
