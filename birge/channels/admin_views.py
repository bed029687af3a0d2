"""Staff screens of the channels: every publication and its deliveries per channel, a
coordinator's alert, the second coordinator's approval, sending again and stopping."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from birge.core.access import StaffRequest, can, ensure_can

from . import selectors, services
from .access import DELIVERY_RETRY, PUBLICATION_APPROVE, PUBLICATION_CREATE, PUBLICATION_VIEW
from .forms import AlertForm
from .models import Publication

PAGE_SIZE = 50


def _errors(request: StaffRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _choice(value: str, allowed: list[str]) -> str | None:
    return value if value in allowed else None


def publications(request: StaffRequest) -> HttpResponse:
    ensure_can(request.user, PUBLICATION_VIEW)
    kinds = [
        (value, label)
        for value, label in Publication.Kind.choices
        if value not in selectors.STAFF_KINDS_EXCLUDED
    ]
    status = _choice(request.GET.get("status", ""), Publication.Status.values)
    kind = _choice(request.GET.get("kind", ""), [value for value, _label in kinds])
    page = Paginator(selectors.publication_list(status=status, kind=kind), PAGE_SIZE).get_page(
        request.GET.get("p")
    )
    return render(
        request,
        "channels/admin/publications.html",
        {
            "page_title": _("Publications"),
            "header_icon": "mail",
            "page": page,
            "held": selectors.publications_held(),
            "statuses": Publication.Status.choices,
            "status": status or "",
            "kinds": kinds,
            "kind": kind or "",
            "can_create": can(request.user, PUBLICATION_CREATE),
            "can_approve": can(request.user, PUBLICATION_APPROVE),
        },
    )


def publication_detail(request: StaffRequest, publication_id: int) -> HttpResponse:
    ensure_can(request.user, PUBLICATION_VIEW)
    publication = selectors.publication_get(publication_id=publication_id)
    summary = selectors.publication_channel_summary(publication)
    held = publication.status == Publication.Status.HELD
    return render(
        request,
        "channels/admin/publication_detail.html",
        {
            "page_title": publication.title(),
            "header_icon": "mail",
            "publication": publication,
            "texts": selectors.publication_texts(publication),
            "summary": summary,
            "failed_total": sum(row["failed"] for row in summary),
            "failed": selectors.publication_failed_deliveries(publication),
            # The service refuses the author too; the button is not offered to them.
            "can_approve": held
            and can(request.user, PUBLICATION_APPROVE)
            and publication.created_by_id != request.user.pk,
            "own_held": held and publication.created_by_id == request.user.pk,
            "can_cancel": publication.status != Publication.Status.CANCELLED
            and can(request.user, PUBLICATION_CREATE),
            "can_retry": can(request.user, DELIVERY_RETRY),
        },
    )


def alert_create(request: StaffRequest) -> HttpResponse:
    ensure_can(request.user, PUBLICATION_CREATE)
    form = AlertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            publication = services.publication_create(
                kind=Publication.Kind.URGENT_ALERT if data["urgent"] else Publication.Kind.NEWS,
                source_kind="channels.alert",
                source_key=f"{request.user.pk}:{(data['submission'] or uuid.uuid4()).hex}",
                texts=form.texts(),
                channels=data["channels"],
                regions=list(data["regions"]),
                topics=list(data["topics"]),
                urgent=data["urgent"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if publication.status == Publication.Status.HELD:
                messages.warning(
                    request,
                    _(
                        "The alert is waiting for a second coordinator: nothing is sent "
                        "until another coordinator approves it."
                    ),
                )
            else:
                messages.success(request, _("The publication is sent to the outbox."))
            return redirect("channels_publication_detail", publication_id=publication.pk)
    return render(
        request,
        "channels/admin/alert_create.html",
        {"page_title": _("New alert"), "header_icon": "mail", "form": form},
        status=422 if form.errors else 200,
    )


@require_POST
def publication_approve(request: StaffRequest, publication_id: int) -> HttpResponse:
    ensure_can(request.user, PUBLICATION_APPROVE)
    publication = selectors.publication_get(publication_id=publication_id)
    try:
        services.publication_approve(publication=publication, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Approved: the alert is on its way."))
    return redirect("channels_publication_detail", publication_id=publication.pk)


@require_POST
def publication_cancel(request: StaffRequest, publication_id: int) -> HttpResponse:
    ensure_can(request.user, PUBLICATION_CREATE)
    publication = selectors.publication_get(publication_id=publication_id)
    stopped = services.publication_cancel(publication=publication, actor=request.user)
    messages.success(
        request,
        ngettext(
            "Sending is stopped: %(count)d delivery is cancelled.",
            "Sending is stopped: %(count)d deliveries are cancelled.",
            stopped,
        )
        % {"count": stopped},
    )
    return redirect("channels_publication_detail", publication_id=publication.pk)


@require_POST
def delivery_retry(request: StaffRequest, delivery_id: int) -> HttpResponse:
    ensure_can(request.user, DELIVERY_RETRY)
    delivery = selectors.delivery_get(delivery_id=delivery_id)
    try:
        services.delivery_retry(delivery=delivery, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The delivery will be sent again."))
    return redirect("channels_publication_detail", publication_id=delivery.publication_id)
