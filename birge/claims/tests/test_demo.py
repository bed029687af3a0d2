"""The demo registry: trilingual, tied to the demo agencies, loaded idempotently."""

import pytest

from birge.claims.demo import DEMO_CLAIMS, claims_demo_load
from birge.claims.models import Claim, ClaimTranslation, RumourReport
from birge.core.demo import demo_load

pytestmark = pytest.mark.django_db


def test_the_demo_claims_load_once_in_three_languages_with_their_agencies() -> None:
    # the platform's demo loads the claims with everything else
    demo_load()
    assert Claim.objects.count() == len(DEMO_CLAIMS)
    reports = RumourReport.objects.count()
    assert claims_demo_load() == 0
    assert Claim.objects.published().count() == len(DEMO_CLAIMS)
    assert RumourReport.objects.count() == reports
    for claim in Claim.objects.all():
        assert claim.agency is not None, claim
        assert claim.topic is not None, claim
        languages = set(
            ClaimTranslation.objects.filter(claim=claim)
            .exclude(explanation="")
            .values_list("language", flat=True)
        )
        assert languages == {"kk", "ru", "en"}, claim
