"""The headquarters' screens in the staff admin: triage queue, one request and its steps, the
hotline form, volunteers to verify, a campaign's ledger."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from birge.core.access import StaffRequest, can, ensure_can, filter_by_agency_scope
from birge.core.models import Agency

from .access import (
    LEDGER_RECORD,
    LEDGER_VIEW,
    PARTNER_MANAGE,
    REQUEST_TAKE_CALL,
    REQUEST_TRIAGE,
    REQUEST_VIEW,
    VOLUNTEER_VERIFY,
    headquarters_ensure,
)
from .forms import HelpRequestForm, LedgerEntryForm
from .models import Campaign, HelpRequest, LedgerEntry, Partner, Pledge, Volunteer
from .selectors import (
    campaigns_taking_requests,
    fund_report,
    help_request_get_for,
    triage_queue,
    volunteer_get_for,
    volunteers_for,
)
from .services import (
    help_request_cancel,
    help_request_confirm_by_call,
    help_request_decide,
    help_request_hand_down,
    help_request_offer,
    help_request_partner_assign,
    help_request_submit,
    ledger_record,
    ledger_reverse,
    partner_create,
    pledge_fulfil,
    pledge_record,
    volunteer_verify,
)

PAGE_SIZE = 50
QUEUE_STATUSES = [HelpRequest.Status.NEW, HelpRequest.Status.ELIGIBLE, HelpRequest.Status.ASSIGNED]


def _headquarters_in_scope(request: StaffRequest) -> list[Agency]:
    return list(
        filter_by_agency_scope(
            request.user,
            REQUEST_VIEW,
            Agency.objects.filter(kind=Agency.Kind.VOLUNTEER_HEADQUARTERS, is_active=True),
            agency_field="pk",
        ).order_by("parent_id", "name_en")
    )


def queue(request: StaffRequest) -> HttpResponse:
    ensure_can(request.user, REQUEST_VIEW)
    status = request.GET.get("status") or HelpRequest.Status.NEW
    if status not in HelpRequest.Status.values:
        status = HelpRequest.Status.NEW
    headquarters_id = request.GET.get("hq")
    page = Paginator(
        triage_queue(
            user=request.user,
            status=status,
            headquarters_id=int(headquarters_id)
            if headquarters_id and headquarters_id.isdigit()
            else None,
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("p"))
    now = timezone.now()
    return render(
        request,
        "aid/admin/queue.html",
        {
            "page_title": _("Help requests"),
            "header_icon": "group",
            "page": page,
            "rows": [(item, now - item.submitted_at) for item in page],
            "status": status,
            "statuses": [(value, HelpRequest.Status(value).label) for value in QUEUE_STATUSES],
            "headquarters": _headquarters_in_scope(request),
            "headquarters_id": headquarters_id or "",
            "can_take_call": can(request.user, REQUEST_TAKE_CALL),
            "ledgers": filter_by_agency_scope(
                request.user, LEDGER_VIEW, Campaign.objects.all(), agency_field="headquarters"
            ),
        },
    )


def detail(request: StaffRequest, request_id: int) -> HttpResponse:
    help_request = help_request_get_for(request.user, REQUEST_VIEW, request_id)
    user = request.user
    can_triage = can(user, REQUEST_TRIAGE, agency=help_request.headquarters)
    return render(
        request,
        "aid/admin/detail.html",
        {
            "page_title": _("Help request %(code)s") % {"code": help_request.tracking_code},
            "header_icon": "group",
            "item": help_request,
            "events": help_request.events.select_related("actor", "volunteer"),
            "can_triage": can_triage,
            "headquarters": [
                hq
                for hq in _headquarters_in_scope(request)
                if hq.pk != help_request.headquarters_id
            ]
            if can_triage
            else [],
            "volunteers": volunteers_for(user=user, status=Volunteer.Status.VERIFIED).filter(
                region=help_request.region
            )[:200]
            if can_triage
            else [],
            "partners": filter_by_agency_scope(
                user, REQUEST_TRIAGE, Partner.objects.all(), agency_field="headquarters"
            )
            if can_triage
            else [],
        },
    )


def _act_decide(request: StaffRequest, item: HelpRequest) -> str:
    eligible = request.POST.get("eligible") == "yes"
    help_request_decide(
        operator=request.user,
        request=item,
        eligible=eligible,
        reason=request.POST.get("reason", ""),
    )
    return _("Confirmed as eligible.") if eligible else _("Closed as not eligible.")


def _act_hand_down(request: StaffRequest, item: HelpRequest) -> str:
    headquarters = Agency.objects.filter(pk=_int(request.POST.get("headquarters")) or 0).first()
    if headquarters is None:
        raise ValidationError(_("Choose a headquarters you work for."))
    help_request_hand_down(operator=request.user, request=item, headquarters=headquarters)
    return _("Handed to %(hq)s.") % {"hq": headquarters.name}


def _act_offer(request: StaffRequest, item: HelpRequest) -> str:
    volunteer = Volunteer.objects.filter(pk=_int(request.POST.get("volunteer")) or 0).first()
    if volunteer is None:
        raise ValidationError(_("Choose a verified volunteer of your headquarters."))
    help_request_offer(operator=request.user, request=item, volunteer=volunteer)
    return _("Offered to the volunteer.")


def _act_partner(request: StaffRequest, item: HelpRequest) -> str:
    partner = Partner.objects.filter(pk=_int(request.POST.get("partner")) or 0).first()
    if partner is None:
        raise ValidationError(_("Choose a partner of your headquarters."))
    help_request_partner_assign(operator=request.user, request=item, partner=partner)
    return _("Given to the partner.")


def _act_confirm(request: StaffRequest, item: HelpRequest) -> str:
    help_request_confirm_by_call(
        operator=request.user, request=item, note=request.POST.get("note", "")
    )
    return _("Delivery confirmed.")


def _act_cancel(request: StaffRequest, item: HelpRequest) -> str:
    help_request_cancel(operator=request.user, request=item, reason=request.POST.get("reason", ""))
    return _("Request cancelled.")


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


ACTIONS: dict[str, Callable[[StaffRequest, HelpRequest], str]] = {
    "decide": _act_decide,
    "hand-down": _act_hand_down,
    "offer": _act_offer,
    "partner": _act_partner,
    "confirm": _act_confirm,
    "cancel": _act_cancel,
}


@require_POST
def act(request: StaffRequest, request_id: int, action: str) -> HttpResponse:
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404
    item = help_request_get_for(request.user, REQUEST_TRIAGE, request_id)
    try:
        messages.success(request, handler(request, item))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("aid_admin_detail", request_id=item.pk)


def take_call(request: StaffRequest) -> HttpResponse:
    """The hotline operator types in a family's call; the same rules as the public form."""
    ensure_can(request.user, REQUEST_TAKE_CALL)
    campaigns = campaigns_taking_requests()
    form = HelpRequestForm(request.POST or None, campaigns=campaigns)
    if request.method == "POST" and form.is_valid():
        try:
            # The call lands in the queue of the headquarters serving the family's region, as
            # a web request would: the hotline answers for every region.
            item = help_request_submit(
                campaign=form.cleaned_data["campaign"],
                region=form.cleaned_data["region"],
                help_kind=form.cleaned_data["help_kind"],
                household=form.household(),
                consent=form.cleaned_data["consent"],
                language=(request.LANGUAGE_CODE or "kk")[:2],
                channel=HelpRequest.Channel.HOTLINE,
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Registered as %(code)s; read the code out to the caller.")
                % {"code": item.tracking_code},
            )
            return redirect("aid_admin_detail", request_id=item.pk)
    return render(
        request,
        "aid/admin/take_call.html",
        {"page_title": _("Take a call"), "header_icon": "mobile-alt", "form": form},
        status=400 if request.method == "POST" else 200,
    )


