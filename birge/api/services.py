"""Writes of the API app: administrators create, change, revoke and re-key API clients.

Every function checks the actor, validates the model, records itself in the audit log (field
names, never the key) and drops the client from the key cache, so a revoked or re-keyed client
is refused on its next request.
"""

from collections.abc import Sequence

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from birge.core.access import StaffUser, ensure_can
from birge.core.audit import audit_log, changed_fields_summary

from .access import API_CLIENT_MANAGE
from .models import ApiClient, key_hash, key_new
from .selectors import api_client_cache_key

API_CLIENT_EDITABLE_FIELDS = ("name", "scopes", "requests_per_minute", "contact")


def _ensure_manager(actor: StaffUser | None) -> None:
    """Refuse anyone but an administrator; None is the system itself (the demo loader, the
    benchmark)."""
    if actor is not None:
        ensure_can(actor, API_CLIENT_MANAGE)


def _forget_key(digest: str) -> None:
    # Dropped now and again after commit: a request between the two may cache the row as it was
    # before this transaction, and the second delete removes that copy.
    cache.delete(api_client_cache_key(digest))
    transaction.on_commit(lambda: cache.delete(api_client_cache_key(digest)))


@transaction.atomic
def api_client_create(
    *,
    actor: StaffUser | None,
    name: str,
    channel: ApiClient.Channel,
    scopes: Sequence[str],
    requests_per_minute: int,
    contact: str = "",
) -> tuple[ApiClient, str]:
    """Register a client; returns it with its key, which is shown once and stored only hashed."""
    _ensure_manager(actor)
    prefix, key = key_new()
    client = ApiClient(
        name=name.strip(),
        channel=channel,
        scopes=list(scopes),
        requests_per_minute=requests_per_minute,
        contact=contact.strip(),
        key_prefix=prefix,
        key_hash=key_hash(key),
        created_by=actor,
    )
    client.full_clean()
    client.save()
    audit_log(
        actor=actor,
        action="api.client.created",
        target=client,
        summary=f"channel: {client.channel}; scopes: {', '.join(client.scopes) or '-'}",
    )
    return client, key


@transaction.atomic
def api_client_update(
    *,
    actor: StaffUser | None,
    client: ApiClient,
    name: str,
    scopes: Sequence[str],
    requests_per_minute: int,
    contact: str,
) -> ApiClient:
    """Change what a client may do and how often; its key and channel stay as they are."""
    _ensure_manager(actor)
    before = {field: getattr(client, field) for field in API_CLIENT_EDITABLE_FIELDS}
    client.name = name.strip()
    client.scopes = list(scopes)
    client.requests_per_minute = requests_per_minute
    client.contact = contact.strip()
    client.full_clean()
    client.save(update_fields=list(API_CLIENT_EDITABLE_FIELDS))
    after = {field: getattr(client, field) for field in API_CLIENT_EDITABLE_FIELDS}
    audit_log(
        actor=actor,
        action="api.client.updated",
        target=client,
        summary=changed_fields_summary(before, after),
    )
    _forget_key(client.key_hash)
    return client


@transaction.atomic
def api_client_revoke(*, actor: StaffUser | None, client: ApiClient) -> ApiClient:
    """Stop the client's key for good; its appeals keep their link to it. Idempotent."""
    _ensure_manager(actor)
    if client.revoked_at is not None:
        return client
    client.revoked_at = timezone.now()
    client.save(update_fields=["revoked_at"])
    audit_log(actor=actor, action="api.client.revoked", target=client)
    _forget_key(client.key_hash)
    return client


@transaction.atomic
def api_client_key_rotate(*, actor: StaffUser | None, client: ApiClient) -> str:
    """Replace the client's key; the old one stops at once. Returns the new key, shown once."""
    _ensure_manager(actor)
    if client.revoked_at is not None:
        raise ValidationError(_("A revoked client gets no new key."))
    old_digest = client.key_hash
    client.key_prefix, key = key_new()
    client.key_hash = key_hash(key)
    client.save(update_fields=["key_prefix", "key_hash"])
    audit_log(actor=actor, action="api.client.key_rotated", target=client)
    _forget_key(old_digest)
    return key
