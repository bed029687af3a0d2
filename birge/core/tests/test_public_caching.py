"""Anonymous pages leave without cookies and may be cached; nothing personal may be (ADR 0015)."""

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from csp.constants import NONCE, SELF
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import path

from birge.core.middleware import PublicCacheMiddleware, public_page_store_clear
from birge.core.models import StaffRole

from .factories import staff_member

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/kk/", "/kk/claims/", "/kk/stats/", "/kk/appeals/faq/"]
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def directives(response: Any) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.fixture
def process_copy(settings: Any) -> Iterator[None]:
    """The per-process page copy switched on (the test settings keep it off)."""
    settings.BIRGE_PUBLIC_PROCESS_CACHE_SECONDS = 60
    public_page_store_clear()
    yield
    public_page_store_clear()


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_an_anonymous_visit_sets_no_cookie_and_opens_no_session(client: Client, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 200
    assert not response.cookies
    assert not Session.objects.exists()


@pytest.mark.parametrize("url", ["/kk/", "/kk/claims/", "/ru/appeals/faq/", "/en/regions/"])
def test_an_anonymous_page_is_public_for_shared_caches_with_an_etag(
    client: Client, url: str
) -> None:
    response = client.get(url)

    assert directives(response) == {"public", "max-age=0", "s-maxage=1"}
    assert response["ETag"].startswith('"')
    # The language is in the address: nothing else the request carries changes the page.
    assert not response.has_header("Vary")


def test_a_repeat_with_the_etag_is_answered_304_without_a_body(client: Client) -> None:
    etag = client.get("/kk/claims/")["ETag"]

    again = client.get("/kk/claims/", headers={"if-none-match": etag})

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert "public" in directives(again)


def test_the_etag_follows_the_content(client: Client) -> None:
    kazakh, russian = client.get("/kk/claims/")["ETag"], client.get("/ru/claims/")["ETag"]

    assert kazakh != russian
    assert client.get("/ru/claims/", headers={"if-none-match": kazakh}).status_code == 200


def test_a_signed_in_member_sees_public_pages_privately(client: Client) -> None:
    client.force_login(staff_member(StaffRole.Role.COORDINATOR))

    response = client.get("/kk/claims/")

    assert response.status_code == 200
    assert "public" not in directives(response)
    assert "private" in directives(response)


def test_the_ask_form_sets_its_csrf_cookie_stays_private_and_accepts_its_post() -> None:
    client = Client(enforce_csrf_checks=True)
    form = client.get("/en/appeals/ask/")
    assert "csrftoken" in form.cookies
    assert "public" not in directives(form)
    assert {"private", "no-store"} <= directives(form)
    token = CSRF_TOKEN.search(form.content.decode())
    assert token is not None

    checked = client.post(
        "/en/appeals/ask/",
        {
            "csrfmiddlewaretoken": token.group(1),
            "action": "similar",
            "kind": "question",
            "text": "Are the parks open in Almaty?",
            "region": "KZ-75",
            "consent": "on",
        },
    )

    assert checked.status_code == 200
    assert "No similar answered questions yet." in checked.content.decode()


def test_the_rumour_check_form_carries_its_csrf_cookie_and_is_not_public() -> None:
    client = Client(enforce_csrf_checks=True)
    form = client.get("/en/claims/check/")
    assert "csrftoken" in form.cookies
    assert "public" not in directives(form)
    token = CSRF_TOKEN.search(form.content.decode())
    assert token is not None

    checked = client.post(
        "/en/claims/check/", {"csrfmiddlewaretoken": token.group(1), "text": "5G spreads it"}
    )

    assert checked.status_code == 200


def test_the_switcher_remembers_the_language_and_goes_to_the_same_page(client: Client) -> None:
    response = client.get("/language/ru/", {"next": "/kk/claims/"})

    assert response.status_code == 302
    assert response["Location"] == "/ru/claims/"
    cookie = response.cookies["birge_language"]
    assert cookie.value == "ru"
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert "no-store" in directives(response)
    assert client.get("/")["Location"] == "/ru/"


def test_the_switcher_keeps_a_page_already_in_the_chosen_language(client: Client) -> None:
    response = client.get("/language/en/", {"next": "/en/regions/?page=2"})

    assert response["Location"] == "/en/regions/?page=2"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/ru/",
        "//evil.example/ru/",
        "https:/\\evil.example/ru/",
        "javascript:alert(1)",
        "",
    ],
)
def test_the_switcher_never_leaves_the_site(client: Client, next_url: str) -> None:
    response = client.get("/language/ru/", {"next": next_url})

    assert response.status_code == 302
    assert response["Location"] == "/ru/"
    assert response.cookies["birge_language"].value == "ru"


def test_an_unknown_language_is_not_found_and_sets_nothing(client: Client) -> None:
    response = client.get("/language/xx/", {"next": "/kk/"}, follow=True)

    assert response.status_code == 404
    assert "birge_language" not in client.cookies


def test_each_process_serves_its_copy_of_a_page_without_rendering_it_again(
    client: Client, process_copy: None, django_assert_num_queries: Any
) -> None:
    first = client.get("/en/regions/")

    with django_assert_num_queries(0):
        again = client.get("/en/regions/")
        revalidated = client.get("/en/regions/", headers={"if-none-match": first["ETag"]})

    assert again.content == first.content
    assert dict(again.items()) == dict(first.items())
    assert revalidated.status_code == 304


def test_a_signed_in_member_is_never_served_the_anonymous_copy(
    client: Client, process_copy: None
) -> None:
    client.get("/kk/claims/")
    client.force_login(staff_member(StaffRole.Role.COORDINATOR))

    response = client.get("/kk/claims/")

    assert "private" in directives(response)


def test_an_expired_copy_is_rendered_once_while_other_visitors_get_the_old_one(
    settings: Any, rf: RequestFactory
) -> None:
    # given: a page kept for a moment only
    settings.BIRGE_PUBLIC_PROCESS_CACHE_SECONDS = 0.05
    public_page_store_clear()
    renders: list[HttpRequest] = []
    meanwhile: list[Any] = []

    def view(request: HttpRequest) -> HttpResponse:
        renders.append(request)
        if len(renders) == 2:
            # another visitor asks while the expired page is being rendered again
            meanwhile.append(middleware(rf.get("/en/page/")))
        return HttpResponse(f"version {len(renders)}")

    middleware = PublicCacheMiddleware(view)
    middleware(rf.get("/en/page/"))
    time.sleep(0.1)

    # when
    renewed = middleware(rf.get("/en/page/"))
    after = middleware(rf.get("/en/page/"))

    # then
    assert [response.content for response in meanwhile] == [b"version 1"]
    assert renewed.content == after.content == b"version 2"
    assert len(renders) == 2
    public_page_store_clear()


def nonce_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f'<script nonce="{request.csp_nonce}"></script>')


urlpatterns = [path("nonce/", nonce_page)]


@pytest.mark.urls(__name__)
def test_a_page_whose_scripts_rely_on_a_nonce_is_not_shared(client: Client, settings: Any) -> None:
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": [SELF, NONCE]}}

    response = client.get("/nonce/")

    assert "'nonce-" in response["Content-Security-Policy"]
    assert "public" not in directives(response)
    assert not response.has_header("ETag")
