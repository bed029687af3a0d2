"""Every write of the appeals domain; views, the API, tasks and commands call these."""

from .answering import (
    answer_approve,
    answer_return,
    answers_need_approval,
    appeal_answer,
    appeal_clarify,
    appeal_extend,
    appeal_merge,
    appeal_request_clarification,
)
from .citizen import appeal_complain, appeal_rate, appeal_reopen
from .escalation import escalations_send
from .intake import appeal_submit, appeal_submit_idempotent
from .publishing import answer_update, faq_publish
from .routing import (
    appeal_mark_not_competent,
    appeal_redirect,
    appeal_route,
    appeal_route_auto,
    appeals_route_pending,
    crisis_target_set,
    routing_rule_create,
    routing_rule_delete,
    routing_rule_match,
)
from .settings import agency_appeal_settings_set, answer_template_create, answer_template_delete

__all__ = [
    "agency_appeal_settings_set",
    "answer_approve",
    "answer_return",
    "answer_template_create",
    "answer_template_delete",
    "answer_update",
    "answers_need_approval",
    "appeal_answer",
    "appeal_clarify",
    "appeal_complain",
    "appeal_extend",
    "appeal_mark_not_competent",
    "appeal_merge",
    "appeal_rate",
    "appeal_redirect",
    "appeal_reopen",
    "appeal_request_clarification",
    "appeal_route",
    "appeal_route_auto",
    "appeal_submit",
    "appeal_submit_idempotent",
    "appeals_route_pending",
    "crisis_target_set",
    "escalations_send",
    "faq_publish",
    "routing_rule_create",
    "routing_rule_delete",
    "routing_rule_match",
]
