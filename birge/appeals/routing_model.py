"""The learned routing suggestion: TF-IDF over character n-grams, nearest agency centroid.

Trained from past decisions (the agency that finally held and answered an appeal, or to which a
coordinator or agency moved it); the rules stay the first word and the fallback. Vectors are
hashed into a fixed space so the stored model is small JSON.
"""

import math
import zlib
from collections import Counter
from dataclasses import dataclass

import numpy as np

from birge.matching.normalize import normalize_text

from .models import Appeal, AppealEvent, RoutingClassifier

DIMENSIONS = 1 << 15
NGRAMS = (3, 4, 5)
MIN_SAMPLES = 5
# Softmax temperature over cosine similarities: turns close scores into a modest confidence.
SHARPNESS = 12.0


@dataclass(frozen=True)
class Suggestion:
    agency_id: int
    confidence: float


def _features(text: str) -> Counter[int]:
    padded = f" {normalize_text(text)} "
    counts: Counter[int] = Counter()
    for n in NGRAMS:
        for i in range(len(padded) - n + 1):
            counts[zlib.crc32(padded[i : i + n].encode()) % DIMENSIONS] += 1
    return counts


def _vector(counts: Counter[int], idf: np.ndarray) -> np.ndarray:
    vector = np.zeros(DIMENSIONS)
    for index, count in counts.items():
        vector[index] = (1 + math.log(count)) * idf[index]
    norm = np.linalg.norm(vector)
    return vector / norm if norm else vector


def training_samples() -> list[tuple[str, int]]:
    """(text, agency id) from appeals an agency answered, or that a person placed."""
    placed = set(
        AppealEvent.objects.filter(
            kind__in=[AppealEvent.Kind.REDIRECTED, AppealEvent.Kind.ROUTED],
            actor__isnull=False,
        ).values_list("appeal_id", flat=True)
    )
    rows = Appeal.objects.filter(agency__isnull=False).values_list(
        "pk", "text", "agency_id", "status"
    )
    return [
        (text, agency_id)
        for pk, text, agency_id, status in rows
        if status == Appeal.Status.ANSWERED or pk in placed
    ]


def routing_train(samples: list[tuple[str, int]] | None = None) -> RoutingClassifier | None:
    """Fit the centroids and store them; None when there are too few decisions to learn from."""
    samples = training_samples() if samples is None else samples
    if len(samples) < MIN_SAMPLES or len({agency for _, agency in samples}) < 2:
        return None
    featured = [(_features(text), agency) for text, agency in samples]
    document_frequency = np.zeros(DIMENSIONS)
    for counts, _ in featured:
        document_frequency[list(counts)] += 1
    idf = np.log((1 + len(featured)) / (1 + document_frequency)) + 1
    sums: dict[int, np.ndarray] = {}
    for counts, agency in featured:
        sums[agency] = sums.get(agency, np.zeros(DIMENSIONS)) + _vector(counts, idf)
    centroids = {}
    for agency, total in sums.items():
        norm = np.linalg.norm(total)
        centroid = total / norm if norm else total
        nonzero = np.nonzero(centroid)[0]
        centroids[str(agency)] = [[int(i), float(centroid[i])] for i in nonzero]
    used = sorted({int(i) for c in centroids.values() for i, _ in c})
    payload = {
        "idf": [[i, float(idf[i])] for i in used],
        "default_idf": float(np.log(1 + len(featured)) + 1),
        "centroids": centroids,
    }
    return RoutingClassifier.objects.create(samples=len(samples), payload=payload)


def routing_suggest(text: str) -> Suggestion | None:
    """The agency whose past appeals read most like `text`, with a confidence in [0, 1]."""
    model = RoutingClassifier.objects.first()
    if model is None:
        return None
    payload = model.payload
    idf = np.full(DIMENSIONS, payload["default_idf"])
    for index, value in payload["idf"]:
        idf[index] = value
    vector = _vector(_features(text), idf)
    if not vector.any():
        return None
    agencies = list(payload["centroids"])
    scores = np.array(
        [sum(vector[i] * value for i, value in payload["centroids"][agency]) for agency in agencies]
    )
    weights = np.exp(SHARPNESS * (scores - scores.max()))
    probabilities = weights / weights.sum()
    best = int(np.argmax(probabilities))
    return Suggestion(agency_id=int(agencies[best]), confidence=float(probabilities[best]))
