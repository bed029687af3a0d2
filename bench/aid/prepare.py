"""Django-side steps of the aid benchmark, run in a child process with bench.appeals.settings.

python -m bench.aid.prepare setup REQUESTS VOLUNTEERS
    migrate the fresh database, load regions and agencies (with the volunteer
    headquarters), a campaign, VOLUNTEERS volunteers and REQUESTS help requests (on
    PostgreSQL by INSERT … SELECT generate_series, elsewhere in batches), an operator of the
    Almaty headquarters and the hotline's API client; prints the key and the ids
python -m bench.aid.prepare measure SAMPLES
    in this process, through Django's full stack (middleware, session, the operator's
    second factor, templates): SAMPLES requests each of the reference (one indexed page of
    50 rows in a bare view), the Almaty headquarters' triage queue, and the campaign's
    public report with no cache; prints the latencies
python -m bench.aid.prepare count
    requests registered through the API and rows of the reference table
"""

import json
import os
import random
import statistics
import sys
import time
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.appeals.settings")

CAMPAIGN = "bench-food-baskets"
OPERATOR = "bench-aid-operator"
BATCH = 20_000


def setup(requests: int, volunteers: int) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from birge.aid.models import Campaign, Category, HelpKind
    from birge.api.models import ApiClient
    from birge.api.services import api_client_create
    from birge.core.demo import _agencies_sync
    from birge.core.models import Agency, Region, RegionAlias, StaffRole, Topic
    from birge.core.reference import regions_sync, topics_sync
    from birge.core.services import staff_role_grant

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    regions_sync(Region, RegionAlias)
    topics_sync(Topic)
    _agencies_sync()
    headquarters = list(
        Agency.objects.filter(
            kind=Agency.Kind.VOLUNTEER_HEADQUARTERS, parent__slug="birgemiz-front-office"
        )
    )
    front_office = Agency.objects.get(slug="birgemiz-front-office")
    campaign = Campaign.objects.create(
        slug=CAMPAIGN,
        name_kk="Азық-түлік себеттері",
        name_ru="Продуктовые корзины",
        name_en="Food baskets",
        headquarters=front_office,
        help_kinds=list(HelpKind.values),
        eligible_categories=list(Category.values),
        starts_on="2020-03-16",
    )
    started = time.monotonic()
    if connection.vendor == "postgresql":
        _bulk_postgres(campaign.pk, headquarters, requests, volunteers)
    else:
        _bulk_orm(campaign, headquarters, requests, volunteers)
    from birge.aid.services import delivery_tally_rebuild

    delivery_tally_rebuild(campaign_id=campaign.pk)
    seeded = time.monotonic() - started
    with connection.cursor() as cursor:
        # The steady state autovacuum keeps: without the visibility map a COUNT of one
        # headquarters' queue reads every heap page instead of the index alone (68 ms vs 2.5 ms
        # measured for 16,666 rows).
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    almaty = next(hq for hq in headquarters if hq.slug == "birgemiz-hq-almaty")
    operator = get_user_model().objects.create_user(username=OPERATOR, is_staff=True)
    staff_role_grant(actor=None, user=operator, role=StaffRole.Role.AID_OPERATOR, agency=almaty)
    _client, key = api_client_create(
        actor=None,
        name="Hotline 109 (bench)",
        channel=ApiClient.Channel.CALL_CENTRE,
        scopes=["aid.requests.submit"],
        requests_per_minute=1_000_000,
    )
    print(json.dumps({"api_key": key, "campaign": CAMPAIGN, "seed_seconds": round(seeded, 1)}))


def _bulk_postgres(
    campaign_id: int, headquarters: list[Any], requests: int, volunteers: int
) -> None:
    from django.db import connection

    hq_ids = [hq.pk for hq in headquarters]
    region_ids = [hq.region_id for hq in headquarters]
    with connection.cursor() as cursor:
        # One statement per table: the database generates the rows, nothing crosses the wire.
        cursor.execute(
            """
            INSERT INTO aid_volunteer (name, email, phone, region_id, headquarters_id, skills,
                languages, availability, status, registered_at, verification_note)
            SELECT 'Volunteer ' || g, 'volunteer' || g || '@bench.invalid', '+7 701 000 00 00',
                (%(regions)s)[1 + g %% %(n)s], (%(hqs)s)[1 + g %% %(n)s], '["driving"]',
                '["kk","ru"]', '', CASE WHEN g %% 10 = 0 THEN 'pending' ELSE 'verified' END,
                timestamp '2020-03-16' + g * interval '1 minute', ''
            FROM generate_series(1, %(volunteers)s) g
            """,
            {"regions": region_ids, "hqs": hq_ids, "n": len(hq_ids), "volunteers": volunteers},
        )
        cursor.execute(
            """
            INSERT INTO aid_helprequest (tracking_code, tracking_token, campaign_id,
                headquarters_id, region_id, help_kind, household_size, categories, no_food,
                lives_alone, person_name, iin, phone, email, address, requester_name,
                requester_phone, contact_key, consent, language, channel, status, priority,
                submitted_at, decision_reason, duplicate_reason, code_attempts, delivered_at,
                closed_at)
            SELECT 'B' || lpad(g::text, 9, '0'), md5(g::text), %(campaign)s,
                (%(hqs)s)[1 + g %% %(n)s], (%(regions)s)[1 + g %% %(n)s], 'food_basket',
                1 + g %% 7, '["low_income"]', g %% 5 = 0, g %% 9 = 0, 'Person ' || g, '',
                '+7 701 ' || lpad((g %% 10000000)::text, 7, '0'), '', 'Street ' || g, '', '',
                md5('contact' || g), true, 'kk', 'web', s.status, (g * 37) %% 101,
                timestamp with time zone '2020-03-16 00:00+05' + (g %% 210) * interval '1 day'
                    + (g %% 1440) * interval '1 minute',
                '', '', 0,
                CASE WHEN s.status = 'delivered' THEN timestamp with time zone '2020-03-18 00:00+05'
                    + (g %% 210) * interval '1 day' END,
                CASE WHEN s.status IN ('delivered', 'not_eligible') THEN
                    timestamp with time zone '2020-03-18 00:00+05' + (g %% 210) * interval '1 day'
                END
            FROM generate_series(1, %(requests)s) g,
                LATERAL (SELECT CASE WHEN g %% 20 < 2 THEN 'new' WHEN g %% 20 = 2 THEN 'eligible'
                    WHEN g %% 20 = 3 THEN 'assigned' WHEN g %% 20 = 4 THEN 'not_eligible'
                    ELSE 'delivered' END AS status) s
            """,
            {
                "campaign": campaign_id,
                "regions": region_ids,
                "hqs": hq_ids,
                "n": len(hq_ids),
                "requests": requests,
            },
        )


