"""Every API error is JSON: {"error": <code>, "message": <in the caller's language>}, and
"details" where a router has some. The routers answer their own refusals; what ninja and Django
answer for them (a body ninja cannot parse, an unknown path, a wrong method, a crash) is
rewritten here into the same shape."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

API_PREFIX = "/api/v1/"
# Headers of the original answer a caller still needs.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")

ERRORS: dict[int, tuple[str, Promise]] = {
    400: ("bad_request", _("The request is not valid.")),
    401: ("unauthorized", _("This request needs a valid API key.")),
    403: ("forbidden", _("This request is not allowed.")),
    404: ("not_found", _("There is nothing at this address.")),
    405: ("method_not_allowed", _("This address does not accept this method.")),
    429: ("rate_limited", _("Too many requests. Try again in a minute.")),
}
SERVER_ERROR = ("server_error", _("Something went wrong on our side. Try again in a few minutes."))


def problem(status: int, *, error: str = "", message: str = "") -> JsonResponse:
    """The JSON error for `status`; the code and message default to the status's own."""
    default_error, default_message = ERRORS.get(
        status, SERVER_ERROR if status >= 500 else ERRORS[400]
    )
    body = {"error": error or default_error, "message": message or str(default_message)}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


class JsonErrorsMiddleware:
    """Under /api/v1/, an error answered as HTML or text becomes the JSON error of its status.

    Django answers an unknown path (404 page), a request it refuses (400), a crash (500.html,
    or ninja's plain-text traceback with DEBUG on), and ninja a wrong method (405 "Method not
    allowed"), before or after any API code runs, so no exception handler sees them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path_info.startswith(API_PREFIX)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        replacement: HttpResponse = problem(response.status_code)
        for header in KEPT_HEADERS:
            if header in response:
                replacement[header] = response[header]
        return replacement
