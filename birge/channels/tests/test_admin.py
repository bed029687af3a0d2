"""Coordinators follow publications and their deliveries in the staff admin, over HTTP.

No test runs the on-commit callbacks: they would start the Telegram dispatcher, which has no
bot token here.
"""

from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from birge.channels.models import Channel, Delivery, Publication
from birge.channels.services import publication_cancel, publication_create
from birge.core.models import AuditEntry, Region, StaffRole
from birge.core.tests.factories import AgencyFactory, sign_in_verified, staff_member

from .factories import SubscriberFactory

pytestmark = pytest.mark.django_db
Role = StaffRole.Role

LIST_URL = "/admin/channels/"
NEW_URL = "/admin/channels/new/"


@pytest.fixture(autouse=True)
def _channels(settings: Any) -> None:
    settings.TELEGRAM_CHANNELS = {"kk": "@birge_kk"}


def announce(key: str, **fields: Any) -> Publication:
    values: dict[str, Any] = {
        "kind": Publication.Kind.NEWS,
        "source_kind": "test.news",
        "source_key": key,
        "texts": {"kk": {"title": f"Жаңалық {key}", "summary": "Қысқаша", "url": ""}},
        "channels": [Channel.FEED, Channel.TELEGRAM_CHANNEL, Channel.TELEGRAM_BOT],
    }
    values.update(fields)
    return publication_create(**values)


def signed_in(role: str, **user_fields: Any) -> tuple[Client, Any]:
    client = Client()
    user = staff_member(role, **user_fields)
    sign_in_verified(client, user)
    return client, user


def detail_url(publication: Publication) -> str:
    return f"/admin/channels/{publication.pk}/"


def retry_url(delivery: Delivery) -> str:
    return f"/admin/channels/deliveries/{delivery.pk}/retry/"


def approve_url(publication: Publication) -> str:
    return f"/admin/channels/{publication.pk}/approve/"


def shows(response: Any, message: str) -> bool:
    """Whether the page holds `message` as the admin renders it (in Kazakh, the default)."""
    with translation.override("kk"):
        return escape(gettext(message)) in response.content.decode()


def fail(publication: Publication, channel: str, error: str = "Bad Request") -> Delivery:
    delivery = Delivery.objects.get(publication=publication, channel=channel)
    Delivery.objects.filter(pk=delivery.pk).update(
        state=Delivery.State.FAILED, attempts=8, error=error
    )
    delivery.refresh_from_db()
    return delivery


def test_a_coordinator_sees_every_publication_with_its_delivery_counts() -> None:
    # given a publication delivered to the feed, waiting for the channel and two chats (one
    # failed), and another one stopped before anything but the feed went out
    SubscriberFactory.create_batch(2, language="kk")
    sent = announce("1")
    chat = Delivery.objects.filter(publication=sent, channel=Channel.TELEGRAM_BOT).order_by("pk")
    Delivery.objects.filter(pk=chat[0].pk).update(state=Delivery.State.FAILED)
    stopped = announce("2")
    client, coordinator = signed_in(Role.COORDINATOR)
    publication_cancel(publication=stopped, actor=coordinator)
    # when
    response = client.get(LIST_URL)
    # then
    assert response.status_code == 200
    counts = {
        p.pk: (p.sent_count, p.waiting_count, p.failed_count, p.cancelled_count)
        for p in response.context["page"]
    }
    assert counts == {sent.pk: (1, 2, 1, 0), stopped.pk: (0, 0, 0, 4)}
    html = response.content.decode()
    assert "Жаңалық 1" in html
    assert "Жаңалық 2" in html
    # and the status filter narrows the list
    response = client.get(LIST_URL, {"status": Publication.Status.CANCELLED})
    assert [p.pk for p in response.context["page"]] == [stopped.pk]


@pytest.mark.parametrize("role", [Role.AGENCY_OFFICER, Role.EDITOR])
def test_an_officer_or_an_editor_is_sent_back_to_the_dashboard(role: str) -> None:
    # given a publication with a failed delivery, and a staff member who is no coordinator
    SubscriberFactory(language="kk")
    publication = announce("1")
    failed = fail(publication, Channel.TELEGRAM_BOT)
    client, _user = signed_in(role, agency=AgencyFactory())
    entries = AuditEntry.objects.count()
    # when they open the screens or post to them
    answers = [
        client.get(LIST_URL),
        client.get(detail_url(publication)),
        client.get(NEW_URL),
        client.post(retry_url(failed)),
        client.post(approve_url(publication)),
        client.post(f"/admin/channels/{publication.pk}/cancel/"),
    ]
    # then Wagtail sends them to the dashboard, which offers no link to the publications
    assert [(a.status_code, a["Location"]) for a in answers] == [(302, "/admin/")] * 6
    assert LIST_URL not in client.get("/admin/").content.decode()
    failed.refresh_from_db()
    publication.refresh_from_db()
    assert failed.state == Delivery.State.FAILED
    assert publication.status == Publication.Status.RELEASED
    assert AuditEntry.objects.count() == entries
    # while a coordinator's menu has the link
    coordinator_client, _coordinator = signed_in(Role.COORDINATOR)
    assert LIST_URL in coordinator_client.get("/admin/").content.decode()


