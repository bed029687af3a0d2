"""A family asks, the headquarters confirms, a volunteer delivers with the family's code, and
the public report counts one more family: each step as its user meets it, over HTTP."""

import datetime as dt
import re
from typing import Any

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from birge.channels.models import Delivery
from birge.core.models import AuditEntry, Region
from birge.core.tests.factories import sign_in_verified

from ..models import HelpRequest, HelpRequestEvent, Volunteer
from ..services import help_requests_erase
from ..services.volunteers import SIGN_IN_SALT, sign_in_token
from .factories import VolunteerFactory, help_request

pytestmark = pytest.mark.django_db

VALID_IIN = "400304300125"


def _ask_form(campaign: Any, **overrides: Any) -> dict[str, Any]:
    form = {
        "campaign": campaign.slug,
        "help_kind": "food_basket",
        "person_name": "Бибігүл Омарова",
        "birth_date": "1940-03-04",
        "iin": VALID_IIN,
        "region": "KZ-75",
        "address": "Абай даңғылы 10, 5-пәтер",
        "phone": "+7 701 123 45 67",
        "household_size": "1",
        "categories": ["lonely_elderly"],
        "no_food": "on",
        "lives_alone": "on",
        "consent": "on",
    }
    form.update(overrides)
    return {key: value for key, value in form.items() if value is not None}


def _in(language: str, name: str) -> str:
    with override(language):
        return reverse(name)


def _volunteer_client(volunteer: Volunteer) -> Client:
    """A browser that signed in through the e-mailed link, as a volunteer does."""
    client = Client()
    link = reverse("aid:volunteer_sign_in_link", kwargs={"token": sign_in_token(volunteer)})
    assert client.get(link).status_code == 200  # a page with a button, the link still unused
    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == reverse("aid:volunteer_home")
    return client


