"""Reading the portal: listings, translations, change histories, the home page's blocks."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from birge.channels.models import Channel, Delivery, Publication
from birge.core.access import filter_by_agency_scope
from birge.core.models import Agency
from birge.stats.selectors import headlines_latest

from .access import PAGE_EDIT, approval_required, approval_rules
from .diff import DiffPiece, word_diff
from .models import (
    BriefingIndexPage,
    BriefingPage,
    GuidanceIndexPage,
    GuidancePage,
    MeasurePage,
    MediaItemPage,
    NewsArticlePage,
    NewsIndexPage,
    OfficialDocumentPage,
    PageChange,
    TransparencyReportPage,
    UrgentBanner,
)

HOME_NEWS_COUNT = 5
HOME_GUIDANCE_COUNT = 6


@dataclass(frozen=True)
class Translation:
    language: str
    name: str
    url: str | None  # None: the statement is not published in this language


def page_translations(*, page: Page) -> list[Translation]:
    """The statement in each site language, with a link where it is published. One query."""
    live = {
        translation.locale.language_code: translation
        for translation in Page.objects.filter(translation_key=page.translation_key)
        .live()
        .select_related("locale")
    }
    return [
        Translation(
            language=code,
            name=name,
            url=live[code].url if code in live else None,
        )
        for code, name in settings.LANGUAGES
    ]


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    pieces: list[DiffPiece]


def _field_label(model: type[Page], name: str) -> str:
    if name == "lines":
        return str(_("breakdown"))
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


@dataclass
class ChangeView:
    change: PageChange
    fields: list[FieldChange] = field(default_factory=list)


def page_changes(*, page: Page) -> list[ChangeView]:
    """The public history: every publish, correction and withdrawal, newest first, each
    correction with the word-level difference of each field that changed. One query."""
    views = []
    model = page.specific_class or Page
    for change in PageChange.objects.filter(page=page).order_by("-at", "-id"):
        view = ChangeView(change=change)
        if change.kind == PageChange.Kind.CORRECTED:
            for name, after in change.text_after.items():
                before = change.text_before.get(name, "")
                if before != after:
                    view.fields.append(
                        FieldChange(
                            name=name,
                            label=_field_label(model, name),
                            pieces=word_diff(before, after),
                        )
                    )
        views.append(view)
    return views


def banner_current() -> UrgentBanner | None:
    return UrgentBanner.objects.filter(is_raised=True).select_related("link").first()


def _section(model: type[Page], home: Page) -> Any:
    return model.objects.child_of(home).live().first()


def home_context(*, home: Page) -> dict[str, Any]:
    """What the home page shows besides the shell: the banner, headline figures, the latest
    news, guidance tiles, the next briefing and the measures, in the home page's language."""
    locale = home.locale
    news_section = _section(NewsIndexPage, home)
    guidance_section = _section(GuidanceIndexPage, home)
    briefing_section = _section(BriefingIndexPage, home)
    release, headlines = headlines_latest()
    news = (
        NewsArticlePage.objects.live()
        .filter(locale=locale)
        .select_related("agency")
        .order_by("-first_published_at", "-id")[:HOME_NEWS_COUNT]
    )
    guidance = (
        GuidancePage.objects.live()
        .filter(locale=locale)
        .order_by("kind", "title")[:HOME_GUIDANCE_COUNT]
    )
    next_briefing = (
        BriefingPage.objects.live()
        .filter(locale=locale, starts_at__gte=timezone.now() - timedelta(hours=2))
        .order_by("starts_at")
        .first()
    )
    measures = MeasurePage.objects.live().filter(locale=locale).order_by("-first_published_at")[:4]
    banner = banner_current()
    return {
        "banner": banner,
        "banner_text": banner.text_in(get_language() or settings.LANGUAGE_CODE) if banner else "",
        "figures_release": release,
        "headlines": headlines,
        "news": list(news),
        "news_section": news_section,
        "guidance": list(guidance),
        "guidance_section": guidance_section,
        "next_briefing": next_briefing,
        "briefing_section": briefing_section,
        "measures": list(measures),
    }


@dataclass(frozen=True)
class FeedItem:
    title: str
    summary: str
    url: str
    agency: str
    published_at: Any
    guid: str
    categories: list[str]


def feed_items(*, language: str, topic: Any | None, limit: int) -> list[FeedItem]:
    """What the portal announced in one language (on one topic), newest first: the feed is the
    channels' "feed" delivery of each publication, so a withdrawn statement leaves it. Two
    queries."""
    deliveries = (
        Delivery.objects.filter(channel=Channel.FEED, language=language, state=Delivery.State.SENT)
        .exclude(publication__kind__in=[Publication.Kind.NOTICE, Publication.Kind.DIGEST])
        .select_related("publication")
        .prefetch_related("publication__topics")
        .order_by("-publication__released_at", "-id")
    )
    if topic is not None:
        deliveries = deliveries.filter(publication__topics=topic)
    items = []
    for delivery in deliveries[:limit]:
        publication = delivery.publication
        text = publication.text_for(language)
        items.append(
            FeedItem(
                title=text.get("title", ""),
                summary=text.get("summary", ""),
                url=text.get("url", ""),
                agency=text.get("agency", ""),
                published_at=publication.released_at,
                guid=f"publication-{publication.pk}",
                categories=[str(t.name) for t in publication.topics.all()],
            )
        )
    return items


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: Any
    alternates: list[tuple[str, str]]  # (language, absolute URL)


