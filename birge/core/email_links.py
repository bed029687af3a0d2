"""One-time sign-in links by e-mail, for the people who are not staff (volunteers, accredited
journalists): a signed token naming the person and their last sign-in, so using it moves the
sign-in on and the same link does not work twice; it expires after `max_age` seconds."""

import hmac
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core import signing
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

SIGN_IN_MAX_AGE_SECONDS = 30 * 60


def sign_in_token(*, salt: str, pk: int, signed_in_at: datetime | None) -> str:
    last = signed_in_at.isoformat() if signed_in_at else ""
    return signing.dumps({"v": pk, "s": last}, salt=salt)


def sign_in_token_read(token: str, *, salt: str, max_age: int = SIGN_IN_MAX_AGE_SECONDS) -> Any:
    """The id the token names, if it is genuine and fresh; None otherwise."""
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("v"), int):
        return None
    return data


def sign_in_token_unused(data: Any, signed_in_at: datetime | None) -> bool:
    """Whether the token was issued after the person's last sign-in (so it is still unused)."""
    last = signed_in_at.isoformat() if signed_in_at else ""
    return hmac.compare_digest(str(data.get("s", "")), last)


def sign_in_link_page(
    request: HttpRequest,
    token: str,
    *,
    sign_in: Callable[[str], Model | None],
    session_key: str,
    home: str,
    retry: str,
    template: str,
) -> HttpResponse:
    """The page an e-mailed link opens: a GET only shows a button (mail scanners that open
    links would otherwise use up the one-time link), the POST signs in and puts the person's id
    in a fresh session under `session_key`, then goes to `home`; a used or stale link goes to
    `retry` with a message."""
    if request.method == "POST":
        person = sign_in(token)
        if person is not None:
            request.session.cycle_key()
            request.session[session_key] = person.pk
            return redirect(home)
        messages.error(request, _("This sign-in link has expired or was used; ask for a new one."))
        return redirect(retry)
    return render(request, template, {"token": token})
