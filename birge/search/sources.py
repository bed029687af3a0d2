"""What the site search indexes, and who provides it: one source per kind of public content.

A domain registers its kind once, from its own `search` module (imported at start-up by
`SearchConfig.ready`):

    search_source_register("faq", label=_("Answer to a question"), documents=faq_documents)

`documents(keys)` yields the public documents among `keys` (every public one when `keys` is
None). The same function answers a refresh and a rebuild, so what counts as public is decided
in one place per domain: a key it does not yield is taken out of the index.
"""

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from django.utils.functional import Promise

KIND_MAX_LENGTH = 16
KEY_MAX_LENGTH = 64


class DocumentKey(NamedTuple):
    kind: str
    key: str


@dataclass(frozen=True, slots=True)
class Document:
    """One public item in one language, as the search shows it.

    `text` is plain text (no markup): what is searched besides the title and what snippets are
    cut from. `labels` holds a short tag per interface language (a page's type, a verdict).
    """

    kind: str
    key: str
    language: str
    title: str
    url: str
    published_at: datetime
    text: str = ""
    summary: str = ""
    agency: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def document_key(self) -> DocumentKey:
        return DocumentKey(self.kind, self.key)


DocumentsFunction = Callable[[Collection[str] | None], Iterable[Document]]


@dataclass(frozen=True, slots=True)
class Source:
    kind: str
    label: str | Promise
    documents: DocumentsFunction


_sources: dict[str, Source] = {}


def search_source_register(
    kind: str, *, label: str | Promise, documents: DocumentsFunction
) -> None:
    """Make a kind of content searchable; registering a kind again replaces its source."""
    if not kind.isascii() or not kind.isalnum() or len(kind) > KIND_MAX_LENGTH:
        raise ValueError(f"a search kind is a short ASCII word, not {kind!r}")
    _sources[kind] = Source(kind=kind, label=label, documents=documents)


def search_sources() -> list[Source]:
    """The registered sources, in the order the apps registered them."""
    return list(_sources.values())


def search_source(kind: str) -> Source:
    """The source of `kind`; KeyError for a kind nobody registered."""
    return _sources[kind]
