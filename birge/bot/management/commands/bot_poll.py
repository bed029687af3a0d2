"""Run the bot without a public address: long-poll Telegram for updates (development)."""

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from birge.bot.services import update_failed, update_handle
from birge.channels.telegram import BotApi, PermanentError, TelegramError, bot_api

logger = logging.getLogger(__name__)

RETRY_PAUSE_SECONDS = 5.0


class Command(BaseCommand):
    help = (
        "Fetch the bot's updates from Telegram by long polling and handle them, instead of "
        "the webhook. Telegram refuses this while a webhook is set."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--timeout", type=int, default=25, help="Seconds one poll waits for an update."
        )
        parser.add_argument(
            "--once", action="store_true", help="Handle what is waiting now, then stop."
        )

    def handle(self, *args: Any, timeout: int, once: bool, **options: Any) -> None:
        api = bot_api()
        offset: int | None = None
        self.stdout.write("Polling Telegram for the bot's updates; Ctrl+C stops.")
        try:
            while True:
                try:
                    updates = api.get_updates(offset=offset, timeout=0 if once else timeout)
                except PermanentError as error:
                    raise CommandError(f"Telegram refused to give updates: {error}") from error
                except TelegramError as error:
                    logger.warning("polling failed (%s); trying again", error)
                    time.sleep(RETRY_PAUSE_SECONDS)
                    continue
                for update in updates:
                    if isinstance(update.get("update_id"), int):
                        self._handle(api, update)
                        offset = update["update_id"] + 1
                if once:
                    # Confirm what was handled, so Telegram does not offer it again.
                    if offset is not None:
                        api.get_updates(offset=offset, timeout=0)
                    return
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")

    def _handle(self, api: BotApi, update: dict[str, Any]) -> None:
        try:
            answer = update_handle(update)
        except Exception:
            logger.exception("update %s failed", update["update_id"])
            update_failed(update)
            return
        if answer is not None:
            method = answer.pop("method")
            try:
                api.call(method, **answer)
            except TelegramError as error:
                # Only the button's spinner is left turning; the answers are on the outbox.
                logger.warning("%s failed: %s", method, error)
