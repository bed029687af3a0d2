"""The portal in a phone's browser: reading, sharing, offline, and accessibility."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import Page, Route, expect

from birge.conftest import axe_violations

from ..models import (
    BriefingPage,
    GuidancePage,
    MeasurePage,
    OfficialDocumentPage,
    SpendingLine,
    TransparencyReportPage,
)
from .factories import statement_published

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _portal(reference_data: None) -> dict[str, Any]:
    article = statement_published(
        title="Карантин кезіндегі ережелер",
        body="<p>Үйде болыңыз.</p><h2>Маска</h2><p>Қоғамдық орында маска киіңіз.</p>",
        slug="rules",
    )
    guidance = statement_published(
        GuidancePage, title="Белгілері", kind="symptoms", body="<p>Қызба, жөтел.</p>", slug="signs"
    )
    measure = statement_published(
        MeasurePage,
        title="Әлеуметтік төлем",
        audience="citizens",
        eligibility="<p>Табысынан айырылғандар.</p>",
        how_to_apply="<p>eGov арқылы.</p>",
        slug="payment",
    )
    document = statement_published(
        OfficialDocumentPage,
        title="Жарлық",
        number="285",
        signed_on=timezone.localdate(),
        file=ContentFile(PDF, name="decree.pdf"),
        slug="decree",
    )
    report = statement_published(
        TransparencyReportPage,
        title="Шығыстар",
        period="2020",
        total=Decimal("100.00"),
        slug="spend",
    )
    SpendingLine.objects.create(page=report, label="Бейнероликтер", amount=Decimal("100.00"))
    briefing = statement_published(
        BriefingPage,
        title="Брифинг",
        starts_at=timezone.now() + timedelta(days=1),
        speakers="Министр",
        slug="briefing",
    )
    return {
        "article": article,
        "guidance": guidance,
        "measure": measure,
        "document": document,
        "report": report,
        "briefing": briefing,
    }


def test_every_portal_page_has_no_accessibility_violations(
    live_server: Any, page: Page, reference_data: None
) -> None:
    pages = _portal(reference_data)
    paths = ["/kk/", "/kk/news/", "/kk/search/?q=маска", *[item.url for item in pages.values()]]
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path


def test_a_reader_on_a_phone_reads_an_article_and_shares_it(
    live_server: Any, page: Page, reference_data: None
) -> None:
    article = _portal(reference_data)["article"]
    shared: list[str] = []

    def telegram(route: Route) -> None:
        # Nothing leaves the machine: the share link's target is answered here.
        shared.append(route.request.url)
        route.fulfill(status=200, body="ok", content_type="text/plain")

    page.route("https://t.me/**", telegram)
    page.goto(f"{live_server.url}/kk/")
    page.get_by_role("link", name="Карантин кезіндегі ережелер").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Карантин кезіндегі ережелер")
    # The text fits the phone's screen: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("link", name="Telegram").click()
    assert shared
    assert article.url.replace("/", "%2F") in shared[0]


def test_guidance_stays_readable_offline_after_one_visit(
    live_server: Any, page: Page, reference_data: None
) -> None:
    guidance = _portal(reference_data)["guidance"]
    url = f"{live_server.url}{guidance.url}"
    page.goto(url)
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    # The first visit installs the worker; the second is the one it keeps.
    page.reload()
    page.wait_for_timeout(300)
    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Белгілері")
    page.context.set_offline(False)
