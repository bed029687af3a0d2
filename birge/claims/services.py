"""Writes of the rumour registry: claims and their verdict workflow, rumour reports, clusters,
thresholds. Every staff write checks access, validates, is audit-logged and re-indexes after
commit; the second-person rule for verdicts lives here, so no entry point can skip it."""

import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from birge.channels.models import Publication, default_announce_channels
from birge.channels.services import publication_create
from birge.core.access import StaffUser, ensure_can
from birge.core.audit import audit_log, changed_fields_summary
from birge.core.models import Agency, Region, Topic
from birge.core.text import text_clean
from birge.matching.registry import index_invalidate
from birge.search.services import search_refresh

from .access import CLAIM_EDIT, CLAIM_PUBLISH, THRESHOLDS_EDIT, VERDICT_APPROVE
from .matching import (
    CLAIMS_COLLECTION,
    NEAR_IDENTICAL_CANDIDATES,
    claim_index,
    near_identical,
    report_fingerprint,
    report_index,
    report_terms,
    text_language,
    text_normalized,
)
from .models import (
    Claim,
    ClaimRevision,
    ClaimTranslation,
    Evidence,
    MatchingThresholds,
    ReportCluster,
    ReportSubmission,
    RumourReport,
    Verdict,
)
from .search import CLAIM_KIND
from .selectors import ClaimMatch, claim_matches

Status = Claim.Status
CLAIM_EDITABLE_FIELDS = (
    "wording",
    "language",
    "first_seen",
    "channels",
    "appearances",
    "topic",
    "agency",
)
# Reports are grouped for triage, not answered: a looser bar than "maybe related" (0.40) is
# fine, since fact-checkers see every report of a cluster. Two rewordings of one rumour among
# unrelated reports score about 0.35.
REPORT_CLUSTER_MIN_SCORE = 0.3
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class WorkflowError(ValidationError):
    """A workflow step that the claim's state or the actor does not allow."""


def _transition(
    claim: Claim, *, actor: StaffUser, to: Claim.Status, note: str = "", public: bool = False
) -> None:
    previous = claim.status
    claim.status = to
    ClaimRevision.objects.create(claim=claim, actor=actor, status=to, note=note, is_public=public)
    audit_log(
        actor=actor,
        action=f"claims.claim.{to}",
        target=claim,
        summary=f"{previous} -> {to}" + (f"; {note[:200]}" if note else ""),
        agency=claim.agency,
    )


def _claim_search_refresh(claim: Claim) -> None:
    """Refresh the site search's documents of the claim: one per translation, none unless public."""
    keys = ClaimTranslation.objects.filter(claim=claim).values_list("pk", flat=True)
    search_refresh(kind=CLAIM_KIND, keys=list(keys))


def _require(claim: Claim, *allowed: Claim.Status) -> None:
    if claim.status not in allowed:
        raise WorkflowError(
            _("This step is not possible while the claim is “%(status)s”.")
            % {"status": claim.get_status_display()},
            code="wrong_status",
        )


# --- claims -------------------------------------------------------------------------------------


@transaction.atomic
def claim_create(
    *,
    actor: StaffUser,
    wording: str,
    language: str,
    topic: Topic | None = None,
    agency: Agency | None = None,
    first_seen: date | None = None,
    channels: list[str] | None = None,
    appearances: list[str] | None = None,
    cluster: ReportCluster | None = None,
) -> Claim:
    """Register a claim as it circulated (status new); from a cluster, the cluster attaches."""
    ensure_can(actor, CLAIM_EDIT)
    claim = Claim(
        wording=wording.strip(),
        language=language,
        topic=topic,
        agency=agency,
        first_seen=first_seen,
        channels=list(channels or []),
        appearances=list(appearances or []),
    )
    claim.full_clean()
    claim.save()
    ClaimRevision.objects.create(claim=claim, actor=actor, status=Status.NEW)
    audit_log(actor=actor, action="claims.claim.created", target=claim, agency=agency)
    if cluster is not None:
        _cluster_attach(actor=actor, cluster=cluster, claim=claim)
    return claim


