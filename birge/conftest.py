"""Fixtures shared by every app's tests."""

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache, caches
from playwright.sync_api import Browser, Page, sync_playwright

from birge.core.selectors import reference_cache_clear


@pytest.fixture(autouse=True)
def _clear_cache(request: pytest.FixtureRequest, django_db_blocker: Any) -> Any:
    cache.clear()
    reference_cache_clear()
    yield
    cache.clear()
    # Without Redis the shared cache is a table: a rolled-back test leaves nothing in it, but
    # the flush after a transactional test empties only the models' tables.
    marker = request.node.get_closest_marker("django_db")
    if {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction")
    ):
        with django_db_blocker.unblock():
            caches["shared"].clear()


@pytest.fixture
def reference_data(transactional_db: Any) -> None:
    """Regions, topics and the portal's tree for tests that run with a flushed database.

    In this suite `serialized_rollback` restores the migrations' reference rows for the first
    transactional test only (seen on SQLite and PostgreSQL); later ones start empty, so a
    transactional test that needs regions loads them itself.
    """
    from birge.core.models import Region, RegionAlias, Topic
    from birge.core.reference import regions_sync, topics_sync

    if not Region.objects.exists() or not RegionAlias.objects.exists():
        regions_sync(Region, RegionAlias)
    if not Topic.objects.exists():
        topics_sync(Topic)
    portal_tree = importlib.import_module("birge.portal.migrations.0002_portal_tree")
    portal_tree.portal_tree_create(django_apps)


AXE_SCRIPT = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
# Flags that keep Chromium off the network it cannot reach here, and working as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    """A fresh browser tab on a narrow phone-sized screen, with axe-core ready to run."""
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="kk-KZ")
    # Init scripts run outside the page's CSP, so the strict policy stays on during the test.
    context.add_init_script(path=str(AXE_SCRIPT))
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.1 A/AA and best practices) on the page; return its violations."""
    result: dict[str, Any] = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {
                type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']
            }
        })"""
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]


def _outbox_reset(django_db_blocker: Any) -> None:
    """No dispatcher lease left by an earlier test, and a fresh pace."""
    from birge.channels import transports

    transports._pacers.clear()
    with django_db_blocker.unblock():
        for name in ("telegram", "email"):
            caches["shared"].delete(f"channels:dispatch:{name}")


@pytest.fixture
def telegram(settings: Any, django_db_blocker: Any) -> Iterator[Any]:
    """A fake Bot API on 127.0.0.1 that the outbox is configured to use, with two channels."""
    from birge.channels.tests.fake_bot_api import FakeBotApi

    _outbox_reset(django_db_blocker)
    with FakeBotApi() as api:
        settings.TELEGRAM_BOT_TOKEN = api.token
        settings.TELEGRAM_API_BASE_URL = api.base_url
        settings.TELEGRAM_TIMEOUT_SECONDS = 2.0
        settings.TELEGRAM_CHANNELS = {"kk": "@birge_kk", "ru": "@birge_ru"}
        # Tests post several times into one channel; the per-channel pace has its own test.
        settings.TELEGRAM_CHANNEL_RATE_PER_MINUTE = 6000
        settings.CHANNELS_RETRY_BASE_SECONDS = 0.05
        yield api
    _outbox_reset(django_db_blocker)


@pytest.fixture
def smtp(settings: Any, django_db_blocker: Any) -> Iterator[Any]:
    """A local SMTP server the mail backend is configured to use; it records every message."""
    from birge.channels.tests.smtp_sink import SmtpSink

    _outbox_reset(django_db_blocker)
    with SmtpSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = sink.port
        settings.EMAIL_TIMEOUT = 3
        settings.CHANNELS_RETRY_BASE_SECONDS = 0.05
        yield sink
    _outbox_reset(django_db_blocker)
