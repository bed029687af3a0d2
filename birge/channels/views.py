"""E-mail subscriptions on the public site: ask, confirm by link, leave in one click."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from birge.core.ratelimit import RateLimit, rate_limited

from .forms import EmailSubscribeForm
from .services import email_subscribe as subscribe
from .services import subscription_confirm as confirm
from .services import subscription_end

SUBSCRIBE_LIMIT = RateLimit(scope="channels-subscribe", limit=10, window_seconds=3600)


@never_cache
@rate_limited(SUBSCRIBE_LIMIT)
def email_subscribe(request: HttpRequest) -> HttpResponse:
    form = EmailSubscribeForm(request.POST or None)
    asked = False
    if request.method == "POST" and form.is_valid():
        try:
            subscribe(
                email=form.cleaned_data["email"],
                language=(get_language() or "kk")[:2],
                regions=list(form.cleaned_data["regions"]),
                topics=list(form.cleaned_data["topics"]),
            )
            asked = True
        except ValidationError as error:
            form.add_error("email", error)
    status = 422 if request.method == "POST" and form.errors else 200
    return render(request, "channels/subscribe.html", {"form": form, "asked": asked}, status=status)


@never_cache
def subscription_confirm(request: HttpRequest, token: str) -> HttpResponse:
    # Mail scanners open links: a GET only shows the button, the POST confirms.
    if request.method == "POST":
        subscriber = confirm(token=token)
        return render(
            request,
            "channels/subscribe_done.html",
            {"subscriber": subscriber, "done": "confirmed"},
            status=200 if subscriber else 404,
        )
    return render(request, "channels/subscribe_confirm.html", {"token": token})


# Mail clients send the one-click unsubscribe (RFC 8058) as a POST without our CSRF cookie; the
# token in the address is what authorises it, and it only ever ends a subscription.
@csrf_exempt
@never_cache
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        subscriber = subscription_end(token=token)
        return render(
            request,
            "channels/subscribe_done.html",
            {"subscriber": subscriber, "done": "unsubscribed"},
            status=200 if subscriber else 404,
        )
    return render(request, "channels/unsubscribe.html", {"token": token})
