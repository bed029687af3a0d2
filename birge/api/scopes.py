"""What an API client may do: scopes each domain declares next to the endpoints that need them.

A scope is an `ApiScope` object, never a string, so a misspelt name fails at import. Each
domain's `api.py` declares its own with `scope_register`; the API app's `ready()` imports the
whole API, so the registry is complete before the admin offers the scopes to choose from.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise


@dataclass(frozen=True)
class ApiScope:
    name: str
    label: str | Promise = field(compare=False)

    def __str__(self) -> str:
        return self.name


_SCOPES: dict[str, ApiScope] = {}


def scope_register(name: str, label: str | Promise) -> ApiScope:
    """Declare a scope; a second declaration of the same name is a programming error."""
    if name in _SCOPES:
        raise ImproperlyConfigured(f"The API scope {name!r} is declared twice.")
    scope = ApiScope(name=name, label=label)
    _SCOPES[name] = scope
    return scope


def scopes_registered() -> dict[str, ApiScope]:
    """Every declared scope by name, in the order the domains declared them."""
    return dict(_SCOPES)
