"""Per-agency settings of the appeals desk and its answer templates."""

from django.db import transaction
from django.http import Http404

from birge.core.access import StaffUser, can, ensure_can
from birge.core.audit import audit_log
from birge.core.models import Agency

from ..access import APPEAL_ANSWER, ROUTING_RULE_EDIT
from ..models import AgencyAppealSettings, AnswerTemplate


@transaction.atomic
def agency_appeal_settings_set(
    *, actor: StaffUser, agency: Agency, answers_need_approval: bool
) -> AgencyAppealSettings:
    """Coordinators decide which agencies' answers need their head's approval."""
    ensure_can(actor, ROUTING_RULE_EDIT)
    settings, _created = AgencyAppealSettings.objects.get_or_create(agency=agency)
    settings.answers_need_approval = answers_need_approval
    settings.full_clean()
    settings.save()
    audit_log(
        actor=actor,
        action="appeals.agency_settings.changed",
        target=settings,
        agency=agency,
        summary=f"answers_need_approval: {answers_need_approval}",
    )
    return settings


@transaction.atomic
def answer_template_create(
    *, actor: StaffUser, agency: Agency, title: str, language: str, text: str
) -> AnswerTemplate:
    """An officer or head adds a reusable answer for their agency."""
    if not can(actor, APPEAL_ANSWER, agency=agency):
        raise Http404
    template = AnswerTemplate(agency=agency, title=title, language=language, text=text)
    template.full_clean()
    template.save()
    audit_log(actor=actor, action="appeals.answer_template.created", target=template, agency=agency)
    return template


@transaction.atomic
def answer_template_delete(*, actor: StaffUser, template: AnswerTemplate) -> None:
    if template.agency is None or not can(actor, APPEAL_ANSWER, agency=template.agency):
        raise Http404
    audit_log(
        actor=actor,
        action="appeals.answer_template.deleted",
        target=template,
        agency=template.agency,
    )
    template.delete()
