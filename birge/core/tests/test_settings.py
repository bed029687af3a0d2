import importlib
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured


def test_production_settings_refuse_to_start_without_required_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "BIRGE_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    sys.modules.pop("config.settings.prod", None)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        importlib.import_module("config.settings.prod")


def test_production_settings_are_https_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "birge.example.kz")
    monkeypatch.setenv("DATABASE_URL", "postgres://birge@127.0.0.1:5432/birge")
    monkeypatch.setenv("BIRGE_BASE_URL", "https://birge.example.kz")
    sys.modules.pop("config.settings.prod", None)
    prod = importlib.import_module("config.settings.prod")
    assert prod.DEBUG is False
    assert prod.SESSION_COOKIE_SECURE is True
    assert prod.CSRF_COOKIE_SECURE is True
    assert prod.SECURE_HSTS_SECONDS >= 31536000
    assert prod.BIRGE_DEMO is False
    sys.modules.pop("config.settings.prod", None)
