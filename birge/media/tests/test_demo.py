import re

import pytest
from django.test import Client
from django.urls import reverse

from birge.core.demo import demo_load

from ..demo import JOURNALIST_EMAIL
from ..models import MediaRequest, Member, Outlet
from ..services import member_sign_in_token

pytestmark = pytest.mark.django_db


def test_the_demo_journalist_has_an_answered_and_an_open_request(client: Client) -> None:
    demo_load()
    demo_load()  # a second start adds nothing

    assert Outlet.objects.filter(status=Outlet.Status.APPLIED).count() == 1
    member = Member.objects.get(email=JOURNALIST_EMAIL)
    link = reverse("media:sign_in_link", kwargs={"token": member_sign_in_token(member)})
    client.post(link)
    page = client.get(reverse("media:desk")).content.decode()
    assert len(re.findall(r'href="/kk/press/desk/\d+/"', page)) == MediaRequest.objects.count() == 2
    answered = MediaRequest.objects.get(status=MediaRequest.Status.ANSWERED)
    assert answered.answered_in_time
