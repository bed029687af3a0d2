from typing import Any

import pytest

from birge.core.models import Region, StaffRole
from birge.core.tests.factories import staff_member

from .factories import CampaignFactory, HeadquartersFactory, VolunteerFactory

Role = StaffRole.Role


@pytest.fixture
def front_office(db: Any) -> Any:
    return HeadquartersFactory(slug="front-office", region=Region.objects.get(code="KZ"))


@pytest.fixture
def almaty_hq(front_office: Any) -> Any:
    return HeadquartersFactory(
        slug="hq-almaty", parent=front_office, region=Region.objects.get(code="KZ-75")
    )


@pytest.fixture
def astana_hq(front_office: Any) -> Any:
    return HeadquartersFactory(
        slug="hq-astana", parent=front_office, region=Region.objects.get(code="KZ-71")
    )


@pytest.fixture
def campaign(front_office: Any, almaty_hq: Any, astana_hq: Any) -> Any:
    return CampaignFactory(headquarters=front_office)


@pytest.fixture
def almaty_operator(almaty_hq: Any) -> Any:
    return staff_member(Role.AID_OPERATOR, almaty_hq, username="aid-almaty")


@pytest.fixture
def astana_operator(astana_hq: Any) -> Any:
    return staff_member(Role.AID_OPERATOR, astana_hq, username="aid-astana")


@pytest.fixture
def volunteer(almaty_hq: Any) -> Any:
    return VolunteerFactory(headquarters=almaty_hq, region=Region.objects.get(code="KZ-75"))
