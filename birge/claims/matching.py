"""The claims' use of birge.matching: the published-claims index, the open-reports index, and
the fingerprint that counts identical and near-identical rumour reports together."""

import hashlib
from collections.abc import Iterable

from birge.matching.analysis import hybrid_terms
from birge.matching.engines import Item
from birge.matching.normalize import guess_language, normalize_text
from birge.matching.registry import index_register, index_remove, index_upsert

from .models import Claim, ReportCluster, RumourReport

CLAIMS_COLLECTION = "claims"
REPORTS_COLLECTION = "claims-reports"
# Two reports whose script-free word stems overlap this much (Jaccard) are one report: the same
# forwarded message with a greeting added, a word retyped or the other Kazakh alphabet.
NEAR_IDENTICAL_MIN_OVERLAP = 0.8
# How many recent open reports a new one is compared with on the request path.
NEAR_IDENTICAL_CANDIDATES = 500


def _claim_items(claims: Iterable[Claim]) -> Iterable[Item]:
    for claim in claims:
        group = str(claim.pk)
        yield Item(id=f"{claim.pk}:origin", text=claim.wording, lang=claim.language, group=group)
        for row in claim.translations.all():
            yield Item(
                id=f"{claim.pk}:{row.language}", text=row.wording, lang=row.language, group=group
            )


def _claims_loader() -> Iterable[Item]:
    claims = Claim.objects.published().prefetch_related("translations")
    return list(_claim_items(claims))


def _reports_loader() -> Iterable[Item]:
    rows = RumourReport.objects.filter(
        claim__isnull=True, cluster__status=ReportCluster.Status.OPEN
    ).values_list("pk", "text", "language")
    return [Item(id=str(pk), text=text, lang=language) for pk, text, language in rows]


def indexes_register() -> None:
    index_register(CLAIMS_COLLECTION, loader=_claims_loader)
    index_register(REPORTS_COLLECTION, loader=_reports_loader)


def claim_index(claim: Claim) -> None:
    """Keep the claims index in step with one claim once the transaction commits."""
    ids = [f"{claim.pk}:origin"] + [f"{claim.pk}:{code}" for code in ("kk", "ru", "en")]
    if claim.is_public:
        claim = Claim.objects.prefetch_related("translations").get(pk=claim.pk)
        items = list(_claim_items([claim]))
        kept = {item.id for item in items}
        index_remove(CLAIMS_COLLECTION, [i for i in ids if i not in kept])
        index_upsert(CLAIMS_COLLECTION, items)
    else:
        index_remove(CLAIMS_COLLECTION, ids)


def report_index(report: RumourReport, *, open_: bool) -> None:
    if open_:
        index_upsert(
            REPORTS_COLLECTION, [Item(id=str(report.pk), text=report.text, lang=report.language)]
        )
    else:
        index_remove(REPORTS_COLLECTION, [str(report.pk)])


def translation_item_language(item_id: str) -> str | None:
    """The language of an indexed claim item ("12:ru" -> "ru"; the origin -> None)."""
    suffix = item_id.rpartition(":")[2]
    return suffix if suffix in ("kk", "ru", "en") else None


def report_terms(text: str, language: str | None) -> list[str]:
    """Script-free stems of the text, noise stripped (what counts as "the same message")."""
    return hybrid_terms(text, language, use_lexicon=False)


def report_fingerprint(terms: list[str], normalized: str) -> str:
    basis = " ".join(terms) if terms else normalized
    return hashlib.sha256(basis.encode("utf-8", "replace")).hexdigest()


def near_identical(first: set[str], second: set[str]) -> bool:
    if not first or not second:
        return False
    return len(first & second) / len(first | second) >= NEAR_IDENTICAL_MIN_OVERLAP


def text_language(text: str, given: str | None) -> str:
    if given in ("kk", "ru", "en"):
        return given
    return guess_language(text) or "kk"


def text_normalized(text: str) -> str:
    return normalize_text(text)
