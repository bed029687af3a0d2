"""Demo data for aid: the 2020 #BizBirgemiz campaign as the seeds report it, and a current
campaign with requests at every step, volunteers, a partner's pledge and a fund ledger.

Idempotent: a second run adds nothing. The current campaign's figures are demo figures and say
so in its description and document references; the 2020 campaign carries only what the seeds
report, in its description, and no invented rows.
"""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from birge.core.access import StaffUser
from birge.core.models import Agency, Region

from .models import (
    Campaign,
    Category,
    HelpKind,
    HelpRequest,
    LedgerEntry,
    Partner,
    Pledge,
)
from .services import (
    Household,
    delivery_tally_rebuild,
    help_request_decide,
    help_request_submit,
    ledger_record,
    task_accept,
    task_deliver,
    volunteer_register,
    volunteer_verify,
)

FRONT_OFFICE = "birgemiz-front-office"
CURRENT = "help-at-home"
DEMO_VOLUNTEERS = [
    ("Айгерім Сапарова", "aigerim.volunteer@demo.birge.invalid", "+7 701 555 01 01", "KZ-75", True),
    ("Данияр Ахметов", "daniyar.volunteer@demo.birge.invalid", "+7 701 555 01 02", "KZ-71", True),
    ("Ерлан Нұрланов", "erlan.volunteer@demo.birge.invalid", "+7 701 555 01 04", "KZ-35", True),
    ("Ольга Ким", "olga.volunteer@demo.birge.invalid", "+7 701 555 01 03", "KZ-75", False),
]
# (person, region, help, household size, categories, no food, alone, birth year, step)
DEMO_REQUESTS = [
    (
        "Бибігүл Омарова",
        "KZ-75",
        HelpKind.FOOD_BASKET,
        1,
        [Category.LONELY_ELDERLY],
        True,
        True,
        1939,
        "new",
    ),
    (
        "Николай Петров",
        "KZ-75",
        HelpKind.MEDICINES,
        2,
        [Category.WAR_VETERAN, Category.DISABILITY],
        False,
        False,
        1941,
        "new",
    ),
    (
        "Сәуле Жұмабаева",
        "KZ-71",
        HelpKind.FOOD_BASKET,
        7,
        [Category.LARGE_FAMILY, Category.LOW_INCOME],
        True,
        False,
        1984,
        "new",
    ),
    (
        "Гүлнар Сейітова",
        "KZ-75",
        HelpKind.HYGIENE,
        4,
        [Category.MEDIC_FAMILY],
        False,
        False,
        1979,
        "eligible",
    ),
    # A neighbour asks again for the first: the same phone and address, flagged for the operator.
    (
        "Бибігүл Омарова",
        "KZ-75",
        HelpKind.FOOD_BASKET,
        1,
        [Category.LONELY_ELDERLY],
        True,
        True,
        1939,
        "new",
    ),
    (
        "Марат Есенов",
        "KZ-35",
        HelpKind.FOOD_BASKET,
        5,
        [Category.LOST_INCOME],
        True,
        False,
        1988,
        "eligible",
    ),
]
DELIVERED_PER_REGION = {"KZ-75": 14, "KZ-71": 10, "KZ-35": 3}


def _operator() -> StaffUser:
    return get_user_model().objects.get(username="aid")


