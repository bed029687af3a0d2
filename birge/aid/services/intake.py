"""Intake: a family's help request, from the web, the hotline operator or the API.

Every rule is here, not in a form, so each channel obeys the same: household 1-30, a birth date
not in the future, an IIN that passes its checksum, a phone to call. A request that looks like
one already in the campaign (the same IIN, or the same phone and address) is flagged for the
operator, never merged or refused: a neighbour may ask for a family that asked itself.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from birge.api.models import ApiClient
from birge.core.access import StaffUser
from birge.core.audit import audit_log
from birge.core.models import Agency, Region
from birge.core.text import iin_clean, name_clean, phone_clean, text_clean

from ..models import (
    ADDRESS_MAX_LENGTH,
    HOUSEHOLD_MAX,
    Campaign,
    Category,
    HelpKind,
    HelpRequest,
    HelpRequestEvent,
)
from ..notify import request_received_mail

OLDEST_AGE_YEARS = 120
AGE_PRIORITY_YEARS = 80


@dataclass(frozen=True)
class Household:
    """What the family tells about itself; `person_*` is the one who needs the help."""

    household_size: int
    person_name: str = ""
    birth_date: dt.date | None = None
    iin: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    categories: tuple[str, ...] = ()
    no_food: bool = False
    lives_alone: bool = False
    requester_name: str = ""
    requester_phone: str = ""


def headquarters_for(*, campaign: Campaign, region: Region) -> Agency:
    """The headquarters that takes a request from `region`: the highest one under the
    campaign's own that serves the region (the regional one, which hands down to districts),
    or the campaign's own when none does."""
    candidates = Agency.objects.filter(
        kind=Agency.Kind.VOLUNTEER_HEADQUARTERS, region=region, is_active=True
    ).select_related("parent")
    by_id = {hq.pk: hq for hq in candidates}
    for hq in candidates:
        if hq.parent_id not in by_id and _is_under(hq, campaign.headquarters_id):
            return hq
    return campaign.headquarters


def _is_under(agency: Agency, ancestor_id: int) -> bool:
    seen = 0
    current: Agency | None = agency
    while current is not None and seen < 10:
        if current.pk == ancestor_id:
            return True
        current = current.parent
        seen += 1
    return False


def help_request_submit(
    *,
    campaign: Campaign,
    region: Region,
    help_kind: str,
    household: Household,
    consent: bool,
    language: str,
    channel: HelpRequest.Channel,
    actor: StaffUser | None = None,
    api_client: ApiClient | None = None,
) -> HelpRequest:
    """Register the request in its headquarters' queue with its priority; flag a possible
    duplicate. Raises ValidationError by field, in the active language."""
    typed = _household_clean(household, campaign=campaign, region=region, help_kind=help_kind)
    if not consent:
        raise ValidationError(
            {"consent": _("Agree to the processing of personal data to send the request.")}
        )
    now = timezone.now()
    request = HelpRequest(
        campaign=campaign,
        headquarters=headquarters_for(campaign=campaign, region=region),
        region=region,
        help_kind=help_kind,
        consent=True,
        language=language,
        channel=channel,
        api_client=api_client,
        submitted_at=now,
        priority=_priority(campaign, typed, now.date()),
        **typed,
    )
    earlier = _possible_duplicate(request, now)
    if earlier is not None:
        request.possible_duplicate_of = earlier
        request.duplicate_reason = (
            HelpRequest.DuplicateReason.IIN
            if request.iin and request.iin == earlier.iin
            else HelpRequest.DuplicateReason.CONTACT
        )
    with transaction.atomic():
        request.save(force_insert=True)
        events = [HelpRequestEvent(request=request, at=now, kind=HelpRequestEvent.Kind.SUBMITTED)]
        if earlier is not None:
            events.append(
                HelpRequestEvent(
                    request=request,
                    at=now,
                    kind=HelpRequestEvent.Kind.FLAGGED_DUPLICATE,
                    is_public=False,
                    note=earlier.tracking_code,
                )
            )
        HelpRequestEvent.objects.bulk_create(events)
        if request.email:
            transaction.on_commit(lambda: request_received_mail(request))
        audit_log(
            actor=actor,
            action="aid.request.submitted",
            target=request,
            summary=f"campaign {campaign.slug}, channel {channel}",
            agency=request.headquarters,
            at=now,
        )
    return request