def volunteers(request: StaffRequest) -> HttpResponse:
    ensure_can(request.user, VOLUNTEER_VERIFY)
    status = request.GET.get("status") or Volunteer.Status.PENDING
    if status not in Volunteer.Status.values:
        status = Volunteer.Status.PENDING
    page = Paginator(
        volunteers_for(user=request.user, status=status).order_by("registered_at", "id"), PAGE_SIZE
    ).get_page(request.GET.get("p"))
    return render(
        request,
        "aid/admin/volunteers.html",
        {
            "page_title": _("Volunteers"),
            "header_icon": "user",
            "page": page,
            "status": status,
            "statuses": Volunteer.Status.choices,
        },
    )


@require_POST
def volunteer_check(request: StaffRequest, volunteer_id: int) -> HttpResponse:
    volunteer = volunteer_get_for(request.user, volunteer_id)
    verified = request.POST.get("verified") == "yes"
    try:
        volunteer_verify(
            operator=request.user,
            volunteer=volunteer,
            verified=verified,
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            (_("%(name)s is verified.") if verified else _("%(name)s is suspended."))
            % {"name": volunteer.name},
        )
    return redirect("aid_admin_volunteers")


def ledger(request: StaffRequest, campaign_id: int) -> HttpResponse:
    campaign = Campaign.objects.select_related("headquarters").filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404
    headquarters_ensure(request.user, LEDGER_VIEW, headquarters_id=campaign.headquarters_id)
    can_record = can(request.user, LEDGER_RECORD, agency=campaign.headquarters)
    form = LedgerEntryForm(request.POST or None, initial={"on_date": timezone.localdate()})
    if request.method == "POST":
        if request.POST.get("reverse"):
            entry = LedgerEntry.objects.filter(
                pk=_int(request.POST.get("reverse")) or 0, campaign=campaign
            ).first()
            if entry is None:
                raise Http404
            try:
                ledger_reverse(
                    operator=request.user, entry=entry, reason=request.POST.get("reason", "")
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("The entry is reversed."))
            return redirect("aid_admin_ledger", campaign_id=campaign.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                ledger_record(
                    operator=request.user,
                    campaign=campaign,
                    kind=LedgerEntry.Kind(data["kind"]),
                    amount=data["amount"],
                    on_date=data["on_date"],
                    document_ref=data["document_ref"],
                    donor=data["donor"],
                    region=data["region"],
                    note=data["note"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The entry is recorded."))
                return redirect("aid_admin_ledger", campaign_id=campaign.pk)
    return render(
        request,
        "aid/admin/ledger.html",
        {
            "page_title": _("Fund ledger: %(name)s") % {"name": campaign.name},
            "header_icon": "table",
            "campaign": campaign,
            "entries": campaign.ledger.select_related("recorded_by", "region", "reverses")[:200],
            "report": fund_report(campaign),
            "form": form,
            "can_record": can_record,
            "campaigns": Campaign.objects.all(),
        },
        status=400 if request.method == "POST" else 200,
    )


def partners(request: StaffRequest) -> HttpResponse:
    """Partners of the operator's headquarters, their pledges and what has arrived of them."""
    ensure_can(request.user, PARTNER_MANAGE)
    user = request.user
    if request.method == "POST":
        try:
            message = _partners_act(request)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, message)
        return redirect("aid_admin_partners")
    in_scope = filter_by_agency_scope(
        user, PARTNER_MANAGE, Partner.objects.all(), agency_field="headquarters"
    )
    return render(
        request,
        "aid/admin/partners.html",
        {
            "page_title": _("Partners"),
            "header_icon": "site",
            "partners": in_scope.select_related("headquarters"),
            "pledges": Pledge.objects.filter(partner__in=in_scope).select_related(
                "partner", "campaign"
            )[:500],
            "kinds": Partner.Kind.choices,
            "headquarters": [
                hq for hq in _headquarters_in_scope(request) if can(user, PARTNER_MANAGE, agency=hq)
            ],
            "campaigns": Campaign.objects.all(),
        },
    )


def _partners_act(request: StaffRequest) -> str:
    post = request.POST
    action = post.get("action")
    if action == "partner":
        partner = partner_create(
            operator=request.user,
            name=post.get("name", ""),
            kind=Partner.Kind(kind)
            if (kind := post.get("kind", "")) in Partner.Kind.values
            else Partner.Kind.OTHER,
            headquarters_id=_int(post.get("headquarters")) or 0,
            contact_name=post.get("contact_name", ""),
            contact_email=post.get("contact_email", ""),
            contact_phone=post.get("contact_phone", ""),
        )
        return _("%(name)s is registered.") % {"name": partner.name}
    if action == "pledge":
        partner_found = Partner.objects.filter(pk=_int(post.get("partner")) or 0).first()
        campaign = Campaign.objects.filter(pk=_int(post.get("campaign")) or 0).first()
        if partner_found is None or campaign is None:
            raise ValidationError(_("Choose from the list."))
        pledge_record(
            operator=request.user,
            partner=partner_found,
            campaign=campaign,
            description=post.get("description", ""),
            quantity=_int(post.get("quantity")) or 0,
            unit=post.get("unit", ""),
        )
        return _("The pledge is recorded.")
    if action == "received":
        pledge = (
            Pledge.objects.select_related("partner__headquarters")
            .filter(pk=_int(post.get("pledge")) or 0)
            .first()
        )
        if pledge is None:
            raise Http404
        pledge_fulfil(
            operator=request.user, pledge=pledge, received=_int(post.get("received")) or 0
        )
        return _("Received.")
    raise Http404
