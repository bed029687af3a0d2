"""A journalist is accredited, asks an agency, gets the answer within its hours target, and the
coordinators' figure moves; refusals for the unaccredited; bad input."""

import datetime as dt
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from birge.channels.models import Delivery
from birge.core.models import StaffRole
from birge.core.tests.factories import AgencyFactory, sign_in_verified, staff_member

from ..models import MediaRequest, Member, Outlet
from ..services import member_sign_in_token

pytestmark = pytest.mark.django_db
Role = StaffRole.Role


def _in(language: str, name: str, *args: Any) -> str:
    with override(language):
        return reverse(name, args=args)


@pytest.fixture
def agency() -> Any:
    return AgencyFactory(slug="ministry-of-health")


@pytest.fixture
def coordinator() -> Any:
    return staff_member(Role.COORDINATOR, None, username="coordinator")


@pytest.fixture
def officer(agency: Any) -> Any:
    return staff_member(Role.AGENCY_OFFICER, agency, username="officer")


def _apply(client: Client, **overrides: Any) -> Any:
    form = {
        "name": "Kazinform",
        "kind": "media",
        "registration": "KZ-MEDIA-0042",
        "editor": "Ерлан Ахметов",
        "email": "Desk@Kazinform.kz",
        "phone": "+7 717 255 00 00",
    }
    form.update(overrides)
    return client.post(_in("en", "media:index"), form)


def _signed_in(member: Member) -> Client:
    client = Client()
    link = reverse("media:sign_in_link", kwargs={"token": member_sign_in_token(member)})
    assert client.get(link).status_code == 200
    assert client.post(link)["Location"] == reverse("media:desk")
    return client


