"""Who may do what with citizens' questions and appeals, and the one lookup every entry uses."""

from birge.core.access import ANY, OWN, Action, Role, Visitor, action_register, ensure_can_on

from .models import Appeal

APPEAL_VIEW = action_register(
    "appeals.appeal.view",
    {Role.COORDINATOR: ANY, Role.AGENCY_OFFICER: OWN, Role.AGENCY_HEAD: OWN},
)
APPEAL_ROUTE = action_register("appeals.appeal.route", {Role.COORDINATOR: ANY})
ROUTING_RULE_EDIT = action_register("appeals.routing_rule.edit", {Role.COORDINATOR: ANY})
CRISIS_TARGET_EDIT = action_register("appeals.crisis_target.edit", {Role.COORDINATOR: ANY})
APPEAL_REDIRECT = action_register(
    "appeals.appeal.redirect",
    {Role.COORDINATOR: ANY, Role.AGENCY_OFFICER: OWN, Role.AGENCY_HEAD: OWN},
)
APPEAL_ANSWER = action_register(
    "appeals.appeal.answer", {Role.AGENCY_OFFICER: OWN, Role.AGENCY_HEAD: OWN}
)
APPEAL_MERGE = action_register(
    "appeals.appeal.merge",
    {Role.COORDINATOR: ANY, Role.AGENCY_OFFICER: OWN, Role.AGENCY_HEAD: OWN},
)
ANSWER_APPROVE = action_register("appeals.answer.approve", {Role.AGENCY_HEAD: OWN})
DEADLINE_EXTEND = action_register("appeals.deadline.extend", {Role.AGENCY_HEAD: OWN})
FAQ_PUBLISH = action_register(
    "appeals.faq.publish", {Role.AGENCY_OFFICER: OWN, Role.AGENCY_HEAD: OWN}
)
STATISTICS_VIEW = action_register(
    "appeals.statistics.view",
    {Role.COORDINATOR: ANY, Role.ANALYST: ANY, Role.AGENCY_HEAD: OWN},
)


def appeal_ensure(user: Visitor, action: Action, appeal: Appeal) -> None:
    """404 unless `user` may perform `action` on this appeal (triage needs an all-agency grant)."""
    ensure_can_on(user, action, agency_id=appeal.agency_id)
