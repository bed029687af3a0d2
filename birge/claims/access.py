"""The desk's gate: only staff who may view rumour reports reach any of its screens."""

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from birge.core.access import ensure_can


def desk_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """403 for anyone without claims.report.view; each action checks its own rule as well."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        ensure_can(request.user, "claims.report.view")
        return view(request, *args, **kwargs)

    return wrapped
