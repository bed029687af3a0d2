"""Overdue notices: recorded in one transaction, mailed after commit, once per recipient."""

import logging
from datetime import datetime
from smtplib import SMTPException
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from freezegun import freeze_time
from wagtail.users.models import UserProfile

from birge.appeals.models import AppealEvent, Escalation
from birge.appeals.services import escalations_send
from birge.core.models import AuditEntry, StaffRole
from birge.core.tests.factories import staff_member

from .factories import AppealFactory

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")
REGISTERED = datetime(2026, 3, 18, 10, tzinfo=ALMATY)
# Past the 15 working days (due 13 April) of an appeal registered on REGISTERED.
OVERDUE = datetime(2026, 4, 20, 10, tzinfo=ALMATY)


def test_each_head_gets_one_notice_listing_all_their_overdue_appeals(
    agency: Any,
    other_agency: Any,
    head: Any,
    officer: Any,
    django_capture_on_commit_callbacks: Any,
    django_assert_max_num_queries: Any,
) -> None:
    # given 10 overdue appeals of an agency with two heads, one reading the admin in Russian
    with freeze_time(REGISTERED):
        appeals = AppealFactory.create_batch(10, agency=agency)
    second_head = staff_member(StaffRole.Role.AGENCY_HEAD, agency, username="head-a2")
    UserProfile.objects.create(user=second_head, preferred_language="ru")
    staff_member(StaffRole.Role.AGENCY_HEAD, other_agency, username="head-b")
    # when the run escalates them: 8 queries for the run and 2 per recipient, none per appeal
    with (
        freeze_time(OVERDUE),
        django_assert_max_num_queries(12),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert escalations_send() == 10
    # then each head of that agency, and no one else, gets one mail listing all 10
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert len(mail.outbox) == 2
    assert set(by_recipient) == {head.email, second_head.email}
    for message in mail.outbox:
        assert all(appeal.tracking_code in message.body for appeal in appeals)
    assert f"/admin/appeals/{appeals[0].pk}/" in by_recipient[head.email].body
    assert "өтінішіне" in by_recipient[head.email].body
    assert "На обращение" in by_recipient[second_head.email].body
    assert Escalation.objects.filter(recipients=2).count() == 10
    assert AuditEntry.objects.filter(action="appeals.appeal.escalated").count() == 10
    assert (
        AppealEvent.objects.filter(kind=AppealEvent.Kind.ESCALATED, is_public=False).count() == 10
    )


def test_a_failed_notice_leaves_the_escalations_recorded_and_is_logged(
    agency: Any, head: Any, django_capture_on_commit_callbacks: Any, caplog: Any
) -> None:
    with freeze_time(REGISTERED):
        AppealFactory.create_batch(2, agency=agency)
    with (
        freeze_time(OVERDUE),
        mock.patch("birge.appeals.notify.send_mail", side_effect=SMTPException("down")),
        caplog.at_level(logging.ERROR, logger="django_tasks"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert escalations_send() == 2
    assert Escalation.objects.count() == 2
    assert AppealEvent.objects.filter(kind=AppealEvent.Kind.ESCALATED).count() == 2
    assert not mail.outbox
    assert any(
        record.levelno == logging.ERROR and "escalation_notify_task" in record.getMessage()
        for record in caplog.records
    )
    # the next run finds them escalated and does not mail again
    with freeze_time(OVERDUE), django_capture_on_commit_callbacks(execute=True):
        assert escalations_send() == 0
