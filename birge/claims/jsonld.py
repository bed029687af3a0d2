"""The ClaimReview structured data (schema.org) a claim's public page carries."""

import json
from typing import Any

from django.conf import settings
from django.utils.translation import get_language

from .models import Claim

# json.dumps leaves these as they are; inside <script> they could end the element.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def claim_review(*, claim: Claim, url: str) -> dict[str, Any]:
    """ClaimReview for the claim in the active language: the reviewed wording, the rating
    (1 false .. 5 true) with its name, the refuting organisation, dates, where it appeared."""
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    row = claim.translation_in(language)
    item: dict[str, Any] = {"@type": "Claim"}
    if claim.first_seen:
        item["datePublished"] = claim.first_seen.isoformat()
    if claim.appearances:
        item["appearance"] = [{"@type": "CreativeWork", "url": u} for u in claim.appearances]
        item["firstAppearance"] = {"@type": "CreativeWork", "url": claim.appearances[0]}
    author: dict[str, Any] = {"@type": "Organization", "name": settings.BIRGE_SITE_NAME}
    if claim.agency is not None:
        author = {"@type": "Organization", "name": claim.agency.name_in(language)}
        if claim.agency.website:
            author["url"] = claim.agency.website
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "inLanguage": language,
        "claimReviewed": row.wording if row else claim.wording,
        "author": author,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": claim.rating,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": str(claim.get_verdict_display()),
        },
        "itemReviewed": item,
    }
    if claim.published_at:
        review["datePublished"] = claim.published_at.date().isoformat()
    if claim.updated_at:
        review["dateModified"] = claim.updated_at.date().isoformat()
    return review


def script_json(data: dict[str, Any]) -> str:
    """JSON safe to place between <script> tags."""
    return json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
