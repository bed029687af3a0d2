"""Who may do what on the rapid-response desk. Accredited members are not staff: what a member
may see is decided by `birge.media.selectors.member_request_get`, on their outlet's requests."""

from birge.core.access import ANY, OWN, Action, Role, Visitor, action_register, ensure_can_on

from .models import MediaRequest

OUTLET_ACCREDIT = action_register("media.outlet.accredit", {Role.COORDINATOR: ANY})
TARGETS_EDIT = action_register("media.targets.edit", {Role.COORDINATOR: ANY})
REQUEST_VIEW = action_register(
    "media.request.view",
    {Role.COORDINATOR: ANY, Role.AGENCY_OFFICER: OWN, Role.AGENCY_HEAD: OWN},
)
REQUEST_ROUTE = action_register("media.request.route", {Role.COORDINATOR: ANY})
REQUEST_ANSWER = action_register(
    "media.request.answer", {Role.AGENCY_OFFICER: OWN, Role.AGENCY_HEAD: OWN}
)
ANSWER_APPROVE = action_register("media.answer.approve", {Role.AGENCY_HEAD: OWN})
FIGURES_VIEW = action_register(
    "media.figures.view", {Role.COORDINATOR: ANY, Role.ANALYST: ANY, Role.AGENCY_HEAD: OWN}
)


def media_request_ensure(user: Visitor, action: Action, request: MediaRequest) -> None:
    """404 unless `user` may perform `action` on it (one no agency holds needs an all-agency
    grant)."""
    ensure_can_on(user, action, agency_id=request.agency_id)
