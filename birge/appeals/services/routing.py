"""Routing: rules, the learned suggestion, the coordinators' triage, redirects between agencies."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from birge.core.access import StaffUser, ensure_can
from birge.core.audit import audit_log
from birge.core.models import Agency, Region, Topic

from ..access import (
    APPEAL_REDIRECT,
    APPEAL_ROUTE,
    CRISIS_TARGET_EDIT,
    ROUTING_RULE_EDIT,
    appeal_ensure,
)
from ..clock import redirect_allowed_until, term_start
from ..models import Appeal, AppealEvent, CrisisTarget, RoutingRule
from ..routing_model import routing_suggest
from ..similarity import open_appeal_index

# A learned suggestion is applied without a coordinator only when this sure.
SUGGESTION_AUTO_THRESHOLD = 0.8


def routing_rule_match(*, topic_id: int | None, region_id: int) -> Agency | None:
    """The agency of the most specific rule matching the topic and region; None if no rule
    matches or the most specific level names more than one agency (ambiguous)."""
    topic_match = (
        Q(topic__isnull=True) | Q(topic_id=topic_id) if topic_id else Q(topic__isnull=True)
    )
    rules = list(
        RoutingRule.objects.select_related("agency").filter(
            topic_match,
            Q(region__isnull=True) | Q(region_id=region_id),
            agency__is_active=True,
        )
    )
    if not rules:
        return None
    best = max(rule.specificity for rule in rules)
    agencies = {rule.agency for rule in rules if rule.specificity == best}
    return agencies.pop() if len(agencies) == 1 else None


def _assign(appeal: Appeal, agency: Agency, *, restart_clock: bool) -> None:
    now = timezone.now()
    appeal.agency = agency
    appeal.assigned_at = now
    appeal.status = Appeal.Status.IN_PROGRESS
    if restart_clock:
        term = term_start(now)
        appeal.due_at, appeal.term_limit_at = term.due_at, term.limit_at
    appeal.save(update_fields=["agency", "assigned_at", "status", "due_at", "term_limit_at"])


@transaction.atomic
def appeal_route_auto(*, appeal_id: int) -> Appeal:
    """Place a newly registered appeal: a rule, else a confident suggestion, else triage.

    Safe to run twice: an appeal already placed is left alone.
    """
    appeal = Appeal.objects.select_for_update().get(pk=appeal_id)
    if appeal.status != Appeal.Status.REGISTERED:
        return appeal
    # The intake is a single INSERT; its history entry and audit entry are written here, dated
    # when the citizen submitted.
    AppealEvent.objects.create(
        appeal=appeal, at=appeal.registered_at, kind=AppealEvent.Kind.REGISTERED
    )
    audit_log(
        actor=None,
        action="appeals.appeal.submitted",
        target=appeal,
        summary=f"kind: {appeal.kind}; channel: {appeal.channel}",
        at=appeal.registered_at,
    )
    agency = routing_rule_match(topic_id=appeal.topic_id, region_id=appeal.region_id)
    how = "rule"
    suggestion = None
    if agency is None:
        suggestion = routing_suggest(appeal.text)
        if suggestion is not None:
            appeal.suggested_agency_id = suggestion.agency_id
            appeal.suggestion_confidence = suggestion.confidence
            appeal.save(update_fields=["suggested_agency", "suggestion_confidence"])
            if suggestion.confidence >= SUGGESTION_AUTO_THRESHOLD:
                agency = Agency.objects.filter(pk=suggestion.agency_id, is_active=True).first()
                how = "suggestion"
    if agency is None:
        appeal.status = Appeal.Status.TRIAGE
        appeal.save(update_fields=["status"])
        AppealEvent.objects.create(appeal=appeal, kind=AppealEvent.Kind.TRIAGED)
        audit_log(actor=None, action="appeals.appeal.triaged", target=appeal)
        return appeal
    _assign(appeal, agency, restart_clock=False)
    AppealEvent.objects.create(appeal=appeal, kind=AppealEvent.Kind.ROUTED, agency=agency, note=how)
    audit_log(
        actor=None,
        action="appeals.appeal.routed",
        target=appeal,
        agency=agency,
        summary=f"by: {how}",
    )
    return appeal


ROUTE_SWEEP_BATCH = 200


def appeals_route_pending(*, batch: int = ROUTE_SWEEP_BATCH) -> list[Appeal]:
    """Route every newly registered appeal, oldest first, each in its own transaction.

    Safe to run twice or side by side: each appeal is locked and skipped once placed.
    """
    routed = []
    while True:
        pending = list(
            Appeal.objects.filter(status=Appeal.Status.REGISTERED)
            .order_by("registered_at", "pk")
            .values_list("pk", flat=True)[:batch]
        )
        for appeal_id in pending:
            routed.append(appeal_route_auto(appeal_id=appeal_id))
        if len(pending) < batch:
            return routed


@transaction.atomic
def appeal_route(*, actor: StaffUser, appeal: Appeal, agency: Agency) -> Appeal:
    """A coordinator assigns an appeal from the triage queue (or reassigns one)."""
    ensure_can(actor, APPEAL_ROUTE)
    if appeal.status == Appeal.Status.ANSWERED:
        raise ValidationError(_("This appeal is already answered."))
    held_before = (
        appeal.agency_id is not None
        or appeal.events.filter(kind=AppealEvent.Kind.NOT_COMPETENT).exists()
    )
    _assign(appeal, agency, restart_clock=held_before)
    AppealEvent.objects.create(
        appeal=appeal, kind=AppealEvent.Kind.ROUTED, agency=agency, actor=actor, note="coordinator"
    )
    audit_log(actor=actor, action="appeals.appeal.routed", target=appeal, agency=agency)
    return appeal


@transaction.atomic
def appeal_redirect(*, actor: StaffUser, appeal: Appeal, agency: Agency, reason: str) -> Appeal:
    """Pass the appeal to another agency within 3 working days; its clock restarts there."""
    appeal_ensure(actor, APPEAL_REDIRECT, appeal)
    if appeal.agency_id is None:
        raise ValidationError(_("This appeal is not with an agency yet; assign it in triage."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for redirecting.")})
    if agency.pk == appeal.agency_id:
        raise ValidationError({"agency": _("Choose another agency.")})
    if appeal.status == Appeal.Status.ANSWERED:
        raise ValidationError(_("This appeal is already answered."))
    if appeal.assigned_at and timezone.now() > redirect_allowed_until(appeal.assigned_at):
        raise ValidationError(
            _(
                "The 3 working days for redirecting have passed; answer or mark it not within "
                "competence."
            )
        )
    previous = appeal.agency
    _assign(appeal, agency, restart_clock=True)
    AppealEvent.objects.create(
        appeal=appeal, kind=AppealEvent.Kind.REDIRECTED, agency=agency, actor=actor, note=reason
    )
    audit_log(
        actor=actor,
        action="appeals.appeal.redirected",
        target=appeal,
        agency=previous,
        summary=f"to agency {agency.pk}",
    )
    return appeal


@transaction.atomic
def appeal_mark_not_competent(*, actor: StaffUser, appeal: Appeal, reason: str) -> Appeal:
    """The agency declares the matter outside its competence: back to the coordinators."""
    appeal_ensure(actor, APPEAL_REDIRECT, appeal)
    if appeal.agency_id is None:
        raise ValidationError(_("This appeal is not with an agency yet; assign it in triage."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    previous = appeal.agency
    appeal.agency = None
    appeal.status = Appeal.Status.TRIAGE
    appeal.save(update_fields=["agency", "status"])
    AppealEvent.objects.create(
        appeal=appeal,
        kind=AppealEvent.Kind.NOT_COMPETENT,
        agency=previous,
        actor=actor,
        note=reason,
    )
    audit_log(actor=actor, action="appeals.appeal.not_competent", target=appeal, agency=previous)
    return appeal


@transaction.atomic
def routing_rule_create(
    *, actor: StaffUser, agency: Agency, topic: Topic | None = None, region: Region | None = None
) -> RoutingRule:
    ensure_can(actor, ROUTING_RULE_EDIT)
    rule = RoutingRule(agency=agency, topic=topic, region=region)
    rule.full_clean()
    rule.save()
    audit_log(actor=actor, action="appeals.routing_rule.created", target=rule, agency=agency)
    return rule


@transaction.atomic
def routing_rule_delete(*, actor: StaffUser, rule: RoutingRule) -> None:
    ensure_can(actor, ROUTING_RULE_EDIT)
    audit_log(actor=actor, action="appeals.routing_rule.deleted", target=rule, agency=rule.agency)
    rule.delete()


@transaction.atomic
def crisis_target_set(*, actor: StaffUser, topic: Topic, hours: int | None) -> CrisisTarget | None:
    """Set (or clear, with None) the crisis answer target for a topic."""
    ensure_can(actor, CRISIS_TARGET_EDIT)
    if hours is None:
        deleted = CrisisTarget.objects.filter(topic=topic).first()
        if deleted is not None:
            audit_log(actor=actor, action="appeals.crisis_target.cleared", target=deleted)
            deleted.delete()
        return None
    target, _created = CrisisTarget.objects.get_or_create(topic=topic, defaults={"hours": hours})
    target.hours = hours
    target.full_clean()
    target.save()
    audit_log(actor=actor, action="appeals.crisis_target.set", target=target, summary=f"{hours} h")
    return target


@task()
def appeals_route_pending_task() -> int:
    """Route every newly registered appeal (rules, then the learned suggestion, else triage)
    and index it for "similar questions"; returns how many were routed."""
    routed = appeals_route_pending()
    for appeal in routed:
        open_appeal_index(appeal)
    return len(routed)
