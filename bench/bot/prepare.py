"""Django-side steps of the bot benchmark, run in a child process with bench.appeals.settings.

    python -m bench.bot.prepare setup   migrate the fresh database, load the demo registry of
                                        checked claims and create the bot's API client
    python -m bench.bot.prepare count   print one JSON line: updates handled, replies on the
                                        outbox by state, rumour reports filed, tasks queued

run.py calls these; the database comes from the environment (DATABASE_URL or SQLITE_PATH).
"""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.appeals.settings")


def setup() -> None:
    from django.core.management import call_command

    from birge.api.models import ApiClient
    from birge.api.scopes import scopes_registered
    from birge.api.services import api_client_create
    from birge.claims.demo import claims_demo_load

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    claims_demo_load()
    api_client_create(
        actor=None,
        name="Telegram bot",
        channel=ApiClient.Channel.TELEGRAM,
        scopes=list(scopes_registered()),
        requests_per_minute=600,
    )
    from birge.claims.models import Claim, ClaimTranslation

    wordings = list(
        ClaimTranslation.objects.filter(claim__in=Claim.objects.published()).values_list(
            "language", "wording"
        )
    )
    print(json.dumps({"wordings": wordings}))


def count() -> None:
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from birge.bot.models import Chat, HandledUpdate
    from birge.channels.models import Delivery
    from birge.claims.models import RumourReport

    replies = dict(
        Delivery.objects.filter(publication__source_kind="bot.reply")
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    print(
        json.dumps(
            {
                "handled_updates": HandledUpdate.objects.count(),
                "chats": Chat.objects.count(),
                "replies": replies,
                "rumour_reports": RumourReport.objects.count(),
                "tasks_queued": DBTaskResult.objects.filter(status="READY").count(),
                "tasks": DBTaskResult.objects.count(),
            }
        )
    )


if __name__ == "__main__":
    django.setup()
    {"setup": setup, "count": count}[sys.argv[1]]()
