"""The indicators Birge publishes, in the three languages: reference data kept in code."""

from typing import Any

INDICATORS: list[dict[str, Any]] = [
    {
        "slug": "confirmed",
        "kind": "cumulative",
        "unit": "people",
        "sort_order": 1,
        "name_kk": "Расталған жағдайлар",
        "name_ru": "Подтверждённые случаи",
        "name_en": "Confirmed cases",
        "explanation_kk": "Зертханалық тестпен коронавирус расталған адамдардың жалпы саны, "
        "эпидемияның басынан бері.",
        "explanation_ru": "Сколько всего людей с коронавирусом, подтверждённым лабораторным "
        "тестом, с начала эпидемии.",
        "explanation_en": "How many people in total have had the coronavirus confirmed by a "
        "laboratory test since the epidemic began.",
    },
    {
        "slug": "recovered",
        "kind": "cumulative",
        "unit": "people",
        "sort_order": 2,
        "name_kk": "Сауыққандар",
        "name_ru": "Выздоровевшие",
        "name_en": "Recovered",
        "explanation_kk": "Расталған жағдайлардың ішінде сауығып, есептен шығарылған адамдардың "
        "жалпы саны.",
        "explanation_ru": "Сколько всего людей из подтверждённых случаев выздоровели и сняты с "
        "учёта.",
        "explanation_en": "How many of the confirmed cases have recovered and been discharged, "
        "in total.",
    },
    {
        "slug": "deaths",
        "kind": "cumulative",
        "unit": "people",
        "sort_order": 3,
        "name_kk": "Қайтыс болғандар",
        "name_ru": "Умершие",
        "name_en": "Deaths",
        "explanation_kk": "Коронавирус расталған және қайтыс болған адамдардың жалпы саны.",
        "explanation_ru": "Сколько всего людей с подтверждённым коронавирусом умерли.",
        "explanation_en": "How many people with a confirmed coronavirus infection have died, in "
        "total.",
    },
]


def indicators_sync(indicator_model: Any) -> None:
    """Create or update the indicators above (used by the migration and the demo loader)."""
    for row in INDICATORS:
        fields = {key: value for key, value in row.items() if key != "slug"}
        indicator_model.objects.update_or_create(slug=row["slug"], defaults=fields)
