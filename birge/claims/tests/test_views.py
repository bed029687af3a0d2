"""Public pages: the list and its filters, a claim with ClaimReview, check a rumour."""

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from birge.claims.models import Claim, RumourReport, Verdict

from .factories import EvidenceFactory, published_claim

pytestmark = pytest.mark.django_db


def ids_on(response: Any) -> set[int]:
    return {int(i) for i in re.findall(r'data-claim-id="(\d+)"', response.content.decode())}


def test_the_list_shows_published_claims_and_filters_them(
    client: Client, registry: dict[str, Claim]
) -> None:
    draft = Claim.objects.create(wording="Not yet checked", language="en")
    everything = ids_on(client.get("/en/claims/"))
    assert everything == {c.pk for c in registry.values()}
    assert draft.pk not in everything
    assert ids_on(client.get("/en/claims/?verdict=true")) == {registry["cities-closed"].pk}
    assert ids_on(client.get("/en/claims/?topic=vaccination")) == {
        registry["vaccine-microchips"].pk
    }
    english_only = published_claim(translations={"en": ("Only English", "Only.")})
    assert english_only.pk not in ids_on(client.get("/en/claims/?language=kk"))
    assert english_only.pk in ids_on(client.get("/en/claims/?language=en"))
    # an unknown filter value is ignored, not an error
    assert client.get("/en/claims/?verdict=bogus&topic=nope&page=x").status_code == 200


def test_the_list_takes_a_fixed_number_of_queries(
    client: Client, registry: dict[str, Claim], django_assert_num_queries: Any
) -> None:
    client.get("/kk/claims/")  # warm the emergency-numbers cache
    for n in range(25):
        published_claim(translations={"en": (f"Extra claim {n}", "x"), "ru": (f"Доп {n}", "x")})
    with django_assert_num_queries(4):  # count, topics (filter), claims, translations
        response = client.get("/kk/claims/")
    assert len(ids_on(response)) == 20


def test_a_claim_page_carries_a_complete_claimreview(client: Client) -> None:
    claim = published_claim(
        translations={
            "ru": ("Вышки 5G распространяют коронавирус.", "Вирусы не передаются по радиоволнам."),
            "en": ("5G towers spread the coronavirus.", "Viruses do not travel on radio waves."),
        },
        appearances=["https://www.facebook.com/example/posts/1"],
    )
    EvidenceFactory(claim=claim)
    response = client.get(f"/ru/claims/{claim.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block is not None
    review = json.loads(block.group(1))
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "Вышки 5G распространяют коронавирус."
    assert review["url"].endswith(f"/ru/claims/{claim.pk}/")
    assert review["datePublished"] == claim.published_at.date().isoformat()  # type: ignore[union-attr]
    assert review["author"]["@type"] == "Organization"
    assert review["author"]["name"]
    rating = review["reviewRating"]
    assert (rating["ratingValue"], rating["bestRating"], rating["worstRating"]) == (1, 5, 1)
    with translation.override("ru"):
        assert rating["alternateName"] == str(Verdict.FALSE.label)
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["datePublished"] == "2020-03-20"
    assert item["appearance"] == [
        {"@type": "CreativeWork", "url": "https://www.facebook.com/example/posts/1"}
    ]
    assert item["firstAppearance"]["url"] == "https://www.facebook.com/example/posts/1"
    assert "Вирусы не передаются по радиоволнам." in html
    assert "https://www.coronavirus2020.kz/" in html
    assert 'id="language-fallback"' not in html


def test_a_missing_translation_falls_back_with_a_notice(client: Client) -> None:
    claim = published_claim(translations={"ru": ("Только по-русски", "Пояснение.")})
    html = client.get(f"/en/claims/{claim.pk}/").content.decode()
    assert 'id="language-fallback"' in html
    assert "Пояснение." in html


def test_an_unpublished_claim_is_not_found(client: Client) -> None:
    claim = Claim.objects.create(wording="Draft", language="en")
    assert client.get(f"/en/claims/{claim.pk}/").status_code == 404


def test_the_check_page_works_without_javascript(
    client: Client, registry: dict[str, Claim]
) -> None:
    assert client.get("/en/claims/check/").status_code == 200
    response = client.post(
        "/en/claims/check/",
        {"text": "Forwarded from News\n5G towers spread the virus!!! 📡 https://t.me/x/1"},
    )
    assert response.status_code == 200
    assert next(iter(ids_on(response))) == registry["5g"].pk
    # the answer is in the page's language
    assert "Viruses cannot travel on radio waves" in response.content.decode()


def test_the_check_page_files_a_report_with_the_region(
    client: Client, registry: dict[str, Claim]
) -> None:
    text = "В Караганде раздают бесплатные маски в каждом акимате"
    response = client.post("/en/claims/check/", {"text": text, "region": "KZ-35"})
    report = RumourReport.objects.get(text=text)
    assert f'id="report-reference">{report.reference}<' in response.content.decode()
    client.post("/en/claims/check/", {"text": text + "!!", "region": "KZ-75"})
    report.refresh_from_db()
    assert report.count == 2
    assert set(report.submissions.values_list("region__code", flat=True)) == {"KZ-35", "KZ-75"}


def test_the_check_page_refuses_empty_text_clearly(client: Client) -> None:
    response = client.post("/en/claims/check/", {"text": "   "})
    assert response.status_code == 422
    assert "Write or paste the message to check." in response.content.decode()
    response = client.post("/en/claims/check/", {"text": "x" * 6000})
    assert response.status_code == 422


def test_the_check_page_is_rate_limited(client: Client, registry: dict[str, Claim]) -> None:
    statuses = [client.post("/en/claims/check/", {"text": "garlic"}).status_code for _ in range(21)]
    assert statuses[-1] == 429
    assert set(statuses[:-1]) == {200}


def test_a_citizen_sends_a_message_on_when_only_related_claims_were_suggested(
    client: Client, registry: dict[str, Claim]
) -> None:
    text = "Карантин продлили до сентября по указу?"
    response = client.post("/en/claims/check/", {"text": text, "region": "KZ-71"})
    html = response.content.decode()
    assert 'data-match="maybe_related"' in html
    assert 'name="send" value="1"' in html
    assert not RumourReport.objects.filter(text=text).exists()
    response = client.post("/en/claims/check/", {"text": text, "region": "KZ-71", "send": "1"})
    report = RumourReport.objects.get(text=text)
    assert report.reference in response.content.decode()
    assert report.submissions.get().region.code == "KZ-71"  # type: ignore[union-attr]
