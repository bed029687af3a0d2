"""Routing, answering, merging, publishing and the citizen's follow-ups, through the services."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from freezegun import freeze_time

from birge.appeals.models import (
    AgencyAppealSettings,
    Answer,
    Appeal,
    AppealEvent,
    FaqEntry,
    RoutingRule,
)
from birge.appeals.notify import tracking_path
from birge.appeals.routing_model import routing_suggest, routing_train
from birge.appeals.selectors import (
    agency_performance,
    appeal_published_answer,
    faq_search,
    faq_similar,
)
from birge.appeals.services import (
    answer_approve,
    answer_return,
    answer_update,
    appeal_answer,
    appeal_complain,
    appeal_mark_not_competent,
    appeal_merge,
    appeal_rate,
    appeal_redirect,
    appeal_reopen,
    appeal_request_clarification,
    appeal_route,
    appeal_route_auto,
    faq_publish,
    routing_rule_match,
)
from birge.core.models import AuditEntry, Region, StaffRole, Topic
from birge.core.tests.factories import AgencyFactory, staff_member

from .factories import AppealFactory

pytestmark = pytest.mark.django_db


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def topic(slug: str) -> Topic:
    return Topic.objects.get(slug=slug)


def test_the_most_specific_rule_wins_and_a_tie_goes_to_triage() -> None:
    national: Any = AgencyFactory()
    almaty: Any = AgencyFactory()
    regional: Any = AgencyFactory()
    RoutingRule.objects.create(topic=topic("testing"), agency=national)
    RoutingRule.objects.create(topic=topic("testing"), region=region("KZ-75"), agency=almaty)
    RoutingRule.objects.create(region=region("KZ-11"), agency=regional)
    testing = topic("testing").pk
    assert routing_rule_match(topic_id=testing, region_id=region("KZ-75").pk) == almaty
    assert routing_rule_match(topic_id=testing, region_id=region("KZ-71").pk) == national
    assert routing_rule_match(topic_id=testing, region_id=region("KZ-11").pk) == national
    assert routing_rule_match(topic_id=None, region_id=region("KZ-11").pk) == regional
    assert routing_rule_match(topic_id=None, region_id=region("KZ-75").pk) is None
    RoutingRule.objects.create(topic=topic("testing"), region=region("KZ-75"), agency=national)
    assert routing_rule_match(topic_id=testing, region_id=region("KZ-75").pk) is None


def test_without_a_rule_the_appeal_goes_to_triage_and_a_coordinator_routes_it(
    coordinator: Any, agency: Any, officer: Any
) -> None:
    appeal = AppealFactory(status=Appeal.Status.REGISTERED, agency=None)
    appeal_route_auto(appeal_id=appeal.pk)
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.TRIAGE
    # running the task again changes nothing
    appeal_route_auto(appeal_id=appeal.pk)
    assert appeal.events.filter(kind="triaged").count() == 1
    with pytest.raises(PermissionDenied):
        appeal_route(actor=officer, appeal=appeal, agency=agency)
    due_before = appeal.due_at
    appeal_route(actor=coordinator, appeal=appeal, agency=agency)
    appeal.refresh_from_db()
    assert appeal.agency == agency
    assert appeal.status == Appeal.Status.IN_PROGRESS
    assert appeal.due_at == due_before  # first placement keeps the clock from registration
    assert AuditEntry.objects.filter(action="appeals.appeal.routed", actor=coordinator).exists()


def test_the_learned_suggestion_is_applied_only_when_confident() -> None:
    health: Any = AgencyFactory()
    labour: Any = AgencyFactory()
    health_texts = [
        "Где сдать ПЦР тест на коронавирус в Алматы?",
        "Сколько стоит ПЦР тест и где его сделать?",
        "Как получить результат ПЦР теста на коронавирус?",
        "Где бесплатно сделать тест на коронавирус?",
        "ПЦР тест для детей где сдать?",
    ]
    labour_texts = [
        "Когда выплатят социальную выплату 42500 тенге?",
        "Как получить выплату 42500 тенге при потере дохода?",
        "Мне не пришла социальная выплата, что делать?",
        "Кто имеет право на выплату 42500 тенге?",
        "Как подать заявку на социальную выплату?",
    ]
    samples = [(t, health.pk) for t in health_texts] + [(t, labour.pk) for t in labour_texts]
    assert routing_train(samples) is not None
    suggestion = routing_suggest("Где сдать ПЦР тест ребенку?")
    assert suggestion is not None
    assert suggestion.agency_id == health.pk
    assert suggestion.agency_id != labour.pk
    assert 0.5 < suggestion.confidence <= 1
    confident = AppealFactory(
        status=Appeal.Status.REGISTERED,
        agency=None,
        text="Где сдать ПЦР тест на коронавирус ребенку?",
    )
    vague = AppealFactory(status=Appeal.Status.REGISTERED, agency=None, text="Здравствуйте")
    appeal_route_auto(appeal_id=confident.pk)
    appeal_route_auto(appeal_id=vague.pk)
    confident.refresh_from_db()
    vague.refresh_from_db()
    assert confident.suggestion_confidence is not None
    assert confident.suggestion_confidence >= 0.8
    assert confident.agency == health
    assert confident.events.get(kind="routed").note == "suggestion"
    assert vague.status == Appeal.Status.TRIAGE
    assert vague.suggested_agency_id is not None  # shown to the coordinator


def test_redirect_within_three_working_days_restarts_the_clock(
    agency: Any, other_agency: Any, officer: Any, officer_b: Any
) -> None:
    with freeze_time("2026-03-18 10:00:00+05:00"):
        appeal = AppealFactory(agency=agency)
    with pytest.raises(Http404):
        appeal_redirect(actor=officer_b, appeal=appeal, agency=other_agency, reason="no")
    with pytest.raises(ValidationError):
        appeal_redirect(actor=officer, appeal=appeal, agency=other_agency, reason="  ")
    # 18 March + 3 working days skips Nauryz: allowed until 27 March
    with freeze_time("2026-03-26 12:00:00+05:00"):
        appeal_redirect(actor=officer, appeal=appeal, agency=other_agency, reason="Labour matter")
    appeal.refresh_from_db()
    assert appeal.agency == other_agency
    assert appeal.due_at is not None
    assert appeal.due_at.date().isoformat() > "2026-04-13"
    with freeze_time("2026-04-10 12:00:00+05:00"), pytest.raises(ValidationError):
        appeal_redirect(actor=officer_b, appeal=appeal, agency=agency, reason="Back")


def test_not_within_competence_returns_it_to_triage(agency: Any, officer: Any) -> None:
    appeal = AppealFactory(agency=agency)
    appeal_mark_not_competent(actor=officer, appeal=appeal, reason="Akimat matter")
    appeal.refresh_from_db()
    assert appeal.agency is None
    assert appeal.status == Appeal.Status.TRIAGE
    assert appeal.events.filter(kind="not_competent", agency=agency).exists()


def test_an_answer_needing_approval_reaches_the_citizen_after_the_head_approves(
    agency: Any, officer: Any, head: Any, django_capture_on_commit_callbacks: Any
) -> None:
    AgencyAppealSettings.objects.create(agency=agency, answers_need_approval=True)
    appeal = AppealFactory(
        agency=agency, contact_email="asker@example.kz", consent=True, language="kk"
    )
    with django_capture_on_commit_callbacks(execute=True):
        answer = appeal_answer(officer=officer, appeal=appeal, kind="full", text="Иә, болады.")
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.PENDING_APPROVAL
    assert not mail.outbox
    with pytest.raises(Http404):
        answer_approve(head=officer, answer=answer)
    with django_capture_on_commit_callbacks(execute=True):
        answer_approve(head=head, answer=answer)
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.ANSWERED
    assert appeal.first_answered_at is not None
    assert len(mail.outbox) == 1
    # rendered in the citizen's language (Kazakh), with the private link
    assert "/kk/appeals/track/" in mail.outbox[0].body


def test_a_second_approval_of_the_same_answer_is_refused_and_the_citizen_is_told_once(
    agency: Any, officer: Any, head: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given an answer waiting, open on two heads' screens
    other_head = staff_member(StaffRole.Role.AGENCY_HEAD, agency, username="head-a2")
    AgencyAppealSettings.objects.create(agency=agency, answers_need_approval=True)
    appeal = AppealFactory(agency=agency, contact_email="asker@example.kz", consent=True)
    answer = appeal_answer(officer=officer, appeal=appeal, kind="full", text="Yes.")
    stale = Answer.objects.select_related("appeal__agency").get(pk=answer.pk)
    # when both approve
    with django_capture_on_commit_callbacks(execute=True):
        answer_approve(head=head, answer=answer)
        with pytest.raises(ValidationError):
            answer_approve(head=other_head, answer=stale)
    # then it is published and announced once
    assert appeal.events.filter(kind=AppealEvent.Kind.ANSWERED).count() == 1
    assert len(mail.outbox) == 1


def test_a_returned_answer_stays_on_record_and_never_reaches_the_citizen(
    client: Any, agency: Any, officer: Any, head: Any, django_capture_on_commit_callbacks: Any
) -> None:
    AgencyAppealSettings.objects.create(agency=agency, answers_need_approval=True)
    appeal = AppealFactory(agency=agency, contact_email="asker@example.kz", consent=True)
    draft = appeal_answer(officer=officer, appeal=appeal, kind="full", text="Draft wording.")
    with pytest.raises(ValidationError):
        answer_return(head=head, answer=draft, note="  ")
    answer_return(head=head, answer=draft, note="Cite the order number.")
    draft.refresh_from_db()
    assert (draft.returned_by, draft.return_note) == (head, "Cite the order number.")
    assert draft.returned_at is not None
    assert draft.published_at is None
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.IN_PROGRESS
    entry = AuditEntry.objects.get(action="appeals.answer.returned")
    assert (entry.target_type, entry.target_id) == ("appeals.answer", str(draft.pk))
    event = appeal.events.get(kind=AppealEvent.Kind.REOPENED)
    assert not event.is_public
    assert event.note == "Cite the order number."
    # the officer answers again; the returned answer can no longer be approved
    with django_capture_on_commit_callbacks(execute=True):
        final = appeal_answer(officer=officer, appeal=appeal, kind="full", text="Order 12: yes.")
        with pytest.raises(ValidationError):
            answer_approve(head=head, answer=Answer.objects.get(pk=draft.pk))
        answer_approve(head=head, answer=final)
    assert appeal_published_answer(appeal) == final
    assert len(mail.outbox) == 1
    page = client.get(tracking_path(appeal)).content.decode()
    assert "Order 12: yes." in page
    assert "Draft wording." not in page
    with pytest.raises(ValidationError):
        faq_publish(
            officer=officer,
            answer=draft,
            question="May I?",
            answer_text="Draft wording.",
            language="en",
            topic=None,
        )
    assert not FaqEntry.objects.exists()


def test_a_paused_question_merged_under_an_answered_one_is_answered_like_any_other(
    agency: Any, officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    main = AppealFactory(agency=agency)
    appeal_answer(officer=officer, appeal=main, kind="full", text="Masks are required.")
    late = AppealFactory(agency=agency, contact_email="late@example.kz", consent=True)
    appeal_request_clarification(officer=officer, appeal=late, question="Which city?")
    with django_capture_on_commit_callbacks(execute=True):
        appeal_merge(actor=officer, appeal=late, canonical=main)
    late.refresh_from_db()
    assert late.status == Appeal.Status.ANSWERED
    assert late.paused_at is None
    assert late.events.filter(kind=AppealEvent.Kind.ANSWERED).count() == 1
    assert AuditEntry.objects.filter(
        action="appeals.appeal.answered", target_id=str(late.pk)
    ).exists()
    assert [m.to for m in mail.outbox] == [["late@example.kz"]]


def test_a_refusal_needs_its_legal_ground(agency: Any, officer: Any) -> None:
    appeal = AppealFactory(agency=agency)
    with pytest.raises(ValidationError):
        appeal_answer(officer=officer, appeal=appeal, kind="refused", text="No.")
    appeal_answer(
        officer=officer, appeal=appeal, kind="refused", text="No.", legal_ground="APPC art. 89"
    )


def test_merged_askers_all_get_the_one_answer(
    agency: Any, officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    main = AppealFactory(agency=agency, contact_email="one@example.kz", consent=True)
    same = AppealFactory(agency=agency, contact_email="two@example.kz", consent=True)
    appeal_merge(actor=officer, appeal=same, canonical=main)
    with pytest.raises(ValidationError):
        appeal_answer(officer=officer, appeal=same, kind="full", text="x")
    with django_capture_on_commit_callbacks(execute=True):
        appeal_answer(officer=officer, appeal=main, kind="full", text="Masks are required.")
    same.refresh_from_db()
    assert same.status == Appeal.Status.ANSWERED
    assert sorted(m.to[0] for m in mail.outbox) == ["one@example.kz", "two@example.kz"]


def test_faq_publishing_refuses_personal_data_and_search_finds_the_entry(
    agency: Any, officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    appeal = AppealFactory(
        agency=agency, text="I am Aigerim, call me at +7 701 123 45 67. Do I need a mask?"
    )
    answer = appeal_answer(officer=officer, appeal=appeal, kind="full", text="Yes, indoors.")
    with pytest.raises(ValidationError):
        faq_publish(
            officer=officer,
            answer=answer,
            question=appeal.text,
            answer_text=answer.text,
            language="en",
            topic=None,
        )
    with django_capture_on_commit_callbacks(execute=True):
        entry = faq_publish(
            officer=officer,
            answer=answer,
            question="Do I need a mask indoors?",
            answer_text=answer.text,
            language="en",
            topic=topic("quarantine-rules"),
        )
    assert list(faq_search(language="en", query="MASK indoors")) == [entry]
    assert list(faq_search(language="en", query="vaccine")) == []
    assert list(faq_search(language="ru", query="mask")) == []
    assert faq_similar(text="must I wear a mask inside?", language="en") == [entry]


def test_an_updated_answer_reaches_everyone_who_asked(
    agency: Any, officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    main = AppealFactory(agency=agency, contact_email="one@example.kz", consent=True)
    same = AppealFactory(agency=agency, contact_email="two@example.kz", consent=True)
    appeal_merge(actor=officer, appeal=same, canonical=main)
    answer = appeal_answer(officer=officer, appeal=main, kind="full", text="Old rule.")
    faq_publish(
        officer=officer,
        answer=answer,
        question="Rule?",
        answer_text="Old rule.",
        language="en",
        topic=None,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        update = answer_update(
            officer=officer, answer=answer, text="New rule.", faq_answer_text="New rule."
        )
    answer.refresh_from_db()
    assert answer.outdated_at is not None
    assert FaqEntry.objects.get().answer_text == "New rule."
    assert FaqEntry.objects.get().answer == update
    assert sorted(m.to[0] for m in mail.outbox) == ["one@example.kz", "two@example.kz"]


def test_the_citizen_rates_reopens_and_complains_within_three_months(
    agency: Any, officer: Any
) -> None:
    parent: Any = AgencyFactory()
    agency.parent = parent
    agency.save()
    appeal = AppealFactory(agency=agency)
    with pytest.raises(ValidationError):
        appeal_rate(appeal=appeal, helpful=True)
    appeal_answer(officer=officer, appeal=appeal, kind="partial", text="Partly.")
    appeal.refresh_from_db()
    appeal_rate(appeal=appeal, helpful=False)
    appeal_reopen(appeal=appeal, reason="You did not say when.")
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.IN_PROGRESS
    appeal_answer(officer=officer, appeal=appeal, kind="full", text="On Monday.")
    appeal.refresh_from_db()
    with freeze_time(appeal.answered_at + timedelta(days=95)), pytest.raises(ValidationError):
        appeal_complain(appeal=appeal, reason="Late")
    appeal_complain(appeal=appeal, reason="Still wrong")
    appeal.refresh_from_db()
    assert appeal.agency == parent


def test_agency_figures_come_from_the_agencys_own_actions(
    coordinator: Any, agency: Any, officer: Any, head: Any
) -> None:
    first = AppealFactory(status=Appeal.Status.TRIAGE, agency=None)
    second = AppealFactory(status=Appeal.Status.TRIAGE, agency=None)
    appeal_route(actor=coordinator, appeal=first, agency=agency)
    appeal_route(actor=coordinator, appeal=second, agency=agency)
    assert second.due_at is not None
    from birge.appeals.services import appeal_extend

    appeal_extend(
        head=head, appeal=second, new_due_at=second.due_at + timedelta(days=5), reason="x"
    )
    appeal_answer(officer=officer, appeal=first, kind="full", text="Done.")
    appeal_rate(appeal=Appeal.objects.get(pk=first.pk), helpful=False)
    figures = agency_performance(agency)
    assert figures.received == 2
    assert figures.answered == 1
    assert figures.answered_within_term_share == 1.0
    assert figures.extension_rate == 0.5
    assert figures.median_hours_to_first_answer is not None
    assert AppealEvent.objects.filter(kind="rated").count() == 1


def test_near_identical_open_questions_are_offered_for_merging(
    agency: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from birge.appeals.services.routing import appeals_route_pending_task
    from birge.appeals.similarity import merge_candidate_ids

    RoutingRule.objects.create(topic=topic("quarantine-rules"), agency=agency)
    texts = [
        "Можно ли гулять в парке во время карантина?",
        "Можно ли гулять в парках во время карантина в Алматы?",
        "Когда выплатят пособие 42500 тенге?",
    ]
    appeals = [
        AppealFactory(
            status=Appeal.Status.REGISTERED,
            agency=None,
            text=text,
            language="ru",
            topic=topic("quarantine-rules"),
        )
        for text in texts
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert appeals_route_pending_task.call() == len(appeals)
    assert merge_candidate_ids(appeals[0]) == [appeals[1].pk]


def test_an_answer_is_published_once_per_language(agency: Any, officer: Any) -> None:
    appeal = AppealFactory(agency=agency, language="ru", text="Нужна ли маска в парке?")
    answer = appeal_answer(officer=officer, appeal=appeal, kind="full", text="Нет, не нужна.")
    faq_publish(
        officer=officer,
        answer=answer,
        question="Нужна ли маска в парке?",
        answer_text="Нет, не нужна.",
        language="ru",
        topic=None,
    )
    faq_publish(
        officer=officer,
        answer=answer,
        question="Саябақта бетперде керек пе?",
        answer_text="Жоқ, керек емес.",
        language="kk",
        topic=None,
    )
    faq_publish(
        officer=officer,
        answer=answer,
        question="Нужна ли маска в парке сейчас?",
        answer_text="Нет, не нужна.",
        language="ru",
        topic=None,
    )
    assert FaqEntry.objects.count() == 2
    assert [e.question for e in faq_search(language="kk")] == ["Саябақта бетперде керек пе?"]
    assert [e.question for e in faq_search(language="ru", query="маска")] == [
        "Нужна ли маска в парке сейчас?"
    ]


def test_a_new_faq_answer_and_its_update_are_announced_on_the_channels(
    agency: Any, officer: Any
) -> None:
    from birge.channels.models import Publication

    appeal = AppealFactory(agency=agency, text="Do I need a mask indoors?")
    answer = appeal_answer(officer=officer, appeal=appeal, kind="full", text="Yes, indoors.")
    entry = faq_publish(
        officer=officer,
        answer=answer,
        question="Do I need a mask indoors?",
        answer_text=answer.text,
        language="en",
        topic=topic("quarantine-rules"),
    )
    answer_update(
        officer=officer, answer=answer, text="No longer.", faq_answer_text="No longer, since May."
    )
    publications = list(Publication.objects.filter(source_kind="appeals.faq").order_by("pk"))
    assert [p.kind for p in publications] == [Publication.Kind.FAQ_ANSWER] * 2
    assert [p.texts["en"]["summary"] for p in publications] == [
        "Yes, indoors.",
        "No longer, since May.",
    ]
    assert publications[0].texts["en"]["url"] == f"/en/appeals/faq/#faq-{entry.pk}"
    assert [t.slug for t in publications[0].topics.all()] == ["quarantine-rules"]
