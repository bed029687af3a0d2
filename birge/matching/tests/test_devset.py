"""The default engine keeps its lead over plain BM25 on the trilingual dev set in data/."""

from pathlib import Path

import pytest

from birge.matching.engines import MatchingEngine
from birge.matching.engines.lexical import Bm25Engine, HybridEngine
from birge.matching.evaluation import Scores, engine_run, jsonl_read, qrels_read, run_score

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def devset() -> tuple[list, list, dict[str, set[str]]]:
    return (
        jsonl_read(DATA / "corpus.jsonl"),
        jsonl_read(DATA / "queries.jsonl"),
        qrels_read(DATA / "qrels.jsonl"),
    )


def _scores(engine: MatchingEngine, devset: tuple[list, list, dict[str, set[str]]]) -> dict:
    corpus, queries, qrels = devset
    doc_lang = {doc.key: doc.lang for doc in corpus}
    run = {
        str(query_id): [str(doc) for doc in docs]
        for query_id, docs in engine_run(engine, corpus, queries, top=10)
    }
    same = [q.key for q in queries if any(doc_lang[d] == q.lang for d in qrels[q.key])]
    cross = [q.key for q in queries if q.key not in set(same)]
    return {
        "all": run_score(run, qrels, [q.key for q in queries]),
        "same": run_score(run, qrels, same),
        "cross": run_score(run, qrels, cross),
    }


def test_the_dev_set_is_trilingual_with_cross_language_queries(devset: tuple) -> None:
    corpus, queries, qrels = devset
    assert {doc.lang for doc in corpus} == {"kk", "ru", "en"}
    assert len(queries) >= 200
    assert set(qrels) == {query.key for query in queries}


def test_default_engine_beats_bm25_clearly_and_most_across_languages(devset: tuple) -> None:
    default: dict[str, Scores] = _scores(HybridEngine(name="dev"), devset)
    bm25: dict[str, Scores] = _scores(Bm25Engine(name="dev"), devset)
    assert default["all"].map_at_5 >= 0.85
    assert default["all"].p_at_1 >= 0.85
    assert default["all"].map_at_5 - bm25["all"].map_at_5 >= 0.4
    assert default["cross"].map_at_5 >= 0.8
    assert default["cross"].map_at_5 - bm25["cross"].map_at_5 >= 0.6
