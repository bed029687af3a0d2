"""Two heads approving one answer at the same moment: it is published and announced once."""

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection

from birge.appeals.models import AgencyAppealSettings, Answer, AppealEvent
from birge.appeals.services import answer_approve, answering, appeal_answer
from birge.core.models import StaffRole
from birge.core.tests.factories import staff_member

from .factories import AppealFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # The in-memory SQLite test database gives every thread the same connection, so the two
    # approvals would nest instead of competing for the row lock.
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="needs separate connections per thread"
    ),
]


def test_two_heads_approving_at_once_publish_the_answer_once(
    reference_data: None, agency: Any, officer: Any, head: Any
) -> None:
    other_head = staff_member(StaffRole.Role.AGENCY_HEAD, agency, username="head-a2")
    AgencyAppealSettings.objects.create(agency=agency, answers_need_approval=True)
    appeal: Any = AppealFactory(agency=agency, contact_email="asker@example.kz", consent=True)
    answer = appeal_answer(officer=officer, appeal=appeal, kind="full", text="Yes.")
    screens = [
        (who, Answer.objects.select_related("appeal__agency").get(pk=answer.pk))
        for who in (head, other_head)
    ]
    publish = answering._publish

    def slow_publish(answer: Answer, *, actor: Any) -> None:
        # Holds the first approval open long enough for the second to reach the appeal row.
        time.sleep(0.5)
        publish(answer, actor=actor)

    def approve(screen: tuple[Any, Answer]) -> str:
        try:
            answer_approve(head=screen[0], answer=screen[1])
        except ValidationError:
            return "refused"
        finally:
            connection.close()
        return "approved"

    with mock.patch.object(answering, "_publish", slow_publish), ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(approve, screens))
    assert outcomes == ["approved", "refused"]
    assert AppealEvent.objects.filter(appeal=appeal, kind=AppealEvent.Kind.ANSWERED).count() == 1
    assert len(mail.outbox) == 1
