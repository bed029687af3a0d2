"""In-process engines: BM25 over analysed terms, with query words widened by character trigrams.

`HybridEngine` (the default) indexes script-free stems and lexicon concepts and lets each query
stem also match indexed stems that share most of its character trigrams, so typos, leftover
Kazakh endings and loanword spellings still meet. `Bm25Engine` is plain BM25 over case-folded
words, kept as the yardstick. Both are fast enough for a web request on a hundred thousand items
(see docs/benchmarks.md#matching-quality-and-speed) and hold everything in memory.

Neither is thread-safe: the index registry serialises access to each engine.
"""

import logging
import math
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from functools import partial

import numpy as np
import numpy.typing as npt

from ..analysis import (
    CONCEPT_PREFIX,
    hybrid_query,
    hybrid_terms,
    plain_query,
    plain_terms,
    stem_concepts,
)
from . import Item, Match
from .segment import Segment

logger = logging.getLogger(__name__)

# Text and language to index terms, for items.
Analyzer = Callable[[str, str | None], list[str]]
# Text and language to query units: each unit is the alternatives for one word or phrase.
QueryAnalyzer = Callable[[str, str | None], list[tuple[str, ...]]]

# A query longer than this is cut: the first ten thousand characters identify a claim, and the
# cut keeps a pasted book from holding a worker.
QUERY_MAX_CHARS = 10_000
# Items added since the last full build sit in a small second segment, rebuilt on its own,
# until it outgrows this share of the main one (or this many items).
_DELTA_SHARE = 8
_DELTA_MIN = 2_000
# A full rebuild also drops removed items once they are this share of all slots.
_DEAD_SHARE = 4
FUZZY_MIN_LENGTH = 4
FUZZY_MIN_SIMILARITY = 0.6
FUZZY_MAX_TERMS = 4
# Query words repeat (Zipf), so their expansions are kept until the index changes.
_EXPANSIONS_CACHED = 50_000
# A word one typing slip away ("марозы" for "морозы") shares few trigrams but is worth this much.
TYPO_SIMILARITY = 0.8


def _one_edit_apart(first: str, second: str) -> bool:
    """Return whether one insertion, deletion, substitution or neighbour swap joins the two."""
    if len(first) > len(second):
        first, second = second, first
    if len(second) - len(first) > 1:
        return False
    position = 0
    while position < len(first) and first[position] == second[position]:
        position += 1
    if len(first) < len(second):
        return first[position:] == second[position + 1 :]
    return first[position + 1 :] == second[position + 1 :] or (
        first[position : position + 2] == second[position : position + 2][::-1]
        and first[position + 2 :] == second[position + 2 :]
    )


def _trigrams(term: str) -> set[str]:
    padded = f"<{term}>"
    return {padded[start : start + 3] for start in range(len(padded) - 2)}


