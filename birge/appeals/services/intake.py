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
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from birge.api.models import ApiClient
from birge.core.models import Region, Topic
from birge.core.text import name_clean, phone_clean, text_clean

from ..clock import term_start
from ..models import TEXT_MAX_LENGTH, Appeal
from .routing import appeals_route_pending_task

_route_enqueued_at = 0.0
_route_lock = threading.Lock()


def appeal_submit(
    *,
    kind: Appeal.Kind,
    text: str,
    region: Region,
    language: str,
    topic: Topic | None = None,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    telegram_chat_id: str = "",
    consent: bool = False,
    channel: Appeal.Channel = Appeal.Channel.WEB,
    api_client: ApiClient | None = None,
    attachment: UploadedFile | None = None,
    idempotency_key: str | None = None,
    request_fingerprint: str = "",
) -> Appeal:
    """Register the appeal and start its legal clock; routing follows after commit.

    Raises ValidationError by field for what the citizen typed (cleaned by birge.core.text, the
    same for every channel), IntegrityError when `api_client` used `idempotency_key` before
    (see appeal_submit_idempotent).
    """
    typed = _typed_clean(
        text=text,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
    )
    now = timezone.now()
    term = term_start(now)
    appeal = Appeal(
        kind=kind,
        topic=topic,
        region=region,
        language=language,
        **typed,
        telegram_chat_id=telegram_chat_id,
        consent=consent,
        channel=channel,
        api_client=api_client,
        registered_at=now,
        due_at=term.due_at,
        term_limit_at=term.limit_at,
        idempotency_key=idempotency_key,
        request_fingerprint=request_fingerprint,
    )
    if attachment is not None:
        appeal.attachment = attachment
    # Region, topic and client are instances the caller looked up; the unique codes and the key
    # are the database's to enforce. Skipping those checks keeps the intake at its single INSERT.
    appeal.full_clean(
        exclude=["attachment", "region", "topic", "api_client"],
        validate_unique=False,
        validate_constraints=False,
    )
    # One statement needs no transaction of its own; inside a caller's transaction a savepoint
    # keeps a duplicate key from breaking it.
    with transaction.atomic() if connection.in_atomic_block else nullcontext():
        appeal.save(force_insert=True)
    _route_soon()
    return appeal


def _typed_clean(
    *, text: str, contact_name: str, contact_email: str, contact_phone: str
) -> dict[str, str]:
    """The fields the citizen typed, cleaned; raises ValidationError with every field's errors."""
    errors: dict[str, list[ValidationError]] = {}
    typed = {"text": text_clean(text), "contact_email": text_clean(contact_email)}
    if not typed["text"]:
        errors["text"] = [ValidationError(_("Write the question."), code="required")]
    elif len(typed["text"]) > TEXT_MAX_LENGTH:
        message = _("Shorten the text to %(limit)s characters; it has %(length)s.") % {
            "limit": TEXT_MAX_LENGTH,
            "length": len(typed["text"]),
        }
        errors["text"] = [ValidationError(message, code="max_length")]
    for field, clean, value in (
        ("contact_name", name_clean, contact_name),
        ("contact_phone", phone_clean, contact_phone),
    ):
        try:
            typed[field] = clean(value)
        except ValidationError as error:
            errors[field] = error.error_list
    if errors:
        raise ValidationError(errors)
    return typed


def _route_soon() -> None:
    """Enqueue the routing sweep after commit, at most once per interval in this process."""
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


def appeal_submit_idempotent(
    *, key: str, body: dict[str, Any], api_client: ApiClient | None = None, **fields: Any
) -> IdempotentOutcome:
    """Submit once per client and Idempotency-Key: a retry with the same body gets the same
    appeal back, the same key with another body a conflict; another client's key is another
    key. Two racing requests with one key both end with the winner's appeal (the loser's INSERT
    fails on the unique key)."""
    fingerprint = request_fingerprint(body)
    try:
        appeal = appeal_submit(
            idempotency_key=key, request_fingerprint=fingerprint, api_client=api_client, **fields
        )
    except IntegrityError:
        existing = Appeal.objects.filter(api_client=api_client, idempotency_key=key).first()
        if existing is None:
            raise
        if existing.request_fingerprint != fingerprint:
            return IdempotentOutcome(appeal=None, conflict=True)
        return IdempotentOutcome(appeal=existing, replayed=True)
    return IdempotentOutcome(appeal=appeal)
