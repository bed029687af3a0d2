from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from birge.core.demo import demo_load
from birge.core.tests.factories import sign_in_verified

from ..demo import CURRENT, DELIVERED_PER_REGION, DEMO_REQUESTS
from ..models import Campaign, HelpRequest, Volunteer

pytestmark = pytest.mark.django_db


def test_the_demo_operator_sees_every_regions_queue_and_the_report_counts(client: Client) -> None:
    demo_load()
    demo_load()  # a second start adds nothing

    assert HelpRequest.objects.count() == sum(DELIVERED_PER_REGION.values()) + len(DEMO_REQUESTS)
    assert Volunteer.objects.filter(status=Volunteer.Status.PENDING).count() == 1
    waiting = HelpRequest.objects.filter(status=HelpRequest.Status.NEW)
    assert waiting.exclude(possible_duplicate_of=None).count() == 1
    operator = get_user_model().objects.get(username="aid")
    sign_in_verified(client, operator)
    queue = client.get(reverse("aid_admin_queue")).content.decode()
    assert all(item.tracking_code in queue for item in waiting)
    campaign = Campaign.objects.get(slug=CURRENT)
    report: Any = client.get(reverse("aid:report", args=[campaign.slug])).context["report"]
    assert report.families_helped == sum(DELIVERED_PER_REGION.values())
    assert report.raised > report.spent > 0
    assert client.get(reverse("aid:report", args=["bizbirgemiz-2020"])).status_code == 200
