"""Every write aid makes; views, the API, tasks and commands call these."""

from .intake import Household, headquarters_for, help_request_submit
from .ledger import ledger_record, ledger_reverse, partner_create, pledge_fulfil, pledge_record
from .retention import help_requests_erase, help_requests_erase_task
from .triage import (
    delivery_tally_rebuild,
    help_request_cancel,
    help_request_confirm_by_call,
    help_request_decide,
    help_request_hand_down,
    help_request_offer,
    help_request_partner_assign,
)
from .volunteers import (
    task_accept,
    task_decline,
    task_deliver,
    task_release,
    volunteer_register,
    volunteer_sign_in,
    volunteer_sign_in_send,
    volunteer_verify,
)

__all__ = [
    "Household",
    "delivery_tally_rebuild",
    "headquarters_for",
    "help_request_cancel",
    "help_request_confirm_by_call",
    "help_request_decide",
    "help_request_hand_down",
    "help_request_offer",
    "help_request_partner_assign",
    "help_request_submit",
    "help_requests_erase",
    "help_requests_erase_task",
    "ledger_record",
    "ledger_reverse",
    "partner_create",
    "pledge_fulfil",
    "pledge_record",
    "task_accept",
    "task_decline",
    "task_deliver",
    "task_release",
    "volunteer_register",
    "volunteer_sign_in",
    "volunteer_sign_in_send",
    "volunteer_verify",
]
