"""The headquarters' screens: the hotline form, handing down to a district, partners and
their pledges, confirming a delivery by a call."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from birge.core.models import AuditEntry, Region
from birge.core.tests.factories import sign_in_verified, staff_member

from ..models import HelpRequest, Partner, Pledge
from ..services import help_request_decide
from .factories import HeadquartersFactory, help_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client: Client, almaty_operator: Any) -> Client:
    sign_in_verified(client, almaty_operator)
    return client


def test_the_hotline_operator_registers_a_call(
    staff: Client, campaign: Any, almaty_operator: Any
) -> None:
    response = staff.post(
        reverse("aid_admin_take_call"),
        {
            "campaign": campaign.slug,
            "help_kind": "medicines",
            "person_name": "Николай Петров",
            "region": "KZ-75",
            "address": "Сейфуллин 5",
            "phone": "+7 701 222 33 44",
            "household_size": "2",
            "consent": "on",
        },
    )

    item = HelpRequest.objects.get()
    assert response.status_code == 302
    assert item.channel == HelpRequest.Channel.HOTLINE
    assert AuditEntry.objects.get(action="aid.request.submitted").actor == almaty_operator


def test_a_request_is_handed_down_to_a_district_whose_operator_then_sees_it(
    staff: Client, campaign: Any, almaty_hq: Any
) -> None:
    district = HeadquartersFactory(parent=almaty_hq, region=Region.objects.get(code="KZ-75"))
    district_operator = staff_member("aid_operator", district, username="district")
    item = help_request(campaign)
    district_client = Client()
    sign_in_verified(district_client, district_operator)
    assert district_client.get(reverse("aid_admin_detail", args=[item.pk])).status_code == 404

    staff.post(reverse("aid_admin_act", args=[item.pk, "hand-down"]), {"headquarters": district.pk})

    item.refresh_from_db()
    assert item.headquarters == district
    assert district_client.get(reverse("aid_admin_detail", args=[item.pk])).status_code == 200
    # the city headquarters still sees what it handed down
    assert staff.get(reverse("aid_admin_detail", args=[item.pk])).status_code == 200


def test_a_partner_delivers_and_the_operator_confirms_by_a_call(
    staff: Client, campaign: Any, almaty_hq: Any, almaty_operator: Any
) -> None:
    staff.post(
        reverse("aid_admin_partners"),
        {"action": "partner", "name": "Magnum", "kind": "business", "headquarters": almaty_hq.pk},
    )
    partner = Partner.objects.get(name="Magnum")
    staff.post(
        reverse("aid_admin_partners"),
        {"action": "pledge", "partner": partner.pk, "campaign": campaign.pk,
         "description": "Food baskets", "quantity": "100", "unit": "baskets"},
    )  # fmt: skip
    pledge = Pledge.objects.get()
    staff.post(
        reverse("aid_admin_partners"), {"action": "received", "pledge": pledge.pk, "received": "30"}
    )
    too_many = staff.post(
        reverse("aid_admin_partners"), {"action": "received", "pledge": pledge.pk, "received": "71"}
    )
    pledge.refresh_from_db()
    assert too_many.status_code == 302
    assert pledge.fulfilled_quantity == 30
    assert pledge.progress_percent == 30

    item = help_request(campaign)
    help_request_decide(operator=almaty_operator, request=item, eligible=True, reason="")
    staff.post(reverse("aid_admin_act", args=[item.pk, "partner"]), {"partner": partner.pk})
    no_note = staff.post(reverse("aid_admin_act", args=[item.pk, "confirm"]), {"note": " "})
    item.refresh_from_db()
    assert no_note.status_code == 302
    assert item.status == HelpRequest.Status.ASSIGNED
    staff.post(
        reverse("aid_admin_act", args=[item.pk, "confirm"]),
        {"note": "Called the family at 14:05; the basket arrived"},
    )

    item.refresh_from_db()
    assert item.status == HelpRequest.Status.DELIVERED
    report = staff.get(reverse("aid:report", args=[campaign.slug])).context["report"]
    assert report.families_helped == 1


def test_a_refusal_needs_its_reason(staff: Client, campaign: Any) -> None:
    item = help_request(campaign)

    staff.post(reverse("aid_admin_act", args=[item.pk, "decide"]), {"eligible": "no", "reason": ""})
    item.refresh_from_db()
    assert item.status == HelpRequest.Status.NEW

    staff.post(
        reverse("aid_admin_act", args=[item.pk, "decide"]),
        {"eligible": "no", "reason": "Helped by the akimat this week"},
    )
    item.refresh_from_db()
    assert item.status == HelpRequest.Status.NOT_ELIGIBLE
    assert item.closed_at is not None


def test_the_queue_lists_the_most_urgent_first_with_a_fixed_number_of_queries(
    staff: Client, campaign: Any, django_assert_max_num_queries: Any
) -> None:
    calm = help_request(campaign, phone="+7 701 000 00 01", address="A 1")
    urgent = help_request(
        campaign, phone="+7 701 000 00 02", address="A 2", no_food=True, lives_alone=True
    )
    for number in range(10):
        help_request(campaign, phone=f"+7 702 000 00 {number:02d}", address=f"B {number}")

    with django_assert_max_num_queries(20):
        page = staff.get(reverse("aid_admin_queue")).content.decode()

    assert page.index(urgent.tracking_code) < page.index(calm.tracking_code)
