from typing import Any

import pytest

from birge.core.models import StaffRole
from birge.core.tests.factories import AgencyFactory, staff_member

Role = StaffRole.Role


@pytest.fixture
def agency() -> Any:
    return AgencyFactory(slug="ministry-a")


@pytest.fixture
def other_agency() -> Any:
    return AgencyFactory(slug="ministry-b")


@pytest.fixture
def officer(agency: Any) -> Any:
    return staff_member(Role.AGENCY_OFFICER, agency, username="officer-a")


@pytest.fixture
def head(agency: Any) -> Any:
    return staff_member(Role.AGENCY_HEAD, agency, username="head-a")


@pytest.fixture
def officer_b(other_agency: Any) -> Any:
    return staff_member(Role.AGENCY_OFFICER, other_agency, username="officer-b")


@pytest.fixture
def coordinator() -> Any:
    return staff_member(Role.COORDINATOR, None, username="coordinator")
