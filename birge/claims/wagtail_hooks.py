"""The fact-checkers' desk in the Wagtail admin: menu and screens, shown only to those allowed."""

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from birge.core.permission_policies import AccessMenuItem

from . import admin_views
from .access import REPORT_VIEW, desk_required


@hooks.register("register_admin_urls")
def register_claims_admin_urls() -> list[Any]:
    views: list[tuple[str, Callable[..., HttpResponse], str]] = [
        ("claims/", admin_views.queue, "claims_queue"),
        ("claims/regroup/", admin_views.queue_regroup, "claims_queue_regroup"),
        (
            "claims/clusters/<int:cluster_id>/attach/",
            admin_views.cluster_attach,
            "claims_cluster_attach",
        ),
        (
            "claims/clusters/<int:cluster_id>/start/",
            admin_views.cluster_claim_start,
            "claims_cluster_start",
        ),
        (
            "claims/clusters/<int:cluster_id>/dismiss/",
            admin_views.cluster_dismiss,
            "claims_cluster_dismiss",
        ),
        ("claims/claims/", admin_views.claim_list, "claims_claim_list"),
        ("claims/claims/new/", admin_views.claim_new, "claims_claim_new"),
        ("claims/claims/<int:claim_id>/", admin_views.claim_edit, "claims_claim"),
        (
            "claims/claims/<int:claim_id>/translations/<str:language>/",
            admin_views.translation_save,
            "claims_translation_save",
        ),
        ("claims/claims/<int:claim_id>/evidence/", admin_views.evidence_add, "claims_evidence_add"),
        (
            "claims/claims/<int:claim_id>/evidence/<int:evidence_id>/remove/",
            admin_views.evidence_remove,
            "claims_evidence_remove",
        ),
        (
            "claims/claims/<int:claim_id>/verdict/",
            admin_views.verdict_draft,
            "claims_verdict_draft",
        ),
        (
            "claims/claims/<int:claim_id>/approve/",
            admin_views.verdict_approve,
            "claims_verdict_approve",
        ),
        ("claims/claims/<int:claim_id>/publish/", admin_views.claim_publish, "claims_publish"),
        ("claims/thresholds/", admin_views.thresholds, "claims_thresholds"),
    ]
    return [path(route, desk_required(view), name=name) for route, view, name in views]


@hooks.register("register_admin_menu_item")
def register_claims_menu_item() -> MenuItem:
    return AccessMenuItem(
        _("Rumour desk"),
        reverse("claims_queue"),
        icon_name="warning",
        order=300,
        action=REPORT_VIEW,
    )
