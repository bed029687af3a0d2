"""Birge's JSON API, version 1: one NinjaAPI mounting each domain's router.

Errors answer JSON in the caller's language (Accept-Language): 422 for invalid input, 413 for a
body over the upload limit, 415 for a body that is not JSON, 401/403/429 for a caller without a
valid key, without the scope or over its limit (birge.api.security), never a 500 for bad input.
A body that is not JSON, or nests deeper than 64 levels, answers 400 "bad_body"; what Django or
ninja answer for an unknown path, a wrong method or a crash is rewritten by
birge.api.errors.JsonErrorsMiddleware into the same {"error", "message"} shape.
"""

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import NinjaAPI
from ninja.errors import HttpError, Throttled, ValidationError

from birge.aid.api import router as aid_router
from birge.appeals.api import router as appeals_router
from birge.claims.api import router as claims_router
from birge.stats.api import router as stats_router

from .errors import problem
from .media_type import json_body_required
from .parser import JSON_MAX_DEPTH, BodyNotJson, BodyTooDeep, JsonParser
from .security import CallerRefused

api = NinjaAPI(
    title="Birge API",
    version="1",
    description="Official information, citizens' appeals and checked rumours.",
    urls_namespace="api-v1",
    parser=JsonParser(),
)


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, error: ValidationError) -> HttpResponse:
    details: list[dict[str, Any]] = [
        {"field": ".".join(str(part) for part in item.get("loc", [])[1:]), "message": item["msg"]}
        for item in error.errors
    ]
    return api.create_response(
        request,
        {"error": "invalid_input", "message": _("The request is not valid."), "details": details},
        status=422,
    )


@api.exception_handler(RequestDataTooBig)
def body_too_large(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    return api.create_response(
        request,
        {"error": "too_large", "message": _("The request is too large.")},
        status=413,
    )


@api.exception_handler(HttpError)
def refused_by_ninja(request: HttpRequest, error: HttpError) -> HttpResponse:
    """ninja's own refusals: a body its parser failed on (raised from the parser's error), and
    401/403/429 from its security and throttle classes."""
    if isinstance(error.__cause__, BodyTooDeep):
        message = ngettext(
            "The JSON body nests deeper than %(limit)s level.",
            "The JSON body nests deeper than %(limit)s levels.",
            JSON_MAX_DEPTH,
        ) % {"limit": JSON_MAX_DEPTH}
        return problem(400, error="bad_body", message=message)
    if isinstance(error.__cause__, BodyNotJson):
        return problem(400, error="bad_body", message=_("Send the body as JSON text in UTF-8."))
    response = problem(error.status_code)
    if isinstance(error, Throttled) and error.wait:
        response["Retry-After"] = str(error.wait)
    return response


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return problem(404)


@api.exception_handler(CallerRefused)
def caller_refused(request: HttpRequest, error: CallerRefused) -> HttpResponse:
    response = problem(error.status, error=error.error, message=error.message)
    for header, value in error.headers.items():
        response[header] = value
    return response


api.add_decorator(json_body_required, mode="view")
api.add_router("/appeals", appeals_router)
api.add_router("/claims", claims_router)
api.add_router("/stats", stats_router)
api.add_router("/aid", aid_router)
