"""`manage.py match_eval`: run the matching engine over JSONL queries, print ranked ids as JSONL."""

import inspect
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from birge.matching.engines import DEFAULT_ENGINE, engine_class
from birge.matching.evaluation import JsonlError, engine_run, jsonl_read
from birge.matching.vectors import MemoryVectors


class Command(BaseCommand):
    help = (
        "Index --corpus with the matching engine and print, for each line of --queries, "
        '{"query_id": ..., "results": [doc ids, best first]} on stdout.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--corpus", required=True, type=Path, help="JSONL: id, text, lang")
        parser.add_argument("--queries", required=True, type=Path, help="JSONL: id, text, lang")
        parser.add_argument("--top", type=int, default=10, help="results per query (10)")
        parser.add_argument(
            "--engine",
            default=None,
            help="dotted path of the engine class (default: BIRGE_MATCHING_ENGINE)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["top"] < 1:
            raise CommandError("--top must be at least 1")
        dotted_path = options["engine"] or getattr(
            settings, "BIRGE_MATCHING_ENGINE", DEFAULT_ENGINE
        )
        try:
            cls = engine_class(dotted_path)
        except ImportError as error:
            raise CommandError(f"cannot load engine {dotted_path!r}: {error}") from error
        if "vectors" in inspect.signature(cls).parameters:
            # An embedding engine encodes the corpus here rather than wait for the task worker.
            engine = cls(name="match_eval", vectors=MemoryVectors())  # type: ignore[call-arg]
        else:
            engine = cls(name="match_eval")
        try:
            corpus = jsonl_read(options["corpus"])
            queries = jsonl_read(options["queries"])
        except JsonlError as error:
            raise CommandError(str(error)) from error
        for query_id, results in engine_run(engine, corpus, queries, top=options["top"]):
            line = json.dumps({"query_id": query_id, "results": results}, ensure_ascii=False)
            self.stdout.write(line)
