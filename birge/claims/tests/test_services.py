"""The verdict workflow, the second-person rule, report counting and clustering."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from birge.claims import services
from birge.claims.models import Claim, ClaimRevision, MatchingThresholds, RumourReport
from birge.claims.selectors import report_region_counts
from birge.core.models import AuditEntry, Region, StaffRole
from birge.core.tests.factories import AgencyFactory, staff_member

pytestmark = pytest.mark.django_db
Role = StaffRole.Role


@pytest.fixture
def checkers() -> tuple[Any, Any]:
    agency = AgencyFactory()
    return staff_member(Role.FACT_CHECKER, agency), staff_member(Role.FACT_CHECKER, agency)


def drafted_claim(author: Any) -> Claim:
    claim = services.claim_create(actor=author, wording="Garlic cures covid", language="en")
    services.claim_translation_set(
        actor=author,
        claim=claim,
        language="en",
        wording="Garlic cures covid",
        explanation="No evidence.",
    )
    return services.claim_verdict_draft(actor=author, claim=claim, verdict="false")


def test_the_verdicts_author_cannot_approve_it(checkers: tuple[Any, Any]) -> None:
    author, _other = checkers
    claim = drafted_claim(author)
    with pytest.raises(ValidationError) as error:
        services.claim_verdict_approve(actor=author, claim=claim)
    assert error.value.code == "own_verdict"
    assert "екінші фактілерді тексеруші" in error.value.messages[0]
    claim.refresh_from_db()
    assert claim.status == Claim.Status.VERDICT_DRAFTED
    assert claim.approved_by is None


def test_a_second_fact_checker_approves_and_the_claim_is_published_with_a_trail(
    checkers: tuple[Any, Any],
) -> None:
    author, second = checkers
    claim = drafted_claim(author)
    services.claim_verdict_approve(actor=second, claim=claim)
    claim = services.claim_publish(actor=author, claim=claim)
    assert claim.status == Claim.Status.PUBLISHED
    assert claim.published_at is not None
    trail = list(ClaimRevision.objects.filter(claim=claim).order_by("at", "id"))
    assert [r.status for r in trail] == [
        "new",
        "in_review",
        "verdict_drafted",
        "approved",
        "published",
    ]
    actions = set(
        AuditEntry.objects.filter(target_id=str(claim.pk), target_type="claims.claim").values_list(
            "action", flat=True
        )
    )
    assert {"claims.claim.created", "claims.claim.approved", "claims.claim.published"} <= actions
    # an update to the published claim needs a dated note, shown to readers
    with pytest.raises(ValidationError):
        services.claim_edit(actor=author, claim=claim, wording="Garlic cures COVID-19")
    claim = services.claim_edit(
        actor=author, claim=claim, wording="Garlic cures COVID-19", note="Wording corrected."
    )
    assert claim.status == Claim.Status.UPDATED
    assert claim.updated_at is not None
    assert claim.revisions.filter(is_public=True, note="Wording corrected.").exists()


def test_publishing_needs_approval_and_changes_after_drafting_need_a_new_one(
    checkers: tuple[Any, Any],
) -> None:
    author, second = checkers
    claim = drafted_claim(author)
    with pytest.raises(ValidationError):
        services.claim_publish(actor=author, claim=claim)
    services.claim_verdict_approve(actor=second, claim=claim)
    claim = services.claim_edit(actor=author, claim=claim, language="ru")
    assert claim.status == Claim.Status.IN_REVIEW
    assert claim.approved_by is None


def test_an_officer_cannot_edit_claims() -> None:
    officer = staff_member(Role.AGENCY_OFFICER, AgencyFactory())
    with pytest.raises(PermissionDenied):
        services.claim_create(actor=officer, wording="x", language="en")


def test_a_near_identical_second_report_counts_on_the_same_report_with_both_regions() -> None:
    almaty, astana = Region.objects.get(code="KZ-75"), Region.objects.get(code="KZ-71")
    first = services.report_submit(
        text="Ертең бүкіл Қазақстанда интернет өшіріледі, карантинге байланысты!",
        language="kk",
        region=almaty,
    )
    # the same message in the Kazakh Latin alphabet, forwarded, with an emoji
    second = services.report_submit(
        text="Forwarded from Jañalyqtar\nErteñ bükıl Qazaqstanda internet öşırıledı, "
        "karantinge bailanysty 😱",
        language="kk",
        region=astana,
    )
    assert second.pk == first.pk
    assert second.count == 2
    assert RumourReport.objects.count() == 1
    assert sorted(r.code for r, _n in report_region_counts(report=second) if r) == [
        "KZ-71",
        "KZ-75",
    ]
    # a different rumour is a different report
    other = services.report_submit(
        text="Ертең барлық дүкендер жабылады", language="kk", region=None
    )
    assert other.pk != first.pk


def test_a_reworded_report_joins_the_cluster_of_a_similar_one() -> None:
    for text in [
        "Ертең барлық дүкендер жабылады",
        "В Караганде раздают бесплатные маски в каждом акимате",
        "Школы закрываются на дистанционку с понедельника",
        "Аптеки повысили цены на парацетамол в три раза",
        "Автобусы в Алматы перестанут ходить с пятницы",
    ]:
        services.report_submit(text=text, language="ru")
    first = services.report_submit(
        text="Китайский чай Ляньхуа полностью вылечивает коронавирус за три дня",
        language="ru",
    )
    second = services.report_submit(
        text="Говорят, чай Ляньхуа из Китая лечит коронавирус, его продают в аптеках",
        language="ru",
    )
    assert second.pk != first.pk
    cluster = services.report_cluster_assign(report_id=second.pk)
    assert cluster is not None
    assert cluster.pk == first.cluster_id


def test_thresholds_are_validated_and_only_fact_checkers_set_them(
    checkers: tuple[Any, Any],
) -> None:
    checker, _ = checkers
    with pytest.raises(ValidationError):
        services.thresholds_set(actor=checker, same_claim=0.3, maybe_related=0.6)
    services.thresholds_set(actor=checker, same_claim=0.8, maybe_related=0.5)
    assert MatchingThresholds.current().same_claim == 0.8
    coordinator = staff_member(Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        services.thresholds_set(actor=coordinator, same_claim=0.8, maybe_related=0.5)


def test_a_published_claim_answers_checks_and_leaves_the_index_when_changed(
    checkers: tuple[Any, Any], django_capture_on_commit_callbacks: Any, registry: Any
) -> None:
    # given: a claim published through the workflow (the index follows after commit)
    author, second = checkers
    text = "Лечебный чай Ляньхуа из Китая вылечивает коронавирус за три дня"
    with django_capture_on_commit_callbacks(execute=True):
        claim = services.claim_create(actor=author, wording=text, language="ru")
        services.claim_translation_set(
            actor=author, claim=claim, language="ru", wording=text, explanation="Не доказано."
        )
        services.claim_verdict_draft(actor=author, claim=claim, verdict="unproven")
        services.claim_verdict_approve(actor=second, claim=claim)
        services.claim_publish(actor=second, claim=claim)
    # when a citizen asks
    outcome = services.rumour_check(text="чай Ляньхуа вылечивает коронавирус?", language=None)
    # then
    assert outcome.matches[0].claim == claim
    assert outcome.report is None
    # and a retranslated wording replaces the old one in the index
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_translation_set(
            actor=author,
            claim=claim,
            language="ru",
            wording="Витамин C в больших дозах лечит коронавирус",
            explanation="Не доказано.",
            note="Уточнена формулировка.",
        )
        services.claim_edit(
            actor=author,
            claim=claim,
            wording="Витамин C в больших дозах лечит коронавирус",
            note="Уточнена формулировка.",
        )
    outcome = services.rumour_check(text="чай Ляньхуа вылечивает коронавирус?", language=None)
    assert claim not in [m.claim for m in outcome.matches]


def test_a_new_report_is_clustered_by_a_task_after_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    for text in [
        "Ертең барлық дүкендер жабылады",
        "В Караганде раздают бесплатные маски в каждом акимате",
        "Школы закрываются на дистанционку с понедельника",
        "Аптеки повысили цены на парацетамол в три раза",
        "Автобусы в Алматы перестанут ходить с пятницы",
    ]:
        services.report_submit(text=text, language="ru")
    with django_capture_on_commit_callbacks(execute=True):
        first = services.report_submit(
            text="Китайский чай Ляньхуа полностью вылечивает коронавирус за три дня",
            language="ru",
        )
    with django_capture_on_commit_callbacks(execute=True):
        second = services.report_submit(
            text="Говорят, чай Ляньхуа из Китая лечит коронавирус, его продают в аптеках",
            language="ru",
        )
    second.refresh_from_db()
    assert second.cluster_id == first.cluster_id


def test_a_published_verdict_changes_only_with_a_second_persons_approval(
    checkers: tuple[Any, Any],
) -> None:
    author, second = checkers
    claim = drafted_claim(author)
    services.claim_verdict_approve(actor=second, claim=claim)
    services.claim_publish(actor=second, claim=claim)
    # the author proposes a new verdict: the page keeps the approved one meanwhile
    with pytest.raises(ValidationError):
        services.claim_verdict_draft(actor=author, claim=claim, verdict="misleading")
    claim = services.claim_verdict_draft(
        actor=author, claim=claim, verdict="misleading", note="New study published."
    )
    assert (claim.verdict, claim.verdict_pending, claim.status) == (
        "false",
        "misleading",
        Claim.Status.PUBLISHED,
    )
    with pytest.raises(ValidationError) as error:
        services.claim_verdict_approve(actor=author, claim=claim)
    assert error.value.code == "own_verdict"
    claim = services.claim_verdict_approve(actor=second, claim=claim)
    assert (claim.verdict, claim.verdict_pending, claim.status) == (
        "misleading",
        "",
        Claim.Status.UPDATED,
    )
    assert claim.revisions.filter(is_public=True, note="New study published.").exists()


def test_a_report_is_stored_without_characters_no_database_can_store() -> None:
    # a caller without a form in front of it (a bot, a command) reaches the service directly
    report = services.report_submit(
        text="  Garlic\x00 cures\ud800 covid\r\n ", language="en", region=None
    )
    report.refresh_from_db()
    assert report.text == "Garlic cures covid"
    with pytest.raises(ValidationError):
        services.report_submit(text="\x00\ud800\x01", language="en")


def test_a_published_verdict_is_announced_once_and_again_when_the_verdict_changes(
    checkers: tuple[Any, Any],
) -> None:
    from birge.channels.models import Channel, Publication

    author, second = checkers
    claim = drafted_claim(author)
    services.claim_verdict_approve(actor=second, claim=claim)
    claim = services.claim_publish(actor=author, claim=claim)
    publication = Publication.objects.get(source_kind="claims.claim")
    assert publication.kind == Publication.Kind.CLAIM
    assert publication.texts["en"]["title"] == "False: Garlic cures covid"
    assert publication.texts["en"]["url"] == f"/en/claims/{claim.pk}/"
    assert publication.deliveries.filter(channel=Channel.FEED).count() == 1
    # published again with the same verdict: nothing new to announce
    services._claim_announce(claim, actor=author)
    assert Publication.objects.filter(source_kind="claims.claim").count() == 1
