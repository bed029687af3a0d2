"""Public statistics pages: the national dashboard and a page per region."""

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from .charts import line_chart
from .selectors import (
    PARENT_OF,
    SPLIT_OFF,
    UnitFigures,
    region_public_get,
    region_table,
    regions_by_code,
    unit_figures,
)

PUBLIC_MAX_AGE = 60
DATA_URL = "/api/v1/stats/data"


def _charts(figures: UnitFigures) -> dict[str, Any]:
    series = figures.series
    csv_url = ""
    if figures.release is not None:
        query = {
            "indicator": "confirmed",
            "region": figures.region.code,
            "release": figures.release.pk,
            "format": "csv",
        }
        csv_url = f"{DATA_URL}?{urlencode(query)}"
    return {
        "figures": figures,
        "total_chart": line_chart([(point.date, point.total) for point in series]),
        "average_chart": line_chart([(point.date, point.new_average) for point in series]),
        "csv_url": csv_url,
    }


@cache_control(public=True, max_age=PUBLIC_MAX_AGE)
def dashboard(request: HttpRequest) -> HttpResponse:
    national = region_public_get(code="KZ")
    release, rows = region_table()
    context = _charts(unit_figures(region=national))
    context.update({"table_release": release, "rows": rows})
    return render(request, "stats/dashboard.html", context)


@cache_control(public=True, max_age=PUBLIC_MAX_AGE)
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    region = region_public_get(code=code)
    context = _charts(unit_figures(region=region))
    related = regions_by_code(
        codes=[SPLIT_OFF.get(region.code, ""), PARENT_OF.get(region.code, "")]
    )
    context.update(
        {
            "successor": related.get(SPLIT_OFF.get(region.code, "")),
            "parent": related.get(PARENT_OF.get(region.code, "")),
        }
    )
    return render(request, "stats/region_detail.html", context)
