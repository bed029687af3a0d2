"""The webhook Telegram posts the bot's updates to."""

import json
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .services import update_failed, update_handle

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header's name


@csrf_exempt
@require_POST
def webhook(request: HttpRequest) -> HttpResponse:
    """Handle one update; 403 unless the call carries the configured secret (no secret
    configured: the webhook is off). A button press is answered in the response itself."""
    secret = settings.TELEGRAM_WEBHOOK_SECRET
    if not secret or not constant_time_compare(request.headers.get(SECRET_HEADER, ""), secret):
        return HttpResponse(status=403)
    try:
        update = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return HttpResponse("The body is not JSON.", status=400, content_type="text/plain")
    if not isinstance(update, dict) or type(update.get("update_id")) is not int:
        return HttpResponse("An update needs an integer update_id.", status=400)
    try:
        answer = update_handle(update)
    except Exception:
        # Telegram would send the failing update again and again; it is marked handled and
        # the citizen told, and the error is in the log for the developers.
        logger.exception("update %s failed", update["update_id"])
        update_failed(update)
        return HttpResponse(status=200)
    if answer is None:
        return HttpResponse(status=200)
    return JsonResponse(answer)
