"""Score matching engines on the dev set: MAP@5 and P@1, same-language vs cross-language.

    python -m bench.matching.evaluate                  # BM25, default without lexicon, default
    python -m bench.matching.evaluate --run RUN.jsonl  # score a `manage.py match_eval` output

Slices: "same-language" queries have a relevant document in their own language;
"cross-language" ones have none. "forced cross-language" re-runs every query against the corpus
without the documents in the query's language, so each claim must be found through a translation.
Needs no Django settings: the engines are plain Python.
"""

import argparse
import json
from collections.abc import Callable, Sequence
from pathlib import Path

from birge.matching.engines import MatchingEngine
from birge.matching.engines.lexical import Bm25Engine, HybridEngine
from birge.matching.evaluation import Record, Scores, engine_run, jsonl_read, qrels_read, run_score

DATA = Path(__file__).resolve().parents[2] / "birge" / "matching" / "tests" / "data"
TOP = 10

ENGINES: dict[str, Callable[[], MatchingEngine]] = {
    "BM25": lambda: Bm25Engine(name="eval"),
    "default, no lexicon": lambda: HybridEngine(name="eval", use_lexicon=False),
    "default": lambda: HybridEngine(name="eval"),
}


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DATA / "corpus.jsonl")
    parser.add_argument("--queries", type=Path, default=DATA / "queries.jsonl")
    parser.add_argument("--qrels", type=Path, default=DATA / "qrels.jsonl")
    parser.add_argument("--run", type=Path, help="score this match_eval output instead")
    args = parser.parse_args()

    corpus = jsonl_read(args.corpus)
    queries = jsonl_read(args.queries)
    qrels = qrels_read(args.qrels)
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
