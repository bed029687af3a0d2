"""The headquarters' steps on a request: decide, hand down, offer, give to a partner, confirm,
cancel. Each checks access, moves the status with a guarded UPDATE (two operators acting at
once cannot both win) and records the step and the audit entry in one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from birge.core.access import StaffUser, can
from birge.core.audit import audit_log
from birge.core.models import Agency

from ..access import REQUEST_TRIAGE, VOLUNTEER_VERIFY, help_request_ensure
from ..models import (
    NOTE_MAX_LENGTH,
    DeliveryTally,
    HelpRequest,
    HelpRequestEvent,
    Partner,
    Volunteer,
)

Status = HelpRequest.Status
Kind = HelpRequestEvent.Kind


def request_step(
    *,
    request: HelpRequest,
    kind: HelpRequestEvent.Kind,
    actor: StaffUser | None = None,
    volunteer: Volunteer | None = None,
    note: str = "",
    is_public: bool = True,
) -> HelpRequestEvent:
    """Record one step in the request's history and the audit log (names and reasons stay in
    the history, which only staff in scope read; the audit entry carries ids)."""
    event = HelpRequestEvent.objects.create(
        request=request,
        kind=kind,
        actor=actor,
        volunteer=volunteer,
        note=note[:NOTE_MAX_LENGTH],
        is_public=is_public,
    )
    audit_log(
        actor=actor,
        action=f"aid.request.{kind}",
        target=request,
        summary=f"volunteer {volunteer.pk}" if volunteer is not None else "",
        agency=request.headquarters,
    )
    return event


def status_move(request: HelpRequest, *, expected: tuple[str, ...], **changes: object) -> None:
    """Apply `changes` only if the request is still in one of `expected` statuses."""
    moved = HelpRequest.objects.filter(pk=request.pk, status__in=expected).update(**changes)
    if not moved:
        raise ValidationError(_("Someone changed this request meanwhile; look at it again."))
    for field, value in changes.items():
        setattr(request, field, value)


def delivery_count(request: HelpRequest) -> None:
    """Count the delivery in its campaign's, region's and month's tally (inside the caller's
    transaction, so the count moves with the status or not at all)."""
    month = timezone.localdate(request.delivered_at).replace(day=1)
    tally, _created = DeliveryTally.objects.get_or_create(
        campaign_id=request.campaign_id, region_id=request.region_id, month=month
    )
    DeliveryTally.objects.filter(pk=tally.pk).update(families=F("families") + 1)


def delivery_tally_rebuild(*, campaign_id: int) -> int:
    """Recount a campaign's tally from its delivered requests (after an import or a repair);
    returns the families counted."""
    with transaction.atomic():
        DeliveryTally.objects.filter(campaign_id=campaign_id).delete()
        rows = (
            HelpRequest.objects.filter(campaign_id=campaign_id, status=Status.DELIVERED)
            .annotate(month=TruncMonth("delivered_at"))
            .values("region_id", "month")
            .annotate(families=Count("id"))
        )
        tallies = [
            DeliveryTally(
                campaign_id=campaign_id,
                region_id=row["region_id"],
                month=timezone.localdate(row["month"]),
                families=row["families"],
            )
            for row in rows
        ]
        DeliveryTally.objects.bulk_create(tallies)
    return sum(tally.families for tally in tallies)


def _reason_clean(reason: str, *, required: bool) -> str:
    reason = reason.strip()
    if required and not reason:
        raise ValidationError({"reason": _("Write the reason.")})
    if len(reason) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("Shorten the reason to %(limit)s characters.")
                % {"limit": NOTE_MAX_LENGTH}
            }
        )
    return reason


@transaction.atomic
def help_request_decide(
    *, operator: StaffUser, request: HelpRequest, eligible: bool, reason: str
) -> None:
    """Confirm the family as eligible (then a volunteer is found) or not (the request closes);
    a refusal needs its reason."""
    help_request_ensure(operator, REQUEST_TRIAGE, request)
    reason = _reason_clean(reason, required=not eligible)
    now = timezone.now()
    if eligible:
        status_move(
            request,
            expected=(Status.NEW,),
            status=Status.ELIGIBLE,
            decided_at=now,
            decision_reason=reason,
        )
        request_step(request=request, kind=Kind.ELIGIBLE, actor=operator, note=reason)
    else:
        status_move(
            request,
            expected=(Status.NEW,),
            status=Status.NOT_ELIGIBLE,
            decided_at=now,
            decision_reason=reason,
            closed_at=now,
        )
        request_step(request=request, kind=Kind.NOT_ELIGIBLE, actor=operator, note=reason)


@transaction.atomic
def help_request_hand_down(
    *, operator: StaffUser, request: HelpRequest, headquarters: Agency
) -> None:
    """Give an open request to another headquarters the operator also acts for (a district's)."""
    help_request_ensure(operator, REQUEST_TRIAGE, request)
    if headquarters.kind != Agency.Kind.VOLUNTEER_HEADQUARTERS or not can(
        operator, REQUEST_TRIAGE, agency=headquarters
    ):
        raise ValidationError(_("Choose a headquarters you work for."))
    status_move(
        request,
        expected=(Status.NEW, Status.ELIGIBLE),
        headquarters=headquarters,
        offered_to=None,
    )
    request_step(request=request, kind=Kind.HANDED_DOWN, actor=operator, note=headquarters.name)


@transaction.atomic
def help_request_offer(*, operator: StaffUser, request: HelpRequest, volunteer: Volunteer) -> None:
    """Offer a confirmed request to one verified volunteer of the operator's headquarters; it
    leaves the other volunteers' lists until they decline."""
    help_request_ensure(operator, REQUEST_TRIAGE, request)
    if volunteer.status != Volunteer.Status.VERIFIED or not can(
        operator, VOLUNTEER_VERIFY, agency=volunteer.headquarters
    ):
        raise ValidationError(_("Choose a verified volunteer of your headquarters."))
    status_move(request, expected=(Status.ELIGIBLE,), offered_to=volunteer)
    request_step(request=request, kind=Kind.OFFERED, actor=operator, volunteer=volunteer)


@transaction.atomic
def help_request_partner_assign(
    *, operator: StaffUser, request: HelpRequest, partner: Partner
) -> None:
    """A partner (a shop, an NGO) delivers instead of a volunteer."""
    help_request_ensure(operator, REQUEST_TRIAGE, request)
    if not can(operator, REQUEST_TRIAGE, agency=partner.headquarters):
        raise ValidationError(_("Choose a partner of your headquarters."))
    status_move(
        request,
        expected=(Status.ELIGIBLE,),
        status=Status.ASSIGNED,
        partner=partner,
        offered_to=None,
        assigned_at=timezone.now(),
    )
    request_step(request=request, kind=Kind.PARTNER_ASSIGNED, actor=operator, note=partner.name)


@transaction.atomic
def help_request_confirm_by_call(*, operator: StaffUser, request: HelpRequest, note: str) -> None:
    """The operator called the family and they confirmed the help arrived (no code at hand)."""
    help_request_ensure(operator, REQUEST_TRIAGE, request)
    note = _reason_clean(note, required=True)
    now = timezone.now()
    status_move(
        request,
        expected=(Status.ASSIGNED,),
        status=Status.DELIVERED,
        delivered_at=now,
        closed_at=now,
    )
    delivery_count(request)
    request_step(request=request, kind=Kind.DELIVERED, actor=operator, note=note)


@transaction.atomic
def help_request_cancel(*, operator: StaffUser, request: HelpRequest, reason: str) -> None:
    """Close an open request that will not be delivered (the family withdrew, a duplicate)."""
    help_request_ensure(operator, REQUEST_TRIAGE, request)
    reason = _reason_clean(reason, required=True)
    status_move(
        request,
        expected=(Status.NEW, Status.ELIGIBLE, Status.ASSIGNED),
        status=Status.CANCELLED,
        closed_at=timezone.now(),
        offered_to=None,
    )
    request_step(request=request, kind=Kind.CANCELLED, actor=operator, note=reason)
