"""Point Telegram at this deployment's webhook, with the configured secret."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from birge.channels.telegram import TelegramError, bot_api


class Command(BaseCommand):
    help = "Have Telegram post the bot's updates to URL (https://…/telegram/webhook/)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url", help="The public address of /telegram/webhook/.")

    def handle(self, *args: Any, url: str, **options: Any) -> None:
        if not url.startswith("https://"):
            raise CommandError("Telegram only posts to an https:// address.")
        if not settings.TELEGRAM_WEBHOOK_SECRET:
            raise CommandError(
                "Set TELEGRAM_WEBHOOK_SECRET first: the webhook refuses every call without it."
            )
        try:
            bot_api().set_webhook(url=url, secret_token=settings.TELEGRAM_WEBHOOK_SECRET)
        except TelegramError as error:
            raise CommandError(f"Telegram refused: {error}") from error
        self.stdout.write(f"Telegram now posts the bot's updates to {url}.")
