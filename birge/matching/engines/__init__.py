"""The matching engine interface: items in, ranked groups out.

An engine is any class with this shape, named by dotted path in the setting
`BIRGE_MATCHING_ENGINE` and built as `EngineClass(name=collection)`. The in-process engines live
in `birge.matching.engines.lexical` (BM25) and `birge.matching.engines.embedding` (sentence
vectors, and the default that fuses both); an engine backed by PostgreSQL or OpenSearch would
keep its index in that store under `name` and implement the same three methods.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.utils.module_loading import import_string

DEFAULT_ENGINE = "birge.matching.engines.embedding.FusedEngine"


@dataclass(frozen=True, slots=True)
class Item:
    """One text to match against: a claim's wording in one language, a question, an answer.

    Items that share `group` are translations or wordings of one thing; search results are per
    group. Without a group an item is its own group.
    """

    id: str
    text: str
    lang: str | None = None
    group: str | None = None

    @property
    def group_key(self) -> str:
        return self.group if self.group is not None else self.id


@dataclass(frozen=True, slots=True)
class Match:
    """A group found for a query: its key, its best item's score and that item's id.

    The default engines score the share of the query's weight an item matches: 1.0 is every
    query word found once in an item of average length; short items repeating a query word can
    score a little above 1.
    """

    key: str
    score: float
    item_id: str


class MatchingEngine(Protocol):
    def __init__(self, *, name: str) -> None: ...

    def add(self, items: Iterable[Item]) -> None:
        """Index the items; an item whose id is already indexed replaces the old one."""

    def remove(self, ids: Iterable[str]) -> None:
        """Forget the items with these ids; unknown ids are ignored."""

    def search(self, text: str, *, lang: str | None = None, top: int = 10) -> list[Match]:
        """Return at most `top` groups, best first; never raises on odd text."""

    def __len__(self) -> int:
        """Return how many items are indexed."""


def engine_class(dotted_path: str) -> type[MatchingEngine]:
    """Return the engine class at the dotted path; ImportError if there is none."""
    engine: type[MatchingEngine] = import_string(dotted_path)
    return engine
