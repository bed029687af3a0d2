"""The public shell: three languages, remembered choice, emergency numbers, no JavaScript needed."""

import re

import pytest
from django.test import Client

from birge.core.models import EmergencyContact

pytestmark = pytest.mark.django_db

HTML_LANG = re.compile(r'<html lang="([a-z]{2})">')


@pytest.mark.parametrize(
    ("language", "skip_link"),
    [
        ("kk", "Негізгі мазмұнға өту"),
        ("ru", "Перейти к основному содержанию"),
        ("en", "Skip to main content"),
    ],
)
def test_home_answers_in_each_language(client: Client, language: str, skip_link: str) -> None:
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    html = response.content.decode()
    match = HTML_LANG.search(html)
    assert match is not None
    assert match.group(1) == language
    assert skip_link in html
    assert '<main id="main"' in html


def test_kazakh_is_the_default(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/kk/"


def test_the_language_chosen_in_the_switcher_is_remembered(client: Client) -> None:
    # when: the visitor opens a Russian page, then picks English in the switcher
    client.get("/ru/regions/")
    assert client.get("/")["Location"] == "/kk/"
    client.get("/language/en/", {"next": "/ru/regions/"})
    # then: the bare address brings them back to English
    assert client.get("/")["Location"] == "/en/"


def test_the_browser_language_is_used_until_one_is_chosen(client: Client) -> None:
    response = client.get("/", headers={"accept-language": "ru-RU,ru;q=0.9"})
    assert response["Location"] == "/ru/"


def test_the_switcher_links_to_the_same_page_in_each_language(client: Client) -> None:
    html = client.get("/en/regions/").content.decode()
    for code in ("kk", "ru", "en"):
        link = (
            f'href="/language/{code}/?next=%2F{code}%2Fregions%2F" lang="{code}" hreflang="{code}"'
        )
        assert link in html
        assert f'<link rel="alternate" hreflang="{code}" href="/{code}/regions/">' in html
    assert 'hreflang="en" aria-current="true"' in html


def test_emergency_numbers_are_in_every_header(client: Client) -> None:
    EmergencyContact.objects.create(
        number="112", name_kk="Құтқару қызметі", name_ru="Служба спасения", name_en="Rescue"
    )
    assert 'href="tel:112"' in client.get("/en/agencies/").content.decode()
    assert "Служба спасения" in client.get("/ru/").content.decode()


def test_regions_page_lists_twenty_units_and_the_country(client: Client) -> None:
    html = client.get("/en/regions/").content.decode()
    assert len(re.findall(r"<code>KZ", html)) == 21
    assert "Shymkent" in html


def test_an_unknown_region_filter_is_a_404_in_the_shell(client: Client) -> None:
    response = client.get("/kk/agencies/?region=XX-00")
    assert response.status_code == 404


def test_unknown_pages_answer_404_in_the_visitors_language(client: Client) -> None:
    response = client.get("/ru/no-such-page/")
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


def test_pages_carry_a_strict_content_security_policy(client: Client) -> None:
    policy = client.get("/kk/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy


def test_the_api_documentation_is_served_without_third_party_hosts(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Birge API"
    docs = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in docs
    assert "cdn." not in docs


def test_pages_without_htmx_do_not_download_it(client: Client) -> None:
    assert "htmx.min.js" not in client.get("/kk/").content.decode()
    ask = client.get("/kk/appeals/ask/").content.decode()
    assert "htmx.min.js" in ask
    assert '"includeIndicatorStyles": false' in ask
