"""Reading the site search: one page of results, labelled and with the matched words marked."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from math import ceil

from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .analysis import SNIPPET_WORDS, Piece, Query, highlight, query_analyse, snippet
from .backends import Hit, search_backend
from .sources import search_sources

RESULTS_PER_PAGE = 20
# Deep pages cost the database more with every page and nobody reads them.
RESULTS_MAX_PAGE = 50
LANGUAGE_ELSEWHERE = {
    "kk": _("in Kazakh"),
    "ru": _("in Russian"),
    "en": _("in English"),
}


@dataclass(frozen=True, slots=True)
class Result:
    kind: str
    kind_label: str
    language: str
    # "in Russian" when the result is not in the page's language, else "".
    language_label: str
    label: str
    title: list[Piece]
    snippet: list[Piece]
    url: str
    published_at: datetime
    agency: str


@dataclass(frozen=True, slots=True)
class ResultPage:
    query: Query
    results: list[Result]
    total: int
    number: int
    per_page: int

    @property
    def num_pages(self) -> int:
        return max(ceil(self.total / self.per_page), 1)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < min(self.num_pages, RESULTS_MAX_PAGE)

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def _result(hit: Hit, *, query: Query, labels: dict[str, str], page_language: str) -> Result:
    document = hit.document
    language = document.language
    pieces = (
        snippet(document.summary, language=language, query=query)
        or snippet(document.text, language=language, query=query)
        or [Piece(Truncator(document.summary or document.text).words(SNIPPET_WORDS))]
    )
    return Result(
        kind=document.kind,
        kind_label=labels[document.kind],
        language=language,
        language_label=(
            str(LANGUAGE_ELSEWHERE.get(language, language)) if language != page_language else ""
        ),
        label=document.labels.get(page_language, ""),
        title=highlight(document.title, language=language, query=query),
        snippet=pieces,
        url=document.url,
        published_at=document.published_at,
        agency=document.agency,
    )


def search_results(
    *,
    text: str,
    page_language: str,
    language: str | None = None,
    kinds: Sequence[str] = (),
    page: int = 1,
    per_page: int = RESULTS_PER_PAGE,
) -> ResultPage:
    """One page of what matches `text`, in `language` and `kinds` (all when empty): results in
    the page's language first, then by relevance, newest first among equals. One query."""
    query = query_analyse(text)
    labels = {source.kind: str(source.label) for source in search_sources()}
    wanted = [kind for kind in kinds if kind in labels] or list(labels)
    number = min(max(page, 1), RESULTS_MAX_PAGE)
    if not query.units:
        return ResultPage(query=query, results=[], total=0, number=1, per_page=per_page)
    backend = search_backend()

    def fetch(number: int) -> tuple[list[Hit], int]:
        found = backend.search(
            query,
            language=language or None,
            kinds=wanted,
            prefer_language=None if language else page_language,
            limit=per_page,
            offset=(number - 1) * per_page,
        )
        return found.hits, found.total

    hits, total = fetch(number)
    if not hits and total:
        # A page past the end (an old link, a hand-edited URL) shows the last one.
        number = min(ceil(total / per_page), RESULTS_MAX_PAGE)
        hits, total = fetch(number)
    results = [
        _result(hit, query=query, labels=labels, page_language=page_language) for hit in hits
    ]
    return ResultPage(query=query, results=results, total=total, number=number, per_page=per_page)
