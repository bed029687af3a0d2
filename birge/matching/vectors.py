"""Where `EmbeddingEngine` gets passage vectors: encoded on the spot, or from the database.

`MemoryVectors` encodes what it is asked for at once (evaluation, benchmarks, tests).
`DatabaseVectors` (what the registry's engines use) reads stored vectors and leaves the missing
ones to a background task that stores them; engines fetch them on a later search. An upsert on
the request path never waits for the model, and a restart re-encodes nothing.
"""

import hashlib
import logging
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from .embeddings import DIMENSIONS, Encoder

logger = logging.getLogger(__name__)

Vector = npt.NDArray[np.float32]
# Missing texts are handed to the background task this many at a time.
TASK_BATCH = 64
_LOOKUP_CHUNK = 500


def text_hash(text: str) -> str:
    """The key of a passage's vector: SHA-256 of what the model reads."""
    return hashlib.sha256(f"passage: {text}".encode("utf-8", "replace")).hexdigest()


class VectorSource(Protocol):
    def vectors(
        self, encoder: Encoder, texts: Sequence[str], *, request: bool = True
    ) -> list[Vector | None]:
        """Return a vector per prepared text, None for one not encoded yet.

        With `request`, have the missing ones encoded (at once or in the background).
        """


class MemoryVectors:
    """Encode every text at once and keep the vectors for the life of the object."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str, str], Vector] = {}

    def vectors(
        self, encoder: Encoder, texts: Sequence[str], *, request: bool = True
    ) -> list[Vector | None]:
        keys = [(encoder.name, encoder.version, text_hash(text)) for text in texts]
        missing = sorted({i for i, key in enumerate(keys) if key not in self._known})
        encoded = encoder.passages([texts[i] for i in missing])
        for i, vector in zip(missing, encoded, strict=True):
            self._known[keys[i]] = vector
        return [self._known[key] for key in keys]


class DatabaseVectors:
    """Stored vectors of the current model version; the rest are encoded in the background."""

    def __init__(self, *, collection: str) -> None:
        self.collection = collection

    def vectors(
        self, encoder: Encoder, texts: Sequence[str], *, request: bool = True
    ) -> list[Vector | None]:
        hashes = [text_hash(text) for text in texts]
        try:
            stored = vectors_stored(encoder, hashes)
            if request:
                missing = [text for h, text in zip(hashes, texts, strict=True) if h not in stored]
                self._request(missing)
        except Exception:  # a missing table, no database here: search lexically, not fail
            logger.warning("matching: no stored vectors for %s", self.collection, exc_info=True)
            return [None] * len(texts)
        return [stored.get(h) for h in hashes]

    def _request(self, texts: Sequence[str]) -> None:
        """Have the background task encode the texts, in batches.

        Not deferred to the commit: a vector is keyed by its text alone, so one computed for a
        text whose transaction rolls back is merely unused, and an upsert reaches the engine
        after its commit anyway (the registry applies changes then).
        """
        # Imported here: the engines are also used without Django (bench, evaluation).
        from .tasks import embeddings_encode_task

        unique = list(dict.fromkeys(texts))
        for start in range(0, len(unique), TASK_BATCH):
            embeddings_encode_task.enqueue(
                collection=self.collection, texts=unique[start : start + TASK_BATCH]
            )


def vectors_stored(encoder: Encoder, hashes: Sequence[str]) -> dict[str, Vector]:
    """Return the stored vectors of the encoder's exact model version, by text hash."""
    from .models import TextEmbedding

    found: dict[str, Vector] = {}
    unique = list(dict.fromkeys(hashes))
    for start in range(0, len(unique), _LOOKUP_CHUNK):
        rows = TextEmbedding.objects.filter(
            model_name=encoder.name,
            model_version=encoder.version,
            text_sha256__in=unique[start : start + _LOOKUP_CHUNK],
        ).values_list("text_sha256", "vector")
        for digest, blob in rows:
            vector = np.frombuffer(bytes(blob), dtype="<f2")
            if vector.shape == (DIMENSIONS,):
                found[digest] = vector.astype(np.float32)
    return found


def vectors_store(encoder: Encoder, texts: Sequence[str]) -> int:
    """Encode and store the texts without a vector of the current version; return how many."""
    from .models import TextEmbedding

    by_hash = {text_hash(text): text for text in texts}
    stored = vectors_stored(encoder, list(by_hash))
    missing = [h for h in by_hash if h not in stored]
    if not missing:
        return 0
    encoded = encoder.passages([by_hash[h] for h in missing])
    TextEmbedding.objects.bulk_create(
        [
            TextEmbedding(
                model_name=encoder.name,
                model_version=encoder.version,
                text_sha256=digest,
                vector=vector.astype("<f2").tobytes(),
            )
            for digest, vector in zip(missing, encoded, strict=True)
        ],
        ignore_conflicts=True,
    )
    return len(missing)
