"""Django's debug page (DEBUG on: development only), made safe for a request it cannot parse."""

from typing import Any

from django.core.exceptions import TooManyFieldsSent
from django.http import QueryDict
from django.views import debug


class ExceptionReporter(debug.ExceptionReporter):
    """Lists the query parameters only when they can be parsed.

    Django's page reads request.GET, which parses the query string again: for 1,001
    parameters it raised TooManyFieldsSent a second time, inside the error handler, and the
    400 became a 500.
    """

    def get_traceback_data(self) -> dict[str, Any]:
        if self.request is not None:
            try:
                self.request.GET  # noqa: B018 - parsing is the test
            except TooManyFieldsSent:
                self.request.GET = QueryDict()
        return super().get_traceback_data()
