"""Forwarded messages: dev-set queries wrapped in forwarding noise, searched whole and by passage.

    .venv/bin/python -m bench.matching.forwarded

Each query gets a forwarding header ("Пересланное сообщение. Срочно!", "Forwarded from...") and
a closing appeal to share it, as rumours actually arrive. Printed for the whole-text search (the
reference) and for the registry's passage search, at the claims' default thresholds (0.40 "maybe
related", 0.70 "same claim"): how often the right claim is suggested or answered, and, with the
query's own claim removed from the corpus (an unknown rumour), how often something else is.
"""

import json
import random
from collections.abc import Callable
from pathlib import Path

from birge.matching.engines import Item, MatchingEngine
from birge.matching.engines.lexical import HybridEngine
from birge.matching.passages import text_passages

DATA = Path(__file__).resolve().parents[2] / "birge" / "matching" / "tests" / "data"
MAYBE, SAME = 0.40, 0.70
HEADERS = {
    "ru": ["Переслано от Мама:", "Пересланное сообщение. Срочно! Всем разослать!"],
    "kk": ["Қайта жіберілген хабарлама. Шұғыл!", "Маңызды ақпарат, барлығына таратыңыз!"],
    "en": ["Forwarded from Aunt Mary: URGENT!!", "Please share with everyone, from a doctor:"],
}
FOOTERS = {
    "ru": ["Передайте родным и близким! 🙏 http://bit.ly/abc", "Берегите себя и близких!"],
    "kk": ["Туыстарыңызға жіберіңіз! 🙏", "Өзіңізді күтіңіз, денсаулық бәрінен қымбат!"],
    "en": ["Pass it on to your family! 🙏 https://t.co/xyz", "Stay safe, share this!"],
}


def _group(doc_id: str) -> str:
    return doc_id.rsplit("-", 1)[0]


def _outside(excluded: frozenset[str]) -> Callable[[str], bool]:
    return lambda group: group not in excluded


def _search(
    engine: MatchingEngine, text: str, lang: str | None, passages: bool
) -> list[tuple[str, float]]:
    best: dict[str, float] = {}
    for query in [text, *(text_passages(text) if passages else [])]:
        for match in engine.search(query, lang=lang, top=10):
            best[match.key] = max(best.get(match.key, 0.0), match.score)
    return sorted(best.items(), key=lambda pair: -pair[1])


def main() -> None:
    corpus = [json.loads(line) for line in (DATA / "corpus.jsonl").open(encoding="utf-8")]
    queries = [json.loads(line) for line in (DATA / "queries.jsonl").open(encoding="utf-8")]
    relevant = {
        row["query_id"]: {_group(doc) for doc in row["relevant"]}
        for row in map(json.loads, (DATA / "qrels.jsonl").open(encoding="utf-8"))
    }

    def build(keep: Callable[[str], bool]) -> MatchingEngine:
        engine = HybridEngine(name="forwarded")
        engine.add(
            Item(id=doc["id"], text=doc["text"], lang=doc["lang"], group=_group(doc["id"]))
            for doc in corpus
            if keep(_group(doc["id"]))
        )
        return engine

    full = build(lambda group: True)
    without: dict[frozenset[str], MatchingEngine] = {}
    print(
        f"{'search':<10} {'right suggested':>16} {'right answered':>15} {'wrong answered':>15}"
        f" {'unknown: suggested':>19} {'unknown: answered':>18}"
    )
    for passages in (False, True):
        rng = random.Random(2020)
        counts = dict.fromkeys(("suggested", "answered", "wrong", "u_suggested", "u_answered"), 0)
        for query in queries:
            lang = query.get("lang") or "ru"
            text = f"{rng.choice(HEADERS[lang])} {query['text']} {rng.choice(FOOTERS[lang])}"
            rel = relevant[query["id"]]
            found = _search(full, text, query.get("lang"), passages)
            counts["suggested"] += any(k in rel and s >= MAYBE for k, s in found[:5])
            if found and found[0][1] >= SAME:
                counts["answered" if found[0][0] in rel else "wrong"] += 1
            key = frozenset(rel)
            if key not in without:
                without[key] = build(_outside(key))
            unknown = _search(without[key], text, query.get("lang"), passages)
            counts["u_suggested"] += bool(unknown and unknown[0][1] >= MAYBE)
            counts["u_answered"] += bool(unknown and unknown[0][1] >= SAME)
        share = {name: value / len(queries) for name, value in counts.items()}
        print(
            f"{'passages' if passages else 'whole':<10} {share['suggested']:>16.3f}"
            f" {share['answered']:>15.3f} {share['wrong']:>15.3f}"
            f" {share['u_suggested']:>19.3f} {share['u_answered']:>18.3f}"
        )


if __name__ == "__main__":
    main()
