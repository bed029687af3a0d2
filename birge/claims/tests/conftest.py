from typing import Any

import pytest

from birge.claims.demo import DEMO_CLAIMS, claims_demo_load
from birge.claims.models import Claim


@pytest.fixture
def registry(db: Any) -> dict[str, Claim]:
    """The demo registry (eleven published claims in kk/ru/en), by demo key."""
    claims_demo_load()
    return {
        demo.key: Claim.objects.get(wording=demo.texts[demo.language][0]) for demo in DEMO_CLAIMS
    }
