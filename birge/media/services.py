"""Every write of the rapid-response desk: applications and accreditation, members' sign-in,
requests on the hours clock, routing and answers."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from birge.appeals.models import TEXT_MAX_LENGTH, AgencyAppealSettings
from birge.channels.services import notice_send
from birge.core import email_links
from birge.core.access import StaffUser, can, ensure_can
from birge.core.audit import audit_log
from birge.core.models import Agency
from birge.core.text import name_clean, phone_clean, text_clean

from .access import (
    ANSWER_APPROVE,
    OUTLET_ACCREDIT,
    REQUEST_ANSWER,
    REQUEST_ROUTE,
    TARGETS_EDIT,
    media_request_ensure,
)
from .models import (
    DEFAULT_TARGET_HOURS,
    REASON_MAX_LENGTH,
    MediaRequest,
    MediaRequestEvent,
    Member,
    Outlet,
    RequestKind,
    ResponseTarget,
)

SIGN_IN_SALT = "birge.media.member-sign-in"
TARGET_MAX_HOURS = 24 * 30
Status = MediaRequest.Status


def outlet_apply(
    *,
    name: str,
    kind: str,
    registration: str,
    editor: str,
    email: str,
    phone: str,
    website: str = "",
) -> Outlet:
    """Register an application; the editor becomes its first member once accredited."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {
        "registration": text_clean(registration)[:100],
        "email": text_clean(email).lower(),
        "website": text_clean(website),
    }
    for field, clean, value in (
        ("name", name_clean, name),
        ("editor", name_clean, editor),
        ("phone", phone_clean, phone),
    ):
        try:
            cleaned[field] = clean(value)
        except ValidationError as error:
            errors[field] = error.messages
        if field not in errors and not cleaned[field]:
            errors[field] = [_("This field is required.")]
    if not cleaned["registration"]:
        errors["registration"] = [_("Give the registration number of the media outlet or NGO.")]
    if kind not in Outlet.Kind.values:
        errors["kind"] = [_("Choose from the list.")]
    if "name" not in errors and Outlet.objects.filter(name__iexact=cleaned["name"]).exists():
        errors["name"] = [_("This organisation has already applied.")]
    if Member.objects.filter(email=cleaned["email"]).exists():
        errors["email"] = [
            _("This e-mail already belongs to an accredited member: sign in instead.")
        ]
    if errors:
        raise ValidationError(errors)
    outlet = Outlet(kind=kind, **cleaned)
    outlet.full_clean(validate_unique=False)
    with transaction.atomic():
        outlet.save()
        audit_log(actor=None, action="media.outlet.applied", target=outlet)
    return outlet


@transaction.atomic
def outlet_decide(
    *, coordinator: StaffUser, outlet: Outlet, status: str, reason: str, language: str = "kk"
) -> None:
    """Accredit, refuse, suspend or revoke, with a reason for all but accreditation; on the
    first accreditation the editor becomes a member and is sent a sign-in link."""
    ensure_can(coordinator, OUTLET_ACCREDIT)
    if status not in Outlet.Status.values or status == Outlet.Status.APPLIED:
        raise ValidationError(_("Choose from the list."))
    reason = text_clean(reason)[:REASON_MAX_LENGTH]
    if status != Outlet.Status.ACCREDITED and not reason:
        raise ValidationError({"reason": _("Write the reason.")})
    outlet.status = status
    outlet.status_reason = reason
    outlet.decided_at = timezone.now()
    outlet.decided_by = coordinator
    outlet.save(update_fields=["status", "status_reason", "decided_at", "decided_by"])
    audit_log(actor=coordinator, action=f"media.outlet.{status}", target=outlet)
    if status == Outlet.Status.ACCREDITED and not outlet.members.exists():
        member = Member.objects.create(outlet=outlet, name=outlet.editor, email=outlet.email)
        transaction.on_commit(lambda: member_sign_in_send(email=member.email, language=language))


def member_sign_in_token(member: Member) -> str:
    return email_links.sign_in_token(
        salt=SIGN_IN_SALT, pk=member.pk, signed_in_at=member.signed_in_at
    )