def test_the_detail_counts_per_channel_and_never_shows_a_subscribers_address() -> None:
    # given an urgent regional alert to the channel, two chats and a mailbox; the channel post,
    # one chat and the mailbox failed with errors that repeat the address
    SubscriberFactory(address="5550001234", language="kk")
    SubscriberFactory(language="kk")
    SubscriberFactory(kind="email", address="citizen@example.kz", language="kk")
    publication = announce(
        "1",
        urgent=True,
        regions=[Region.objects.get(code="KZ-75")],
        channels=[Channel.FEED, Channel.TELEGRAM_CHANNEL, Channel.TELEGRAM_BOT, Channel.EMAIL],
    )
    fail(publication, Channel.TELEGRAM_CHANNEL, "Bad Request: chat not found")
    Delivery.objects.filter(target="5550001234").update(
        state=Delivery.State.FAILED, error="Forbidden: bot was blocked by the user 5550001234"
    )
    fail(publication, Channel.EMAIL, "{'citizen@example.kz': (550, b'5.1.1 No such user')}")
    client, _coordinator = signed_in(Role.COORDINATOR)
    # when
    response = client.get(detail_url(publication))
    # then every channel has its row, the channel post's target is named, no subscriber's is
    assert response.status_code == 200
    rows = {row["channel"]: row for row in response.context["summary"]}
    assert [(c, r["pending"], r["sent"], r["failed"]) for c, r in rows.items()] == [
        (Channel.FEED, 0, 1, 0),
        (Channel.TELEGRAM_CHANNEL, 0, 0, 1),
        (Channel.TELEGRAM_BOT, 1, 0, 1),
        (Channel.EMAIL, 0, 0, 1),
    ]
    html = response.content.decode()
    assert "@birge_kk" in html
    assert "chat not found" in html
    assert "bot was blocked by the user" in html
    assert "5550001234" not in html
    assert "citizen@example.kz" not in html
    failed_ids = Delivery.objects.filter(state=Delivery.State.FAILED).values_list("pk", flat=True)
    for pk in failed_ids:
        assert f"/admin/channels/deliveries/{pk}/retry/" in html


