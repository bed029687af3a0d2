import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils import translation

from birge.core.ratelimit import RateLimit, rate_limit_hit, rate_limited

RULE = RateLimit(scope="test-form", limit=3, window_seconds=600)


def test_the_limit_counts_per_client() -> None:
    factory = RequestFactory()
    first = factory.post("/", REMOTE_ADDR="10.0.0.1")
    second = factory.post("/", REMOTE_ADDR="10.0.0.2")
    assert [rate_limit_hit(RULE, first) for _ in range(4)] == [False, False, False, True]
    assert rate_limit_hit(RULE, second) is False


@pytest.mark.django_db
def test_a_form_over_the_limit_gets_a_429_in_the_visitors_language() -> None:
    @rate_limited(RULE)
    def form_view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("accepted")

    factory = RequestFactory()
    with translation.override("ru"):
        responses = [form_view(factory.post("/", REMOTE_ADDR="10.0.0.3")) for _ in range(4)]
        # reading the form is never limited
        assert form_view(factory.get("/", REMOTE_ADDR="10.0.0.3")).status_code == 200
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert responses[-1]["Retry-After"] == "600"
    assert "Слишком много попыток" in responses[-1].content.decode()
