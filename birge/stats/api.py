"""Open data: indicators, releases and values as JSON or CSV, at stable addresses.

`/data?indicator=confirmed&region=KZ` always answers from the latest release with those figures:
the stable "latest" address. `&source=kz` asks for the portal's regional series only (the JHU
national series may be the latest for the country); `&release=<id>` or `&release=YYYY-MM-DD`
(the latest published by that day) pins an earlier one. A release never changes once stored, so
an answer's ETag is the release and the question; a repeated request with If-None-Match answers
304 without reading the values. Public: no key needed, limited per address. A bad parameter
answers 400 {"error": "invalid_parameter", "parameter", "message"}.
"""

import csv
import hashlib
import io
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema

from birge.api.scopes import scope_register
from birge.api.security import ANONYMOUS_ALLOWED, ApiKeyBearer
from birge.core.models import Region

from .importing import SOURCES
from .models import Indicator, Release
from .selectors import indicator_list, release_for, release_list, value_list

router = Router(tags=["stats"])

STATS_READ = scope_register("stats.read", gettext_lazy("Read published statistics"))
CACHE_CONTROL = "public, max-age=300"
FORMATS = ("json", "csv")


def _auth() -> ApiKeyBearer:
    return ApiKeyBearer(STATS_READ, anonymous_limit="BIRGE_STATS_API_PER_MINUTE")


class ErrorOut(Schema):
    error: str
    parameter: str
    message: str


class IndicatorOut(Schema):
    slug: str
    kind: str
    unit: str
    name_kk: str
    name_ru: str
    name_en: str
    explanation_kk: str
    explanation_ru: str
    explanation_en: str


class ReleaseOut(Schema):
    id: int
    published_at: datetime
    source: str
    source_url: str
    source_key: str
    note: str
    is_correction_of: int | None
    report: dict[str, int]


class ValueOut(Schema):
    date: date
    region: str
    value: int
    reported_as: str


class DataOut(Schema):
    indicator: IndicatorOut
    release: ReleaseOut
    data: list[ValueOut]


class BadParameter(Exception):
    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def _bad(error: BadParameter) -> JsonResponse:
    return JsonResponse(
        {"error": "invalid_parameter", "parameter": error.parameter, "message": error.message},
        status=400,
        json_dumps_params={"ensure_ascii": False},
    )


def _indicator_out(indicator: Indicator) -> dict[str, Any]:
    return {field: getattr(indicator, field) for field in IndicatorOut.model_fields}


def _release_out(release: Release) -> dict[str, Any]:
    return {
        "id": release.pk,
        "published_at": release.published_at.isoformat(),
        "source": release.source,
        "source_url": release.source_url,
        "source_key": release.source_key,
        "note": release.note,
        "is_correction_of": release.is_correction_of_id,
        "report": release.report.get("counts", {}),
    }


def _cached(request: HttpRequest, key: str, render: Any) -> HttpResponse:
    """Answer 304 when the caller holds this version, else render it; both cacheable."""
    etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
    held = [
        tag.strip().removeprefix("W/")
        for tag in request.headers.get("If-None-Match", "").split(",")
    ]
    response: HttpResponse = HttpResponse(status=304) if etag in held else render()
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    return response


