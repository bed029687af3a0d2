"""The claims part of the JSON API (mounted at /api/v1/claims)."""

from ninja import Router

router = Router(tags=["claims"])
