import pytest

from birge.appeals.demo import DEMO_QUESTIONS, appeals_demo_load
from birge.appeals.models import Appeal, FaqEntry, RoutingRule
from birge.core.demo import demo_load

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_and_shows_every_stage() -> None:
    # the platform's demo loads the appeals with everything else, once
    demo_load()
    assert Appeal.objects.count() == len(DEMO_QUESTIONS)
    assert appeals_demo_load() == 0
    assert RoutingRule.objects.count() == 4
    statuses = set(Appeal.objects.values_list("status", flat=True))
    assert {"answered", "in_progress", "triage"} <= statuses
    for language in ("kk", "ru", "en"):
        assert FaqEntry.objects.filter(language=language).count() == 1
