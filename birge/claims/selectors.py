"""Reads of the rumour registry: public claims, matching a text to checked claims, the
fact-checkers' queue."""

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from birge.core.access import Visitor, ensure_can
from birge.core.models import Region
from birge.matching.registry import index_search, index_version

from .access import REPORT_VIEW
from .matching import CLAIMS_COLLECTION
from .models import (
    Claim,
    ClaimTranslation,
    MatchingThresholds,
    ReportCluster,
    ReportSubmission,
    RumourReport,
    Verdict,
)

SAME_CLAIM = "same_claim"
MAYBE_RELATED = "maybe_related"
CHECK_TOP = 5
GROWTH_WINDOW = timedelta(hours=6)


def claim_public_list(
    *, verdict: Verdict | None = None, topic: str = "", language: str = ""
) -> QuerySet[Claim]:
    """Published claims, newest first, filtered by verdict, topic slug and language."""
    claims = (
        Claim.objects.published()
        .select_related("topic", "agency")
        .prefetch_related("translations")
        .order_by("-published_at", "-id")
    )
    if verdict:
        claims = claims.filter(verdict=verdict)
    if topic:
        claims = claims.filter(topic__slug=topic)
    if language:
        claims = claims.filter(
            Q(language=language)
            | Exists(ClaimTranslation.objects.filter(claim=OuterRef("pk"), language=language))
        )
    return claims


def claim_public_get(*, claim_id: int) -> Claim:
    """A published claim with what its page shows; 404 for unknown or unpublished ones."""
    claim = (
        Claim.objects.published()
        .select_related("topic", "agency")
        .prefetch_related("translations", "evidence")
        .filter(pk=claim_id)
        .first()
    )
    if claim is None:
        raise Http404
    return claim


def claim_public_updates(*, claim: Claim) -> QuerySet[Any]:
    return claim.revisions.filter(is_public=True).order_by("-at")


@dataclass
class ClaimMatch:
    claim: Claim
    score: float
    match: str  # SAME_CLAIM or MAYBE_RELATED
    translation: ClaimTranslation | None
    language: str


@dataclass
class _PublishedMemory:
    """The thresholds and the published claims a check has read, for one version of the claims
    index: a burst of checks of the same rumours reads them once per process. Publishing,
    withdrawing or editing a claim and changing the thresholds all make a new version."""

    version: int | None = None
    thresholds: MatchingThresholds | None = None
    claims: dict[int, Claim] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


_published = _PublishedMemory()


def _published_read(ids: Iterable[int]) -> tuple[MatchingThresholds, dict[int, Claim]]:
    version = index_version(CLAIMS_COLLECTION)
    with _published.lock:
        if version is None or version != _published.version:
            _published.version, _published.thresholds, _published.claims = version, None, {}
        thresholds, known = _published.thresholds, dict(_published.claims)
    if thresholds is None:
        thresholds = MatchingThresholds.current()
    missing = [claim_id for claim_id in ids if claim_id not in known]
    if missing:
        known.update(Claim.objects.published().prefetch_related("translations").in_bulk(missing))
    with _published.lock:
        if _published.version == version:
            _published.thresholds = thresholds
            _published.claims.update(known)
    return thresholds, known


def claim_matches(
    *, text: str, language: str, answer_language: str | None = None, top: int = CHECK_TOP
) -> list[ClaimMatch]:
    """Published claims matching the text at or above "maybe related", best first, each with
    its wording and explanation in `answer_language` (default: the text's) where a
    translation exists."""
    searched = index_search(CLAIMS_COLLECTION, text, lang=language, top=top)
    thresholds, claims = _published_read([int(m.key) for m in searched])
    found = [m for m in searched if m.score >= thresholds.maybe_related]
    if not found:
        return []
    matches = []
    for m in found:
        claim = claims.get(int(m.key))
        if claim is None:
            continue
        translation = claim.translation_in(answer_language or language)
        matches.append(
            ClaimMatch(
                claim=claim,
                score=round(m.score, 3),
                match=SAME_CLAIM if m.score >= thresholds.same_claim else MAYBE_RELATED,
                translation=translation,
                language=translation.language if translation else claim.language,
            )
        )
    return matches


