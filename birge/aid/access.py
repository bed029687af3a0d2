"""Who may do what with aid: operators act within their headquarters and those under it.

A headquarters is an agency (ADR 0020), so an aid operator's OWN scope is their headquarters'
subtree: the republican front office reaches every region, a city headquarters its districts.
Volunteers are not staff and hold no role here: what a volunteer may see is decided by
`birge.aid.selectors.volunteer_task_get`, on the task they accepted.
"""

from birge.core.access import ANY, OWN, Action, Role, Visitor, action_register, ensure_can_on

from .models import HelpRequest

REQUEST_VIEW = action_register("aid.request.view", {Role.COORDINATOR: ANY, Role.AID_OPERATOR: OWN})
REQUEST_TRIAGE = action_register(
    "aid.request.triage", {Role.COORDINATOR: ANY, Role.AID_OPERATOR: OWN}
)
# The hotline operator types a call in on the family's behalf.
REQUEST_TAKE_CALL = action_register(
    "aid.request.take_call", {Role.COORDINATOR: ANY, Role.AID_OPERATOR: OWN}
)
VOLUNTEER_VERIFY = action_register(
    "aid.volunteer.verify", {Role.COORDINATOR: ANY, Role.AID_OPERATOR: OWN}
)
PARTNER_MANAGE = action_register(
    "aid.partner.manage", {Role.COORDINATOR: ANY, Role.AID_OPERATOR: OWN}
)
LEDGER_RECORD = action_register("aid.ledger.record", {Role.AID_OPERATOR: OWN})
LEDGER_VIEW = action_register(
    "aid.ledger.view", {Role.COORDINATOR: ANY, Role.AID_OPERATOR: OWN, Role.ANALYST: ANY}
)


def headquarters_ensure(user: Visitor, action: Action, *, headquarters_id: int) -> None:
    """404 unless `user` may perform `action` on what this headquarters holds."""
    ensure_can_on(user, action, agency_id=headquarters_id)


def help_request_ensure(user: Visitor, action: Action, request: HelpRequest) -> None:
    headquarters_ensure(user, action, headquarters_id=request.headquarters_id)
