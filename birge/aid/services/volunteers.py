"""Volunteers: registration, the headquarters' check, sign-in by an e-mail link, and the tasks
they take and deliver. A volunteer is not staff: no password, no second factor, no role in
`access.py`; the session holds the volunteer's id, and every task step checks the task is theirs.
"""

import hmac
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from birge.channels.services import notice_send
from birge.core import email_links
from birge.core.access import StaffUser
from birge.core.audit import audit_log
from birge.core.models import Agency, Region
from birge.core.text import name_clean, phone_clean, text_clean

from ..access import VOLUNTEER_VERIFY, headquarters_ensure
from ..models import DELIVERY_CODE_ATTEMPTS, HelpRequest, HelpRequestEvent, Skill, Volunteer
from .triage import delivery_count, request_step, status_move

SIGN_IN_SALT = "birge.aid.volunteer-sign-in"
SIGN_IN_MAX_AGE_SECONDS = email_links.SIGN_IN_MAX_AGE_SECONDS
HOURS_MAX = Decimal("24")
Status = HelpRequest.Status
Kind = HelpRequestEvent.Kind


def headquarters_for_region(region: Region) -> Agency:
    """The headquarters volunteers of `region` belong to: its top one, else the front office."""
    headquarters = Agency.objects.filter(kind=Agency.Kind.VOLUNTEER_HEADQUARTERS, is_active=True)
    regional = (
        headquarters.filter(region=region).exclude(parent__region=region).order_by("pk").first()
    )
    if regional is not None:
        return regional
    top = headquarters.filter(parent__isnull=True).order_by("pk").first()
    if top is None:
        raise ValidationError(_("Volunteer registration is not open yet."))
    return top


def volunteer_register(
    *,
    name: str,
    email: str,
    phone: str,
    region: Region,
    skills: list[str],
    languages: list[str],
    availability: str,
    consent: bool,
) -> Volunteer:
    """Register a volunteer as waiting for the headquarters' check; the same e-mail twice is
    refused with a pointer to signing in."""
    errors: dict[str, list[str]] = {}
    try:
        name = name_clean(name)
    except ValidationError as error:
        errors["name"] = error.messages
    if not name and "name" not in errors:
        errors["name"] = [_("Write your name.")]
    try:
        phone = phone_clean(phone)
    except ValidationError as error:
        errors["phone"] = error.messages
    if not phone and "phone" not in errors:
        errors["phone"] = [_("Give a phone number the headquarters can call.")]
    email = text_clean(email).lower()
    if email and Volunteer.objects.filter(email=email).exists():
        errors["email"] = [_("A volunteer with this e-mail is registered: sign in instead.")]
    if not consent:
        errors["consent"] = [_("Agree to the processing of personal data to register.")]
    if errors:
        raise ValidationError(errors)
    volunteer = Volunteer(
        name=name,
        email=email,
        phone=phone,
        region=region,
        headquarters=headquarters_for_region(region),
        skills=sorted(set(skills) & set(Skill.values)),
        languages=sorted(set(languages) & {"kk", "ru", "en"}),
        availability=text_clean(availability)[:200],
    )
    volunteer.full_clean(exclude=["region", "headquarters"])
    with transaction.atomic():
        volunteer.save()
        audit_log(
            actor=None,
            action="aid.volunteer.registered",
            target=volunteer,
            agency=volunteer.headquarters,
        )
    return volunteer


@transaction.atomic
def volunteer_verify(
    *, operator: StaffUser, volunteer: Volunteer, verified: bool, note: str
) -> None:
    """Record the headquarters' check of the volunteer's identity (verified) or suspend them;
    a suspended volunteer keeps no task offered to them."""
    headquarters_ensure(operator, VOLUNTEER_VERIFY, headquarters_id=volunteer.headquarters_id)
    note = text_clean(note)[:500]
    if not note:
        raise ValidationError({"note": _("Write how the identity was checked, or why not.")})
    volunteer.status = Volunteer.Status.VERIFIED if verified else Volunteer.Status.SUSPENDED
    volunteer.verified_at = timezone.now()
    volunteer.verified_by = operator
    volunteer.verification_note = note
    volunteer.save(update_fields=["status", "verified_at", "verified_by", "verification_note"])
    if not verified:
        HelpRequest.objects.filter(offered_to=volunteer).update(offered_to=None)
    audit_log(
        actor=operator,
        action=f"aid.volunteer.{volunteer.status}",
        target=volunteer,
        agency=volunteer.headquarters,
    )


def sign_in_token(volunteer: Volunteer) -> str:
    return email_links.sign_in_token(
        salt=SIGN_IN_SALT, pk=volunteer.pk, signed_in_at=volunteer.signed_in_at
    )