def test_a_family_is_helped_from_request_to_confirmed_delivery(
    client: Client, campaign: Any, almaty_operator: Any, volunteer: Volunteer
) -> None:
    report_url = reverse("aid:report", kwargs={"slug": campaign.slug})
    before = client.get(report_url).context["report"].families_helped

    # given a family's request on the website
    response = client.post(reverse("aid:ask"), _ask_form(campaign))
    assert response.status_code == 302
    track_url = response["Location"].split("?")[0]
    item = HelpRequest.objects.get()
    assert item.headquarters.slug == "hq-almaty"
    assert (
        item.priority
        == campaign.priority_no_food + campaign.priority_age_80 + campaign.priority_alone
    )
    family_page = client.get(track_url).content.decode()
    code = re.search(r'id="delivery-code">(\d{6})<', family_page).group(1)  # type: ignore[union-attr]

    # when the operator confirms it
    staff = Client()
    sign_in_verified(staff, almaty_operator)
    queue = staff.get(reverse("aid_admin_queue")).content.decode()
    assert item.tracking_code in queue
    assert "Бибігүл" not in queue  # no names in the list
    response = staff.post(
        reverse("aid_admin_act", args=[item.pk, "decide"]), {"eligible": "yes", "reason": ""}
    )
    assert response.status_code == 302

    # then the volunteer sees the task, without the address until accepting
    helper = _volunteer_client(volunteer)
    home = helper.get(reverse("aid:volunteer_home")).content.decode()
    task_url = reverse("aid:volunteer_task", args=[item.pk])
    assert task_url in home
    before_accepting = helper.get(task_url).content.decode()
    assert "Абай даңғылы" not in before_accepting
    assert "123 45 67" not in before_accepting
    helper.post(task_url, {"action": "accept"})
    accepted = helper.get(task_url).content.decode()
    assert "Абай даңғылы 10" in accepted
    assert "+7 701 123 45 67" in accepted

    # a wrong code is refused and counted; the family's code closes the task
    wrong = "000000" if code != "000000" else "111111"
    response = helper.post(task_url, {"action": "deliver", "code": wrong, "hours": "1"})
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.status == HelpRequest.Status.ASSIGNED
    assert item.code_attempts == 1
    response = helper.post(task_url, {"action": "deliver", "code": code, "hours": "1,5"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == HelpRequest.Status.DELIVERED
    assert item.hours == 1.5

    # the address is gone from the volunteer's page once the task is closed
    closed = helper.get(task_url).content.decode()
    assert "Абай даңғылы" not in closed
    # every step has its actor
    kinds = list(item.events.values_list("kind", flat=True))
    assert kinds == ["submitted", "eligible", "accepted", "code_wrong", "delivered"]
    assert item.events.get(kind="eligible").actor == almaty_operator
    assert item.events.get(kind="delivered").volunteer == volunteer
    assert AuditEntry.objects.filter(
        target_id=str(item.pk), action="aid.request.delivered"
    ).exists()
    # and the public report counts one more family
    assert client.get(report_url).context["report"].families_helped == before + 1
    assert client.get(track_url).context["delivery_code"] == ""


def test_an_operator_of_another_region_gets_404(
    client: Client, campaign: Any, astana_operator: Any, almaty_operator: Any
) -> None:
    item = help_request(campaign)
    sign_in_verified(client, astana_operator)

    assert client.get(reverse("aid_admin_detail", args=[item.pk])).status_code == 404
    response = client.post(reverse("aid_admin_act", args=[item.pk, "decide"]), {"eligible": "yes"})
    assert response.status_code == 404
    assert item.tracking_code not in client.get(reverse("aid_admin_queue")).content.decode()
    item.refresh_from_db()
    assert item.status == HelpRequest.Status.NEW


def test_the_front_office_sees_every_region(
    client: Client, campaign: Any, front_office: Any
) -> None:
    from birge.core.tests.factories import staff_member

    operator = staff_member("aid_operator", front_office, username="front")
    almaty, astana = (
        help_request(campaign),
        help_request(campaign, region="KZ-71", phone="+7 702 111 22 33"),
    )
    sign_in_verified(client, operator)

    queue = client.get(reverse("aid_admin_queue")).content.decode()
    assert almaty.tracking_code in queue
    assert astana.tracking_code in queue


def test_a_family_that_gives_an_e_mail_gets_its_link_and_code_once(
    client: Client, campaign: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("aid:ask"), _ask_form(campaign, email="family@example.kz"))

    item = HelpRequest.objects.get()
    mail = Delivery.objects.get(target="family@example.kz")
    body = mail.publication.text_for(item.language)["summary"]
    assert item.tracking_token in body
    assert item.delivery_code() in body


def test_the_same_household_is_flagged_never_merged_or_refused(campaign: Any) -> None:
    first = help_request(campaign, iin=VALID_IIN)
    same_iin = help_request(campaign, iin=VALID_IIN, phone="+7 777 000 00 01", address="Other 1")
    # The neighbour types the phone and the address differently: the same household.
    same_contact = help_request(
        campaign, phone="8 (701) 123-45-67", address="абай даңғылы 10 5 пәтер"
    )
    other = help_request(campaign, phone="+7 705 999 99 99", address="Сәтпаев 3")

    assert first.possible_duplicate_of is None
    assert same_iin.possible_duplicate_of == first
    assert same_iin.duplicate_reason == HelpRequest.DuplicateReason.IIN
    assert same_contact.possible_duplicate_of == first
    assert same_contact.duplicate_reason == HelpRequest.DuplicateReason.CONTACT
    assert other.possible_duplicate_of is None
    assert HelpRequest.objects.count() == 4
    assert same_iin.events.filter(kind=HelpRequestEvent.Kind.FLAGGED_DUPLICATE).exists()


def test_a_family_helped_longer_ago_than_the_interval_may_ask_again(campaign: Any) -> None:
    first = help_request(campaign, iin=VALID_IIN)
    long_ago = timezone.now() - dt.timedelta(days=campaign.repeat_after_days + 1)
    HelpRequest.objects.filter(pk=first.pk).update(
        status=HelpRequest.Status.DELIVERED, delivered_at=long_ago, closed_at=long_ago
    )

    assert help_request(campaign, iin=VALID_IIN).possible_duplicate_of is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("household_size", "-2", "A household has from 1 to 30 people."),
        ("household_size", "31", "A household has from 1 to 30 people."),
        ("birth_date", "2999-01-01", "The date of birth cannot be in the future."),
        ("iin", "400304300124", "An IIN is 12 digits; check it against the identity card."),
        ("iin", "12345", "An IIN is 12 digits; check it against the identity card."),
        ("phone", "call me", "Enter the phone number in digits, e.g. +7 701 123 4567."),
        ("address", "  ", "Write the address where the help should be brought."),
        ("consent", None, "Agree to the processing of personal data to send the request."),
    ],
)
def test_bad_input_gets_a_clear_error_and_keeps_what_was_typed(
    client: Client, campaign: Any, field: str, value: str | None, message: str
) -> None:
    response = client.post(_in("en", "aid:ask"), _ask_form(campaign, **{field: value}))

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    if field != "address":
        assert "Абай даңғылы 10, 5-пәтер" in page
    assert not HelpRequest.objects.exists()


def test_the_errors_are_in_the_visitors_language(client: Client, campaign: Any) -> None:
    response = client.post(_in("ru", "aid:ask"), _ask_form(campaign, household_size="0"))

    assert response.status_code == 400
    assert "В семье может быть от 1 до 30 человек." in response.content.decode()


