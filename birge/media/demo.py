"""Demo data for the press desk: an accredited demo outlet with its journalist, an answered and
an open request, and an application waiting for the coordinators. Idempotent."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from birge.core.models import Agency

from .models import MediaRequest, Member, Outlet, RequestKind
from .services import media_request_answer, media_request_submit, outlet_apply, outlet_decide

JOURNALIST_EMAIL = "journalist@demo.birge.invalid"


@transaction.atomic
def media_demo_load() -> None:
    if Outlet.objects.exists():
        return
    user_model = get_user_model()
    coordinator = user_model.objects.get(username="coordinator")
    officer = user_model.objects.get(username="officer")
    health = Agency.objects.get(slug="ministry-of-healthcare")
    outlet = outlet_apply(
        name="Демо ақпарат агенттігі (demo news agency)",
        kind=Outlet.Kind.MEDIA,
        registration="DEMO-0001",
        editor="Ерлан Демо",
        email=JOURNALIST_EMAIL,
        phone="+7 701 555 02 01",
    )
    outlet_decide(
        coordinator=coordinator, outlet=outlet, status=Outlet.Status.ACCREDITED, reason=""
    )
    member = Member.objects.get(outlet=outlet)
    answered = media_request_submit(
        member=member,
        kind=RequestKind.FACTUAL,
        question="Сколько коек для больных COVID-19 сейчас свободно в Алматы?",
        agency=health,
        language="ru",
    )
    media_request_answer(
        officer=officer,
        request=answered,
        answer="Демо-ответ: по данным министерства на утро, свободны 1 240 коек из 6 800.",
    )
    # Registered two hours earlier and answered within its 4 hours, as the figures show it.
    earlier = timezone.now() - dt.timedelta(hours=2)
    MediaRequest.objects.filter(pk=answered.pk).update(
        submitted_at=earlier, due_at=earlier + dt.timedelta(hours=answered.target_hours)
    )
    media_request_submit(
        member=member,
        kind=RequestKind.INTERVIEW,
        question="Request for an interview with the chief sanitary doctor about the new rules.",
        agency=None,
        language="en",
    )
    outlet_apply(
        name="Демо қоғамдық бірлестігі (demo NGO)",
        kind=Outlet.Kind.NGO,
        registration="DEMO-BIN-000000000002",
        editor="Айжан Демо",
        email="ngo@demo.birge.invalid",
        phone="+7 701 555 02 02",
    )
