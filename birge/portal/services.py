"""Writes on the portal. Every publish, correction and withdrawal is recorded by one function,
`publication_record`, whichever path published: the admin, a workflow approval, scheduled
publishing or `page_publish`. It keeps the wording before and after, writes the audit entry and
refreshes the public search in the same transaction; the channels hang their outbox on the same
function.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from wagtail.actions.copy_for_translation import CopyPageForTranslationAction
from wagtail.models import Locale, Page, Revision

from birge.channels.models import Publication
from birge.channels.services import publication_create, publications_withdraw
from birge.core.access import StaffUser, ensure_can
from birge.core.audit import audit_log
from birge.core.models import Agency

from .access import (
    APPROVAL_SETTINGS_EDIT,
    PAGE_EDIT,
    URGENT_PUBLISH,
    in_scope,
    page_publish_allowed,
)
from .models import (
    AgencyPortalSettings,
    NewsArticlePage,
    NewsIndexPage,
    PageChange,
    PortalPage,
    UrgentBanner,
)
from .search import page_search_refresh


def publication_record(
    *, page: Page, revision: Revision | None, actor: StaffUser | None, withdrawn: bool = False
) -> PageChange | None:
    """Record one publish or withdrawal: the change history row, the audit entry, the search.

    A publish of wording already public (a republish without changes) adds no history row.
    """
    specific = page.specific
    if not isinstance(specific, PortalPage):
        audit_log(
            actor=actor,
            action="portal.section.unpublished" if withdrawn else "portal.section.published",
            target=page,
            summary=page.title,
        )
        return None
    if revision is not None:
        published: Any = revision.as_object()
    else:
        published = specific
    text_after = published.history_text()
    previous = (
        PageChange.objects.filter(page=page)
        .exclude(kind=PageChange.Kind.UNPUBLISHED)
        .order_by("-at", "-id")
        .first()
    )
    text_before = previous.text_after if previous else {}
    last = PageChange.objects.filter(page=page).order_by("-at", "-id").first()
    if withdrawn:
        kind = PageChange.Kind.UNPUBLISHED
        reason = ""
    elif previous is None:
        kind, reason = PageChange.Kind.PUBLISHED, ""
    elif text_before != text_after:
        kind, reason = PageChange.Kind.CORRECTED, published.change_note.strip()
    elif last is not None and last.kind == PageChange.Kind.UNPUBLISHED:
        kind, reason = PageChange.Kind.PUBLISHED, published.change_note.strip()
    else:
        kind, reason = None, ""
    change = None
    if kind is not None:
        change = PageChange.objects.create(
            page=page,
            revision=revision,
            kind=kind,
            actor=actor,
            reason=reason,
            text_before=text_before if kind != PageChange.Kind.PUBLISHED else {},
            text_after=text_after if kind != PageChange.Kind.UNPUBLISHED else text_before,
        )
    if withdrawn:
        publications_withdraw(source_kind="portal.page", source_key_prefix=f"{page.pk}:")
    elif change is not None:
        _announce(page=specific, published=published, change=change, actor=actor)
    audit_log(
        actor=actor,
        action=f"portal.page.{kind or 'republished'}",
        target=page,
        summary=f"{specific.locale.language_code}: {specific.title}"
        + (f" — {reason}" if reason else ""),
        agency=specific.agency,
    )
    page_search_refresh(page_id=page.pk)
    return change


def _announce(
    *, page: PortalPage, published: PortalPage, change: PageChange, actor: StaffUser | None
) -> None:
    """Hand a publish or correction to the channels it is to be announced on."""
    channels = list(published.announce_on or [])
    if not channels:
        return
    language = page.locale.language_code
    urgent = bool(getattr(published, "urgent", False))
    kind: str
    if urgent:
        kind = Publication.Kind.URGENT_ALERT
    elif change.kind == PageChange.Kind.CORRECTED:
        kind = Publication.Kind.CORRECTION
    else:
        kind = page.announcement_kind
    with override(language):
        agency = str(published.agency.name)
    publication_create(
        kind=kind,
        source_kind="portal.page",
        source_key=f"{page.pk}:{change.pk}",
        texts={
            language: {
                "title": published.title,
                "summary": published.summary,
                "url": page.get_url() or "",
                "agency": agency,
            }
        },
        channels=channels,
        regions=list(published.regions.all()),
        topics=list(published.topics.all()),
        urgent=urgent,
        actor=actor,
    )


@transaction.atomic
def page_publish(
    *, page: PortalPage, actor: StaffUser | None, reason: str = "", check_access: bool = True
) -> Revision:
    """Publish the page's current wording as a new revision (with `reason` for a correction).

    Refuses when the actor may not publish for the page's agency without its head's approval;
    `check_access=False` is for loaders that run without a person (the demo, imports).
    """
    if check_access and not page_publish_allowed(actor, agency_id=page.agency_id):
        raise PermissionDenied
    if page.first_published_at is not None and page.live and not reason.strip():
        raise ValidationError({"change_note": _("Say what changed and why.")})
    page.change_note = reason.strip()
    page.full_clean()
    revision = page.save_revision(user=actor, log_action=True)
    revision.publish(user=actor)
    return revision


@transaction.atomic
def page_unpublish(*, page: PortalPage, actor: StaffUser | None) -> None:
    if not page_publish_allowed(actor, agency_id=page.agency_id):
        raise PermissionDenied
    page.unpublish(user=actor)


@transaction.atomic
def urgent_notice_publish(
    *,
    actor: StaffUser,
    language: str,
    agency: Agency,
    title: str,
    summary: str,
    body: str,
    source: str,
    banner_texts: dict[str, str],
) -> NewsArticlePage:
    """A coordinator's notice in one step: the article is published at once and the banner raised.

    No workflow: an urgent notice cannot wait for approval. The banner links to the article.
    """
    ensure_can(actor, URGENT_PUBLISH)
    locale = Locale.objects.get(language_code=language)
    section = NewsIndexPage.objects.filter(locale=locale).first()
    if section is None:
        raise ValidationError(_("The portal has no news section in this language."))
    article = NewsArticlePage(
        title=title,
        summary=summary,
        body=body,
        source=source,
        agency=agency,
        urgent=True,
        locale=locale,
        owner=actor,
    )
    section.add_child(instance=article)
    revision = article.save_revision(user=actor, log_action=True)
    revision.publish(user=actor)
    banner_raise(actor=actor, texts=banner_texts, link=article)
    return article


@transaction.atomic
def banner_raise(*, actor: StaffUser, texts: dict[str, str], link: Page | None) -> UrgentBanner:
    """Raise the banner (lowering the one up, if any); a language left empty shows the Kazakh."""
    ensure_can(actor, URGENT_PUBLISH)
    cleaned = {language: (texts.get(language) or "").strip() for language in ("kk", "ru", "en")}
    if not any(cleaned.values()):
        raise ValidationError(_("Write the banner's text in at least one language."))
    fallback = cleaned["kk"] or cleaned["ru"] or cleaned["en"]
    _banner_lower_current(actor)
    banner = UrgentBanner(
        text_kk=cleaned["kk"] or fallback,
        text_ru=cleaned["ru"] or fallback,
        text_en=cleaned["en"] or fallback,
        link=link,
        raised_by=actor,
    )
    banner.full_clean()
    banner.save()
    audit_log(actor=actor, action="portal.banner.raised", target=banner, summary=banner.text_kk)
    return banner


@transaction.atomic
def banner_lower(*, actor: StaffUser) -> UrgentBanner | None:
    ensure_can(actor, URGENT_PUBLISH)
    return _banner_lower_current(actor)


def _banner_lower_current(actor: StaffUser) -> UrgentBanner | None:
    banner = UrgentBanner.objects.select_for_update().filter(is_raised=True).first()
    if banner is None:
        return None
    banner.is_raised = False
    banner.lowered_at = timezone.now()
    banner.lowered_by = actor
    banner.save(update_fields=["is_raised", "lowered_at", "lowered_by"])
    audit_log(actor=actor, action="portal.banner.lowered", target=banner, summary=banner.text_kk)
    return banner


@transaction.atomic
def approval_required_set(*, actor: StaffUser, agency: Agency, required: bool) -> None:
    ensure_can(actor, APPROVAL_SETTINGS_EDIT)
    settings, _created = AgencyPortalSettings.objects.update_or_create(
        agency=agency, defaults={"approval_required": required}
    )
    audit_log(
        actor=actor,
        action="portal.approval_settings.changed",
        target=settings,
        summary=f"approval_required={required}",
        agency=agency,
    )


@transaction.atomic
def statement_translate(*, actor: StaffUser, page: PortalPage, language: str) -> PortalPage:
    """The statement's draft in another language (a copy to translate), or the existing one.

    The copy shares the statement's translation key, agency, topics and regions; it is
    published like any other page, through the workflow where the agency asks for one.
    """
    if not in_scope(actor, PAGE_EDIT, page.agency_id):
        raise PermissionDenied
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None or locale.pk == page.locale_id:
        raise ValidationError(_("Choose another site language."))
    existing = (
        type(page).objects.filter(translation_key=page.translation_key, locale=locale).first()
    )
    if existing is not None:
        return existing
    # Wagtail's own action, so its log entry (and so the audit entry) names who asked for it.
    action = CopyPageForTranslationAction(page=page, locale=locale, user=actor)
    copy: PortalPage = action.execute(skip_permission_checks=True).specific
    return copy
