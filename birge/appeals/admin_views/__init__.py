"""The staff desk inside the Wagtail admin: inbox, appeal, triage, routing rules, FAQ."""

from .coordination import route, routing, statistics, templates, triage
from .desk import act, attachment, detail, faq_prepare, inbox

__all__ = [
    "act",
    "attachment",
    "detail",
    "faq_prepare",
    "inbox",
    "route",
    "routing",
    "statistics",
    "templates",
    "triage",
]