# Public services outside the page tree, listed in every language.
SITEMAP_ROUTES = ("appeals:ask", "appeals:faq", "claims:list", "claims:check", "stats:dashboard")


def sitemap_entries(*, request: Any) -> list[SitemapEntry]:
    """Every live page (each language a URL, its translations as alternates) and the public
    services. Two queries, whatever the number of pages."""
    pages = list(Page.objects.live().public().filter(depth__gte=2).select_related("locale"))
    urls: dict[int, str] = {}
    for page in pages:
        # The address the reader used, not the Site row's hostname (which may be "localhost").
        relative = page.get_url(request)
        if relative:
            urls[page.pk] = request.build_absolute_uri(relative)
    by_key: dict[Any, list[Page]] = {}
    for page in pages:
        if page.pk in urls:
            by_key.setdefault(page.translation_key, []).append(page)
    entries = []
    for page in pages:
        if page.pk not in urls:
            continue
        alternates = [
            (other.locale.language_code, urls[other.pk]) for other in by_key[page.translation_key]
        ]
        entries.append(
            SitemapEntry(
                url=urls[page.pk],
                lastmod=page.last_published_at,
                alternates=alternates if len(alternates) > 1 else [],
            )
        )
    languages = [code for code, _name in settings.LANGUAGES]
    for route in SITEMAP_ROUTES:
        localized = []
        for code in languages:
            with translation.override(code):
                localized.append((code, request.build_absolute_uri(reverse(route))))
        for _code, url in localized:
            entries.append(SitemapEntry(url=url, lastmod=None, alternates=localized))
    return entries


UNTRANSLATED_COUNT = 10
# Which language to offer when a statement is missing in the reader's: the most widely read first.
LANGUAGE_PREFERENCE = ("ru", "kk", "en")


def untranslated_for(*, section: Any) -> list[Any]:
    """Live statements of the section's kinds published only in other languages, one per
    statement (in the most widely read of its languages), newest first. One query per kind."""
    others: list[Any] = []
    for model in section.specific_class.child_models:
        translated = model.objects.live().filter(locale=section.locale).values("translation_key")
        others.extend(
            model.objects.live()
            .exclude(locale=section.locale)
            .exclude(translation_key__in=translated)
            .select_related("agency", "locale")
            .order_by("-first_published_at")[: UNTRANSLATED_COUNT * 3]
        )
    chosen: dict[Any, Any] = {}
    for page in others:
        current = chosen.get(page.translation_key)
        rank = (
            LANGUAGE_PREFERENCE.index(page.locale.language_code)
            if page.locale.language_code in LANGUAGE_PREFERENCE
            else 9
        )
        if current is None or rank < current[0]:
            chosen[page.translation_key] = (rank, page)
    pages = [page for _rank, page in chosen.values()]
    pages.sort(key=lambda page: page.first_published_at or timezone.now(), reverse=True)
    return pages[:UNTRANSLATED_COUNT]


@dataclass(frozen=True)
class MissingTranslation:
    page: Any
    missing: list[str]  # language names


def missing_translation_list(*, user: Any) -> list[MissingTranslation]:
    """Live statements of the editor's agencies lacking a live version in some language,
    newest first. Two queries per statement type."""
    names = dict(settings.LANGUAGES)
    rows = []
    for model in (
        NewsArticlePage,
        GuidancePage,
        MeasurePage,
        OfficialDocumentPage,
        TransparencyReportPage,
        MediaItemPage,
        BriefingPage,
    ):
        pages = list(
            filter_by_agency_scope(user, PAGE_EDIT, model.objects.live()).select_related(
                "locale", "agency"
            )
        )
        languages: dict[Any, set[str]] = {}
        for page in pages:
            languages.setdefault(page.translation_key, set()).add(page.locale.language_code)
        seen = set()
        for page in pages:
            if page.translation_key in seen:
                continue
            seen.add(page.translation_key)
            missing = [names[code] for code in names if code not in languages[page.translation_key]]
            if missing:
                rows.append(MissingTranslation(page=page, missing=missing))
    rows.sort(key=lambda row: row.page.first_published_at or timezone.now(), reverse=True)
    return rows


@dataclass(frozen=True)
class ApprovalRow:
    agency: Any
    approval_required: bool


def approval_settings_list() -> list[ApprovalRow]:
    rules = approval_rules()
    return [
        ApprovalRow(agency=agency, approval_required=approval_required(agency.pk, rules))
        for agency in Agency.objects.filter(is_active=True).order_by("name_en")
    ]