# --- the fact-checkers' desk --------------------------------------------------------------------


@dataclass
class QueueRow:
    cluster: ReportCluster
    total: int
    recent: int
    previous: int
    reports: list[RumourReport]
    regions: list[tuple[Region | None, int]]

    @property
    def growth(self) -> int:
        return self.recent - self.previous


def cluster_queue(*, user: Visitor, limit: int = 50) -> list[QueueRow]:
    """Open clusters by submissions in the last 6 hours, then growth against the 6 before,
    then all-time volume."""
    ensure_can(user, REPORT_VIEW)
    now = timezone.now()
    recent_from, previous_from = now - GROWTH_WINDOW, now - 2 * GROWTH_WINDOW
    clusters = (
        ReportCluster.objects.filter(status=ReportCluster.Status.OPEN)
        .annotate(
            total=Count("reports__submissions"),
            recent=Count(
                "reports__submissions", filter=Q(reports__submissions__at__gte=recent_from)
            ),
            previous=Count(
                "reports__submissions",
                filter=Q(
                    reports__submissions__at__gte=previous_from,
                    reports__submissions__at__lt=recent_from,
                ),
            ),
        )
        .filter(total__gt=0)
        .prefetch_related(Prefetch("reports", queryset=RumourReport.objects.order_by("-count")))
    )
    rows = sorted(
        clusters,
        key=lambda c: (-c.recent, -(c.recent - c.previous), -c.total, -c.pk),
    )[:limit]
    regions = _region_counts([c.pk for c in rows])
    return [
        QueueRow(
            cluster=c,
            total=c.total,
            recent=c.recent,
            previous=c.previous,
            reports=list(c.reports.all()),
            regions=regions.get(c.pk, []),
        )
        for c in rows
    ]


def _region_counts(cluster_ids: list[int]) -> dict[int, list[tuple[Region | None, int]]]:
    rows = (
        ReportSubmission.objects.filter(report__cluster_id__in=cluster_ids)
        .values("report__cluster_id", "region_id")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    region_by_id = Region.objects.in_bulk({row["region_id"] for row in rows if row["region_id"]})
    counts: dict[int, list[tuple[Region | None, int]]] = {}
    for row in rows:
        counts.setdefault(row["report__cluster_id"], []).append(
            (region_by_id.get(row["region_id"]) if row["region_id"] else None, row["n"])
        )
    return counts


def report_region_counts(*, report: RumourReport) -> list[tuple[Region | None, int]]:
    """How many submissions of the report came from each region (None: region not given)."""
    rows = (
        report.submissions.values("region_id").annotate(n=Count("id")).order_by("-n", "region_id")
    )
    region_by_id = Region.objects.in_bulk({row["region_id"] for row in rows if row["region_id"]})
    return [(region_by_id.get(row["region_id"]), row["n"]) for row in rows]


def cluster_get_for(*, user: Visitor, cluster_id: int) -> ReportCluster:
    ensure_can(user, REPORT_VIEW)
    cluster = ReportCluster.objects.filter(pk=cluster_id).first()
    if cluster is None:
        raise Http404
    return cluster


def claim_desk_list(*, user: Visitor, status: Claim.Status | None = None) -> QuerySet[Claim]:
    ensure_can(user, REPORT_VIEW)
    claims = Claim.objects.select_related("topic", "agency").order_by("-id")
    if status:
        claims = claims.filter(status=status)
    return claims


def claim_desk_get(*, user: Visitor, claim_id: int) -> Claim:
    ensure_can(user, REPORT_VIEW)
    claim = (
        Claim.objects.select_related("topic", "agency", "verdict_author", "approved_by")
        .prefetch_related("translations", "evidence", "revisions")
        .filter(pk=claim_id)
        .first()
    )
    if claim is None:
        raise Http404
    return claim