def member_sign_in_send(*, email: str, language: str) -> None:
    """Send a sign-in link if an accredited member has this e-mail; silent otherwise."""
    member = Member.objects.select_related("outlet").filter(email=text_clean(email).lower()).first()
    if member is None or not member.outlet.is_accredited:
        return
    with override(language):
        link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
            "media:sign_in_link", kwargs={"token": member_sign_in_token(member)}
        )
        context = {
            "member": member,
            "link": link,
            "minutes": email_links.SIGN_IN_MAX_AGE_SECONDS // 60,
        }
        subject = render_to_string("media/email/sign_in_subject.txt", context).strip()
        body = render_to_string("media/email/sign_in.txt", context)
    notice_send(
        source_kind="media.sign_in",
        source_key=f"{member.pk}:{timezone.now().isoformat()}",
        language=language,
        subject=subject,
        body=body,
        email=member.email,
    )


@transaction.atomic
def member_sign_in(*, token: str) -> Member | None:
    """The member the link is for, if it is fresh, unused and their outlet accredited."""
    data = email_links.sign_in_token_read(token, salt=SIGN_IN_SALT)
    member = (
        Member.objects.select_for_update().select_related("outlet").filter(pk=data["v"]).first()
        if data
        else None
    )
    if member is None or not member.outlet.is_accredited:
        return None
    if not email_links.sign_in_token_unused(data, member.signed_in_at):
        return None
    member.signed_in_at = timezone.now()
    member.save(update_fields=["signed_in_at"])
    return member


def target_hours(kind: str) -> int:
    target = ResponseTarget.objects.filter(kind=kind).values_list("hours", flat=True).first()
    return target or DEFAULT_TARGET_HOURS[RequestKind(kind)]


@transaction.atomic
def targets_set(*, coordinator: StaffUser, hours: dict[str, int]) -> None:
    ensure_can(coordinator, TARGETS_EDIT)
    for kind, value in hours.items():
        if kind not in RequestKind.values or not 1 <= value <= TARGET_MAX_HOURS:
            raise ValidationError(
                _("A target is from 1 to %(max)s hours.") % {"max": TARGET_MAX_HOURS}
            )
        target, _created = ResponseTarget.objects.update_or_create(
            kind=kind, defaults={"hours": value}
        )
        audit_log(actor=coordinator, action="media.target.set", target=target, summary=f"{value} h")


@transaction.atomic
def media_request_submit(
    *, member: Member, kind: str, question: str, agency: Agency | None, language: str
) -> MediaRequest:
    """Register a question of an accredited member's outlet, due within its kind's target; an
    agency named goes straight to it, none to the coordinators."""
    if not member.outlet.is_accredited:
        raise ValidationError(_("Your organisation's accreditation is not in force."))
    question = text_clean(question)
    if not question:
        raise ValidationError({"question": _("Write the question.")})
    if len(question) > TEXT_MAX_LENGTH:
        raise ValidationError(
            {
                "question": _("Shorten the text to %(limit)s characters; it has %(length)s.")
                % {"limit": TEXT_MAX_LENGTH, "length": len(question)}
            }
        )
    if kind not in RequestKind.values:
        raise ValidationError({"kind": _("Choose from the list.")})
    now = timezone.now()
    hours = target_hours(kind)
    request = MediaRequest.objects.create(
        outlet=member.outlet,
        member=member,
        kind=kind,
        agency=agency,
        question=question,
        language=language,
        status=Status.WITH_AGENCY if agency else Status.NEW,
        submitted_at=now,
        target_hours=hours,
        due_at=now + dt.timedelta(hours=hours),
    )
    MediaRequestEvent.objects.create(
        request=request, at=now, kind=MediaRequestEvent.Kind.SUBMITTED, agency=agency
    )
    audit_log(
        actor=None,
        action="media.request.submitted",
        target=request,
        agency=agency,
        summary=f"outlet {member.outlet_id}",
    )
    return request


@transaction.atomic
def media_request_route(*, coordinator: StaffUser, request: MediaRequest, agency: Agency) -> None:
    """Send a request to the agency that answers it; its clock runs on from registration."""
    media_request_ensure(coordinator, REQUEST_ROUTE, request)
    if request.status == Status.ANSWERED:
        raise ValidationError(_("This request is already answered."))
    request.agency = agency
    request.status = Status.WITH_AGENCY
    request.save(update_fields=["agency", "status"])
    MediaRequestEvent.objects.create(
        request=request, kind=MediaRequestEvent.Kind.ROUTED, actor=coordinator, agency=agency
    )
    audit_log(actor=coordinator, action="media.request.routed", target=request, agency=agency)


