"""The aid part of the JSON API (mounted at /api/v1/aid).

POST /api/v1/aid/requests               scope aid.requests.submit (the hotline, partners)
  body: {"campaign": slug, "region": "KZ-75", "help_kind": "food_basket", "household_size":
         int, "person_name": str, "birth_date": "YYYY-MM-DD"|null, "iin": str, "phone": str,
         "email": str, "address": str, "categories": [str], "no_food": bool,
         "lives_alone": bool, "requester_name": str, "requester_phone": str,
         "consent": bool, "language": "kk"|"ru"|"en"}
  201 {"tracking_code", "status", "tracking_url", "possible_duplicate": bool}
  422 {"error": "invalid_input", "message", "details": [{"field", "message"}]}: the same
      rules and messages as the web form, in the caller's Accept-Language.

GET /api/v1/aid/campaigns/{slug}/report  anonymous
  200 {"campaign", "raised", "spent", "families_helped", "regions": [{"region", "months":
       [{"month", "families"}]}]}; a cell under 5 families is "<5", never its number.
"""

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router, Schema, Status

from birge.api.problems import REFUSALS, Problem, validation_details
from birge.api.scopes import scope_register
from birge.api.security import ApiKeyBearer, api_client_of
from birge.core.selectors import region_by_code

from .models import HelpRequest
from .notify import tracking_url
from .selectors import campaign_by_slug, campaigns_taking_requests, fund_report
from .services import Household, help_request_submit

router = Router(tags=["aid"])

AID_REQUESTS_SUBMIT = scope_register(
    "aid.requests.submit", gettext_lazy("Register help requests for families")
)


class HelpRequestIn(Schema):
    campaign: str
    region: str
    help_kind: str
    household_size: int
    person_name: str = ""
    birth_date: dt.date | None = None
    iin: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    categories: list[str] = []
    no_food: bool = False
    lives_alone: bool = False
    requester_name: str = ""
    requester_phone: str = ""
    consent: bool = False
    language: Literal["kk", "ru", "en"] = "kk"


class HelpRequestCreated(Schema):
    tracking_code: str
    status: str
    tracking_url: str
    possible_duplicate: bool


def _invalid(error: ValidationError) -> dict[str, Any]:
    return {
        "error": "invalid_input",
        "message": _("The request is not valid."),
        "details": validation_details(error),
    }


@router.post(
    "/requests",
    auth=ApiKeyBearer(AID_REQUESTS_SUBMIT),
    response={201: HelpRequestCreated, 422: Problem, **REFUSALS},
)
def help_request_create(request: HttpRequest, payload: HelpRequestIn) -> Any:
    campaign = campaigns_taking_requests().filter(slug=payload.campaign).first()
    region = region_by_code(payload.region)
    if campaign is None or region is None:
        field = "campaign" if campaign is None else "region"
        return Status(422, _invalid(ValidationError({field: _("Choose from the list.")})))
    data = payload.model_dump()
    household = Household(
        **{key: data[key] for key in Household.__dataclass_fields__ if key != "categories"},
        categories=tuple(payload.categories),
    )
    try:
        item = help_request_submit(
            campaign=campaign,
            region=region,
            help_kind=payload.help_kind,
            household=household,
            consent=payload.consent,
            language=payload.language,
            channel=HelpRequest.Channel.API,
            api_client=api_client_of(request),
        )
    except ValidationError as error:
        return Status(422, _invalid(error))
    return Status(
        201,
        {
            "tracking_code": item.tracking_code,
            "status": item.status,
            "tracking_url": tracking_url(item),
            "possible_duplicate": item.possible_duplicate_of_id is not None,
        },
    )


@router.get("/campaigns/{slug}/report", auth=None)
def campaign_report(request: HttpRequest, slug: str) -> dict[str, Any]:
    report = fund_report(campaign_by_slug(slug))
    return {
        "campaign": report.campaign.slug,
        "raised": str(report.raised),
        "spent": str(report.spent),
        "families_helped": report.families_helped,
        "regions": [
            {
                "region": name,
                "months": [
                    {"month": month.strftime("%Y-%m"), "families": cell.shown.replace(" ", "")}
                    for month, cell in sorted(cells.items())
                ],
            }
            for name, cells, _total in report.regions
        ],
    }