class LexicalEngine:
    """BM25 over the terms an analyser gives, optionally widened by trigram similarity."""

    def __init__(
        self,
        *,
        name: str,
        analyzer: Analyzer,
        query_analyzer: QueryAnalyzer,
        fuzzy: bool,
        term_concepts: Callable[[str], tuple[str, ...]] | None = None,
    ) -> None:
        self.name = name
        self._analyzer = analyzer
        self._query_analyzer = query_analyzer
        self._fuzzy = fuzzy
        self._term_concepts = term_concepts
        self._term_id: dict[str, int] = {}
        self._terms: list[str] = []
        self._df: list[int] = []
        self._term_length = array("i")
        self._term_gram_count = array("i")
        self._gram_terms: dict[str, array[int]] = {}
        self._groups: dict[str, int] = {}
        self._group_keys: list[str] = []
        self._slot_of: dict[str, int] = {}
        self._slot_item: list[str] = []
        self._slot_group: list[int] = []
        self._slot_live: list[bool] = []
        self._slot_terms: list[npt.NDArray[np.int32]] = []
        self._slot_freqs: list[npt.NDArray[np.float32]] = []
        self._live_count = 0
        self._dead_count = 0
        self._total_length = 0.0
        self._main: Segment | None = None
        self._main_end = 0
        self._delta: Segment | None = None
        self._dirty = False
        self._live = np.zeros(0, dtype=bool)
        self._group_of_slot = np.zeros(0, dtype=np.int32)
        self._best = np.zeros(0, dtype=np.float32)
        self._expansions: dict[str, list[tuple[int, float]]] = {}

    def __len__(self) -> int:
        """Return how many items are indexed."""
        return self._live_count

    # --- changes --------------------------------------------------------------------------------

    def add(self, items: Iterable[Item]) -> None:
        """Index the items; an item whose id is already indexed replaces the old one."""
        for item in items:
            if item.id in self._slot_of:
                self._forget(item.id)
            counts = Counter(self._analyzer(item.text, item.lang))
            term_ids = np.fromiter(
                (self._term_for(term) for term in counts), dtype=np.int32, count=len(counts)
            )
            for term_id in term_ids.tolist():
                self._df[term_id] += 1
            freqs = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
            group = self._groups.setdefault(item.group_key, len(self._groups))
            if group == len(self._group_keys):
                self._group_keys.append(item.group_key)
            self._slot_of[item.id] = len(self._slot_item)
            self._slot_item.append(item.id)
            self._slot_group.append(group)
            self._slot_live.append(True)
            self._slot_terms.append(term_ids)
            self._slot_freqs.append(freqs)
            self._live_count += 1
            self._total_length += float(freqs.sum())
            self._dirty = True

    def remove(self, ids: Iterable[str]) -> None:
        """Forget the items with these ids; unknown ids are ignored."""
        for item_id in ids:
            if item_id in self._slot_of:
                self._forget(item_id)

    def _forget(self, item_id: str) -> None:
        slot = self._slot_of.pop(item_id)
        for term_id in self._slot_terms[slot].tolist():
            self._df[term_id] -= 1
        self._total_length -= float(self._slot_freqs[slot].sum())
        self._slot_live[slot] = False
        self._slot_terms[slot] = np.zeros(0, dtype=np.int32)
        self._slot_freqs[slot] = np.zeros(0, dtype=np.float32)
        self._live_count -= 1
        self._dead_count += 1
        self._dirty = True

    def _term_for(self, term: str) -> int:
        term_id = self._term_id.get(term)
        if term_id is not None:
            return term_id
        term_id = len(self._df)
        self._term_id[term] = term_id
        self._terms.append(term)
        self._df.append(0)
        self._term_length.append(len(term))
        fuzzy = self._fuzzy and len(term) >= FUZZY_MIN_LENGTH and term.isalpha()
        grams = _trigrams(term) if fuzzy else set()
        self._term_gram_count.append(len(grams))
        for gram in grams:
            self._gram_terms.setdefault(gram, array("i")).append(term_id)
        return term_id

    # --- building -------------------------------------------------------------------------------

    def _refresh(self) -> None:
        slot_count = len(self._slot_item)
        delta_size = slot_count - self._main_end
        if (
            self._main is None
            or self._dead_count * _DEAD_SHARE > slot_count
            or delta_size > max(_DELTA_MIN, self._main_end // _DELTA_SHARE)
        ):
            self._rebuild()
        else:
            self._delta = self._segment(self._main_end, slot_count)
        self._live = np.array(self._slot_live, dtype=bool)
        self._group_of_slot = np.array(self._slot_group, dtype=np.int32)
        self._best = np.zeros(len(self._slot_item), dtype=np.float32)
        self._expansions.clear()
        self._dirty = False

    def _rebuild(self) -> None:
        started = time.perf_counter()
        live = [slot for slot, alive in enumerate(self._slot_live) if alive]
        items = [self._slot_item[slot] for slot in live]
        group_keys = [self._group_keys[self._slot_group[slot]] for slot in live]
        self._groups = {}
        self._group_keys = []
        for key in group_keys:
            if key not in self._groups:
                self._groups[key] = len(self._group_keys)
                self._group_keys.append(key)
        self._slot_item = items
        self._slot_group = [self._groups[key] for key in group_keys]
        self._slot_terms = [self._slot_terms[slot] for slot in live]
        self._slot_freqs = [self._slot_freqs[slot] for slot in live]
        self._slot_live = [True] * len(live)
        self._slot_of = {item_id: slot for slot, item_id in enumerate(items)}
        self._dead_count = 0
        self._main = self._segment(0, len(items))
        self._main_end = len(items)
        self._delta = None
        logger.info(
            "matching[%s]: built index of %d items in %.0f ms",
            self.name,
            len(items),
            (time.perf_counter() - started) * 1000,
        )

    def _segment(self, start: int, end: int) -> Segment:
        return Segment(
            start=start,
            term_ids=self._slot_terms[start:end],
            term_freqs=self._slot_freqs[start:end],
            term_count=len(self._df),
            average_length=self._total_length / max(self._live_count, 1),
        )

    # --- searching ------------------------------------------------------------------------------

    def search(self, text: str, *, lang: str | None = None, top: int = 10) -> list[Match]:
        """Return at most `top` groups, best first; never raises on odd text."""
        if self._dirty:
            self._refresh()
        if top <= 0 or self._live_count == 0:
            return []
        query = Counter(self._query_analyzer(text[:QUERY_MAX_CHARS], lang))
        if not query:
            return []
        scores = np.zeros(len(self._slot_item), dtype=np.float32)
        query_weight = 0.0
        for unit, count in query.items():
            unit_weight = 1.0 + math.log(count)
            alternatives = self._alternatives(unit)
            if not alternatives:
                query_weight += unit_weight * self._idf(0)
                continue
            # One weight per unit, from its most common alternative (Pirkola's structured
            # queries): "covid", "коронавирус" and their concept are one word, not three.
            idf = self._idf(max(self._df[term_id] for term_id in alternatives))
            query_weight += unit_weight * idf * max(alternatives.values())
            self._accumulate(
                scores,
                [(term_id, similarity * idf) for term_id, similarity in alternatives.items()],
                unit_weight,
            )
        if self._dead_count:
            scores[~self._live] = 0
        scores /= np.float32(query_weight)
        return self._top_groups(scores, top)

    def _idf(self, document_frequency: int) -> float:
        count = self._live_count
        return math.log(1 + (count - document_frequency + 0.5) / (document_frequency + 0.5))

    def _alternatives(self, unit: tuple[str, ...]) -> dict[int, float]:
        """Return the indexed terms that stand for one query unit, each with its similarity."""
        alternatives: dict[int, float] = {}

        def offer(term_id: int, similarity: float) -> None:
            alternatives[term_id] = max(similarity, alternatives.get(term_id, 0.0))

        for term in unit:
            for term_id, similarity in self._expand(term):
                offer(term_id, similarity)
                if similarity < 1.0 and self._term_concepts is not None:
                    # A near spelling of a lexicon word ("чесног") stands for its translations.
                    for concept in self._term_concepts(self._terms[term_id]):
                        concept_id = self._term_id.get(concept)
                        if concept_id is not None and self._df[concept_id] > 0:
                            offer(concept_id, similarity)
        return alternatives

    def _expand(self, term: str) -> list[tuple[int, float]]:
        """Return the indexed terms the query term matches, each with its similarity (0..1]."""
        expansions = self._expansions.get(term)
        if expansions is None:
            if len(self._expansions) >= _EXPANSIONS_CACHED:
                self._expansions.clear()
            expansions = self._expansions[term] = self._expand_uncached(term)
        return expansions

    def _expand_uncached(self, term: str) -> list[tuple[int, float]]:
        term_id = self._term_id.get(term)
        exact = [(term_id, 1.0)] if term_id is not None and self._df[term_id] > 0 else []
        if (
            not self._fuzzy
            or len(term) < FUZZY_MIN_LENGTH
            or not term.isalpha()
            or term.startswith(CONCEPT_PREFIX)
        ):
            return exact
        grams = _trigrams(term)
        postings = [
            np.frombuffer(self._gram_terms[gram], dtype=np.int32)
            for gram in grams
            if gram in self._gram_terms
        ]
        if not postings:
            return exact
        shared = np.bincount(np.concatenate(postings))
        candidates = np.flatnonzero(shared)
        gram_counts = np.frombuffer(self._term_gram_count, dtype=np.int32)[candidates]
        similarity = 2.0 * shared[candidates] / (len(grams) + gram_counts)
        close = similarity >= FUZZY_MIN_SIMILARITY
        lengths = np.frombuffer(self._term_length, dtype=np.int32)[candidates]
        # One edit changes at most three trigrams, so a typo shares all but three of them.
        maybe_typo = (
            ~close
            & (shared[candidates] >= max(2, len(grams) - 3))
            & (np.abs(lengths - len(term)) <= 1)
        )
        found = [
            (float(score), int(other))
            for other, score in zip(candidates[close], similarity[close], strict=True)
        ]
        found += [
            (TYPO_SIMILARITY, int(other))
            for other in candidates[maybe_typo]
            if _one_edit_apart(term, self._terms[other])
        ]
        ranked = sorted(
            (entry for entry in found if entry[1] != term_id and self._df[entry[1]] > 0),
            reverse=True,
        )
        return exact + [(other, score) for score, other in ranked[:FUZZY_MAX_TERMS]]

    def _accumulate(
        self, scores: npt.NDArray[np.float32], expansions: list[tuple[int, float]], factor: float
    ) -> None:
        """Add one query unit's score: per item, its best-matching alternative only."""
        segments = [segment for segment in (self._main, self._delta) if segment is not None]
        slots_parts = []
        value_parts = []
        for term_id, weight in expansions:
            for segment in segments:
                slots, values = segment.postings(term_id)
                if len(slots):
                    slots_parts.append(slots)
                    value_parts.append(values * np.float32(weight * factor))
        if not slots_parts:
            return
        slots = np.concatenate(slots_parts)
        values = np.concatenate(value_parts)
        if len(expansions) == 1:
            scores[slots] += values
            return
        np.maximum.at(self._best, slots, values)
        scores[slots] += self._best[slots]
        self._best[slots] = 0

    def _top_groups(self, scores: npt.NDArray[np.float32], top: int) -> list[Match]:
        candidates = np.flatnonzero(scores > 0)
        wanted = top * 4 + 8
        while True:
            if len(candidates) > wanted:
                shortlist = candidates[np.argpartition(scores[candidates], -wanted)[-wanted:]]
            else:
                shortlist = candidates
            ordered = shortlist[np.lexsort((shortlist, -scores[shortlist]))]
            matches: list[Match] = []
            seen: set[int] = set()
            for slot in ordered.tolist():
                group = int(self._group_of_slot[slot])
                if group in seen:
                    continue
                seen.add(group)
                matches.append(
                    Match(
                        key=self._group_keys[group],
                        score=round(float(scores[slot]), 6),
                        item_id=self._slot_item[slot],
                    )
                )
                if len(matches) == top:
                    return matches
            if len(shortlist) == len(candidates):
                return matches
            wanted *= 4


class HybridEngine(LexicalEngine):
    """The default engine: stems and lexicon concepts in any script, with fuzzy word matching."""

    def __init__(self, *, name: str = "default", use_lexicon: bool = True) -> None:
        super().__init__(
            name=name,
            analyzer=partial(hybrid_terms, use_lexicon=use_lexicon),
            query_analyzer=partial(hybrid_query, use_lexicon=use_lexicon),
            fuzzy=True,
            term_concepts=stem_concepts if use_lexicon else None,
        )


class Bm25Engine(LexicalEngine):
    """Plain BM25 over case-folded words: the reference the default engine is measured against."""

    def __init__(self, *, name: str = "default") -> None:
        super().__init__(name=name, analyzer=plain_terms, query_analyzer=plain_query, fuzzy=False)
