"""Site search speed at a few thousand documents: the database backend against a LIKE scan.

    .venv/bin/python -m bench.search.run [--documents 5000] [--queries 300] [--seed 2020]
    DATABASE_URL=postgres://user@host/name .venv/bin/python -m bench.search.run

A fresh test database (SQLite in memory, or test_<name> on PostgreSQL, dropped afterwards),
migrated. The documents are bench.matching's synthetic trilingual corpus (kk, ru and en
pseudo-words with their endings and the lexicon's words, Zipf-distributed): a title of the
first 4-8 words, a text of 12-40, written through the backend's `upsert` in batches of 500.
Queries are 1-3 words of a document (15 % of the Kazakh ones in Latin letters, some with the
last word cut short). After 20 warm-up queries, per query:

  backend  DatabaseBackend.search: one page of 20 with the count (one SQL query)
  page     search_results(): analysis, that query, snippets and marks, as the page renders
  like     the reference: each query word as `text LIKE '%word%'`, 20 rows, no ranking (what
           the FAQ page does today), over the same table

Prints p50/p95 per path and its ratio to the reference, and a final JSON line.
"""

import argparse
import json
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.matching.run import synthesise  # noqa: E402
from birge.matching.transliteration import kk_cyrillic_to_latin  # noqa: E402
from birge.search.analysis import query_analyse  # noqa: E402
from birge.search.backends.database import DatabaseBackend  # noqa: E402
from birge.search.models import SearchDocument  # noqa: E402
from birge.search.selectors import search_results  # noqa: E402
from birge.search.sources import Document  # noqa: E402

WARMUP = 20
KINDS = ("page", "faq", "claim")


def _documents(count: int, seed: int) -> list[Document]:
    items, _queries = synthesise(count, 0, seed)
    now = timezone.now()
    documents = []
    for number, item in enumerate(items):
        words = item.text.split()
        cut = 4 + number % 5
        documents.append(
            Document(
                kind=KINDS[number % 3],
                key=str(number),
                language=item.lang or "ru",
                title=" ".join(words[:cut]),
                text=" ".join(words[cut:]),
                url=f"/bench/{number}/",
                published_at=now - timedelta(minutes=number),
            )
        )
    return documents


def _queries(documents: list[Document], count: int, seed: int) -> list[str]:
    rng = random.Random(seed + 1)
    queries = []
    for _ in range(count):
        document = rng.choice(documents)
        words = f"{document.title} {document.text}".split()
        start = rng.randrange(len(words))
        query = words[start : start + rng.randint(1, 3)]
        if document.language == "kk" and rng.random() < 0.15:
            query = kk_cyrillic_to_latin(" ".join(query)).split()
        if rng.random() < 0.2 and len(query[-1]) > 5:
            query[-1] = query[-1][: len(query[-1]) - 2]
        queries.append(" ".join(query))
    return queries


def _like(text: str) -> int:
    rows = SearchDocument.objects.all()
    for word in text.lower().split():
        rows = rows.filter(text__contains=word)
    return len(rows[:20])


def _timed(run: Callable[[str], object], queries: list[str]) -> list[float]:
    for text in queries[:WARMUP]:
        run(text)
    times = []
    for text in queries:
        started = time.perf_counter()
        run(text)
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2020)
    options = parser.parse_args()
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        documents = _documents(options.documents, options.seed)
        backend = DatabaseBackend()
        started = time.perf_counter()
        backend.upsert(documents)
        indexing = time.perf_counter() - started
        if connection.vendor == "postgresql":
            # What autovacuum does soon after a bulk write: the planner's statistics.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE search_searchdocument")
        queries = _queries(documents, options.queries, options.seed)
        found = [
            backend.search(
                query_analyse(text),
                language=None,
                kinds=(),
                prefer_language="kk",
                limit=20,
                offset=0,
            ).total
            for text in queries
        ]

        def backend_search(text: str) -> object:
            return backend.search(
                query_analyse(text),
                language=None,
                kinds=KINDS,
                prefer_language="kk",
                limit=20,
                offset=0,
            )

        def page(text: str) -> object:
            return search_results(text=text, page_language="kk")

        timings = {
            "backend": _timed(backend_search, queries),
            "page": _timed(page, queries),
            "like": _timed(_like, queries),
        }
    finally:
        teardown_databases(databases, verbosity=0)
    reference = statistics.median(timings["like"])
    figures = {
        "database": connection.vendor,
        "documents": options.documents,
        "queries": options.queries,
        "indexing_documents_per_second": round(options.documents / indexing),
        "queries_with_results": sum(1 for total in found if total) / len(found),
        "median_results": statistics.median(found),
        "load_average": [round(value, 1) for value in os.getloadavg()],
    }
    print("| path | p50, ms | p95, ms | p50 / like p50 |")
    print("|---|---|---|---|")
    for name, times in timings.items():
        p50 = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[-1]
        figures[f"{name}_p50_ms"] = round(p50, 2)
        figures[f"{name}_p95_ms"] = round(p95, 2)
        print(f"| {name} | {p50:.2f} | {p95:.2f} | {p50 / reference:.2f} |")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