def volunteer_sign_in_send(*, email: str, language: str) -> None:
    """Send the sign-in link if a volunteer has this e-mail; silent otherwise, so the form does
    not tell who volunteers."""
    volunteer = Volunteer.objects.filter(email=text_clean(email).lower()).first()
    if volunteer is None or volunteer.status == Volunteer.Status.SUSPENDED:
        return
    with override(language):
        link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
            "aid:volunteer_sign_in_link", kwargs={"token": sign_in_token(volunteer)}
        )
        context = {"volunteer": volunteer, "link": link, "minutes": SIGN_IN_MAX_AGE_SECONDS // 60}
        subject = render_to_string("aid/email/sign_in_subject.txt", context).strip()
        body = render_to_string("aid/email/sign_in.txt", context)
    notice_send(
        source_kind="aid.sign_in",
        source_key=f"{volunteer.pk}:{timezone.now().isoformat()}",
        language=language,
        subject=subject,
        body=body,
        email=volunteer.email,
    )


@transaction.atomic
def volunteer_sign_in(*, token: str) -> Volunteer | None:
    """The volunteer the link is for, if it is fresh and unused; marks it used."""
    data = email_links.sign_in_token_read(token, salt=SIGN_IN_SALT)
    volunteer = Volunteer.objects.select_for_update().filter(pk=data["v"]).first() if data else None
    if volunteer is None or volunteer.status == Volunteer.Status.SUSPENDED:
        return None
    if not email_links.sign_in_token_unused(data, volunteer.signed_in_at):
        return None
    volunteer.signed_in_at = timezone.now()
    volunteer.save(update_fields=["signed_in_at"])
    return volunteer


def _ensure_verified(volunteer: Volunteer) -> None:
    if volunteer.status != Volunteer.Status.VERIFIED:
        raise ValidationError(_("The headquarters has not verified you yet."))


@transaction.atomic
def task_accept(*, volunteer: Volunteer, request: HelpRequest) -> None:
    """Take a confirmed request of the volunteer's area; the first to accept gets it."""
    _ensure_verified(volunteer)
    if volunteer.headquarters_id not in (
        request.headquarters_id,
        request.headquarters.parent_id,
    ):
        raise ValidationError(_("This task is outside your headquarters' area."))
    if request.offered_to_id not in (None, volunteer.pk):
        raise ValidationError(_("This task is offered to another volunteer."))
    status_move(
        request,
        expected=(Status.ELIGIBLE,),
        status=Status.ASSIGNED,
        volunteer=volunteer,
        offered_to=None,
        assigned_at=timezone.now(),
    )
    request_step(request=request, kind=Kind.ACCEPTED, volunteer=volunteer)


@transaction.atomic
def task_decline(*, volunteer: Volunteer, request: HelpRequest) -> None:
    """Turn down a task offered to this volunteer: it goes back to everyone in the area."""
    if request.offered_to_id != volunteer.pk:
        raise ValidationError(_("This task is not offered to you."))
    status_move(request, expected=(Status.ELIGIBLE,), offered_to=None)
    request_step(request=request, kind=Kind.DECLINED, volunteer=volunteer, is_public=False)


@transaction.atomic
def task_release(*, volunteer: Volunteer, request: HelpRequest, reason: str) -> None:
    """Give back an accepted task the volunteer cannot deliver; the address is hidden again."""
    if request.volunteer_id != volunteer.pk:
        raise ValidationError(_("This task is not yours."))
    status_move(
        request,
        expected=(Status.ASSIGNED,),
        status=Status.ELIGIBLE,
        volunteer=None,
        assigned_at=None,
    )
    request_step(
        request=request, kind=Kind.RELEASED, volunteer=volunteer, note=text_clean(reason)[:500]
    )


def task_deliver(*, volunteer: Volunteer, request: HelpRequest, code: str, hours: str) -> None:
    """Close the task with the code the family gives at the door, logging the hours spent.

    A wrong code is counted (outside the transaction that refuses it, so it sticks); after
    DELIVERY_CODE_ATTEMPTS the task waits for the operator's confirming call.
    """
    if request.volunteer_id != volunteer.pk or request.status != Status.ASSIGNED:
        raise ValidationError(_("This task is not yours to deliver."))
    spent = _hours_clean(hours)
    if request.code_attempts >= DELIVERY_CODE_ATTEMPTS:
        raise ValidationError(
            {"code": _("Too many wrong codes: the headquarters will call the family to confirm.")}
        )
    if not hmac.compare_digest("".join(code.split()), request.delivery_code()):
        with transaction.atomic():
            request.code_attempts += 1
            HelpRequest.objects.filter(pk=request.pk).update(code_attempts=request.code_attempts)
            request_step(
                request=request, kind=Kind.CODE_WRONG, volunteer=volunteer, is_public=False
            )
        raise ValidationError({"code": _("The code is not right; ask the family again.")})
    now = timezone.now()
    with transaction.atomic():
        status_move(
            request,
            expected=(Status.ASSIGNED,),
            status=Status.DELIVERED,
            delivered_at=now,
            closed_at=now,
            hours=spent,
        )
        delivery_count(request)
        request_step(request=request, kind=Kind.DELIVERED, volunteer=volunteer)


def _hours_clean(hours: str) -> Decimal | None:
    if not str(hours).strip():
        return None
    try:
        spent = Decimal(str(hours).replace(",", ".").strip())
    except InvalidOperation:
        spent = Decimal(-1)
    if not spent.is_finite() or not Decimal(0) <= spent <= HOURS_MAX:
        raise ValidationError({"hours": _("Write the hours as a number from 0 to 24, e.g. 1.5.")})
    return spent.quantize(Decimal("0.1"))
