"""Evaluate an engine on a labelled set: JSONL in, ranked ids out, MAP@5 and P@1 per slice.

Used by `manage.py match_eval`, by `python -m bench.matching.evaluate` and by the tests that
hold the default engine to its figures on the dev set in tests/data/.
"""

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .engines import Item, MatchingEngine


class JsonlError(ValueError):
    """A JSONL file that cannot be read, with the file and line at fault."""


@dataclass(frozen=True, slots=True)
class Record:
    """One corpus document or query: `id` keeps its JSON type so it can be written back as is."""

    id: Any
    text: str
    lang: str | None
    fields: Mapping[str, Any]

    @property
    def key(self) -> str:
        return str(self.id)


def jsonl_read(path: Path) -> list[Record]:
    """Return the records of a JSONL file; JsonlError names the file and line of a bad one.

    Each non-blank line must be an object with "id" (string or number) and "text" (string);
    "lang" is optional. Other fields are kept in `fields`.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as error:
        raise JsonlError(f"{path}: no such file") from error
    except (OSError, UnicodeDecodeError) as error:
        raise JsonlError(f"{path}: cannot read: {error}") from error
    records = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise JsonlError(f"{path}:{number}: not valid JSON: {error.msg}") from error
        if not isinstance(row, dict):
            raise JsonlError(f"{path}:{number}: expected a JSON object")
        record_id, text, lang = row.get("id"), row.get("text"), row.get("lang")
        if isinstance(record_id, bool) or not isinstance(record_id, str | int):
            raise JsonlError(f"{path}:{number}: 'id' must be a string or an integer")
        if not isinstance(text, str):
            raise JsonlError(f"{path}:{number}: 'text' must be a string")
        if lang is not None and not isinstance(lang, str):
            raise JsonlError(f"{path}:{number}: 'lang' must be a string when present")
        if str(record_id) in seen:
            raise JsonlError(f"{path}:{number}: duplicate id {record_id!r}")
        seen.add(str(record_id))
        records.append(Record(id=record_id, text=text, lang=lang or None, fields=row))
    return records


def engine_run(
    engine: MatchingEngine, corpus: Sequence[Record], queries: Iterable[Record], *, top: int
) -> list[tuple[Any, list[Any]]]:
    """Index the corpus, then return each query's id with the ids it found, best first."""
    engine.add(Item(id=record.key, text=record.text, lang=record.lang) for record in corpus)
    original_id = {record.key: record.id for record in corpus}
    return [
        (
            query.id,
            [
                original_id[match.key]
                for match in engine.search(query.text, lang=query.lang, top=top)
            ],
        )
        for query in queries
    ]


def average_precision(results: Sequence[str], relevant: set[str], *, depth: int) -> float:
    """Return AP@depth: mean precision at each relevant hit, over min(|relevant|, depth)."""
    if not relevant:
        return 0.0
    hits = 0
    total = 0.0
    for rank, result in enumerate(results[:depth], start=1):
        if result in relevant:
            hits += 1
            total += hits / rank
    return total / min(len(relevant), depth)


@dataclass(frozen=True, slots=True)
class Scores:
    """Mean AP@5 and precision at 1 over a slice of queries."""

    queries: int
    map_at_5: float
    p_at_1: float


def run_score(
    run: Mapping[str, Sequence[str]], qrels: Mapping[str, set[str]], query_ids: Iterable[str]
) -> Scores:
    """Return the scores of a run over the given queries; a query missing from the run scores 0."""
    query_ids = list(query_ids)
    if not query_ids:
        return Scores(queries=0, map_at_5=0.0, p_at_1=0.0)
    average_precisions = []
    first_hits = []
    for query_id in query_ids:
        results = run.get(query_id, [])
        relevant = qrels.get(query_id, set())
        average_precisions.append(average_precision(results, relevant, depth=5))
        first_hits.append(1.0 if results[:1] and results[0] in relevant else 0.0)
    return Scores(
        queries=len(query_ids),
        map_at_5=sum(average_precisions) / len(query_ids),
        p_at_1=sum(first_hits) / len(query_ids),
    )


def qrels_read(path: Path) -> dict[str, set[str]]:
    """Return query id -> relevant doc ids from lines {"query_id": ..., "relevant": [...]}."""
    qrels: dict[str, set[str]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            qrels[str(row["query_id"])] = {str(doc_id) for doc_id in row["relevant"]}
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise JsonlError(f"{path}:{number}: expected {{'query_id', 'relevant'}}") from error
    return qrels