@transaction.atomic
def claim_edit(*, actor: StaffUser, claim: Claim, note: str = "", **fields: Any) -> Claim:
    """Change the claim's own fields. On a published claim a dated public note is required
    and the claim becomes "updated"."""
    ensure_can(actor, CLAIM_EDIT)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    unknown = set(fields) - set(CLAIM_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    before = {name: getattr(claim, name) for name in fields}
    for name, value in fields.items():
        setattr(claim, name, value)
    claim.full_clean()
    summary = changed_fields_summary(before, fields)
    if summary == "no change":
        return claim
    _published_change(claim, actor=actor, note=note)
    claim.save()
    audit_log(actor=actor, action="claims.claim.edited", target=claim, summary=summary)
    claim_index(claim)
    _claim_search_refresh(claim)
    return claim


def _published_change(claim: Claim, *, actor: StaffUser, note: str) -> None:
    if claim.status == Status.NEW:
        _transition(claim, actor=actor, to=Status.IN_REVIEW)
    elif claim.is_public:
        if not note.strip():
            raise ValidationError(
                {"note": _("Say what changed: readers of a published verdict see this note.")}
            )
        claim.updated_at = timezone.now()
        _transition(claim, actor=actor, to=Status.UPDATED, note=note.strip(), public=True)
    elif claim.status in (Status.VERDICT_DRAFTED, Status.APPROVED):
        # A change after drafting needs a fresh approval by a second person.
        claim.approved_by = None
        claim.approved_at = None
        _transition(claim, actor=actor, to=Status.IN_REVIEW, note=note.strip())


@transaction.atomic
def claim_translation_set(
    *, actor: StaffUser, claim: Claim, language: str, wording: str, explanation: str, note: str = ""
) -> ClaimTranslation:
    """Write the claim's wording and the verdict's explanation in one language."""
    ensure_can(actor, CLAIM_EDIT)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    row = ClaimTranslation.objects.filter(claim=claim, language=language).first()
    if row is None:
        row = ClaimTranslation(claim=claim, language=language)
    before = {"wording": row.wording, "explanation": row.explanation}
    row.wording, row.explanation = wording.strip(), explanation.strip()
    row.full_clean()
    summary = changed_fields_summary(
        before, {"wording": row.wording, "explanation": row.explanation}
    )
    if summary == "no change":
        return row
    _published_change(claim, actor=actor, note=note)
    claim.save()
    row.save()
    audit_log(
        actor=actor,
        action="claims.translation.saved",
        target=claim,
        summary=f"{language}: {summary}",
    )
    claim_index(claim)
    _claim_search_refresh(claim)
    return row


@transaction.atomic
def claim_evidence_add(
    *,
    actor: StaffUser,
    claim: Claim,
    kind: Evidence.Kind,
    title: str,
    url: str = "",
    date_: date | None = None,
    note: str = "",
) -> Evidence:
    ensure_can(actor, CLAIM_EDIT)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    evidence = Evidence(
        claim=claim,
        kind=kind,
        title=title.strip(),
        url=url.strip(),
        date=date_,
        sort_order=claim.evidence.count(),
    )
    evidence.full_clean()
    _published_change(claim, actor=actor, note=note)
    claim.save()
    evidence.save()
    audit_log(actor=actor, action="claims.evidence.added", target=claim, summary=f"{kind}")
    return evidence


@transaction.atomic
def claim_evidence_remove(*, actor: StaffUser, evidence: Evidence, note: str = "") -> None:
    ensure_can(actor, CLAIM_EDIT)
    claim = Claim.objects.select_for_update().get(pk=evidence.claim_id)
    _published_change(claim, actor=actor, note=note)
    claim.save()
    evidence.delete()
    audit_log(actor=actor, action="claims.evidence.removed", target=claim)


@transaction.atomic
def claim_verdict_draft(
    *, actor: StaffUser, claim: Claim, verdict: Verdict | None, note: str = ""
) -> Claim:
    """Set the verdict and submit it for approval by another fact-checker. On a published
    claim the new verdict waits, with its reason, while the page keeps the approved one.
    None (no verdict chosen) is refused with a message."""
    ensure_can(actor, CLAIM_EDIT)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.is_public:
        return _verdict_change_propose(claim, actor=actor, verdict=verdict, note=note)
    _require(claim, Status.NEW, Status.IN_REVIEW, Status.VERDICT_DRAFTED, Status.APPROVED)
    claim.verdict = verdict or ""
    claim.full_clean()
    if not verdict:
        raise ValidationError({"verdict": _("Choose a verdict.")})
    if not claim.translations.exclude(explanation="").exists():
        raise WorkflowError(
            _("Write the explanation of the verdict in at least one language first."),
            code="no_explanation",
        )
    claim.verdict_author = actor
    claim.approved_by = None
    claim.approved_at = None
    _transition(claim, actor=actor, to=Status.VERDICT_DRAFTED, note=f"verdict: {verdict}")
    claim.save()
    return claim


def _verdict_change_propose(
    claim: Claim, *, actor: StaffUser, verdict: Verdict | None, note: str
) -> Claim:
    if verdict not in Verdict.values or verdict == claim.verdict:
        raise ValidationError({"verdict": _("Choose a verdict different from the published one.")})
    if not note.strip():
        raise ValidationError(
            {"note": _("Say why the verdict changes: readers of the claim see this note.")}
        )
    claim.verdict_pending = verdict
    claim.verdict_pending_note = note.strip()[:1000]
    claim.verdict_author = actor
    claim.full_clean()
    claim.save()
    ClaimRevision.objects.create(
        claim=claim, actor=actor, status=claim.status, note=f"verdict proposed: {verdict}"
    )
    audit_log(
        actor=actor,
        action="claims.verdict.proposed",
        target=claim,
        summary=f"{claim.verdict} -> {verdict}",
        agency=claim.agency,
    )
    return claim


def _ensure_second_person(claim: Claim, actor: StaffUser) -> None:
    if claim.verdict_author_id is None or claim.verdict_author_id == actor.pk:
        raise WorkflowError(
            _("A verdict must be approved by a second fact-checker, not by its author."),
            code="own_verdict",
        )


@transaction.atomic
def claim_verdict_approve(*, actor: StaffUser, claim: Claim) -> Claim:
    """Approve a drafted verdict; refused to the verdict's own author (the second-person rule).
    A new verdict for a published claim takes effect at once, with a dated public note."""
    ensure_can(actor, VERDICT_APPROVE)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.is_public and claim.verdict_pending:
        _ensure_second_person(claim, actor)
        previous = claim.verdict
        claim.verdict = claim.verdict_pending
        note = claim.verdict_pending_note
        claim.verdict_pending, claim.verdict_pending_note = "", ""
        claim.approved_by, claim.approved_at = actor, timezone.now()
        claim.updated_at = claim.approved_at
        _transition(claim, actor=actor, to=Status.UPDATED, note=note, public=True)
        audit_log(
            actor=actor,
            action="claims.verdict.changed",
            target=claim,
            summary=f"{previous} -> {claim.verdict}",
            agency=claim.agency,
        )
        claim.save()
        _claim_search_refresh(claim)
        return claim
    _require(claim, Status.VERDICT_DRAFTED)
    _ensure_second_person(claim, actor)
    claim.approved_by = actor
    claim.approved_at = timezone.now()
    _transition(claim, actor=actor, to=Status.APPROVED)
    claim.save()
    return claim


@transaction.atomic
def claim_publish(*, actor: StaffUser, claim: Claim) -> Claim:
    """Publish an approved claim: it appears in the public list and answers "check a rumour"."""
    ensure_can(actor, CLAIM_PUBLISH)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    _require(claim, Status.APPROVED)
    if claim.approved_by_id is None:
        raise WorkflowError(_("The verdict is not approved."), code="not_approved")
    now = timezone.now()
    if claim.published_at is None:
        claim.published_at = now
    else:
        claim.updated_at = now
    _transition(claim, actor=actor, to=Status.PUBLISHED)
    claim.save()
    claim_index(claim)
    _claim_search_refresh(claim)
    _claim_announce(claim, actor=actor)
    return claim


def _claim_announce(claim: Claim, *, actor: StaffUser) -> None:
    """Send the verdict to the channels in each language it is written in; a verdict changed
    later is announced again, the same one republished is not."""
    wordings = {t.language: (t.wording, t.explanation) for t in claim.translations.all()}
    wordings.setdefault(claim.language, (claim.wording, ""))
    texts = {}
    for language, (wording, explanation) in wordings.items():
        with override(language):
            texts[language] = {
                "title": f"{claim.get_verdict_display()}: {Truncator(wording).chars(200)}",
                "summary": Truncator(explanation).chars(600),
                "url": reverse("claims:detail", args=[claim.pk]),
            }
    publication_create(
        kind=Publication.Kind.CLAIM,
        source_kind="claims.claim",
        source_key=f"{claim.pk}:{claim.verdict}",
        texts=texts,
        channels=default_announce_channels(),
        topics=[claim.topic] if claim.topic is not None else [],
        actor=actor,
    )


# --- thresholds ---------------------------------------------------------------------------------


@transaction.atomic
def thresholds_set(
    *, actor: StaffUser, same_claim: float, maybe_related: float
) -> MatchingThresholds:
    ensure_can(actor, THRESHOLDS_EDIT)
    row = MatchingThresholds.current()
    before = {"same_claim": row.same_claim, "maybe_related": row.maybe_related}
    row.same_claim, row.maybe_related = same_claim, maybe_related
    row.updated_at = timezone.now()
    row.full_clean()
    row.save()
    audit_log(
        actor=actor,
        action="claims.thresholds.changed",
        target=row,
        summary=f"{before['same_claim']}/{before['maybe_related']} -> {same_claim}/{maybe_related}",
    )
    # Checks remember the thresholds per version of the claims index (selectors.claim_matches).
    transaction.on_commit(lambda: index_invalidate(CLAIMS_COLLECTION))
    return row


# --- rumour reports -----------------------------------------------------------------------------


@dataclass
class CheckOutcome:
    """What "check a rumour" answers: the claims found, or the receipt of a new report."""

    language: str
    matches: list[ClaimMatch] = field(default_factory=list)
    report: RumourReport | None = None

    @property
    def answered(self) -> bool:
        return bool(self.matches)


def rumour_check(
    *,
    text: str,
    language: str | None,
    answer_language: str | None = None,
    region: Region | None = None,
) -> CheckOutcome:
    """Find checked claims for the text (in `language`, guessed when None), answered in
    `answer_language` (default: the text's); when none reaches "maybe related", file a report."""
    lang = text_language(text, language)
    answer = answer_language or lang
    matches = claim_matches(text=text, language=lang, answer_language=answer)
    if matches:
        return CheckOutcome(language=answer, matches=matches)
    report = report_submit(text=text, language=lang, region=region)
    return CheckOutcome(language=answer, report=report)


def rumour_send_for_check(
    *, text: str, answer_language: str, region: Region | None = None
) -> CheckOutcome:
    """File the text as a report although claims were suggested (the citizen says none fits)."""
    report = report_submit(text=text, language=text_language(text, None), region=region)
    return CheckOutcome(language=answer_language, report=report)


def _reference_new() -> str:
    return "R-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


@transaction.atomic
def report_submit(*, text: str, language: str, region: Region | None = None) -> RumourReport:
    """Count the text as a rumour report: on an identical or near-identical open report when
    there is one, else as a new report in a cluster of its own (merged with similar clusters
    by a task after commit)."""
    text = text_clean(text)
    if not text:
        raise ValidationError({"text": _("Write or paste the message to check.")})
    terms = report_terms(text, language)
    # The stored normal form is the script-free stems, so near-identical checks need no
    # re-analysis of older reports.
    normalized = " ".join(terms) or text_normalized(text)
    fingerprint = report_fingerprint(terms, normalized)
    now = timezone.now()
    report = _report_same_as(fingerprint=fingerprint, terms=set(terms))
    if report is not None:
        RumourReport.objects.filter(pk=report.pk).update(count=F("count") + 1, last_seen=now)
        report.refresh_from_db()
        ReportSubmission.objects.create(report=report, at=now, region=region)
        return report
    cluster = ReportCluster.objects.create(label=text[:300])
    report = RumourReport(
        text=text,
        language=language,
        normalized=normalized,
        fingerprint=fingerprint,
        first_seen=now,
        last_seen=now,
        cluster=cluster,
        reference=_reference_new(),
    )
    report.full_clean(exclude=["normalized", "fingerprint"])
    for _attempt in range(3):
        try:
            with transaction.atomic():
                report.save()
            break
        except IntegrityError:
            report.reference = _reference_new()
    ReportSubmission.objects.create(report=report, at=now, region=region)
    audit_log(actor=None, action="claims.report.received", target=report)
    report_index(report, open_=True)
    report_pk = report.pk

    def enqueue() -> None:
        report_cluster_task.enqueue(report_id=report_pk)

    transaction.on_commit(enqueue)
    return report


def _report_same_as(*, fingerprint: str, terms: set[str]) -> RumourReport | None:
    open_reports = RumourReport.objects.select_for_update().filter(
        cluster__status=ReportCluster.Status.OPEN, claim__isnull=True
    )
    exact = open_reports.filter(fingerprint=fingerprint).order_by("pk").first()
    if exact is not None:
        return exact
    if not terms:
        return None
    recent = (
        RumourReport.objects.filter(
            cluster__status=ReportCluster.Status.OPEN,
            claim__isnull=True,
            last_seen__gte=timezone.now() - timedelta(days=30),
        )
        .order_by("-last_seen")
        .values_list("pk", "normalized")[:NEAR_IDENTICAL_CANDIDATES]
    )
    for pk, other in recent:
        if near_identical(terms, set(other.split())):
            return open_reports.get(pk=pk)
    return None


@transaction.atomic
def report_cluster_assign(
    *, report_id: int, min_score: float | None = None
) -> ReportCluster | None:
    """Move a report alone in its cluster into the cluster of the most similar open report."""
    from birge.matching.registry import index_search

    from .matching import REPORTS_COLLECTION

    report = RumourReport.objects.select_related("cluster").filter(pk=report_id).first()
    if report is None or report.cluster is None or report.claim_id is not None:
        return None
    threshold = min_score if min_score is not None else REPORT_CLUSTER_MIN_SCORE
    if report.cluster.reports.count() > 1:
        return report.cluster
    for match in index_search(REPORTS_COLLECTION, report.text, lang=report.language, top=5):
        if match.item_id == str(report.pk) or match.score < threshold:
            continue
        other = (
            RumourReport.objects.select_related("cluster")
            .filter(pk=int(match.item_id), cluster__status=ReportCluster.Status.OPEN)
            .first()
        )
        if other is None or other.cluster_id == report.cluster_id or other.cluster is None:
            continue
        empty = report.cluster
        report.cluster = other.cluster
        report.save(update_fields=["cluster"])
        empty.delete()
        return other.cluster
    return report.cluster


def reports_recluster() -> int:
    """Re-run clustering on every open report alone in its cluster; returns how many moved."""
    moved = 0
    singles = (
        RumourReport.objects.filter(cluster__status=ReportCluster.Status.OPEN, claim__isnull=True)
        .order_by("first_seen")
        .values_list("pk", "cluster_id")
    )
    for pk, cluster_id in list(singles):
        cluster = report_cluster_assign(report_id=pk)
        moved += cluster is not None and cluster.pk != cluster_id
    return moved


@transaction.atomic
def queue_regroup_request(*, actor: StaffUser) -> None:
    """Re-cluster the open reports in a background task after commit (heavy on a long queue)."""
    ensure_can(actor, CLAIM_EDIT)
    audit_log(
        actor=actor, action="claims.queue.regroup_requested", target=MatchingThresholds.current()
    )

    def enqueue() -> None:
        reports_recluster_task.enqueue()

    transaction.on_commit(enqueue)


# --- the fact-checkers' queue -------------------------------------------------------------------


def _cluster_attach(*, actor: StaffUser, cluster: ReportCluster, claim: Claim) -> None:
    cluster.status = ReportCluster.Status.ATTACHED
    cluster.claim = claim
    cluster.save(update_fields=["status", "claim"])
    reports = list(cluster.reports.all())
    RumourReport.objects.filter(cluster=cluster).update(claim=claim)
    for report in reports:
        report_index(report, open_=False)
    audit_log(
        actor=actor,
        action="claims.cluster.attached",
        target=cluster,
        summary=f"claim {claim.pk}; {len(reports)} reports",
    )


@transaction.atomic
def cluster_attach(*, actor: StaffUser, cluster: ReportCluster, claim: Claim) -> ReportCluster:
    """Attach every report of the cluster to an existing claim (one action on the desk)."""
    ensure_can(actor, CLAIM_EDIT)
    cluster = ReportCluster.objects.select_for_update().get(pk=cluster.pk)
    if cluster.status != ReportCluster.Status.OPEN:
        raise WorkflowError(_("This cluster is no longer open."), code="cluster_closed")
    _cluster_attach(actor=actor, cluster=cluster, claim=claim)
    return cluster


@transaction.atomic
def cluster_claim_start(*, actor: StaffUser, cluster: ReportCluster) -> Claim:
    """Start a new claim from the cluster's most submitted report."""
    ensure_can(actor, CLAIM_EDIT)
    cluster = ReportCluster.objects.select_for_update().get(pk=cluster.pk)
    if cluster.status != ReportCluster.Status.OPEN:
        raise WorkflowError(_("This cluster is no longer open."), code="cluster_closed")
    sample = cluster.reports.order_by("-count", "first_seen").first()
    if sample is None:
        raise WorkflowError(_("This cluster has no reports."), code="cluster_empty")
    return claim_create(
        actor=actor,
        wording=sample.text,
        language=sample.language,
        first_seen=timezone.localdate(sample.first_seen),
        cluster=cluster,
    )


@transaction.atomic
def cluster_dismiss(*, actor: StaffUser, cluster: ReportCluster) -> ReportCluster:
    """Take a cluster off the queue (spam, not a claim of fact)."""
    ensure_can(actor, CLAIM_EDIT)
    cluster = ReportCluster.objects.select_for_update().get(pk=cluster.pk)
    cluster.status = ReportCluster.Status.DISMISSED
    cluster.save(update_fields=["status"])
    for report in cluster.reports.all():
        report_index(report, open_=False)
    audit_log(actor=actor, action="claims.cluster.dismissed", target=cluster)
    return cluster


# --- background runs of the services above -------------------------------------------------


@task()
def report_cluster_task(*, report_id: int) -> int | None:
    """Put a new report into the cluster of the most similar open report (safe to repeat)."""
    cluster = report_cluster_assign(report_id=report_id)
    return cluster.pk if cluster is not None else None


@task()
def reports_recluster_task() -> int:
    """Re-cluster every open report alone in its cluster (after the thresholds change)."""
    return reports_recluster()
