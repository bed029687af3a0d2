"""Background work of the matching library: encoding passages for the embedding engine."""

import logging

from django_tasks import task

from .embeddings import encoder
from .vectors import vectors_store

logger = logging.getLogger(__name__)


@task()
def embeddings_encode_task(*, collection: str, texts: list[str]) -> int:
    """Store vectors for the texts that have none under the current model.

    Engines holding these texts pick the vectors up on their next search (one indexed query a
    second at most, while any are pending). Safe to run twice: stored texts are skipped.
    """
    model = encoder()
    if model is None:
        return 0
    count = vectors_store(model, texts)
    logger.info("matching: encoded %d of %d texts for %s", count, len(texts), collection)
    return count
