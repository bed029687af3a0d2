"""Error pages in the visitor's language and the site's shell; DEBUG is off unless asked for."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.template import loader
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
HOME_LINK = {
    "kk": "Басты бетке өту",
    "ru": "Перейти на главную страницу",
    "en": "Go to the home page",
}
TOO_MANY = "&".join(f"p{i}=1" for i in range(1_001))


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_form_without_its_csrf_token_gets_the_localized_403_page(lang: str) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/{lang}/appeals/ask/", {"kind": "question", "text": "Parks?", "region": "KZ-75"}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert f'<html lang="{lang}">' in page
    assert HOME_LINK[lang] in page
    assert 'class="site-header"' in page


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_request_django_refuses_gets_the_localized_400_page(lang: str) -> None:
    response = Client().get(f"/{lang}/appeals/faq/?{TOO_MANY}")
    assert response.status_code == 400
    page = response.content.decode()
    assert f'<html lang="{lang}">' in page
    assert HOME_LINK[lang] in page


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_404_page_is_localized(lang: str) -> None:
    response = Client().get(f"/{lang}/no-such-page/")
    assert response.status_code == 404
    assert f'<html lang="{lang}">' in response.content.decode()
    assert HOME_LINK[lang] in response.content.decode()


def test_1001_query_parameters_answer_400_also_with_the_debug_page() -> None:
    with override_settings(DEBUG=True):
        response = Client(raise_request_exception=False).get(f"/en/appeals/faq/?{TOO_MANY}")
    assert response.status_code == 400
    assert b"TooManyFieldsSent" in response.content


def test_the_500_page_renders_without_a_request() -> None:
    # It must not need the context processors, the database or the URL resolver to work.
    page = loader.get_template("500.html").render()
    assert "112" in page
    assert '<html lang="kk">' in page


def _dev_debug(**env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings.dev as s; print(s.DEBUG)"],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_dev_settings_have_debug_off_unless_debug_1_is_set() -> None:
    assert _dev_debug() == "False"
    assert _dev_debug(DEBUG="0") == "False"
    assert _dev_debug(DEBUG="1") == "True"
