from datetime import date
from typing import Any

import factory
from django.utils import timezone

from birge.claims.matching import claim_index
from birge.claims.models import Claim, ClaimTranslation, Evidence, Verdict


class ClaimFactory(factory.django.DjangoModelFactory[Claim]):
    class Meta:
        model = Claim
        skip_postgeneration_save = True

    wording = "Garlic cures the coronavirus."
    language = "en"
    first_seen = date(2020, 3, 20)
    channels = factory.LazyFunction(lambda: ["whatsapp"])
    verdict = Verdict.FALSE


def published_claim(
    *, translations: dict[str, tuple[str, str]], verdict: str = "false", **fields: Any
) -> Claim:
    """A published claim with translations {language: (wording, explanation)}, indexed."""
    fields.setdefault("wording", next(iter(translations.values()))[0])
    fields.setdefault("language", next(iter(translations)))
    claim: Claim = ClaimFactory(  # type: ignore[assignment]
        verdict=verdict,
        status=Claim.Status.PUBLISHED,
        published_at=timezone.now(),
        **fields,
    )
    for language, (wording, explanation) in translations.items():
        ClaimTranslation.objects.create(
            claim=claim, language=language, wording=wording, explanation=explanation
        )
    claim_index(claim)
    return claim


class EvidenceFactory(factory.django.DjangoModelFactory[Evidence]):
    class Meta:
        model = Evidence

    title = "coronavirus2020.kz"
    url = "https://www.coronavirus2020.kz/"
    kind = Evidence.Kind.LINK
