"""Similar questions through birge.matching: answered FAQ entries, and open appeals to merge."""

from collections.abc import Iterable

from birge.matching.engines import Item
from birge.matching.registry import index_register, index_remove, index_search, index_upsert

from .models import Appeal, FaqEntry

FAQ_COLLECTION = "appeals-faq"
OPEN_COLLECTION = "appeals-open"
# A question is offered for merging only when it scores at least this share of the best
# possible score (the appeal matched against itself).
MERGE_MIN_RELATIVE_SCORE = 0.6


def _faq_items() -> Iterable[Item]:
    for pk, question, language in FaqEntry.objects.filter(is_published=True).values_list(
        "pk", "question", "language"
    ):
        yield Item(id=str(pk), text=question, lang=language)


def _open_items() -> Iterable[Item]:
    for pk, text, language in (
        Appeal.objects.open()
        .filter(canonical__isnull=True, agency__isnull=False)
        .values_list("pk", "text", "language")
    ):
        yield Item(id=str(pk), text=text, lang=language)


def indexes_register() -> None:
    index_register(FAQ_COLLECTION, loader=_faq_items)
    index_register(OPEN_COLLECTION, loader=_open_items)


def faq_index_entry(entry: FaqEntry) -> None:
    if entry.is_published:
        index_upsert(
            FAQ_COLLECTION, [Item(id=str(entry.pk), text=entry.question, lang=entry.language)]
        )
    else:
        index_remove(FAQ_COLLECTION, [str(entry.pk)])


def faq_similar_ids(*, text: str, language: str | None = None, top: int = 5) -> list[int]:
    if len(text.strip()) < 3:
        return []
    return [
        int(match.item_id) for match in index_search(FAQ_COLLECTION, text, lang=language, top=top)
    ]


def open_appeal_index(appeal: Appeal) -> None:
    """Keep the open-appeals index in step with one appeal (called from tasks)."""
    if appeal.status != Appeal.Status.ANSWERED and appeal.agency_id and not appeal.canonical_id:
        index_upsert(
            OPEN_COLLECTION, [Item(id=str(appeal.pk), text=appeal.text, lang=appeal.language)]
        )
    else:
        index_remove(OPEN_COLLECTION, [str(appeal.pk)])


def merge_candidate_ids(appeal: Appeal, *, top: int = 5) -> list[int]:
    """Open appeals that read almost the same as `appeal` (best first, itself excluded)."""
    matches = index_search(OPEN_COLLECTION, appeal.text, lang=appeal.language, top=top + 1)
    best = max((m.score for m in matches), default=0.0)
    return [
        int(m.item_id)
        for m in matches
        if m.item_id != str(appeal.pk) and best and m.score >= best * MERGE_MIN_RELATIVE_SCORE
    ][:top]