def _bulk_orm(campaign: Any, headquarters: list[Any], requests: int, volunteers: int) -> None:
    import datetime as dt

    from birge.aid.models import HelpRequest, Volunteer

    rng = random.Random(2020)
    start = dt.datetime(2020, 3, 16, tzinfo=dt.UTC)
    Volunteer.objects.bulk_create(
        [
            Volunteer(
                name=f"Volunteer {n}",
                email=f"volunteer{n}@bench.invalid",
                phone="+7 701 000 00 00",
                region_id=headquarters[n % len(headquarters)].region_id,
                headquarters=headquarters[n % len(headquarters)],
                status="verified",
            )
            for n in range(volunteers)
        ],
        batch_size=BATCH,
    )
    statuses = ["new", "new", "eligible", "assigned", "not_eligible", *["delivered"] * 15]
    for first in range(0, requests, BATCH):
        rows = []
        for n in range(first, min(requests, first + BATCH)):
            hq = headquarters[n % len(headquarters)]
            status = statuses[n % 20]
            submitted = start + dt.timedelta(days=n % 210, minutes=n % 1440)
            done = (
                submitted + dt.timedelta(days=2)
                if status in {"delivered", "not_eligible"}
                else None
            )
            rows.append(
                HelpRequest(
                    tracking_code=f"B{n:09d}",
                    tracking_token=f"t{n}",
                    campaign=campaign,
                    headquarters=hq,
                    region_id=hq.region_id,
                    help_kind="food_basket",
                    household_size=1 + n % 7,
                    person_name=f"Person {n}",
                    phone="+7 701 000 00 00",
                    address=f"Street {n}",
                    contact_key=f"{n}",
                    consent=True,
                    language="kk",
                    channel="web",
                    status=status,
                    priority=rng.randrange(101),
                    submitted_at=submitted,
                    delivered_at=done if status == "delivered" else None,
                    closed_at=done,
                )
            )
        HelpRequest.objects.bulk_create(rows, batch_size=BATCH)


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


def measure(samples: int) -> None:
    from django.contrib.auth import get_user_model
    from django.core.cache import caches
    from django.test import Client

    from birge.aid.models import HelpRequest
    from birge.core.models import Agency
    from birge.core.tests.factories import sign_in_verified

    operator = get_user_model().objects.get(username=OPERATOR)
    staff = Client(HTTP_HOST="127.0.0.1")
    sign_in_verified(staff, operator)
    public = Client(HTTP_HOST="127.0.0.1")
    almaty = Agency.objects.get(slug="birgemiz-hq-almaty")
    top = HelpRequest.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    rng = random.Random(7)
    scenarios = {
        "reference": lambda: public.get(f"/bench/page?after={rng.randrange(top)}"),
        "queue": lambda: staff.get(f"/admin/aid/?status=new&hq={almaty.pk}"),
        "queue_page_20": lambda: staff.get(f"/admin/aid/?status=new&hq={almaty.pk}&p=20"),
        "report": lambda: public.get(f"/kk/aid/campaigns/{CAMPAIGN}/"),
    }
    figures = {}
    for name, call in scenarios.items():
        for _ in range(3):  # warm: templates, the connection, the query plans
            response = call()
            assert response.status_code == 200, (name, response.status_code)
        timings = []
        for _ in range(samples):
            caches["default"].clear()
            started = time.perf_counter()
            response = call()
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200
        figures[name] = _percentiles(timings)
    reference = figures["reference"]["p95_ms"]
    for values in figures.values():
        values["p95_ratio_to_reference"] = round(values["p95_ms"] / reference, 2)
    print(json.dumps(figures))


def count() -> None:
    from bench.appeals.models import ReferenceRow
    from birge.aid.models import HelpRequest

    print(
        json.dumps(
            {
                "api_requests": HelpRequest.objects.filter(channel="api").count(),
                "reference_rows": ReferenceRow.objects.count(),
            }
        )
    )


if __name__ == "__main__":
    django.setup()
    command, *rest = sys.argv[1:]
    if command == "setup":
        setup(int(rest[0]), int(rest[1]))
    elif command == "measure":
        measure(int(rest[0]))
    elif command == "count":
        count()
    else:
        raise SystemExit(f"unknown command {command}")
