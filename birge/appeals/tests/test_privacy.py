"""Personal data stays out of addresses and caches: the similar-questions check sends only the
text, and the ask, track and lookup pages are never stored by a cache."""

import re
from typing import Any

import pytest
from django.utils.cache import get_max_age

from birge.appeals.models import Appeal

from .factories import AppealFactory

pytestmark = pytest.mark.django_db

ASK = "/en/appeals/ask/"


def cache_directives(response: Any) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


def test_the_no_javascript_check_posts_the_form_instead_of_putting_it_in_the_address(
    client: Any,
) -> None:
    page = client.get(ASK).content.decode()
    button = re.search(r"<button[^>]*>Check for similar questions</button>", page)
    assert button is not None
    assert 'formmethod="get"' not in button.group()
    assert 'name="action" value="similar"' in button.group()
    # the form's own method is POST; a check uploads no attachment
    assert re.search(r'<form method="post"[^>]*class="stacked appeal-form"', page)
    assert 'formenctype="application/x-www-form-urlencoded"' in button.group()


def test_the_no_javascript_check_keeps_what_was_typed_and_submits_nothing(client: Any) -> None:
    response = client.post(
        ASK,
        {
            "action": "similar",
            "kind": "question",
            "text": "Are the parks open in Almaty?",
            "region": "KZ-75",
            "contact_name": "Aigul",
            "contact_email": "aigul@example.kz",
            "contact_phone": "+7 701 123 4567",
            "consent": "on",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Are the parks open in Almaty?</textarea>" in page
    assert 'value="aigul@example.kz"' in page
    assert "No similar answered questions yet." in page
    assert "error-summary" not in page
    assert Appeal.objects.count() == 0


def test_checking_does_not_use_up_the_ask_limit(client: Any) -> None:
    for _ in range(12):
        client.post(ASK, {"action": "similar", "text": "Are the parks open?"})
    response = client.post(ASK, {"kind": "question", "text": "Parks?", "region": "KZ-75"})
    assert response.status_code == 302


def test_the_htmx_request_sends_only_the_text(client: Any) -> None:
    page = client.get(ASK).content.decode()
    textarea = re.search(r'<textarea name="text"[^>]*>', page)
    assert textarea is not None
    assert 'hx-get="/en/appeals/ask/similar/"' in textarea.group()
    assert 'hx-params="text"' in textarea.group()
    assert "hx-include" not in page


@pytest.mark.parametrize("page", ["ask", "similar", "track", "lookup"])
def test_pages_with_personal_data_are_private_and_not_stored(
    client: Any, agency: Any, page: str
) -> None:
    appeal = AppealFactory(agency=agency, contact_email="aigul@example.kz", consent=True)
    url = {
        "ask": ASK,
        "similar": "/en/appeals/ask/similar/?text=parks+in+Almaty",
        "track": f"/en/appeals/track/{appeal.tracking_code}/{appeal.tracking_token}/",
        "lookup": f"/en/appeals/track/?code={appeal.tracking_code}",
    }[page]
    response = client.get(url)
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_directives(response)
    assert "public" not in cache_directives(response)
    assert not get_max_age(response)


def test_a_refused_submission_is_not_stored_either(client: Any) -> None:
    response = client.post(ASK, {"kind": "appeal", "text": "Parks?", "region": "KZ-75"})
    assert response.status_code == 400
    assert {"private", "no-store"} <= cache_directives(response)
