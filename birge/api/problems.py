"""The shape every router answers a refusal in, shared so that every domain's errors read alike."""

from typing import Any

from django.core.exceptions import ValidationError
from ninja import Schema


class Problem(Schema):
    error: str
    message: str
    details: list[dict[str, Any]] = []


def validation_details(error: ValidationError) -> list[dict[str, Any]]:
    """A service's ValidationError as [{"field", "message"}], the field "" for a whole-form one."""
    if hasattr(error, "error_dict"):
        return [
            {"field": field, "message": message}
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"field": "", "message": message} for message in error.messages]


# What the authentication (birge.api.security) and the media-type check may answer anywhere.
REFUSALS: dict[int, type[Problem]] = {401: Problem, 403: Problem, 415: Problem, 429: Problem}
