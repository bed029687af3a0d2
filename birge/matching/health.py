"""What `/healthz` says about matching: which engine runs and with which model.

Core's health report calls `matching_health()`; matching is a shared library core may import,
and this module imports no domain and touches neither the database nor the model.
"""

from typing import Any

from django.conf import settings

from .engines import DEFAULT_ENGINE


def matching_health() -> dict[str, Any]:
    """Return the configured engine and whether the embedding model is available to it."""
    dotted_path = getattr(settings, "BIRGE_MATCHING_ENGINE", DEFAULT_ENGINE)
    report: dict[str, Any] = {"engine_class": dotted_path}
    if not dotted_path.endswith(".FusedEngine") and not dotted_path.endswith(".EmbeddingEngine"):
        report["engine"] = "lexical"
        return report
    from .embeddings import encoder

    model = encoder()
    if model is None:
        report["engine"] = "lexical" if dotted_path.endswith(".FusedEngine") else "unavailable"
        report["embedding_model"] = None
    else:
        report["engine"] = "fused" if dotted_path.endswith(".FusedEngine") else "embedding"
        report["embedding_model"] = f"{model.name}@{model.version}"
    return report
