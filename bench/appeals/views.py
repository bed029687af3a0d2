"""The reference: a bare Django view doing one INSERT, served by the same process as the intake."""

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .models import ReferenceRow


@csrf_exempt
@require_POST
def reference_insert(request: HttpRequest) -> HttpResponse:
    """Parse the same JSON body the intake gets and store its text: one INSERT, autocommit."""
    try:
        text = str(json.loads(request.body)["text"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "invalid_input"}, status=422)
    row = ReferenceRow.objects.create(text=text)
    return JsonResponse({"id": row.pk}, status=201)


@require_GET
def idle(request: HttpRequest) -> HttpResponse:
    """Writes nothing: the load generator sends this after its deadline while writes drain."""
    return HttpResponse(status=204)
