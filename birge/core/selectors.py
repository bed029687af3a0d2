"""Reads of the core domain."""

import time
from datetime import UTC, date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from birge.matching.health import matching_health

from .access import AUDIT_EXPORT, AUDIT_VIEW, STAFF_MANAGE, StaffUser, Visitor, can, ensure_can
from .models import Agency, AuditEntry, AuditExport, EmergencyContact, Region, StaffRole, Topic

EMERGENCY_CONTACTS_CACHE_KEY = "core:emergency-contacts:v1"


def region_list() -> QuerySet[Region]:
    return Region.objects.all()


REFERENCE_CACHE_SECONDS = 300
_reference: dict[str, tuple[float, dict[str, Any]]] = {}


def _reference_table(name: str, load: Any) -> dict[str, Any]:
    loaded_at, table = _reference.get(name, (0.0, {}))
    if time.monotonic() - loaded_at > REFERENCE_CACHE_SECONDS or not table:
        table = load()
        _reference[name] = (time.monotonic(), table)
    return table


def reference_cache_clear() -> None:
    """Forget the per-process copies (tests that rebuild the tables call this)."""
    _reference.clear()


def region_by_code(code: str) -> Region | None:
    """The region with this ISO code, from a per-process copy of the table (no query per call).

    Regions and topics are reference data that change a few times a year; a request that
    names one (every appeal does) should not pay a query for it.
    """
    table = _reference_table("regions", lambda: {r.code: r for r in Region.objects.all()})
    region: Region | None = table.get(code.strip().upper())
    return region


def topic_by_slug(slug: str) -> Topic | None:
    """The topic with this slug, from a per-process copy refreshed every five minutes."""
    table = _reference_table("topics", lambda: {t.slug: t for t in Topic.objects.all()})
    topic: Topic | None = table.get(slug.strip())
    return topic


def agency_list_public(*, region: Region | None = None) -> QuerySet[Agency]:
    """Active agencies with their region and topics, for the public directory."""
    agencies = (
        Agency.objects.filter(is_active=True)
        .select_related("region", "parent")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("slug")))
    )
    if region is not None:
        agencies = agencies.filter(region=region)
    return agencies.order_by("region__sort_order", "kind", "name_en")


def emergency_contacts() -> list[dict[str, str]]:
    """The header's emergency numbers, cached briefly because every page shows them."""
    cached: list[dict[str, str]] | None = cache.get(EMERGENCY_CONTACTS_CACHE_KEY)
    if cached is None:
        cached = [
            {
                "number": contact.number,
                "name_kk": contact.name_kk,
                "name_ru": contact.name_ru,
                "name_en": contact.name_en,
            }
            for contact in EmergencyContact.objects.all()
        ]
        cache.set(
            EMERGENCY_CONTACTS_CACHE_KEY,
            cached,
            settings.BIRGE_EMERGENCY_CONTACTS_CACHE_SECONDS,
        )
    return cached


def emergency_contacts_cache_clear() -> None:
    cache.delete(EMERGENCY_CONTACTS_CACHE_KEY)


def staff_member_list(*, user: Visitor) -> QuerySet[StaffUser]:
    """Staff accounts with their roles and second-factor state, for administrators."""
    ensure_can(user, STAFF_MANAGE)
    return (
        get_user_model()
        .objects.filter(staff_roles__isnull=False)
        .distinct()
        .prefetch_related(
            Prefetch("staff_roles", queryset=StaffRole.objects.select_related("agency"))
        )
        .annotate(
            authenticator_confirmed=Exists(
                TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
            )
        )
        .order_by("username")
    )


def staff_member_get(*, user: Visitor, member_id: int) -> StaffUser:
    """One staff account for an administrator; 404 for anyone else or an unknown id."""
    if not can(user, STAFF_MANAGE):
        raise Http404
    return get_object_or_404(staff_member_list(user=user), pk=member_id)


def audit_entry_list(
    *,
    user: Visitor,
    action: str = "",
    actor: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEntry]:
    """Audit entries a coordinator or administrator may read, newest first."""
    ensure_can(user, AUDIT_VIEW)
    entries = AuditEntry.objects.all()
    if action:
        entries = entries.filter(action__startswith=action)
    if actor:
        entries = entries.filter(actor_label__iexact=actor)
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    return entries


