"""The fact-checkers' desk in the Wagtail admin."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from birge.claims import services
from birge.claims.models import Claim, ReportCluster, ReportSubmission, RumourReport
from birge.core.models import Region, StaffRole
from birge.core.tests.factories import AgencyFactory, sign_in_verified, staff_member

pytestmark = pytest.mark.django_db
Role = StaffRole.Role


@pytest.fixture
def checker(client: Client) -> Any:
    user = staff_member(Role.FACT_CHECKER, AgencyFactory())
    sign_in_verified(client, user)
    return user


def test_an_officer_cannot_open_the_desk(client: Client) -> None:
    officer = staff_member(Role.AGENCY_OFFICER, AgencyFactory())
    sign_in_verified(client, officer)
    # Wagtail turns the refusal into a redirect to the dashboard with a message
    for url in ["/admin/claims/", "/admin/claims/thresholds/", "/admin/claims/claims/"]:
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    response = client.post("/admin/claims/thresholds/", {"same_claim": "9", "maybe_related": "1"})
    assert response.status_code == 302
    assert b"Rumour desk" not in client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content


def test_the_queue_is_sorted_by_recent_volume_and_attaches_in_one_action(
    client: Client, checker: Any, registry: dict[str, Claim]
) -> None:
    # given: an old rumour with many submissions 8 hours ago, a new one with five just now
    region = Region.objects.get(code="KZ-75")
    old = services.report_submit(text="Ертең барлық дүкендер жабылады", language="kk")
    for _ in range(5):
        services.report_submit(text="Ертең барлық дүкендер жабылады!", language="kk")
    ReportSubmission.objects.filter(report=old).update(at=timezone.now() - timedelta(hours=8))
    busy = services.report_submit(text="Ертең интернет өшіріледі", language="kk", region=region)
    for _ in range(4):
        services.report_submit(text="Ертең интернет өшіріледі!", language="kk", region=region)
    # when
    response = client.get("/admin/claims/", HTTP_ACCEPT_LANGUAGE="en")
    # then: the growing one comes first, the demo's own reports after it
    assert response.status_code == 200
    order = [int(i) for i in re.findall(r'data-cluster-id="(\d+)"', response.content.decode())]
    assert order[0] == busy.cluster_id
    assert order.index(old.cluster_id) > 0
    # attach in one action
    claim = registry["garlic"]
    response = client.post(f"/admin/claims/clusters/{busy.cluster_id}/attach/", {"claim": claim.pk})
    assert response.status_code == 302
    busy.refresh_from_db()
    assert busy.claim == claim
    cluster = ReportCluster.objects.get(reports=busy)
    assert cluster.status == ReportCluster.Status.ATTACHED


def test_a_new_claim_starts_from_a_cluster_and_goes_through_the_workflow(
    client: Client, checker: Any
) -> None:
    report = services.report_submit(text="Чай Ляньхуа лечит коронавирус", language="ru")
    response = client.post(f"/admin/claims/clusters/{report.cluster_id}/start/")
    claim = Claim.objects.get(wording="Чай Ляньхуа лечит коронавирус")
    assert response["Location"].endswith(f"/admin/claims/claims/{claim.pk}/")
    assert RumourReport.objects.get(reference=report.reference).claim == claim
    client.post(
        f"/admin/claims/claims/{claim.pk}/translations/ru/",
        {"ru-language": "ru", "ru-wording": claim.wording, "ru-explanation": "Не доказано."},
    )
    client.post(f"/admin/claims/claims/{claim.pk}/verdict/", {"verdict": "unproven"})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.VERDICT_DRAFTED
    # the author's own approval is refused with a message
    response = client.post(f"/admin/claims/claims/{claim.pk}/approve/", follow=True)
    assert claim.status == Claim.objects.get(pk=claim.pk).status
    assert "екінші фактілерді тексеруші" in response.content.decode()
    second = staff_member(Role.FACT_CHECKER, AgencyFactory())
    sign_in_verified(client, second)
    client.post(f"/admin/claims/claims/{claim.pk}/approve/")
    client.post(f"/admin/claims/claims/{claim.pk}/publish/")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PUBLISHED
    assert client.get(f"/admin/claims/claims/{claim.pk}/").status_code == 200


def test_thresholds_are_edited_on_the_desk(client: Client, checker: Any) -> None:
    response = client.post(
        "/admin/claims/thresholds/", {"same_claim": "0.8", "maybe_related": "0.5"}
    )
    assert response.status_code == 302
    response = client.post(
        "/admin/claims/thresholds/", {"same_claim": "0.2", "maybe_related": "0.5"}
    )
    assert response.status_code == 200


def test_regrouping_the_queue_runs_in_a_task_after_commit(
    client: Client, checker: Any, django_capture_on_commit_callbacks: Any
) -> None:
    for text in [
        "Ертең барлық дүкендер жабылады",
        "В Караганде раздают бесплатные маски в каждом акимате",
        "Школы закрываются на дистанционку с понедельника",
        "Аптеки повысили цены на парацетамол в три раза",
        "Автобусы в Алматы перестанут ходить с пятницы",
    ]:
        services.report_submit(text=text, language="ru")
    first = services.report_submit(
        text="Китайский чай Ляньхуа полностью вылечивает коронавирус за три дня", language="ru"
    )
    second = services.report_submit(
        text="Говорят, чай Ляньхуа из Китая лечит коронавирус, его продают в аптеках",
        language="ru",
    )
    assert second.cluster_id != first.cluster_id  # no task ran yet (no commit in this test)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/admin/claims/regroup/")
    assert response.status_code == 302
    assert len(callbacks) == 1
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.cluster_id == first.cluster_id


def test_every_desk_screen_opens_for_a_fact_checker_and_a_coordinator_only_reads(
    client: Client, checker: Any, registry: dict[str, Claim]
) -> None:
    claim = registry["5g"]
    for url in [
        "/admin/claims/",
        "/admin/claims/claims/",
        "/admin/claims/claims/?status=published",
        "/admin/claims/claims/new/",
        f"/admin/claims/claims/{claim.pk}/",
        "/admin/claims/thresholds/",
    ]:
        assert client.get(url).status_code == 200, url
    response = client.post("/admin/claims/claims/new/", {"wording": "Новый слух", "language": "ru"})
    new = Claim.objects.get(wording="Новый слух")
    assert response["Location"].endswith(f"/admin/claims/claims/{new.pk}/")

    coordinator = staff_member(Role.COORDINATOR)
    sign_in_verified(client, coordinator)
    assert client.get("/admin/claims/").status_code == 200
    assert client.get(f"/admin/claims/claims/{claim.pk}/").status_code == 200
    assert client.get("/admin/claims/claims/new/").status_code == 302
    client.post(f"/admin/claims/claims/{claim.pk}/", {"wording": "x", "language": "en"})
    claim.refresh_from_db()
    assert claim.wording != "x"
