"""Birge's JSON API, version 1: one NinjaAPI mounting each domain's router.

Errors answer JSON in the caller's language (Accept-Language): 422 for invalid input, 413 for a
body over the upload limit, never a 500 for bad input.
"""

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

from birge.appeals.api import router as appeals_router
from birge.claims.api import router as claims_router

api = NinjaAPI(
    title="Birge API",
    version="1",
    description="Official information, citizens' appeals and checked rumours.",
    urls_namespace="api-v1",
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


api.add_router("/appeals", appeals_router)
api.add_router("/claims", claims_router)
