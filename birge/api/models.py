"""API clients: the machine callers (contact centre, bot, partners) and what each may do."""

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .scopes import scopes_registered

KEY_PREFIX_LENGTH = 8


def key_hash(key: str) -> str:
    """A fast hash suffices: keys are 32 random bytes, so there is no dictionary to try."""
    return hashlib.sha256(key.encode()).hexdigest()


def key_new() -> tuple[str, str]:
    """A new key and its public prefix; the key is shown once and only its hash is stored."""
    prefix = secrets.token_hex(KEY_PREFIX_LENGTH // 2)
    return prefix, f"birge_{prefix}_{secrets.token_urlsafe(32)}"


class ApiClient(models.Model):
    class Channel(models.TextChoices):
        API = "api", _("Partner system (API)")
        CALL_CENTRE = "call_centre", _("Contact centre 109")
        TELEGRAM = "telegram", _("Telegram bot")

    name = models.CharField(_("name"), max_length=200, unique=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    scopes = models.JSONField(_("scopes"), default=list)
    requests_per_minute = models.PositiveIntegerField(_("requests per minute"), default=600)
    key_prefix = models.CharField(max_length=KEY_PREFIX_LENGTH, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    contact = models.CharField(_("technical contact"), max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: Any) -> bool:
        return str(scope) in self.scopes

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        known = scopes_registered()
        if not isinstance(self.scopes, list) or any(name not in known for name in self.scopes):
            errors["scopes"] = _("Choose scopes from the list.")
        if self.requests_per_minute is not None and self.requests_per_minute < 1:
            errors["requests_per_minute"] = _("Allow at least one request per minute.")
        if errors:
            raise ValidationError(errors)