def test_the_same_iin_fifty_times_is_fifty_flagged_requests(client: Client, campaign: Any) -> None:
    for number in range(50):
        response = client.post(
            reverse("aid:ask"),
            _ask_form(campaign, phone=f"+7 701 000 00 {number:02d}", address=f"Дом {number}"),
            REMOTE_ADDR=f"10.0.0.{number}",
        )
        assert response.status_code == 302

    requests = HelpRequest.objects.order_by("submitted_at", "id")
    assert requests.count() == 50
    first = requests[0]
    assert all(item.possible_duplicate_of_id == first.pk for item in requests[1:])


def test_a_volunteer_registers_is_verified_and_signs_in_by_a_one_time_link(
    client: Client, almaty_hq: Any, almaty_operator: Any
) -> None:
    response = client.post(
        reverse("aid:volunteer_join"),
        {
            "name": "Ержан Әлиев",
            "email": "Erzhan@Example.kz",
            "phone": "+7 707 111 22 33",
            "region": "KZ-75",
            "skills": ["driving"],
            "languages": ["kk", "ru"],
            "consent": "on",
        },
    )
    assert response.status_code == 200
    volunteer = Volunteer.objects.get(email="erzhan@example.kz")
    assert volunteer.headquarters == almaty_hq
    assert volunteer.status == Volunteer.Status.PENDING
    mail = Delivery.objects.get(target="erzhan@example.kz")
    link = re.search(r"/aid/volunteer/sign-in/[^/\s]+/", mail.publication.text_for("kk")["summary"])
    assert link is not None

    # the same e-mail again is pointed to signing in
    again = client.post(
        reverse("aid:volunteer_join"),
        {
            "name": "X",
            "email": "erzhan@example.kz",
            "phone": "+7 707 111 22 33",
            "region": "KZ-75",
            "consent": "on",
        },
    )
    assert again.status_code == 400
    assert Volunteer.objects.count() == 1

    # not verified yet: no tasks listed
    helper = Client()
    assert helper.post(f"/kk{link.group(0)}").status_code == 302
    assert "tasks-offered" not in helper.get(reverse("aid:volunteer_home")).content.decode()
    # the link does not work twice
    assert Client().post(f"/kk{link.group(0)}")["Location"] == reverse("aid:volunteer_sign_in")

    staff = Client()
    sign_in_verified(staff, almaty_operator)
    staff.post(
        reverse("aid_admin_volunteer_check", args=[volunteer.pk]),
        {"verified": "yes", "note": "Identity card seen at the headquarters"},
    )
    volunteer.refresh_from_db()
    assert volunteer.status == Volunteer.Status.VERIFIED
    assert volunteer.verified_by == almaty_operator
    assert "tasks-offered" in helper.get(reverse("aid:volunteer_home")).content.decode()


def test_an_expired_or_forged_sign_in_link_does_not_sign_in(client: Client, volunteer: Any) -> None:
    forged = signing.dumps({"v": volunteer.pk, "s": ""}, salt="another-salt")
    link = reverse("aid:volunteer_sign_in_link", kwargs={"token": forged})

    assert client.post(link)["Location"] == reverse("aid:volunteer_sign_in")
    assert client.get(reverse("aid:volunteer_home"))["Location"] == reverse("aid:volunteer_sign_in")
    assert SIGN_IN_SALT != "another-salt"


def test_a_volunteer_of_another_area_cannot_open_or_take_a_task(
    campaign: Any, almaty_operator: Any, astana_hq: Any
) -> None:
    from ..services import help_request_decide

    item = help_request(campaign)
    help_request_decide(operator=almaty_operator, request=item, eligible=True, reason="")
    outsider = VolunteerFactory(headquarters=astana_hq, region=Region.objects.get(code="KZ-71"))
    helper = _volunteer_client(outsider)
    task_url = reverse("aid:volunteer_task", args=[item.pk])

    assert helper.get(task_url).status_code == 404
    assert helper.post(task_url, {"action": "accept"}).status_code == 404
    item.refresh_from_db()
    assert item.status == HelpRequest.Status.ELIGIBLE


def test_personal_data_of_closed_requests_is_erased_after_the_retention_period(
    campaign: Any,
) -> None:
    closed = help_request(campaign, iin=VALID_IIN)
    kept = help_request(campaign, phone="+7 705 111 22 33", address="Сәтпаев 3")
    long_ago = timezone.now() - dt.timedelta(days=campaign.retention_days + 1)
    HelpRequest.objects.filter(pk=closed.pk).update(
        status=HelpRequest.Status.DELIVERED, delivered_at=long_ago, closed_at=long_ago
    )

    assert help_requests_erase() == 1
    assert help_requests_erase() == 0
    closed.refresh_from_db()
    assert (closed.person_name, closed.iin, closed.phone, closed.address) == ("", "", "", "")
    assert closed.status == HelpRequest.Status.DELIVERED  # the figures stay
    assert closed.household_size == 3
    kept.refresh_from_db()
    assert kept.person_name
    assert AuditEntry.objects.filter(action="aid.request.erased", target_id=str(closed.pk)).exists()
