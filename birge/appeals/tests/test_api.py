"""The intake API: contract, callers and their channel, idempotency per client, bad input."""

from typing import Any

import pytest
from django.core import mail
from django.core.cache import caches

from birge.api.tests.factories import api_client_with_key, bearer
from birge.appeals.models import Appeal, AppealEvent, RoutingRule
from birge.core.models import Region, Topic
from birge.core.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/appeals"


def body(**changes: Any) -> dict[str, Any]:
    return {
        "kind": "question",
        "text": "Can I travel from Almaty to Astana during the quarantine?",
        "topic": "travel-and-borders",
        "region": "KZ-75",
        "language": "ru",
        "contact_email": None,
        "contact_phone": None,
        "consent": False,
        **changes,
    }


def post(client: Any, data: dict[str, Any], key: str | None = None, **extra: Any) -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(URL, data, content_type="application/json", **headers, **extra)


def test_an_api_question_is_registered_and_routed_by_rule_after_commit(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given: a rule for the topic
    agency: Any = AgencyFactory()
    RoutingRule.objects.create(topic=Topic.objects.get(slug="travel-and-borders"), agency=agency)
    contact_centre, key = api_client_with_key()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, body(), **bearer(key))
    # then
    assert response.status_code == 201
    data = response.json()
    assert set(data) == {"tracking_code", "status", "tracking_url"}
    appeal = Appeal.objects.get(tracking_code=data["tracking_code"])
    assert appeal.channel == "call_centre"
    assert appeal.api_client == contact_centre
    assert data["tracking_url"].endswith(
        f"/ru/appeals/track/{appeal.tracking_code}/{appeal.tracking_token}/"
    )
    # routing ran in the task after commit (immediate backend in tests)
    assert appeal.agency == agency
    assert appeal.status == Appeal.Status.IN_PROGRESS
    assert list(appeal.events.values_list("kind", flat=True)) == ["registered", "routed"]


def test_the_same_idempotency_key_twice_creates_one_appeal_and_replays_the_response(
    client: Any,
) -> None:
    first = post(client, body(), key="call-77-0001")
    second = post(client, body(), key="call-77-0001")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Appeal.objects.get().idempotency_key == "call-77-0001"


def test_the_same_key_with_another_body_is_refused_with_422(client: Any) -> None:
    post(client, body(), key="call-77-0002")
    response = post(
        client,
        body(text="Another question entirely"),
        key="call-77-0002",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert response.json()["error"] == "idempotency_conflict"
    assert "different request body" in response.json()["message"]
    assert Appeal.objects.count() == 1


def test_oversized_text_is_refused_in_the_callers_language(client: Any) -> None:
    response = post(client, body(text="а" * 10_001), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert "10000" in response.json()["message"]
    assert Appeal.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"region": "KZ-99"}, "region"),
        ({"topic": "no-such-topic"}, "topic"),
        ({"text": "   "}, "text"),
        ({"kind": "appeal"}, "contact_email"),
        ({"kind": "appeal", "contact_email": "a@example.kz", "consent": False}, "consent"),
        ({"contact_email": "not-an-email", "consent": True}, "contact_email"),
    ],
)
def test_bad_input_answers_422_and_stores_nothing(
    client: Any, changes: dict[str, Any], field: str
) -> None:
    response = post(client, body(**changes), key="k-bad")
    assert response.status_code == 422
    assert field in {d["field"] for d in response.json()["details"]}
    assert Appeal.objects.count() == 0


def test_unknown_kind_is_a_422_not_a_500(client: Any) -> None:
    response = post(client, body(kind="petition"))
    assert response.status_code == 422


