import csv
from pathlib import Path

import pytest

from birge.core.models import Region
from birge.core.regions import region_resolve

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def test_twenty_units_and_the_country_with_iso_codes() -> None:
    # when
    regions = Region.objects.all()
    # then
    assert regions.filter(kind=Region.Kind.COUNTRY).get().code == "KZ"
    units = regions.exclude(kind=Region.Kind.COUNTRY)
    assert units.count() == 20
    assert units.filter(kind=Region.Kind.CITY).count() == 3
    assert all(code.startswith("KZ-") for code in units.values_list("code", flat=True))
    for region in regions:
        assert region.name_kk
        assert region.name_ru
        assert region.name_en


def test_every_region_name_of_the_2020_data_maps_to_a_current_unit() -> None:
    # given: every distinct Region value of the 2020 portal's scraped data
    with (DATA / "kz-2020-region-names.csv").open(encoding="utf-8") as names:
        rows = list(csv.DictReader(names))
    assert len(rows) == 18
    # then
    for row in rows:
        region = region_resolve(row["name"])
        assert region is not None, row["name"]
        assert region.code == row["code"], row["name"]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Нур-Султан", "KZ-71"),
        ("Nur-Sultan", "KZ-71"),
        ("г. Нур-Султан", "KZ-71"),
        ("Астана", "KZ-71"),
        ("Алматы", "KZ-75"),
        ("г.Алматы", "KZ-75"),
        ("Алматы қаласы", "KZ-75"),
        ("Алматинская область", "KZ-19"),
        ("Алматинская обл.", "KZ-19"),
        ("Южно-Казахстанская область", "KZ-61"),
        ("Восточно-Казахстанская область", "KZ-63"),
        ("Абайская область", "KZ-10"),
        ("Ұлытау облысы", "KZ-62"),
        ("KZ-ALA", "KZ-75"),
        ("kz-75", "KZ-75"),
        ("Казахстан", "KZ"),
    ],
)
def test_old_and_alternative_names_resolve(name: str, code: str) -> None:
    region = region_resolve(name)
    assert region is not None
    assert region.code == code


def test_unknown_name_resolves_to_nothing() -> None:
    assert region_resolve("Атлантида") is None
    assert region_resolve("   ") is None
