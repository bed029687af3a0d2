"""What a citizen does in a browser: paste a forwarded message and read the verdict."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from birge.claims.demo import claims_demo_load
from birge.claims.models import Claim
from birge.conftest import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_citizen_pastes_a_forwarded_message_and_sees_the_checked_claim(
    live_server: Any, page: Page
) -> None:
    claims_demo_load()
    garlic = Claim.objects.get(wording__startswith="Чеснок защищает")
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))

    page.goto(f"{live_server.url}/kk/claims/")
    expect(page.locator("[data-claim-id]")).to_have_count(Claim.objects.count())
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/kk/claims/check/")
    assert axe_violations(page) == []
    page.locator("textarea[name=text]").fill(
        "Переслано от Мама\n🧄 Чеснок лечит коронавирус!!! 🧄 https://bit.ly/3xYz"
    )
    page.locator("form.check-form button[type=submit]").click()
    first = page.locator("#check-result [data-claim-id]").first
    expect(first).to_have_attribute("data-claim-id", str(garlic.pk))
    expect(first).to_contain_text("Сарымсақ")  # answered in the page's language, Kazakh
    assert axe_violations(page) == []

    first.get_by_role("link").click()
    expect(page).to_have_url(f"{live_server.url}/kk/claims/{garlic.pk}/")
    assert page.locator('script[type="application/ld+json"]').count() == 1
    assert axe_violations(page) == []
    # The JSON-LD block is data, not a script: the policy has nothing to block, on any page.
    assert not [text for text in console if "Content Security" in text]
