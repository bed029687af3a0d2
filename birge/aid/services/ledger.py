"""The campaign's fund: donations in, purchases and transfers out, and partners' pledges.

The ledger is append-only: an entry is corrected by a reversing one, never edited. Spending is
refused when it would take the fund below zero, so the report can never show more spent than
raised; every entry names a document and the operator who recorded it.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from birge.core.access import StaffUser, can
from birge.core.audit import audit_log
from birge.core.models import Region
from birge.core.text import name_clean, phone_clean, text_clean

from ..access import LEDGER_RECORD, PARTNER_MANAGE, headquarters_ensure
from ..models import Campaign, LedgerEntry, Partner, Pledge

AMOUNT_MAX = Decimal("99999999999999.99")


def amount_clean(value: str | Decimal) -> Decimal:
    try:
        amount = Decimal(str(value).replace(" ", "").replace(",", ".").strip())
    except InvalidOperation:
        amount = Decimal(0)
    if not amount.is_finite() or amount <= 0 or amount > AMOUNT_MAX:
        raise ValidationError({"amount": _("Write the amount in tenge, more than zero.")})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": _("Tenge have at most two decimal places (tiyn).")})
    return amount


def campaign_balance(campaign: Campaign) -> Decimal:
    totals = dict(
        LedgerEntry.objects.filter(campaign=campaign)
        .values_list("kind")
        .annotate(total=Sum("amount"))
        .values_list("kind", "total")
    )
    raised = sum((totals.get(kind, Decimal(0)) for kind in LedgerEntry.INFLOWS), Decimal(0))
    spent = sum(
        (total for kind, total in totals.items() if kind not in LedgerEntry.INFLOWS), Decimal(0)
    )
    return raised - spent


@transaction.atomic
def ledger_record(
    *,
    operator: StaffUser,
    campaign: Campaign,
    kind: LedgerEntry.Kind,
    amount: str | Decimal,
    on_date: dt.date,
    document_ref: str,
    donor: str = "",
    region: Region | None = None,
    note: str = "",
) -> LedgerEntry:
    """Record a donation or a spending of the campaign's fund."""
    headquarters_ensure(operator, LEDGER_RECORD, headquarters_id=campaign.headquarters_id)
    value = amount_clean(amount)
    document_ref = text_clean(document_ref)[:200]
    errors: dict[str, str] = {}
    if not document_ref:
        errors["document_ref"] = _("Name the document: a payment order, an invoice, a receipt.")
    if on_date > timezone.localdate():
        errors["on_date"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    # Locks the campaign row: two spendings recorded at once cannot both pass the balance check.
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    if kind not in LedgerEntry.INFLOWS and value > campaign_balance(campaign):
        raise ValidationError(
            {"amount": _("The fund holds less than this; record the donations first.")}
        )
    entry = LedgerEntry(
        campaign=campaign,
        kind=kind,
        amount=value,
        on_date=on_date,
        document_ref=document_ref,
        donor=text_clean(donor)[:300] if kind in LedgerEntry.INFLOWS else "",
        region=region,
        note=text_clean(note)[:500],
        recorded_by=operator,
    )
    entry.full_clean(exclude=["campaign", "region", "recorded_by", "reverses"])
    entry.save()
    audit_log(
        actor=operator,
        action=f"aid.ledger.{kind}",
        target=entry,
        summary=f"{value} KZT, document {document_ref}",
        agency=campaign.headquarters,
    )
    return entry


@transaction.atomic
def ledger_reverse(*, operator: StaffUser, entry: LedgerEntry, reason: str) -> LedgerEntry:
    """Cancel an entry by a reversing one of the opposite sign; the original stays."""
    campaign = entry.campaign
    headquarters_ensure(operator, LEDGER_RECORD, headquarters_id=campaign.headquarters_id)
    reason = text_clean(reason)[:500]
    if not reason:
        raise ValidationError({"reason": _("Write why the entry is reversed.")})
    if entry.reverses_id is not None or LedgerEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("This entry is already a reversal or reversed."))
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    if entry.kind in LedgerEntry.INFLOWS and entry.amount > campaign_balance(campaign):
        raise ValidationError(_("Reversing this donation would leave the fund below zero."))
    reversal = LedgerEntry.objects.create(
        campaign=campaign,
        kind=entry.kind,
        amount=-entry.amount,
        on_date=timezone.localdate(),
        document_ref=entry.document_ref,
        region=entry.region,
        note=reason,
        reverses=entry,
        recorded_by=operator,
    )
    audit_log(
        actor=operator,
        action="aid.ledger.reversed",
        target=reversal,
        summary=f"reverses entry {entry.pk}",
        agency=campaign.headquarters,
    )
    return reversal


@transaction.atomic
def partner_create(
    *,
    operator: StaffUser,
    name: str,
    kind: Partner.Kind,
    headquarters_id: int,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
) -> Partner:
    headquarters_ensure(operator, PARTNER_MANAGE, headquarters_id=headquarters_id)
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {"contact_email": text_clean(contact_email)}
    for field, clean, value in (
        ("name", name_clean, name),
        ("contact_name", name_clean, contact_name),
        ("contact_phone", phone_clean, contact_phone),
    ):
        try:
            cleaned[field] = clean(value)
        except ValidationError as error:
            errors[field] = error.messages
    if not cleaned.get("name") and "name" not in errors:
        errors["name"] = [_("Write the organisation's name.")]
    elif Partner.objects.filter(name__iexact=cleaned.get("name", "")).exists():
        errors["name"] = [_("This partner is already registered.")]
    if errors:
        raise ValidationError(errors)
    partner = Partner(kind=kind, headquarters_id=headquarters_id, **cleaned)
    partner.full_clean(exclude=["headquarters"], validate_unique=False)
    partner.save()
    audit_log(actor=operator, action="aid.partner.created", target=partner)
    return partner


@transaction.atomic
def pledge_record(
    *,
    operator: StaffUser,
    partner: Partner,
    campaign: Campaign,
    description: str,
    quantity: int,
    unit: str,
    due_on: dt.date | None = None,
) -> Pledge:
    headquarters_ensure(operator, PARTNER_MANAGE, headquarters_id=partner.headquarters_id)
    pledge = Pledge(
        partner=partner,
        campaign=campaign,
        description=text_clean(description)[:500],
        quantity=quantity,
        unit=text_clean(unit)[:50],
        due_on=due_on,
    )
    pledge.full_clean(exclude=["partner", "campaign"])
    pledge.save()
    audit_log(actor=operator, action="aid.pledge.recorded", target=pledge)
    return pledge


@transaction.atomic
def pledge_fulfil(*, operator: StaffUser, pledge: Pledge, received: int) -> None:
    """Add what arrived of a pledge; it is fulfilled when the promised quantity is in."""
    if not can(operator, PARTNER_MANAGE, agency=pledge.partner.headquarters):
        raise ValidationError(_("This partner belongs to another headquarters."))
    if received < 1 or pledge.fulfilled_quantity + received > pledge.quantity:
        raise ValidationError(
            {
                "received": _("Between 1 and %(left)s are still due.")
                % {"left": pledge.quantity - pledge.fulfilled_quantity}
            }
        )
    pledge.fulfilled_quantity += received
    if pledge.fulfilled_quantity == pledge.quantity:
        pledge.fulfilled_at = timezone.now()
    pledge.save(update_fields=["fulfilled_quantity", "fulfilled_at"])
    audit_log(actor=operator, action="aid.pledge.received", target=pledge, summary=f"+{received}")