def audit_export_get_for(*, user: StaffUser, export_id: int) -> AuditExport | None:
    """An export the user requested themselves (exports are not shared between staff)."""
    ensure_can(user, AUDIT_EXPORT)
    return AuditExport.objects.filter(pk=export_id, requested_by=user).first()


def audit_export_list_for(*, user: StaffUser) -> QuerySet[AuditExport]:
    ensure_can(user, AUDIT_EXPORT)
    return AuditExport.objects.filter(requested_by=user)[:10]


def database_check() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def cache_check() -> None:
    # The shared cache too: without its table (createcachetable) every rate-limited form fails.
    for alias in ("default", "shared"):
        key = "core:healthz"
        caches[alias].set(key, "ok", 10)
        if caches[alias].get(key) != "ok":
            raise RuntimeError(f"cache {alias!r} read-back failed")


def task_backlog() -> dict[str, Any]:
    """Tasks waiting for a worker, and the age of the oldest, for the configured backend."""
    backend = str(settings.TASKS["default"]["BACKEND"])
    if backend == "django_tasks_db.DatabaseBackend":
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
        return {"backend": "database", "waiting": waiting.count(), "oldest_seconds": round(age)}
    if backend == "django_tasks_rq.RQBackend":
        import django_rq

        queue = django_rq.get_queue("default")
        job_ids = queue.get_job_ids(0, 0)
        age = 0.0
        if job_ids:
            job = queue.fetch_job(job_ids[0])
            if job is not None and job.enqueued_at is not None:
                enqueued = job.enqueued_at
                if timezone.is_naive(enqueued):
                    enqueued = timezone.make_aware(enqueued, UTC)
                age = (timezone.now() - enqueued).total_seconds()
        return {"backend": "rq", "waiting": queue.count, "oldest_seconds": round(age)}
    return {"backend": backend.rsplit(".", 1)[-1], "waiting": 0, "oldest_seconds": 0}


def health_report() -> tuple[bool, dict[str, Any]]:
    """Database, cache and task backlog; healthy only if all three are."""
    report: dict[str, Any] = {}
    healthy = True
    for name, check in (("database", database_check), ("cache", cache_check)):
        try:
            check()
            report[name] = "ok"
        except Exception as error:  # any failure makes the probe answer 503
            report[name] = f"error: {type(error).__name__}"
            healthy = False
    try:
        backlog = task_backlog()
        max_age = settings.BIRGE_TASK_BACKLOG_MAX_AGE_SECONDS
        backlog["status"] = "ok" if backlog["oldest_seconds"] <= max_age else "stalled"
        healthy = healthy and backlog["status"] == "ok"
        report["tasks"] = backlog
    except Exception as error:
        report["tasks"] = {"status": f"error: {type(error).__name__}"}
        healthy = False
    try:
        # Informational: a lexical fallback is a degraded answer, not an outage.
        report["matching"] = matching_health()
    except Exception as error:
        report["matching"] = {"engine": f"error: {type(error).__name__}"}
    report["status"] = "ok" if healthy else "error"
    return healthy, report


def page_url_in_language(request: Any, path: str, code: str) -> str | None:
    """The URL in language `code` of the Wagtail page served at `path`: its translation when
    published, else that of its nearest section that is, else None (not a page, or nothing of
    it in that language). Two or three queries; only the language switcher asks."""
    from wagtail.models import Locale, Page, Site

    parts = [part for part in path.split("/") if part]
    site = Site.find_for_request(request)
    if not parts or site is None:
        return None
    source = Locale.objects.filter(language_code=parts[0]).first()
    target = Locale.objects.filter(language_code=code).first()
    if source is None or target is None:
        return None
    home = site.root_page.get_translation_or_none(source)
    if home is None:
        return None
    try:
        page = home.specific.route(request, parts[1:]).page
    except Http404:
        return None
    for candidate in [page, *page.get_ancestors().filter(depth__gte=home.depth).reverse()]:
        translation = (
            Page.objects.live()
            .filter(translation_key=candidate.translation_key, locale=target)
            .first()
        )
        if translation is not None:
            return str(translation.get_url(request))
    return None