def test_status_by_tracking_code_shows_no_personal_data(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        created = post(
            client,
            body(
                kind="appeal",
                contact_email="aigul@example.kz",
                contact_phone="+77011234567",
                consent=True,
            ),
        ).json()
    response = client.get(f"{URL}/{created['tracking_code'].lower()}")
    assert response.status_code == 200
    data = response.json()
    assert data["tracking_code"] == created["tracking_code"]
    assert data["status"] == "triage"
    assert data["due_at"]
    text = response.content.decode()
    assert "aigul" not in text
    assert "7011234567" not in text
    assert "Almaty to Astana" not in text
    assert not mail.outbox


def test_unknown_tracking_code_is_404_json(client: Any) -> None:
    response = client.get(f"{URL}/ZZZZZ-ZZZZZ")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_registration_is_audited_without_personal_data(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from birge.core.models import AuditEntry

    with django_capture_on_commit_callbacks(execute=True):
        post(client, body(kind="appeal", contact_email="aigul@example.kz", consent=True))
    entry = AuditEntry.objects.get(action="appeals.appeal.submitted")
    assert "aigul" not in entry.summary
    assert AppealEvent.objects.filter(kind="triaged").count() == 1
    assert Region.objects.get(code="KZ-75").name_en


@pytest.fixture
def counters_in_memory(settings: Any) -> None:
    """Rate-limit counters outside the database, as with Redis in production.

    Without Redis the shared cache is a database table, and each request's count is a few
    statements of its own; the intake's own work is what these tests pin.
    """
    settings.CACHES = {
        **settings.CACHES,
        "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
    }
    caches["shared"].clear()


@pytest.mark.usefixtures("counters_in_memory")
def test_the_intake_is_one_insert(client: Any, django_assert_num_queries: Any) -> None:
    # the working-day calendar and the region and topic tables are cached after first use
    post(client, body(), key="warm-up")
    # in a test the INSERT runs inside the test's transaction, so it gets a savepoint around it;
    # in production it is the single statement (routing, history and audit follow in a task)
    with django_assert_num_queries(3) as queries:
        response = post(client, body(text="Another question"), key="measured")
    assert response.status_code == 201
    statements = [query["sql"] for query in queries.captured_queries]
    assert sum(sql.startswith("INSERT") for sql in statements) == 1
    assert 'INSERT INTO "appeals_appeal"' in next(s for s in statements if s.startswith("INSERT"))


def test_an_anonymous_caller_is_the_web_channel_whatever_the_body_says(client: Any) -> None:
    response = post(client, body(channel="call_centre"))
    assert response.status_code == 201
    appeal = Appeal.objects.get()
    assert appeal.channel == Appeal.Channel.WEB
    assert appeal.api_client is None


def test_the_channel_is_the_clients_not_the_bodys(client: Any) -> None:
    bot, key = api_client_with_key("Telegram bot", channel="telegram")
    response = post(client, body(channel="call_centre"), **bearer(key))
    assert response.status_code == 201
    appeal = Appeal.objects.get()
    assert (appeal.channel, appeal.api_client) == ("telegram", bot)


def test_two_clients_with_one_key_and_body_get_two_appeals_each_its_own_link(client: Any) -> None:
    # given: two clients who happen to number their requests alike
    _, centre_key = api_client_with_key("Contact centre 109")
    _, bot_key = api_client_with_key("Telegram bot", channel="telegram")
    # when
    first = post(client, body(), key="1", **bearer(centre_key))
    second = post(client, body(), key="1", **bearer(bot_key))
    # then
    assert first.status_code == second.status_code == 201
    assert first.json()["tracking_url"] != second.json()["tracking_url"]
    assert Appeal.objects.count() == 2
    # and each client's retry replays its own appeal
    assert post(client, body(), key="1", **bearer(centre_key)).json() == first.json()
    assert post(client, body(), key="1", **bearer(bot_key)).json() == second.json()
    assert Appeal.objects.count() == 2


def test_an_anonymous_key_replayed_from_another_address_does_not_reveal_the_link(
    client: Any,
) -> None:
    first = post(client, body(), key="web-1", REMOTE_ADDR="10.0.0.1")
    again = post(client, body(), key="web-1", REMOTE_ADDR="10.0.0.1")
    elsewhere = post(client, body(), key="web-1", REMOTE_ADDR="10.0.0.2")
    assert again.json() == first.json()
    assert elsewhere.status_code == 422
    assert elsewhere.json()["error"] == "idempotency_conflict"
    assert first.json()["tracking_url"] not in elsewhere.content.decode()
    assert Appeal.objects.count() == 1


def test_the_21st_anonymous_post_in_a_minute_from_one_address_is_refused(client: Any) -> None:
    statuses = [
        post(client, body(text=f"Question {n}"), REMOTE_ADDR="10.0.1.1").status_code
        for n in range(21)
    ]
    assert statuses == [201] * 20 + [429]
    refused = post(client, body(), REMOTE_ADDR="10.0.1.1", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert refused.json()["error"] == "rate_limited"
    assert "Too many requests" in refused.json()["message"]
    # another address is counted on its own
    assert post(client, body(), REMOTE_ADDR="10.0.1.2").status_code == 201
    assert Appeal.objects.count() == 21


def test_anonymous_status_reads_are_limited_per_address(client: Any, settings: Any) -> None:
    settings.BIRGE_API_ANONYMOUS_STATUS_PER_MINUTE = 2
    code = post(client, body()).json()["tracking_code"]
    statuses = [client.get(f"{URL}/{code}", REMOTE_ADDR="10.0.2.1").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client.get(f"{URL}/{code}", REMOTE_ADDR="10.0.2.2").status_code == 200


def test_a_client_may_read_a_status_only_with_the_read_scope(client: Any) -> None:
    code = post(client, body()).json()["tracking_code"]
    _, reader = api_client_with_key("Reader", scopes=["appeals.read"])
    _, submitter = api_client_with_key("Submitter", scopes=["appeals.submit"])
    assert client.get(f"{URL}/{code}", **bearer(reader)).status_code == 200
    refused = client.get(f"{URL}/{code}", **bearer(submitter))
    assert refused.status_code == 403
    assert refused.json()["error"] == "forbidden"


@pytest.mark.usefixtures("counters_in_memory")
def test_a_client_intake_stays_one_insert(client: Any, django_assert_num_queries: Any) -> None:
    _, key = api_client_with_key()
    # the client is looked up once, then kept in the cache by the key's hash
    post(client, body(), key="warm-up", **bearer(key))
    with django_assert_num_queries(3):
        response = post(client, body(text="Another question"), key="measured", **bearer(key))
    assert response.status_code == 201
