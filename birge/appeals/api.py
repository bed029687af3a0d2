"""The appeals part of the JSON API (mounted at /api/v1/appeals)."""

from ninja import Router

router = Router(tags=["appeals"])