def _household_clean(
    household: Household, *, campaign: Campaign, region: Region, help_kind: str
) -> dict[str, Any]:
    errors: dict[str, list[ValidationError]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code="invalid"))

    today = timezone.localdate()
    if (
        not campaign.is_active
        or campaign.starts_on > today
        or (campaign.ends_on is not None and campaign.ends_on < today)
    ):
        refuse("campaign", _("This campaign is not taking requests now."))
    regions = campaign.regions.all()
    if regions and region not in regions:
        refuse("region", _("This campaign does not cover the region chosen."))
    if help_kind not in campaign.help_kinds or help_kind not in HelpKind.values:
        refuse("help_kind", _("Choose one of the kinds of help this campaign gives."))
    if not 1 <= household.household_size <= HOUSEHOLD_MAX:
        refuse(
            "household_size",
            _("A household has from 1 to %(max)s people.") % {"max": HOUSEHOLD_MAX},
        )
    if household.birth_date is not None:
        if household.birth_date > today:
            refuse("birth_date", _("The date of birth cannot be in the future."))
        elif today.year - household.birth_date.year > OLDEST_AGE_YEARS:
            refuse("birth_date", _("Check the year of birth."))
    unknown = [value for value in household.categories if value not in Category.values]
    if unknown:
        refuse("categories", _("Choose the categories from the list."))
    address = text_clean(household.address)
    if not address:
        refuse("address", _("Write the address where the help should be brought."))
    elif len(address) > ADDRESS_MAX_LENGTH:
        refuse(
            "address",
            _("Shorten the address to %(limit)s characters.") % {"limit": ADDRESS_MAX_LENGTH},
        )
    typed: dict[str, Any] = {
        "household_size": household.household_size,
        "birth_date": household.birth_date,
        "email": text_clean(household.email),
        "address": address,
        "categories": sorted(set(household.categories) & set(Category.values)),
        "no_food": household.no_food,
        "lives_alone": household.lives_alone,
    }
    for field, clean, value in (
        ("person_name", name_clean, household.person_name),
        ("iin", iin_clean, household.iin),
        ("phone", phone_clean, household.phone),
        ("requester_name", name_clean, household.requester_name),
        ("requester_phone", phone_clean, household.requester_phone),
    ):
        try:
            typed[field] = clean(value)
        except ValidationError as error:
            errors.setdefault(field, []).extend(error.error_list)
    if not typed.get("phone") and not typed.get("requester_phone") and "phone" not in errors:
        refuse("phone", _("Give a phone number the volunteer can call."))
    if not typed.get("person_name") and "person_name" not in errors:
        refuse("person_name", _("Write the name of the person who needs help."))
    if errors:
        raise ValidationError(errors)
    typed["contact_key"] = contact_key(str(typed["phone"] or typed["requester_phone"]), address)
    return typed


def contact_key(phone: str, address: str) -> str:
    """The same phone and the same address, however they were typed, give the same key."""
    digits = "".join(char for char in phone if char.isdigit())[-10:]
    folded = "".join(char for char in address.casefold() if char.isalnum())
    if not digits or not folded:
        return ""
    return hashlib.sha256(f"{digits}|{folded}".encode()).hexdigest()


def _priority(campaign: Campaign, typed: dict[str, Any], today: dt.date) -> int:
    birth_date = typed["birth_date"]
    aged = isinstance(birth_date, dt.date) and (
        (
            today.year
            - birth_date.year
            - ((today.month, today.day) < (birth_date.month, birth_date.day))
        )
        >= AGE_PRIORITY_YEARS
    )
    categories = typed["categories"]
    return (
        (campaign.priority_no_food if typed["no_food"] else 0)
        + (campaign.priority_disability if Category.DISABILITY in categories else 0)
        + (campaign.priority_age_80 if aged else 0)
        + (campaign.priority_alone if typed["lives_alone"] else 0)
    )


def _possible_duplicate(request: HelpRequest, now: dt.datetime) -> HelpRequest | None:
    """The earliest request of the campaign for the same household that is still open, or was
    delivered within the campaign's repeat interval (after it, the family may be helped again)."""
    same = Q()
    if request.iin:
        same |= Q(iin=request.iin)
    if request.contact_key:
        same |= Q(contact_key=request.contact_key)
    if not same:
        return None
    recent = now - dt.timedelta(days=request.campaign.repeat_after_days)
    return (
        HelpRequest.objects.filter(same, campaign=request.campaign)
        .filter(
            Q(
                status__in=[
                    HelpRequest.Status.NEW,
                    HelpRequest.Status.ELIGIBLE,
                    HelpRequest.Status.ASSIGNED,
                ]
            )
            | Q(status=HelpRequest.Status.DELIVERED, delivered_at__gte=recent)
        )
        .order_by("submitted_at", "id")
        .only("id", "tracking_code", "iin")
        .first()
    )
