"""`manage.py match_eval`: JSONL in, one JSON line per query out, clear errors on bad input."""

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command


def _write(path: Path, rows: list[object]) -> Path:
    path.write_text(
        "\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n", encoding="utf-8"
    )
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return _write(
        tmp_path / "corpus.jsonl",
        [
            {"id": "garlic-kk", "text": "Сарымсақ коронавирусты емдейді", "lang": "kk"},
            {"id": 7, "text": "Drinking vodka kills the coronavirus"},
            {"id": "masks-ru", "text": "Маски вызывают гипоксию", "lang": "ru"},
        ],
    )


def _run(corpus: Path, queries: Path, *options: str) -> list[dict[str, Any]]:
    out = StringIO()
    call_command(
        "match_eval", "--corpus", str(corpus), "--queries", str(queries), *options, stdout=out
    )
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_prints_one_line_per_query_with_ranked_ids(corpus: Path, tmp_path: Path) -> None:
    queries = _write(
        tmp_path / "queries.jsonl",
        [
            {"id": "q1", "text": "Чеснок лечит коронавирус", "lang": "ru"},
            {"id": 2, "text": "арақ вирусты өлтіреді"},
            {"id": "q3", "text": ""},
        ],
    )
    lines = _run(corpus, queries, "--top", "2")
    assert [line["query_id"] for line in lines] == ["q1", 2, "q3"]
    assert all(set(line) == {"query_id", "results"} for line in lines)
    assert lines[0]["results"] == ["garlic-kk", 7]
    assert lines[1]["results"][0] == 7
    assert lines[2]["results"] == []


def test_the_baseline_engine_can_be_chosen(corpus: Path, tmp_path: Path) -> None:
    queries = _write(tmp_path / "queries.jsonl", [{"id": "q1", "text": "Чеснок лечит"}])
    lines = _run(corpus, queries, "--engine", "birge.matching.engines.lexical.Bm25Engine")
    assert lines == [{"query_id": "q1", "results": []}]


def test_a_missing_file_is_a_command_error(corpus: Path, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        _run(corpus, tmp_path / "absent.jsonl")


def test_a_bad_json_line_names_its_line_number(corpus: Path, tmp_path: Path) -> None:
    queries = tmp_path / "queries.jsonl"
    queries.write_text('{"id": "q1", "text": "ok"}\n\n{"id": "q2", "text": \n', encoding="utf-8")
    with pytest.raises(CommandError, match=r"queries\.jsonl:3: not valid JSON"):
        _run(corpus, queries)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["not", "an", "object"], "expected a JSON object"),
        ({"text": "no id"}, "'id' must be"),
        ({"id": "q1", "text": 5}, "'text' must be"),
        ({"id": "q1", "text": "x", "lang": 1}, "'lang' must be"),
    ],
)
def test_malformed_lines_are_command_errors(
    corpus: Path, tmp_path: Path, row: object, message: str
) -> None:
    queries = _write(tmp_path / "queries.jsonl", [{"id": "q0", "text": "fine"}, row])
    with pytest.raises(CommandError, match=f":2: {message}"):
        _run(corpus, queries)


def test_duplicate_corpus_ids_are_a_command_error(tmp_path: Path) -> None:
    corpus = _write(tmp_path / "c.jsonl", [{"id": "a", "text": "x"}, {"id": "a", "text": "y"}])
    queries = _write(tmp_path / "q.jsonl", [{"id": "q", "text": "x"}])
    with pytest.raises(CommandError, match=r"c\.jsonl:2: duplicate id"):
        _run(corpus, queries)
