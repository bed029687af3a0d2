import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from birge.core.models import Agency, Region
from birge.core.tests.factories import AgencyFactory

from ..models import Campaign, HelpKind, HelpRequest, Volunteer
from ..services import Household, help_request_submit


class HeadquartersFactory(AgencyFactory):
    kind = Agency.Kind.VOLUNTEER_HEADQUARTERS
    slug = factory.Sequence(lambda n: f"hq-{n}")


class CampaignFactory(factory.django.DjangoModelFactory[Campaign]):
    class Meta:
        model = Campaign

    slug = factory.Sequence(lambda n: f"campaign-{n}")
    name_kk = "Азық-түлік себеттері"
    name_ru = "Продуктовые корзины"
    name_en = "Food baskets"
    headquarters = factory.SubFactory(HeadquartersFactory)
    help_kinds = factory.LazyFunction(lambda: [HelpKind.FOOD_BASKET, HelpKind.MEDICINES])
    eligible_categories = factory.LazyFunction(list)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))


class VolunteerFactory(factory.django.DjangoModelFactory[Volunteer]):
    class Meta:
        model = Volunteer

    name = factory.Sequence(lambda n: f"Volunteer {n}")
    email = factory.Sequence(lambda n: f"volunteer{n}@example.kz")
    phone = "+7 701 000 11 22"
    region = factory.LazyFunction(lambda: Region.objects.get(code="KZ-75"))
    headquarters = factory.SubFactory(HeadquartersFactory)
    status = Volunteer.Status.VERIFIED


def help_request(campaign: Campaign, *, region: str = "KZ-75", **household: Any) -> HelpRequest:
    fields: dict[str, Any] = {
        "household_size": 3,
        "person_name": "Бибігүл Омарова",
        "phone": "+7 701 123 45 67",
        "address": "Абай даңғылы 10, 5-пәтер",
    }
    fields.update(household)
    return help_request_submit(
        campaign=campaign,
        region=Region.objects.get(code=region),
        help_kind=HelpKind.FOOD_BASKET,
        household=Household(**fields),
        consent=True,
        language="kk",
        channel=HelpRequest.Channel.WEB,
    )
