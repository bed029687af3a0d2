"""The claims part of the JSON API (mounted at /api/v1/claims).

Contract:

    POST /api/v1/claims/check               scope claims.check, or anonymous
      headers: Authorization: Bearer <key> (optional; see birge/appeals/api.py for callers, their
               limits and the 401/403/415 refusals). Anonymous callers are limited per address:
               BIRGE_CLAIMS_CHECK_API_PER_MINUTE.
      body: {"text": str (1..5000 characters), "lang": "kk"|"ru"|"en" (optional: guessed)}
      200 {"status": "checked", "language": "ru", "results": [
             {"id", "url", "score", "match": "same_claim"|"maybe_related", "verdict",
              "verdict_label", "wording", "explanation", "language"}, ...best first]}
      200 {"status": "received", "language", "results": [], "reference": "R-XXXXXXXX",
           "message": "We'll check it..."}  (nothing matched: the text is queued for checking)
      400 {"error": "bad_body", "message"}    body not JSON text in UTF-8
      413 {"error": "too_large", "message"}   body over 64 KB or text over 5,000 characters
      422 {"error": "invalid_input", "message", "details"}   empty or missing text
      429 {"error": "rate_limited", "message"}   with Retry-After
    Results and messages are in the "lang" of the request, else the Accept-Language, else the
    language of the text.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router

from birge.api.parser import BodyNotJson, json_body_parse
from birge.api.scopes import scope_register
from birge.api.security import ANONYMOUS_ALLOWED, ApiKeyBearer
from birge.core.text import text_clean

from .forms import CHECK_TEXT_MAX_LENGTH
from .services import CheckOutcome, rumour_check

router = Router(tags=["claims"])

CLAIMS_CHECK = scope_register("claims.check", gettext_lazy("Check a rumour against the registry"))
CHECK_BODY_MAX_BYTES = 64 * 1024


def _problem(status: int, error: str, message: str, field: str = "") -> JsonResponse:
    body: dict[str, Any] = {"error": error, "message": message}
    if status == 422:
        body["details"] = [{"field": field, "message": message}]
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def check_answer(request: HttpRequest, outcome: CheckOutcome) -> dict[str, Any]:
    """The JSON form of a check's outcome (also used by the web page's tests)."""
    with translation.override(outcome.language):
        if outcome.report is not None:
            return {
                "status": "received",
                "language": outcome.language,
                "results": [],
                "reference": outcome.report.reference,
                "message": _(
                    "We have not checked this yet. Fact-checkers will look at it; your reference "
                    "number is %(reference)s."
                )
                % {"reference": outcome.report.reference},
            }
        results = []
        for match in outcome.matches:
            claim, row = match.claim, match.translation
            results.append(
                {
                    "id": claim.pk,
                    "url": request.build_absolute_uri(
                        reverse("claims:detail", kwargs={"claim_id": claim.pk})
                    ),
                    "score": match.score,
                    "match": match.match,
                    "verdict": claim.verdict,
                    "verdict_label": str(claim.get_verdict_display()),
                    "wording": row.wording if row else claim.wording,
                    "explanation": row.explanation if row else "",
                    "language": match.language,
                }
            )
        return {"status": "checked", "language": outcome.language, "results": results}


@router.post(
    "/check",
    auth=ApiKeyBearer(CLAIMS_CHECK, anonymous_limit="BIRGE_CLAIMS_CHECK_API_PER_MINUTE"),
    openapi_extra=ANONYMOUS_ALLOWED,
)
def claim_check(request: HttpRequest) -> HttpResponse:
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > CHECK_BODY_MAX_BYTES:
        return _problem(413, "too_large", _too_long_message())
    raw = request.body
    if len(raw) > CHECK_BODY_MAX_BYTES:
        return _problem(413, "too_large", _too_long_message())
    try:
        payload = json_body_parse(raw)
    except BodyNotJson:
        return _problem(400, "bad_body", _('Send JSON text in UTF-8: {"text": "..."}.'))
    if not isinstance(payload, dict):
        return _problem(400, "bad_body", _('Send JSON text in UTF-8: {"text": "..."}.'))
    lang = payload.get("lang")
    lang = lang if lang in ("kk", "ru", "en") else None
    with translation.override(lang or translation.get_language()):
        text = payload.get("text")
        if text is not None and not isinstance(text, str):
            return _problem(422, "invalid_input", _("The text must be a string."), "text")
        text = text_clean(text or "")
        if not text:
            return _problem(422, "invalid_input", _("Write or paste the message to check."), "text")
        if len(text) > CHECK_TEXT_MAX_LENGTH:
            return _problem(413, "too_large", _too_long_message())
        # The asker's language: the one they named, else their Accept-Language, else the text's.
        asked_in = translation.get_language() if request.META.get("HTTP_ACCEPT_LANGUAGE") else None
        outcome = rumour_check(text=text, language=lang, answer_language=lang or asked_in)
        return JsonResponse(
            check_answer(request, outcome), json_dumps_params={"ensure_ascii": False}
        )


def _too_long_message() -> str:
    return _("The text is too long: send at most %(limit)s characters.") % {
        "limit": f"{CHECK_TEXT_MAX_LENGTH:,}"
    }
