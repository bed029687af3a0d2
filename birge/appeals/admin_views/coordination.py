"""Coordination screens: triage, routing rules and crisis targets, templates, figures."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from birge.core.access import StaffRequest, agency_ids_in_scope, can, ensure_can
from birge.core.models import Agency

from ..access import APPEAL_ANSWER, APPEAL_ROUTE, ROUTING_RULE_EDIT, STATISTICS_VIEW
from ..forms import (
    AgencyChoiceForm,
    AgencySettingsForm,
    AnswerTemplateForm,
    CrisisTargetForm,
    RoutingRuleForm,
)
from ..models import AgencyAppealSettings, AnswerTemplate, Appeal, CrisisTarget, RoutingRule
from ..selectors import (
    agency_open_counts,
    agency_performance_many,
    appeal_get_for,
    appeal_triage_queue,
)
from ..services import (
    agency_appeal_settings_set,
    answer_template_create,
    answer_template_delete,
    appeal_route,
    crisis_target_set,
    routing_rule_create,
    routing_rule_delete,
)

PAGE_SIZE = 50


def triage(request: StaffRequest) -> HttpResponse:
    ensure_can(request.user, APPEAL_ROUTE)
    queue = appeal_triage_queue(user=request.user)
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("p"))
    return render(
        request,
        "appeals/admin/triage.html",
        {
            "page_title": _("Triage queue"),
            "header_icon": "list-ul",
            "page": page,
            "agencies": Agency.objects.filter(is_active=True).order_by("name_en"),
        },
    )


@require_POST
def route(request: StaffRequest, appeal_id: int) -> HttpResponse:
    appeal = appeal_get_for(request.user, APPEAL_ROUTE, appeal_id)
    form = AgencyChoiceForm(request.POST)
    if form.is_valid():
        try:
            appeal_route(actor=request.user, appeal=appeal, agency=form.cleaned_data["agency"])
            messages.success(request, _("Assigned."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Choose an agency."))
    return redirect("appeals_admin_triage")


def routing(request: StaffRequest) -> HttpResponse:
    ensure_can(request.user, ROUTING_RULE_EDIT)
    rule_form = (
        RoutingRuleForm(request.POST or None)
        if request.POST.get("form") == "rule"
        else RoutingRuleForm()
    )
    target_form = (
        CrisisTargetForm(request.POST or None)
        if request.POST.get("form") == "target"
        else CrisisTargetForm()
    )
    if request.method == "POST":
        try:
            if request.POST.get("form") == "rule" and rule_form.is_valid():
                routing_rule_create(actor=request.user, **rule_form.cleaned_data)
                messages.success(request, _("Rule added."))
                return redirect("appeals_admin_routing")
            if request.POST.get("form") == "target" and target_form.is_valid():
                crisis_target_set(actor=request.user, **target_form.cleaned_data)
                messages.success(request, _("Crisis target saved."))
                return redirect("appeals_admin_routing")
            if request.POST.get("form") == "settings":
                settings_form = AgencySettingsForm(request.POST)
                if settings_form.is_valid():
                    agency_appeal_settings_set(actor=request.user, **settings_form.cleaned_data)
                    messages.success(request, _("Agency setting saved."))
                return redirect("appeals_admin_routing")
            if request.POST.get("form") == "delete":
                rule = RoutingRule.objects.filter(pk=request.POST.get("rule") or 0).first()
                if rule is None:
                    raise Http404
                routing_rule_delete(actor=request.user, rule=rule)
                messages.success(request, _("Rule removed."))
                return redirect("appeals_admin_routing")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return render(
        request,
        "appeals/admin/routing.html",
        {
            "page_title": _("Routing rules and crisis targets"),
            "header_icon": "cogs",
            "rules": RoutingRule.objects.select_related("topic", "region", "agency").order_by(
                "topic__slug", "region__sort_order"
            ),
            "targets": CrisisTarget.objects.select_related("topic").order_by("topic__slug"),
            "rule_form": rule_form,
            "target_form": target_form,
            "settings_form": AgencySettingsForm(),
            "approval_agencies": AgencyAppealSettings.objects.filter(
                answers_need_approval=True
            ).select_related("agency"),
        },
    )


def templates(request: StaffRequest) -> HttpResponse:
    """An agency's answer templates, kept by its officers and head."""
    scope = agency_ids_in_scope(request.user, APPEAL_ANSWER)
    if not scope:
        raise Http404
    agency = Agency.objects.filter(pk__in=scope).order_by("pk").first()
    if agency is None:
        raise Http404
    form = AnswerTemplateForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("delete"):
            template = AnswerTemplate.objects.filter(
                pk=request.POST.get("delete") or 0, agency__in=scope
            ).first()
            if template is None:
                raise Http404
            answer_template_delete(actor=request.user, template=template)
            messages.success(request, _("Template removed."))
            return redirect("appeals_admin_templates")
        if form.is_valid():
            try:
                answer_template_create(actor=request.user, agency=agency, **form.cleaned_data)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Template added."))
                return redirect("appeals_admin_templates")
    return render(
        request,
        "appeals/admin/templates.html",
        {
            "page_title": _("Answer templates"),
            "header_icon": "doc-full",
            "agency": agency,
            "templates": AnswerTemplate.objects.filter(agency__in=scope).order_by("title"),
            "form": form,
        },
    )


def statistics(request: StaffRequest) -> HttpResponse:
    """Figures per agency for coordinators, analysts and heads (their own agency): no
    personal data, only counts."""
    ensure_can(request.user, STATISTICS_VIEW)
    from birge.core.access import filter_by_agency_scope

    agencies = list(
        filter_by_agency_scope(
            request.user,
            STATISTICS_VIEW,
            Agency.objects.filter(is_active=True),
            agency_field="pk",
        ).order_by("name_en")
    )
    counts = agency_open_counts(user=request.user)
    rows = [
        (figures, counts.get(figures.agency.pk, {"open": 0, "overdue": 0}))
        for figures in agency_performance_many(agencies)
    ]
    return render(
        request,
        "appeals/admin/statistics.html",
        {
            "page_title": _("Appeals: figures per agency"),
            "header_icon": "table",
            "rows": rows,
            "triage": Appeal.objects.filter(
                status__in=[Appeal.Status.TRIAGE, Appeal.Status.REGISTERED]
            ).count()
            if can(request.user, APPEAL_ROUTE)
            else None,
        },
    )
