"""The API reads JSON only: a body in any other media type is refused before anything else runs."""

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

METHODS_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})


def json_body_required(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap an operation (ninja's "view" decorator mode): 415 unless the body is JSON.

    The endpoints parse the body as JSON whatever type it declares, so without this a page on
    another site could make its visitors' browsers post to the API with a text/plain or form
    body, which browsers send without a CORS preflight. Parameters such as charset are allowed
    (Django strips them from `content_type`).
    """

    @functools.wraps(run)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method in METHODS_WITH_BODY and request.content_type != "application/json":
            return JsonResponse(
                {
                    "error": "unsupported_media_type",
                    "message": _("Send the request body as JSON (Content-Type: application/json)."),
                },
                status=415,
                json_dumps_params={"ensure_ascii": False},
            )
        return run(request, *args, **kwargs)

    return checked
