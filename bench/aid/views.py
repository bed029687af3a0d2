"""The aid benchmark's reference: one indexed page of 50 help requests in a bare view."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from birge.aid.models import HelpRequest


@require_GET
def page(request: HttpRequest) -> HttpResponse:
    after = int(request.GET.get("after") or 0)
    rows = list(
        HelpRequest.objects.filter(pk__gt=after)
        .order_by("pk")
        .values("pk", "tracking_code", "status", "priority")[:50]
    )
    return JsonResponse({"rows": rows})