def _date(parameter: str, text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadParameter(
            parameter,
            _("%(parameter)s must be a date as YYYY-MM-DD, not %(value)r.")
            % {"parameter": parameter, "value": text},
        ) from None


@router.get(
    "/indicators",
    auth=_auth(),
    openapi_extra=ANONYMOUS_ALLOWED,
    response=list[IndicatorOut],
    summary="Indicators published, with their names and explanations in kk, ru and en",
)
def indicators(request: HttpRequest) -> HttpResponse:
    rows = [_indicator_out(indicator) for indicator in indicator_list()]
    return _cached(
        request,
        repr(rows),
        lambda: JsonResponse(rows, safe=False, json_dumps_params={"ensure_ascii": False}),
    )


@router.get(
    "/releases",
    auth=_auth(),
    openapi_extra=ANONYMOUS_ALLOWED,
    response=list[ReleaseOut],
    summary="Every release of figures, newest first; earlier releases stay retrievable",
)
def releases(request: HttpRequest) -> HttpResponse:
    rows = [_release_out(release) for release in release_list()]
    return _cached(
        request,
        repr(rows),
        lambda: JsonResponse(rows, safe=False, json_dumps_params={"ensure_ascii": False}),
    )


@router.get(
    "/data",
    auth=_auth(),
    openapi_extra=ANONYMOUS_ALLOWED,
    response={200: DataOut, 304: None, 400: ErrorOut},
    summary="An indicator's values by region and day, from the latest or a named release",
)
def data(
    request: HttpRequest,
    indicator: str = Query("", description="an indicator's slug, from /indicators"),
    region: str = Query("", description="ISO 3166-2 code (KZ-75), or KZ; default every unit"),
    date_from: str = Query("", alias="from", description="first day, YYYY-MM-DD"),
    date_to: str = Query("", alias="to", description="last day, YYYY-MM-DD"),
    release: str = Query(
        "", description="a release id, YYYY-MM-DD (latest by that day), or latest"
    ),
    source: str = Query("", description="kz (the portal, by region) or jhu (national)"),
    output: str = Query("json", alias="format", description="json or csv"),
) -> HttpResponse:
    try:
        return _data(request, indicator, region, date_from, date_to, release, source, output)
    except BadParameter as error:
        return _bad(error)


def _data(
    request: HttpRequest,
    indicator_slug: str,
    region_code: str,
    date_from_text: str,
    date_to_text: str,
    release_text: str,
    source: str,
    output: str,
) -> HttpResponse:
    output = (output or "json").lower()
    if output not in FORMATS:
        raise BadParameter("format", _("format must be json or csv."))
    date_from = _date("from", date_from_text)
    date_to = _date("to", date_to_text)
    if date_from and date_to and date_from > date_to:
        raise BadParameter("from", _("from must not be later than to."))
    release_id, as_of = _release_parse(release_text)
    if source and source not in SOURCES:
        raise BadParameter(
            "source", _("source must be one of %(names)s.") % {"names": ", ".join(SOURCES)}
        )
    if not indicator_slug:
        raise BadParameter("indicator", _("indicator is required; see /api/v1/stats/indicators."))
    indicator = Indicator.objects.filter(slug=indicator_slug).first()
    if indicator is None:
        raise BadParameter(
            "indicator",
            _("No indicator %(value)r; see /api/v1/stats/indicators.") % {"value": indicator_slug},
        )
    region = None
    if region_code:
        region = Region.objects.filter(code__iexact=region_code.strip()).first()
        if region is None:
            raise BadParameter(
                "region",
                _("No region has the ISO code %(value)r (e.g. KZ, KZ-75).")
                % {"value": region_code},
            )
    chosen = release_for(
        indicator=indicator,
        region=region,
        release_id=release_id,
        as_of=as_of,
        source_key=source,
    )
    if chosen is None:
        raise BadParameter("release", _("No release has figures for this question."))
    key = "|".join(
        str(part)
        for part in (
            chosen.pk,
            indicator.slug,
            region.code if region else "",
            date_from,
            date_to,
            output,
        )
    )

    def render() -> HttpResponse:
        values = value_list(
            release=chosen, indicator=indicator, region=region, date_from=date_from, date_to=date_to
        )
        if output == "csv":
            return _csv(chosen, indicator, values)
        body = {
            "indicator": _indicator_out(indicator),
            "release": _release_out(chosen),
            "data": [
                {
                    "date": value.date.isoformat(),
                    "region": value.region.code,
                    "value": value.value,
                    "reported_as": value.reported_as,
                }
                for value in values
            ],
        }
        return JsonResponse(body, json_dumps_params={"ensure_ascii": False})

    return _cached(request, key, render)


def _release_parse(text: str) -> tuple[int | None, date | None]:
    text = (text or "").strip()
    if not text or text == "latest":
        return None, None
    if text.isdigit():
        return int(text), None
    try:
        return None, date.fromisoformat(text)
    except ValueError:
        raise BadParameter(
            "release",
            _("release must be a release id, a date as YYYY-MM-DD or latest, not %(value)r.")
            % {"value": text},
        ) from None


def _csv(release: Release, indicator: Indicator, values: Any) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["date", "region", "indicator", "value", "reported_as", "release"])
    for value in values:
        writer.writerow(
            [
                value.date.isoformat(),
                value.region.code,
                indicator.slug,
                value.value,
                value.reported_as,
                release.pk,
            ]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{indicator.slug}-release-{release.pk}.csv"'
    )
    return response
