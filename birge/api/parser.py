"""The API's request bodies: JSON text in UTF-8, at most 64 levels of arrays and objects."""

import json
from typing import Any, cast

from django.http import HttpRequest
from ninja.parser import Parser
from ninja.types import DictStrAny

# Pydantic, the idempotency fingerprint (json.dumps) and our own code recurse over what they
# are given; no request needs more levels than this.
JSON_MAX_DEPTH = 64


class BodyNotJson(ValueError):
    """The body is not JSON text in UTF-8."""


class BodyTooDeep(BodyNotJson):
    """The body nests arrays and objects deeper than JSON_MAX_DEPTH."""


def json_body_parse(raw: bytes) -> Any:
    """The JSON document in `raw`; raises BodyNotJson for anything else, BodyTooDeep (a
    subclass) for a document nested deeper than JSON_MAX_DEPTH."""
    try:
        document = json.loads(raw.decode("utf-8"))
    except RecursionError as error:
        # The C decoder recurses once per level: some thousand levels exhaust the stack.
        raise BodyTooDeep from error
    except ValueError as error:
        raise BodyNotJson from error
    if _deeper_than(document, JSON_MAX_DEPTH):
        raise BodyTooDeep
    return document


def _deeper_than(document: Any, limit: int) -> bool:
    # A loop, not recursion: the check must not fail the way it guards against.
    stack = [(document, 1)] if isinstance(document, dict | list) else []
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class JsonParser(Parser):
    """ninja's parser with json_body_parse's limits; ninja answers any failure as
    HttpError(400) raised from it (birge.api.api words it)."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        return cast(DictStrAny, json_body_parse(request.body))
