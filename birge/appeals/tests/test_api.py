"""The intake API: contract, idempotency, bad input."""

from typing import Any

import pytest
from django.core import mail

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
        "channel": "call_centre",
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
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, body())
    # then
    assert response.status_code == 201
    data = response.json()
    assert set(data) == {"tracking_code", "status", "tracking_url"}
    appeal = Appeal.objects.get(tracking_code=data["tracking_code"])
    assert appeal.channel == "call_centre"
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