@transaction.atomic
def aid_demo_load() -> None:
    front_office = Agency.objects.filter(slug=FRONT_OFFICE).first()
    if front_office is None or Campaign.objects.filter(slug=CURRENT).exists():
        return
    today = timezone.localdate()
    _campaign_2020(front_office)
    campaign = Campaign.objects.create(
        slug=CURRENT,
        name_kk="Үйге көмек: өзі шыға алмайтындарға азық-түлік пен дәрі (демо)",
        name_ru="Помощь на дому: продукты и лекарства тем, кто не может выйти (демо)",
        name_en="Help at home: food and medicines for those who cannot go out (demo)",
        description_kk="Демо науқан: сұраулар, еріктілер мен қор сандары мысал үшін жасалған.",
        description_ru="Демо-кампания: просьбы, волонтёры и цифры фонда созданы для примера.",
        description_en="A demo campaign: its requests, volunteers and fund figures are examples.",
        headquarters=front_office,
        help_kinds=[HelpKind.FOOD_BASKET, HelpKind.HYGIENE, HelpKind.MEDICINES, HelpKind.SHOPPING],
        eligible_categories=list(Category.values),
        starts_on=today - dt.timedelta(days=75),
    )
    operator = _operator()
    volunteers = []
    for name, email, phone, code, verified in DEMO_VOLUNTEERS:
        volunteer = volunteer_register(
            name=name,
            email=email,
            phone=phone,
            region=Region.objects.get(code=code),
            skills=["driving", "carrying"],
            languages=["kk", "ru"],
            availability="Weekday evenings",
            consent=True,
        )
        if verified:
            volunteer_verify(
                operator=operator,
                volunteer=volunteer,
                verified=True,
                note="Identity card seen (demo)",
            )
            volunteer.refresh_from_db()
            volunteers.append(volunteer)
    by_region = {v.region.code: v for v in volunteers}
    for index, (code, count) in enumerate(DELIVERED_PER_REGION.items()):
        for number in range(count):
            request = _submit(
                campaign,
                f"Демо отбасы {index + 1}-{number + 1}",
                code,
                HelpKind.FOOD_BASKET,
                3 + number % 4,
                [Category.LOW_INCOME],
                False,
                False,
                1960 + number,
                phone=f"+7 702 000 {index:02d} {number:02d}",
            )
            help_request_decide(operator=operator, request=request, eligible=True, reason="")
            volunteer = by_region[code]
            task_accept(volunteer=volunteer, request=request)
            task_deliver(
                volunteer=volunteer, request=request, code=request.delivery_code(), hours="1.5"
            )
            # Spread over the campaign's two months, so the report has months to show.
            delivered = timezone.now() - dt.timedelta(days=5 + 40 * (number % 2))
            HelpRequest.objects.filter(pk=request.pk).update(
                delivered_at=delivered, closed_at=delivered
            )
    # The deliveries were moved back in time above: count them again in their months.
    delivery_tally_rebuild(campaign_id=campaign.pk)
    for person, code, kind, size, categories, no_food, alone, year, step in DEMO_REQUESTS:
        request = _submit(campaign, person, code, kind, size, categories, no_food, alone, year)
        if step == "eligible":
            help_request_decide(operator=operator, request=request, eligible=True, reason="")
    partner = Partner.objects.create(
        name="Демо азық-түлік дүкендері желісі",
        kind=Partner.Kind.BUSINESS,
        headquarters=front_office,
        contact_name="Демо байланыс",
    )
    Pledge.objects.create(
        partner=partner,
        campaign=campaign,
        description="Food baskets for lonely elderly people (demo)",
        quantity=500,
        unit="baskets",
        fulfilled_quantity=120,
    )
    for entry_kind, amount, days, ref, donor in [
        (LedgerEntry.Kind.DONATION, "25000000", 70, "DEMO-PAY-0001", "Демо компания"),
        (LedgerEntry.Kind.DONATION, "1250000.50", 50, "DEMO-PAY-0002", ""),
        (LedgerEntry.Kind.PURCHASE, "8400000", 45, "DEMO-INV-0001", ""),
        (LedgerEntry.Kind.PURCHASE, "3150000", 10, "DEMO-INV-0002", ""),
    ]:
        ledger_record(
            operator=operator,
            campaign=campaign,
            kind=entry_kind,
            amount=Decimal(amount),
            on_date=today - dt.timedelta(days=days),
            document_ref=ref,
            donor=donor,
        )


def _submit(
    campaign: Campaign,
    person: str,
    code: str,
    kind: str,
    size: int,
    categories: Sequence[str],
    no_food: bool,
    alone: bool,
    year: int,
    *,
    phone: str = "+7 705 000 00 00",
) -> HelpRequest:
    return help_request_submit(
        campaign=campaign,
        region=Region.objects.get(code=code),
        help_kind=kind,
        household=Household(
            household_size=size,
            person_name=person,
            birth_date=dt.date(year, 5, 9),
            phone=phone,
            address=f"{person}: демо мекенжайы, 1",
            categories=tuple(categories),
            no_food=no_food,
            lives_alone=alone,
        ),
        consent=True,
        language="kk",
        channel=HelpRequest.Channel.WEB,
    )


def _campaign_2020(front_office: Agency) -> None:
    Campaign.objects.get_or_create(
        slug="bizbirgemiz-2020",
        defaults={
            "name_kk": "#BizBirgemiz: азық-түлік себеттері, маскалар мен антисептиктер (2020)",
            "name_ru": "#BizBirgemiz: продуктовые корзины, маски и антисептики (2020)",
            "name_en": "#BizBirgemiz: food baskets, masks and antiseptics (2020)",
            "description_kk": (
                "Қор әлеуметтік осал топтарды қолдады: бірінші толқында 11 мыңға жуық отбасы "
                "азық-түлік себеттерін, маскалар мен антисептиктерді алды; қазанның ортасына "
                "қарай 23 ірі қалада 650 мыңнан астам отбасы көмек алды, барлығы 34 млрд теңге "
                "жиналды. Бұл сандар қордың жариялаған есебінен; жүйеде жеке жазбалары жоқ."
            ),
            "description_ru": (
                "Фонд поддерживал социально уязвимые группы: в первую волну около 11 тысяч семей "
                "получили продуктовые корзины, маски и антисептики; к середине октября помощь "
                "получили более 650 тысяч семей в 23 крупных городах, всего собрано 34 млрд "
                "тенге. Эти цифры — из опубликованного отчёта фонда; отдельных записей в "
                "системе нет."
            ),
            "description_en": (
                "The fund supported socially vulnerable groups: in the first wave around eleven "
                "thousand families received food baskets, medical masks and antiseptics; by "
                "mid-October more than 650,000 families in 23 major cities had been helped and "
                "34 billion tenge raised. These figures are the fund's published ones; the "
                "system holds no records of its own for them."
            ),
            "headquarters": front_office,
            "help_kinds": [HelpKind.FOOD_BASKET, HelpKind.HYGIENE, HelpKind.MONEY],
            "eligible_categories": list(Category.values),
            "starts_on": dt.date(2020, 3, 16),
            "ends_on": dt.date(2020, 10, 15),
            "is_active": False,
        },
    )
