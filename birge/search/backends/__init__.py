"""The search backend interface: documents in, ranked pages of hits out.

A backend is any class with this shape, named by dotted path in the setting
`BIRGE_SEARCH_BACKEND` and built without arguments. The default,
`birge.search.backends.database.DatabaseBackend`, keeps the index in the site's own database
(SQLite FTS5 or PostgreSQL full-text search); a backend for a search cluster keeps it there and
implements the same four methods. Queries reach a backend analysed (`Query.units`), so every
backend matches the same stems and concept tokens; `Query.text` is there for one that wants to
add its own matching.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from ..analysis import Query
from ..sources import Document, DocumentKey

DEFAULT_BACKEND = "birge.search.backends.database.DatabaseBackend"


@dataclass(frozen=True, slots=True)
class Hit:
    document: Document
    # Higher is better; comparable only within one answer of one backend.
    score: float


@dataclass(frozen=True, slots=True)
class HitPage:
    hits: list[Hit]
    # Every document matching the query and filters, not only this page's.
    total: int


class SearchBackend(Protocol):
    # True: writes join the caller's database transaction, so a change and its index entry
    # commit or roll back together. False: the index is written after commit, by a task.
    transactional: bool

    def upsert(self, documents: Iterable[Document]) -> None:
        """Index the documents; one whose (kind, key) is indexed already replaces it."""

    def remove(self, keys: Iterable[DocumentKey]) -> None:
        """Forget the documents with these keys; unknown keys are ignored."""

    def keys(self, kind: str) -> set[str]:
        """Every key indexed for `kind` (a rebuild drops those the source no longer has)."""

    def search(
        self,
        query: Query,
        *,
        language: str | None,
        kinds: Collection[str],
        prefer_language: str | None,
        limit: int,
        offset: int,
    ) -> HitPage:
        """Documents matching every unit of `query`, in `language` and `kinds` (all when empty
        or None); `prefer_language` first, then best score, then newest."""


@cache
def _backend_at(dotted_path: str) -> SearchBackend:
    backend_class: type[SearchBackend] = import_string(dotted_path)
    return backend_class()


def search_backend() -> SearchBackend:
    """The backend named by BIRGE_SEARCH_BACKEND (the database one by default)."""
    return _backend_at(getattr(settings, "BIRGE_SEARCH_BACKEND", DEFAULT_BACKEND))