@transaction.atomic
def media_request_answer(*, officer: StaffUser, request: MediaRequest, answer: str) -> None:
    """Record the agency's answer; the member sees it on their desk and gets an e-mail."""
    media_request_ensure(officer, REQUEST_ANSWER, request)
    if request.agency is None or not can(officer, REQUEST_ANSWER, agency=request.agency):
        raise ValidationError(_("This request is not with your agency."))
    answer = text_clean(answer)
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    if len(answer) > TEXT_MAX_LENGTH:
        raise ValidationError(
            {
                "answer": _("Shorten the text to %(limit)s characters; it has %(length)s.")
                % {"limit": TEXT_MAX_LENGTH, "length": len(answer)}
            }
        )
    # The agency's rule for citizens' answers holds for the press too: where the head approves
    # appeals' answers, they approve these (an answer the head writes goes at once).
    if answers_need_approval(request.agency) and not can(
        officer, ANSWER_APPROVE, agency=request.agency
    ):
        _status_move(
            request,
            expected=Status.WITH_AGENCY,
            status=Status.PENDING_APPROVAL,
            answer=answer,
            answered_by=officer,
            return_note="",
        )
        _step(request, MediaRequestEvent.Kind.ANSWER_SUBMITTED, officer)
        return
    _status_move(request, expected=Status.WITH_AGENCY, answer=answer, answered_by=officer)
    _answer_send(request, officer)


def answers_need_approval(agency: Agency) -> bool:
    return AgencyAppealSettings.objects.filter(agency=agency, answers_need_approval=True).exists()


@transaction.atomic
def media_answer_approve(*, head: StaffUser, request: MediaRequest) -> None:
    """The head sends the officer's draft answer as it is."""
    media_request_ensure(head, ANSWER_APPROVE, request)
    if request.status != Status.PENDING_APPROVAL:
        raise ValidationError(_("No answer is waiting for approval."))
    _answer_send(request, head)


@transaction.atomic
def media_answer_return(*, head: StaffUser, request: MediaRequest, note: str) -> None:
    """The head sends the draft back with what to change; the clock keeps running."""
    media_request_ensure(head, ANSWER_APPROVE, request)
    note = text_clean(note)[:REASON_MAX_LENGTH]
    if not note:
        raise ValidationError({"note": _("Write what the officer should change.")})
    _status_move(
        request, expected=Status.PENDING_APPROVAL, status=Status.WITH_AGENCY, return_note=note
    )
    _step(request, MediaRequestEvent.Kind.ANSWER_RETURNED, head)


def _status_move(request: MediaRequest, *, expected: str, **changes: object) -> None:
    moved = MediaRequest.objects.filter(pk=request.pk, status=expected).update(**changes)
    if not moved:
        raise ValidationError(_("Someone changed this request meanwhile; look at it again."))
    request.refresh_from_db()


def _step(request: MediaRequest, kind: str, actor: StaffUser) -> None:
    MediaRequestEvent.objects.create(request=request, kind=kind, actor=actor, agency=request.agency)
    audit_log(actor=actor, action=f"media.request.{kind}", target=request, agency=request.agency)


def _answer_send(request: MediaRequest, actor: StaffUser) -> None:
    """The answer goes out: the clock stops now, the member sees it and gets an e-mail."""
    _status_move(
        request,
        expected=request.status,
        status=Status.ANSWERED,
        answered_at=timezone.now(),
        answering_agency=request.agency,
    )
    _step(request, MediaRequestEvent.Kind.ANSWERED, actor)
    transaction.on_commit(lambda: _answer_notify(request))


def _answer_notify(request: MediaRequest) -> None:
    with override(request.language):
        link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
            "media:request", args=[request.pk]
        )
        context = {"request": request, "link": link}
        subject = render_to_string("media/email/answered_subject.txt", context).strip()
        body = render_to_string("media/email/answered.txt", context)
    notice_send(
        source_kind="media.answered",
        source_key=f"{request.pk}:{request.answered_at.isoformat() if request.answered_at else ''}",
        language=request.language,
        subject=subject,
        body=body,
        email=request.member.email,
    )
