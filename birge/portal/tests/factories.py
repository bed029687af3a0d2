"""Statements for tests, created in the portal's tree and published through its service."""

from typing import Any

from wagtail.models import Locale, Page

from birge.core.models import Agency
from birge.core.tests.factories import AgencyFactory

from ..models import (
    BriefingIndexPage,
    DocumentIndexPage,
    GuidanceIndexPage,
    MeasureIndexPage,
    MediaIndexPage,
    NewsArticlePage,
    NewsIndexPage,
    PortalPage,
)
from ..services import page_publish

SECTION_OF: dict[str, type[Page]] = {
    "NewsArticlePage": NewsIndexPage,
    "GuidancePage": GuidanceIndexPage,
    "MeasurePage": MeasureIndexPage,
    "OfficialDocumentPage": DocumentIndexPage,
    "TransparencyReportPage": DocumentIndexPage,
    "MediaItemPage": MediaIndexPage,
    "BriefingPage": BriefingIndexPage,
}


def statement_draft(
    model: type[PortalPage] = NewsArticlePage,
    *,
    language: str = "kk",
    agency: Agency | None = None,
    translation_of: PortalPage | None = None,
    **fields: Any,
) -> Any:
    """A draft statement in the section of its type, in `language`."""
    locale = Locale.objects.get(language_code=language)
    section = SECTION_OF[model.__name__].objects.get(locale=locale)
    defaults: dict[str, Any] = {
        "title": f"Statement {model.__name__} {language}",
        "summary": "A short summary.",
        "source": "Ministry of Healthcare, press release",
    }
    if any(field.name == "body" for field in model._meta.get_fields()):
        defaults["body"] = "<p>First paragraph of the statement.</p>"
    defaults.update(fields)
    if translation_of is not None:
        defaults["translation_key"] = translation_of.translation_key
        defaults.setdefault("slug", translation_of.slug)
    page = model(agency=agency or AgencyFactory(), locale=locale, live=False, **defaults)
    section.add_child(instance=page)
    return page


def statement_published(
    model: type[PortalPage] = NewsArticlePage, *, actor: Any = None, **fields: Any
) -> Any:
    page = statement_draft(model, **fields)
    page_publish(page=page, actor=actor, check_access=actor is not None)
    page.refresh_from_db()
    return page
