from datetime import date

import factory

from birge.workdays.models import WorkdayException


class WorkdayExceptionFactory(factory.django.DjangoModelFactory[WorkdayException]):
    class Meta:
        model = WorkdayException

    date = date(2030, 6, 3)
    kind = WorkdayException.Kind.HOLIDAY
    name_kk = "Мереке"
    name_ru = "Праздник"
    name_en = "Holiday"
    source = "test"
