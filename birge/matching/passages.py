"""Long texts searched passage by passage: a forwarded rumour is one sentence among calls to
share it. Used by the registry (production) and by `match_eval`, so evaluation measures what runs.
"""

import itertools
import re

from .engines import Match, MatchingEngine


def search_with_passages(
    engine: MatchingEngine, text: str, *, lang: str | None, top: int
) -> list[Match]:
    """The engine's results for the text and for each of its passages, best score per group."""
    best: dict[str, Match] = {}
    for query in [text, *text_passages(text)]:
        for match in engine.search(query, lang=lang, top=top):
            if match.key not in best or match.score > best[match.key].score:
                best[match.key] = match
    return sorted(best.values(), key=lambda match: -match.score)[:top]


PASSAGE_MIN_TEXT_WORDS = 10
PASSAGE_MAX = 12
_PASSAGE_BREAK = re.compile(r"(?<=[.!?;:])\s+|\n+|\s+[—–-]\s+")


def text_passages(text: str) -> list[str]:
    """Sentences and pairs of adjacent sentences of a long text; nothing for a short one."""
    if len(text.split()) < PASSAGE_MIN_TEXT_WORDS:
        return []
    sentences = [part.strip() for part in _PASSAGE_BREAK.split(text) if len(part.split()) >= 2]
    pairs = [f"{first} {second}" for first, second in itertools.pairwise(sentences)]
    return (sentences + pairs)[:PASSAGE_MAX]
