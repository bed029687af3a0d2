"""One-time sign-in links by e-mail, for the people who are not staff (volunteers, accredited
journalists): a signed token naming the person and their last sign-in, so using it moves the
sign-in on and the same link does not work twice; it expires after `max_age` seconds."""

import hmac
from datetime import datetime
from typing import Any

from django.core import signing

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