def test_sending_a_failed_delivery_again_makes_it_pending_and_is_audited(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    SubscriberFactory(language="kk")
    publication = announce("1")
    failed = fail(publication, Channel.TELEGRAM_BOT)
    client, coordinator = signed_in(Role.COORDINATOR)
    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(retry_url(failed))
    # then
    assert response.status_code == 302
    assert response["Location"] == detail_url(publication)
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == (Delivery.State.PENDING, 0)
    assert AuditEntry.objects.filter(action="channels.delivery.retried", actor=coordinator).exists()
    assert len(callbacks) == 1  # the Telegram dispatcher is started after commit
    assert shows(client.get(response["Location"]), "The delivery will be sent again.")


def test_a_delivered_one_is_not_sent_again_and_the_page_says_why(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given a chat that got the publication
    SubscriberFactory(language="kk")
    publication = announce("1")
    delivered = Delivery.objects.get(publication=publication, channel=Channel.TELEGRAM_BOT)
    Delivery.objects.filter(pk=delivered.pk).update(state=Delivery.State.SENT, message_id="7")
    client, _coordinator = signed_in(Role.COORDINATOR)
    entries = AuditEntry.objects.count()
    # when
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(retry_url(delivered), follow=True)
    # then
    assert response.status_code == 200
    assert shows(response, "Only a failed delivery can be sent again.")
    delivered.refresh_from_db()
    assert (delivered.state, delivered.attempts) == (Delivery.State.SENT, 0)
    assert AuditEntry.objects.count() == entries


def test_the_actions_answer_only_a_post() -> None:
    SubscriberFactory(language="kk")
    publication = announce("1")
    failed = fail(publication, Channel.TELEGRAM_BOT)
    client, _coordinator = signed_in(Role.COORDINATOR)
    for url in (
        retry_url(failed),
        approve_url(publication),
        f"/admin/channels/{publication.pk}/cancel/",
    ):
        assert client.get(url).status_code == 405
    failed.refresh_from_db()
    assert failed.state == Delivery.State.FAILED


def test_stopping_a_publication_cancels_what_was_not_sent(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    SubscriberFactory(language="kk")
    publication = announce("1")
    client, coordinator = signed_in(Role.COORDINATOR)
    # when
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(f"/admin/channels/{publication.pk}/cancel/", follow=True)
    # then
    assert response.status_code == 200
    publication.refresh_from_db()
    assert publication.status == Publication.Status.CANCELLED
    assert set(publication.deliveries.values_list("state", flat=True)) == {"cancelled"}
    assert AuditEntry.objects.filter(
        action="channels.publication.cancelled", actor=coordinator
    ).exists()
    assert f"/admin/channels/{publication.pk}/cancel/" not in response.content.decode()


def test_the_alert_form_refuses_an_alert_without_a_title_or_a_channel() -> None:
    # given
    client, _coordinator = signed_in(Role.COORDINATOR)
    entries = AuditEntry.objects.count()
    # when a summary is written in Russian without its title, and no channel is chosen
    response = client.post(NEW_URL, {"summary_ru": "Текст без заголовка"})
    # then
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert set(errors) == {"__all__", "title_ru", "channels"}
    assert shows(response, "Write a title in at least one language; a summary is optional.")
    assert shows(response, "Write a title for this summary.")
    assert shows(response, "Choose at least one channel.")
    assert not Publication.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_an_urgent_alert_to_the_whole_country_waits_for_a_second_coordinator(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given two coordinators and a subscribed chat
    chat = SubscriberFactory(language="kk")
    author_client, author = signed_in(Role.COORDINATOR)
    second_client, second = signed_in(Role.COORDINATOR)
    # when the first writes an urgent alert to the whole country
    with django_capture_on_commit_callbacks(execute=False):
        response = author_client.post(
            NEW_URL,
            {
                "title_kk": "Дауыл туралы ескерту",
                "summary_kk": "Үйден шықпаңыз.",
                "urgent": "on",
                "channels": [Channel.TELEGRAM_CHANNEL, Channel.TELEGRAM_BOT],
            },
        )
    # then it is held, with nothing to deliver, and its author cannot approve it
    publication = Publication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(publication)
    assert (publication.status, publication.kind) == ("held", Publication.Kind.URGENT_ALERT)
    assert not publication.deliveries.exists()
    page = author_client.get(detail_url(publication))
    assert shows(
        page,
        "The alert is waiting for a second coordinator: nothing is sent until another "
        "coordinator approves it.",
    )
    assert approve_url(publication) not in page.content.decode()
    assert approve_url(publication) not in author_client.get(LIST_URL).content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        refused = author_client.post(approve_url(publication), follow=True)
    assert shows(
        refused, "An urgent alert to everyone needs a second coordinator: you wrote this one."
    )
    publication.refresh_from_db()
    assert publication.status == Publication.Status.HELD
    # when the second coordinator approves it from the list
    assert approve_url(publication) in second_client.get(LIST_URL).content.decode()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        second_client.post(approve_url(publication))
    # then it is released and its deliveries are waiting for the dispatcher
    publication.refresh_from_db()
    assert (publication.status, publication.approved_by) == ("released", second)
    assert set(publication.deliveries.values_list("channel", "target", "state")) == {
        (Channel.TELEGRAM_CHANNEL, "@birge_kk", "pending"),
        (Channel.TELEGRAM_BOT, chat.address, "pending"),
    }
    assert len(callbacks) == 1
    assert AuditEntry.objects.filter(action="channels.publication.held", actor=author).exists()
    assert AuditEntry.objects.filter(action="channels.publication.approved", actor=second).exists()


def test_the_list_takes_the_same_few_queries_for_3_or_10_publications(
    django_assert_max_num_queries: Any,
) -> None:
    # given publications with deliveries, and a held one at the top
    SubscriberFactory.create_batch(2, language="kk")
    author = staff_member(Role.COORDINATOR)
    announce("held", urgent=True, actor=author)
    for key in range(3):
        announce(str(key))
    client, _coordinator = signed_in(Role.COORDINATOR)
    client.get(LIST_URL)  # the first admin page of a session sets it up
    # when
    with django_assert_max_num_queries(14) as few:
        assert client.get(LIST_URL).status_code == 200
    for key in range(3, 10):
        announce(str(key))
    with django_assert_max_num_queries(14) as more:
        response = client.get(LIST_URL)
    # then
    assert len(response.context["page"]) == 11
    assert len(more.captured_queries) == len(few.captured_queries)


def test_an_alert_sent_twice_from_one_form_is_one_publication() -> None:
    # given the form as the coordinator received it
    client, _coordinator = signed_in(Role.COORDINATOR)
    submission = client.get(NEW_URL).context["form"]["submission"].value()
    alert = {
        "title_ru": "Отключение воды",
        "channels": [Channel.FEED],
        "submission": str(submission),
    }
    # when it is sent twice (a double click)
    first = client.post(NEW_URL, alert)
    second = client.post(NEW_URL, alert)
    # then both lead to the one publication
    publication = Publication.objects.get()
    assert first["Location"] == second["Location"] == detail_url(publication)
    # and a new form is a new alert
    client.post(
        NEW_URL,
        {**alert, "submission": str(client.get(NEW_URL).context["form"]["submission"].value())},
    )
    assert Publication.objects.count() == 2