def test_a_journalist_is_accredited_asks_and_gets_the_answer_within_target(
    client: Client,
    coordinator: Any,
    officer: Any,
    agency: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given an application, accredited by a coordinator
    assert _apply(client).status_code == 200
    outlet = Outlet.objects.get()
    assert outlet.status == Outlet.Status.APPLIED
    staff = Client()
    sign_in_verified(staff, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("media_admin_outlet_act", args=[outlet.pk]), {"status": "accredited"})
    outlet.refresh_from_db()
    assert outlet.is_accredited
    member = Member.objects.get(outlet=outlet)
    assert member.email == "desk@kazinform.kz"
    mail = Delivery.objects.get(target="desk@kazinform.kz")
    assert re.search(r"/press/sign-in/[^/\s]+/", mail.publication.text_for("kk")["summary"])

    # when the journalist asks the agency a factual question
    journalist = _signed_in(member)
    response = journalist.post(
        reverse("media:desk"),
        {"kind": "factual", "agency": agency.slug, "question": "How many beds are free in Almaty?"},
    )
    assert response.status_code == 302
    item = MediaRequest.objects.get()
    assert item.status == MediaRequest.Status.WITH_AGENCY
    assert item.target_hours == 4
    assert item.due_at - item.submitted_at == dt.timedelta(hours=4)

    # then the agency answers from its inbox, and the journalist reads it
    desk = Client()
    sign_in_verified(desk, officer)
    assert "How many beds" in desk.get(reverse("media_admin_inbox")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(
            reverse("media_admin_detail", args=[item.pk]),
            {"action": "answer", "answer": "1,240 of 6,800 beds are free this morning."},
        )
    item.refresh_from_db()
    assert item.status == MediaRequest.Status.ANSWERED
    assert item.answered_in_time is True
    page = journalist.get(reverse("media:request", args=[item.pk])).content.decode()
    assert "1,240 of 6,800 beds" in page
    assert Delivery.objects.filter(target="desk@kazinform.kz").count() == 2

    # and the coordinators' figure counts it within target
    figures = staff.get(reverse("media_admin_figures")).context["figures"]
    row = next(row for row in figures if row.agency == agency)
    assert (row.answered, row.in_time_percent) == (1, 100)


def test_a_late_answer_lowers_the_share_within_target(
    coordinator: Any, officer: Any, agency: Any
) -> None:
    from ..selectors import media_figures
    from ..services import media_request_answer, media_request_submit, outlet_apply, outlet_decide

    outlet = outlet_apply(
        name="Vlast",
        kind="media",
        registration="1",
        editor="A B",
        email="a@vlast.kz",
        phone="+7 701 111 11 11",
    )
    outlet_decide(coordinator=coordinator, outlet=outlet, status="accredited", reason="")
    member = Member.objects.get()
    for late in (False, True):
        item = media_request_submit(
            member=member, kind="factual", question="Q?", agency=agency, language="en"
        )
        if late:
            earlier = timezone.now() - dt.timedelta(hours=6)
            MediaRequest.objects.filter(pk=item.pk).update(
                submitted_at=earlier, due_at=earlier + dt.timedelta(hours=4)
            )
            item.refresh_from_db()
        media_request_answer(officer=officer, request=item, answer="A.")

    row = media_figures()[0]
    assert (row.answered, row.in_time, row.in_time_percent) == (2, 1, 50)


def test_a_suspended_outlet_is_refused_and_signed_out(coordinator: Any, agency: Any) -> None:
    from ..services import outlet_apply, outlet_decide

    outlet = outlet_apply(
        name="Tengri",
        kind="media",
        registration="2",
        editor="C D",
        email="c@tengri.kz",
        phone="+7 701 222 22 22",
    )
    outlet_decide(coordinator=coordinator, outlet=outlet, status="accredited", reason="")
    journalist = _signed_in(Member.objects.get())
    outlet_decide(
        coordinator=coordinator, outlet=outlet, status="suspended", reason="Published a fake"
    )

    response = journalist.post(reverse("media:desk"), {"kind": "factual", "question": "Q?"})
    assert response["Location"] == reverse("media:sign_in")
    assert not MediaRequest.objects.exists()
    with pytest.raises(ValidationError):
        outlet_decide(coordinator=coordinator, outlet=outlet, status="revoked", reason="")


def test_an_applicant_cannot_sign_in_before_accreditation(client: Client) -> None:
    _apply(client)

    client.post(reverse("media:sign_in"), {"email": "desk@kazinform.kz"})
    assert not Delivery.objects.exists()
    assert client.get(reverse("media:desk"))["Location"] == reverse("media:sign_in")


def test_an_officer_of_another_agency_gets_404(coordinator: Any, agency: Any) -> None:
    from ..services import media_request_submit, outlet_apply, outlet_decide

    outlet = outlet_apply(
        name="Orda",
        kind="media",
        registration="3",
        editor="E F",
        email="e@orda.kz",
        phone="+7 701 333 33 33",
    )
    outlet_decide(coordinator=coordinator, outlet=outlet, status="accredited", reason="")
    item = media_request_submit(
        member=Member.objects.get(), kind="comment", question="Q?", agency=agency, language="kk"
    )
    other = staff_member(Role.AGENCY_OFFICER, AgencyFactory(), username="other-officer")
    client = Client()
    sign_in_verified(client, other)

    assert client.get(reverse("media_admin_detail", args=[item.pk])).status_code == 404
    response = client.post(
        reverse("media_admin_detail", args=[item.pk]), {"action": "answer", "answer": "x"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("registration", " ", "This field is required."),
        ("phone", "call us", "Enter the phone number in digits, e.g. +7 701 123 4567."),
        ("email", "not-an-email", "Enter a valid email address."),
        ("kind", "tabloid", "Select a valid choice."),
    ],
)
def test_bad_applications_get_clear_errors_and_keep_what_was_typed(
    client: Client, field: str, value: str, message: str
) -> None:
    response = _apply(client, **{field: value})

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "KZ-MEDIA-0042" in page or field == "registration"
    assert not Outlet.objects.exists()


def test_the_same_outlet_twice_is_refused(client: Client) -> None:
    _apply(client)
    response = _apply(client, name="KAZINFORM", email="other@kazinform.kz")

    assert response.status_code == 400
    assert "This organisation has already applied." in response.content.decode()
    assert Outlet.objects.count() == 1


def test_a_request_without_an_agency_waits_for_the_coordinators_to_route_it(
    coordinator: Any, officer: Any, agency: Any
) -> None:
    from ..services import outlet_apply, outlet_decide

    outlet = outlet_apply(
        name="KTK",
        kind="media",
        registration="4",
        editor="G H",
        email="g@ktk.kz",
        phone="+7 701 444 44 44",
    )
    outlet_decide(coordinator=coordinator, outlet=outlet, status="accredited", reason="")
    journalist = _signed_in(Member.objects.get())
    journalist.post(
        reverse("media:desk"), {"kind": "interview", "question": "An interview, please."}
    )
    item = MediaRequest.objects.get()
    assert item.status == MediaRequest.Status.NEW
    assert item.target_hours == 24
    staff = Client()
    sign_in_verified(staff, coordinator)

    staff.post(
        reverse("media_admin_detail", args=[item.pk]), {"action": "route", "agency": agency.pk}
    )

    item.refresh_from_db()
    assert item.agency == agency
    assert item.status == MediaRequest.Status.WITH_AGENCY
    desk = Client()
    sign_in_verified(desk, officer)
    assert "An interview, please." in desk.get(reverse("media_admin_inbox")).content.decode()


def test_coordinators_set_the_targets(client: Client, coordinator: Any) -> None:
    from ..services import target_hours

    sign_in_verified(client, coordinator)
    client.post(
        reverse("media_admin_targets"),
        {"factual": "2", "comment": "6", "data": "48", "interview": "72"},
    )
    assert target_hours("factual") == 2
    client.post(
        reverse("media_admin_targets"),
        {"factual": "0", "comment": "6", "data": "48", "interview": "72"},
    )
    assert target_hours("factual") == 2


def test_where_the_head_approves_answers_a_draft_waits_and_can_be_returned(
    coordinator: Any, officer: Any, agency: Any
) -> None:
    from birge.appeals.models import AgencyAppealSettings

    from ..services import (
        media_answer_approve,
        media_answer_return,
        media_request_answer,
        media_request_submit,
        outlet_apply,
        outlet_decide,
    )

    AgencyAppealSettings.objects.create(agency=agency, answers_need_approval=True)
    head = staff_member(Role.AGENCY_HEAD, agency, username="head")
    outlet = outlet_apply(
        name="Inform", kind="media", registration="5", editor="I J", email="i@inform.kz",
        phone="+7 701 555 55 55",
    )  # fmt: skip
    outlet_decide(coordinator=coordinator, outlet=outlet, status="accredited", reason="")
    member = Member.objects.get()
    item = media_request_submit(
        member=member, kind="factual", question="Q?", agency=agency, language="en"
    )
    journalist = _signed_in(member)

    media_request_answer(officer=officer, request=item, answer="A draft.")
    assert item.status == MediaRequest.Status.PENDING_APPROVAL
    assert (
        "A draft." not in journalist.get(reverse("media:request", args=[item.pk])).content.decode()
    )
    with pytest.raises(ValidationError):
        media_answer_return(head=head, request=item, note="")
    media_answer_return(head=head, request=item, note="Give the exact figure.")
    assert item.status == MediaRequest.Status.WITH_AGENCY
    media_request_answer(officer=officer, request=item, answer="1,240 beds.")
    media_answer_approve(head=head, request=item)

    assert item.status == MediaRequest.Status.ANSWERED
    assert item.answered_at is not None
    assert (
        "1,240 beds." in journalist.get(reverse("media:request", args=[item.pk])).content.decode()
    )
    kinds = list(item.events.values_list("kind", flat=True))
    assert kinds == [
        "submitted",
        "answer_submitted",
        "answer_returned",
        "answer_submitted",
        "answered",
    ]
