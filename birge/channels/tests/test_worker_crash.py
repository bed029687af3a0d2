"""A worker killed in the middle of a send: after a restart the post appears exactly once.

The dispatcher runs in a real separate process here, killed with SIGKILL while the Bot API is
holding its request; this needs a database two processes share (PostgreSQL in CI).
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.db import connection

from birge.channels.models import Channel, Delivery, Publication
from birge.channels.services import publication_create

from .fake_bot_api import FakeBotApi, hang

ROOT = Path(__file__).resolve().parents[3]
WORKER = """
import os, sys
import django
django.setup()
from birge.channels.outbox import deliveries_send, deliveries_sweep
print(deliveries_sweep() if sys.argv[1] == "sweep" else deliveries_send(transport_name="telegram"))
"""

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL"), reason="needs a database two processes share"
    ),
]


def worker(telegram: FakeBotApi, command: str, **env: str) -> subprocess.Popen[str]:
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    return subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", WORKER, command],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": url,
            "TELEGRAM_BOT_TOKEN": telegram.token,
            "TELEGRAM_API_BASE_URL": telegram.base_url,
            "TELEGRAM_CHANNEL_KK": "@birge_kk",
            "CHANNELS_LEASE_SECONDS": "1",
            **env,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_worker_killed_mid_send_posts_exactly_once_after_restart(
    telegram: FakeBotApi, settings: Any
) -> None:
    # given: a committed publication, and a Bot API that holds the first request unanswered
    settings.TELEGRAM_CHANNELS = {"kk": "@birge_kk"}
    # The task goes to the worker below, not to this process's in-process test backend.
    with mock.patch("birge.channels.services.deliveries_send_task"):
        publication_create(
            kind=Publication.Kind.NEWS,
            source_kind="test.news",
            source_key="crash",
            texts={"kk": {"title": "Жаңалық"}},
            channels=[Channel.TELEGRAM_CHANNEL],
        )
    telegram.script(hang())
    first = worker(telegram, "send", TELEGRAM_TIMEOUT_SECONDS="60")
    assert telegram.wait_for_hung(30), first.communicate(timeout=5)
    # when: the worker is killed while Telegram holds its request
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    deadline = time.monotonic() + 5
    while telegram.hung_count and time.monotonic() < deadline:
        time.sleep(0.05)
    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.State.SENDING
    assert telegram.messages == []
    time.sleep(1.2)  # the dead worker's lease runs out
    # and a new worker starts: the clock's sweep puts the delivery back and sends it
    second = worker(telegram, "sweep", CHANNELS_STUCK_SECONDS="0")
    _out, err = second.communicate(timeout=60)
    # then
    assert second.returncode == 0, err
    assert len(telegram.messages_to("@birge_kk")) == 1
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT
    assert delivery.message_id == "1"
    # and yet another sweep sends nothing more
    third = worker(telegram, "sweep", CHANNELS_STUCK_SECONDS="0")
    third.communicate(timeout=60)
    assert len(telegram.messages) == 1
