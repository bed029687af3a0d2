"""The appeals part of the JSON API (mounted at /api/v1/appeals).

Contract (stable; the contact centre 109, the Telegram bot and bench/appeals rely on it):

    Callers: an API client sends `Authorization: Bearer <key>` (keys are issued in the admin,
    /admin/api-clients/); its channel and its limit (requests per minute, all endpoints together)
    are the client's. A caller without the header is anonymous: the "web" channel, limited per
    address (BIRGE_API_ANONYMOUS_PER_MINUTE for POST, BIRGE_API_ANONYMOUS_STATUS_PER_MINUTE for
    GET). Every refusal is {"error", "message"} JSON in the caller's Accept-Language:
      401 {"error": "unauthorized"}   the key is malformed, unknown or revoked
      403 {"error": "forbidden"}      the client lacks the endpoint's scope
      415 {"error": "unsupported_media_type"}   a POST whose Content-Type is not application/json
      429 {"error": "rate_limited"}   over the limit; Retry-After says when to try again

    POST /api/v1/appeals                    scope appeals.submit, or anonymous
      headers: Content-Type: application/json; Idempotency-Key: <any string up to 255> (optional,
               strongly advised: a retry by the same client with the same key and body returns
               the first response and creates no second appeal; the same key with another body
               answers 422; another client's same key is a different key. Anonymous keys are
               shared, and a replay must also come from the same address.)
      body: {"kind": "question"|"appeal", "text": str (1..10000 chars), "topic": slug|null,
             "region": ISO 3166-2 code e.g. "KZ-75", "language": "kk"|"ru"|"en",
             "contact_email": str|null, "contact_phone": str|null, "consent": bool}
            A "channel" field, which callers used to send, is ignored: the caller cannot choose it.
      201 {"tracking_code": "ABCDE-FGHJK", "status": "registered", "tracking_url": "https://..."}
      422 {"error": "invalid_input"|"idempotency_conflict", "message": str, "details": [...]}

    GET /api/v1/appeals/{tracking_code}     scope appeals.read, or anonymous
      200 {"tracking_code", "status", "status_label", "registered_at", "due_at", "clock",
           "agency"} — no personal data; 404 {"error": "not_found", "message"} when unknown.
"""

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Header, Router, Schema, Status

from birge.api.problems import REFUSALS, Problem, validation_details
from birge.api.scopes import scope_register
from birge.api.security import ANONYMOUS_ALLOWED, ApiKeyBearer, api_client_of
from birge.core.ratelimit import client_key
from birge.core.selectors import region_by_code, topic_by_slug

from .clock import clock_state
from .models import TEXT_MAX_LENGTH, Appeal
from .notify import tracking_url
from .selectors import appeal_get_by_code
from .services import appeal_submit, appeal_submit_idempotent

router = Router(tags=["appeals"])

APPEALS_SUBMIT = scope_register("appeals.submit", gettext_lazy("Submit questions and appeals"))
APPEALS_READ = scope_register(
    "appeals.read", gettext_lazy("Read an appeal's status by its tracking code")
)


class AppealIn(Schema):
    kind: Literal["question", "appeal"] = "question"
    text: str
    topic: str | None = None
    region: str = "KZ"
    language: Literal["kk", "ru", "en"] = "kk"
    contact_email: str | None = None
    contact_phone: str | None = None
    consent: bool = False


class AppealCreated(Schema):
    tracking_code: str
    status: str
    tracking_url: str


class AppealStatus(Schema):
    tracking_code: str
    status: str
    status_label: str
    registered_at: datetime
    due_at: datetime | None
    clock: str
    agency: str | None


@router.post(
    "",
    auth=ApiKeyBearer(APPEALS_SUBMIT, anonymous_limit="BIRGE_API_ANONYMOUS_PER_MINUTE"),
    openapi_extra=ANONYMOUS_ALLOWED,
    response={201: AppealCreated, 422: Problem, **REFUSALS},
)
def appeal_create(
    request: HttpRequest,
    payload: AppealIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Any:
    client = api_client_of(request)
    body = payload.model_dump()
    if client is None:
        # Anonymous callers share one namespace of keys: binding the key to the address as well
        # keeps another address that sends the same key and body from receiving this caller's
        # private tracking link (it gets the conflict instead).
        body["anonymous_address"] = client_key(request)
    text = payload.text.strip()
    if not text:
        return Status(422, _invalid(_("Write the question."), "text"))
    if len(text) > TEXT_MAX_LENGTH:
        message = _("Shorten the text to %(limit)s characters; it has %(length)s.") % {
            "limit": TEXT_MAX_LENGTH,
            "length": len(text),
        }
        return Status(422, _invalid(message, "text"))
    region = region_by_code(payload.region)
    if region is None:
        return Status(422, _invalid(_("Unknown region code."), "region"))
    topic = None
    if payload.topic:
        topic = topic_by_slug(payload.topic)
        if topic is None:
            return Status(422, _invalid(_("Unknown topic."), "topic"))
    if idempotency_key is not None and len(idempotency_key) > 255:
        return Status(422, _invalid(_("The Idempotency-Key is longer than 255 characters."), ""))
    fields: dict[str, Any] = {
        "kind": payload.kind,
        "text": text,
        "topic": topic,
        "region": region,
        "language": payload.language,
        "contact_email": payload.contact_email or "",
        "contact_phone": payload.contact_phone or "",
        "consent": payload.consent,
        "channel": Appeal.Channel(client.channel) if client else Appeal.Channel.WEB,
        "api_client": client,
    }
    try:
        if idempotency_key:
            outcome = appeal_submit_idempotent(key=idempotency_key, body=body, **fields)
            appeal = outcome.appeal
        else:
            appeal = appeal_submit(**fields)
    except ValidationError as error:
        return Status(
            422,
            {
                "error": "invalid_input",
                "message": _("The request is not valid."),
                "details": validation_details(error),
            },
        )
    if appeal is None:
        return Status(
            422,
            {
                "error": "idempotency_conflict",
                "message": _(
                    "This Idempotency-Key was already used with a different request body. "
                    "Use a new key for a new appeal."
                ),
                "details": [],
            },
        )
    # A replay answers exactly as the first response did: the appeal as it was registered.
    return Status(
        201,
        {
            "tracking_code": appeal.tracking_code,
            "status": Appeal.Status.REGISTERED.value,
            "tracking_url": tracking_url(appeal),
        },
    )


def _invalid(message: str, field: str) -> dict[str, Any]:
    return {
        "error": "invalid_input",
        "message": message,
        "details": [{"field": field, "message": message}],
    }


@router.get(
    "/{tracking_code}",
    auth=ApiKeyBearer(APPEALS_READ, anonymous_limit="BIRGE_API_ANONYMOUS_STATUS_PER_MINUTE"),
    openapi_extra=ANONYMOUS_ALLOWED,
    response={200: AppealStatus, 404: Problem, **REFUSALS},
)
def appeal_status(request: HttpRequest, tracking_code: str) -> Any:
    appeal = appeal_get_by_code(tracking_code)
    if appeal is None:
        return Status(
            404, {"error": "not_found", "message": _("No appeal has this tracking code.")}
        )
    return Status(
        200,
        {
            "tracking_code": appeal.tracking_code,
            "status": appeal.status,
            "status_label": str(appeal.get_status_display()),
            "registered_at": appeal.registered_at,
            "due_at": appeal.due_at,
            "clock": clock_state(appeal),
            "agency": appeal.agency.name if appeal.agency else None,
        },
    )
