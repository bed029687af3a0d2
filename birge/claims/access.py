"""Who may work on the rumour registry, and the desk's gate."""

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from birge.core.access import ANY, Role, action_register, ensure_can

REPORT_VIEW = action_register("claims.report.view", {Role.FACT_CHECKER: ANY, Role.COORDINATOR: ANY})
CLAIM_EDIT = action_register("claims.claim.edit", {Role.FACT_CHECKER: ANY})
VERDICT_APPROVE = action_register("claims.verdict.approve", {Role.FACT_CHECKER: ANY})
CLAIM_PUBLISH = action_register("claims.claim.publish", {Role.FACT_CHECKER: ANY})
THRESHOLDS_EDIT = action_register("claims.thresholds.edit", {Role.FACT_CHECKER: ANY})


def desk_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """403 for anyone without claims.report.view; each action checks its own rule as well."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        ensure_can(request.user, REPORT_VIEW)
        return view(request, *args, **kwargs)

    return wrapped
