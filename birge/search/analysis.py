"""Documents and queries analysed alike into script-free terms (birge.matching, ADR 0101).

Every word becomes its match-key stem, the same for Kazakh in Cyrillic or Latin, Russian and
English ("маскалар", "маски", "masks", "maskalar": `mask`), and a word of the pandemic lexicon
also brings its concept token, so a query can reach a document in another language that uses
another word for the same thing ("бетперде" and "mask"). Terms are plain `[a-z0-9]+`, so
neither FTS5 nor PostgreSQL's parser ever sees a character it would read as syntax.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from birge.matching.analysis import CONCEPT_PREFIX, hybrid_query, hybrid_terms

# Match keys never contain an "x" (it is spelled "ks"), so a concept token written with one
# can neither collide with a stem nor be reached by a stem's prefix.
CONCEPT_MARK = "x"
# A query is at most 200 characters; more words than this add cost, not precision.
QUERY_MAX_UNITS = 12
# A last word shorter than this is matched whole: "ma*" would match half the index.
PREFIX_MIN_LENGTH = 3
_TERM = re.compile(r"[a-z0-9]+")


def _term(token: str) -> str:
    if token.startswith(CONCEPT_PREFIX):
        return CONCEPT_MARK + token[len(CONCEPT_PREFIX) :]
    return token


def document_terms(text: str, language: str) -> str:
    """The terms of a document's text, space-separated, as the index stores them."""
    terms = (_term(token) for token in hybrid_terms(text, language))
    return " ".join(term for term in terms if _TERM.fullmatch(term))


@dataclass(frozen=True, slots=True)
class Query:
    """A query as analysed: per word, the terms any of which may match it.

    Every unit must match. With `prefix`, the first term of the last unit (the stem of the word
    being typed) also matches longer terms that start with it.
    """

    text: str
    units: tuple[tuple[str, ...], ...]
    prefix: bool

    @property
    def terms(self) -> frozenset[str]:
        return frozenset(term for unit in self.units for term in unit)

    @property
    def prefix_term(self) -> str | None:
        return self.units[-1][0] if self.prefix and self.units else None


def query_analyse(text: str) -> Query:
    """Analyse what a reader typed; its language is guessed, as a query may be in any of three."""
    units: list[tuple[str, ...]] = []
    for unit in hybrid_query(text):
        terms = tuple(dict.fromkeys(_term(token) for token in unit if token))
        terms = tuple(term for term in terms if _TERM.fullmatch(term))
        if terms and terms not in units:
            units.append(terms)
    units = units[:QUERY_MAX_UNITS]
    # The last word may be unfinished ("карант"): its stem also matches as a prefix.
    last_stem = units[-1][0] if units else ""
    prefix = (
        len(last_stem) >= PREFIX_MIN_LENGTH
        and not last_stem.startswith(CONCEPT_MARK)
        and not last_stem.isdigit()
    )
    return Query(text=text, units=tuple(units), prefix=prefix)


# --- Highlighting --------------------------------------------------------------------------------

# Words as the matching analysis reads them, apostrophes of the 2017 Kazakh alphabet included.
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
SNIPPET_WORDS_BEFORE = 8
SNIPPET_WORDS = 32
# Beyond this many words into a text, a match is not looked for: the summary is shown instead.
SNIPPET_SCAN_WORDS = 1500


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of text, marked when it is a word the query matched. Templates escape both."""

    text: str
    marked: bool = False


@lru_cache(maxsize=50_000)
def _word_terms(word: str, language: str) -> frozenset[str]:
    return frozenset(_term(token) for token in hybrid_terms(word, language))


def _matches(word: str, language: str, query: Query) -> bool:
    terms = _word_terms(word, language)
    if terms & query.terms:
        return True
    prefix = query.prefix_term
    return prefix is not None and any(term.startswith(prefix) for term in terms)


def highlight(text: str, *, language: str, query: Query) -> list[Piece]:
    """The whole text with the words the query matched marked."""
    pieces: list[Piece] = []
    position = 0
    for match in _WORD.finditer(text):
        if _matches(match.group(0), language, query):
            if match.start() > position:
                pieces.append(Piece(text[position : match.start()]))
            pieces.append(Piece(match.group(0), marked=True))
            position = match.end()
    if position < len(text):
        pieces.append(Piece(text[position:]))
    return pieces


def snippet(text: str, *, language: str, query: Query) -> list[Piece]:
    """About 32 words of `text` from just before its first matched word, marked; [] if none."""
    words: list[re.Match[str]] = []
    first = None
    for index, match in enumerate(_WORD.finditer(text)):
        if first is None:
            if index >= SNIPPET_SCAN_WORDS:
                return []
            if _matches(match.group(0), language, query):
                first = index
        words.append(match)
        if first is not None and len(words) >= max(first - SNIPPET_WORDS_BEFORE, 0) + SNIPPET_WORDS:
            break
    if first is None:
        return []
    start_word = max(first - SNIPPET_WORDS_BEFORE, 0)
    start = words[start_word].start() if start_word else 0
    end = words[-1].end()
    more = _WORD.search(text, end) is not None
    if not more:
        end = len(text)
    pieces = highlight(" ".join(text[start:end].split()), language=language, query=query)
    if start_word:
        pieces.insert(0, Piece("… "))
    if more:
        pieces.append(Piece(" …"))
    return pieces
