"""Demo portal: statements drawn from the 2020 sources in `data/demo_pages.json`, in Kazakh,
Russian and English (two of them deliberately in fewer languages), with their 2020 dates, two
published corrections, and the approval rule for the Ministry of Healthcare.

Loaded once: a portal that already has statements is left as it is.
"""

import io
import json
import uuid
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pikepdf
from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.models import Locale, Page

from birge.channels.models import Publication
from birge.core.demo import DemoSection
from birge.core.models import Agency, Region, Topic

from .models import (
    AgencyPortalSettings,
    BriefingIndexPage,
    BriefingPage,
    BriefingQuestion,
    DocumentIndexPage,
    GuidanceIndexPage,
    GuidancePage,
    MeasureIndexPage,
    MeasurePage,
    MediaIndexPage,
    MediaItemPage,
    NewsArticlePage,
    NewsIndexPage,
    OfficialDocumentPage,
    PageChange,
    PortalPage,
    SpendingLine,
    TransparencyReportPage,
)
from .services import page_publish

DEMO_FILE = Path(__file__).parent / "data" / "demo_pages.json"
KEY_NAMESPACE = uuid.UUID("6f1e3c1a-5b7d-4a43-9c55-5d1b0e2a7b10")
SECTIONS: dict[str, tuple[type[Page], type[PortalPage]]] = {
    "news": (NewsIndexPage, NewsArticlePage),
    "guidance": (GuidanceIndexPage, GuidancePage),
    "measure": (MeasureIndexPage, MeasurePage),
    "document": (DocumentIndexPage, OfficialDocumentPage),
    "transparency": (DocumentIndexPage, TransparencyReportPage),
    "media": (MediaIndexPage, MediaItemPage),
    "briefing": (BriefingIndexPage, BriefingPage),
}
# (agency, the head approves its statements)
APPROVAL = [("ministry-of-healthcare", True), ("central-communications-service", False)]


@transaction.atomic
def portal_demo_load() -> DemoSection | None:
    for slug, required in APPROVAL:
        agency = Agency.objects.filter(slug=slug).first()
        if agency is not None:
            AgencyPortalSettings.objects.update_or_create(
                agency=agency, defaults={"approval_required": required}
            )
    if _statements_exist():
        return None
    pages = json.loads(DEMO_FILE.read_text(encoding="utf-8"))["pages"]
    for spec in pages:
        _statement_load(spec)
    return None


def _statements_exist() -> bool:
    return any(model.objects.exists() for _section, model in SECTIONS.values())


def _statement_load(spec: dict[str, Any]) -> None:
    section_model, model = SECTIONS[spec["type"]]
    key = uuid.uuid5(KEY_NAMESPACE, spec["slug"])
    agency = Agency.objects.get(slug=spec["agency"])
    topics = list(Topic.objects.filter(slug__in=spec.get("topics", [])))
    regions = list(Region.objects.filter(code__in=spec.get("regions", [])))
    published_at = datetime.fromisoformat(spec["first_published"])
    for language in ("kk", "ru", "en"):
        texts = spec.get(language)
        if not texts:
            continue
        locale = Locale.objects.get(language_code=language)
        section = section_model.objects.get(locale=locale)
        page = model(
            title=texts["title"],
            slug=spec["slug"],
            summary=texts.get("summary", ""),
            source=spec["source"],
            source_url=spec.get("source_url", ""),
            agency=agency,
            locale=locale,
            translation_key=key,
            **_fields(spec, texts),
        )
        section.add_child(instance=page)
        page.topics.set(topics)
        page.regions.set(regions)
        _children(page, spec, texts)
        page_publish(page=page, actor=None, check_access=False)
        _backdate(page, published_at, first=True)
        for correction in spec.get("corrections", []):
            _correction_apply(page, language, correction)


def _fields(spec: dict[str, Any], texts: dict[str, Any]) -> dict[str, Any]:
    kind = spec["type"]
    if kind in ("news", "guidance"):
        extra = {"body": texts["body"]}
        if kind == "guidance":
            extra["kind"] = spec["kind"]
        return extra
    if kind == "measure":
        return {
            "body": texts.get("body", ""),
            "audience": spec["audience"],
            "eligibility": texts["eligibility"],
            "how_to_apply": texts["how_to_apply"],
            "deadline": date.fromisoformat(spec["deadline"]) if spec.get("deadline") else None,
        }
    if kind == "document":
        return {
            "body": texts.get("body", ""),
            "number": spec.get("number", ""),
            "signed_on": date.fromisoformat(spec["signed_on"]),
            "file": ContentFile(_demo_pdf(spec), name=f"{spec['slug']}.pdf"),
        }
    if kind == "transparency":
        return {
            "body": texts.get("body", ""),
            "period": spec["period"],
            "total": Decimal(spec["total"]),
            "currency": spec.get("currency", "KZT"),
            "note": texts.get("note", ""),
        }
    if kind == "media":
        return {
            "alt_text": texts.get("alt_text", ""),
            "caption": texts.get("caption", ""),
            "video_url": spec.get("video_url", ""),
        }
    return {
        "starts_at": datetime.fromisoformat(spec["starts_at"]),
        "ends_at": datetime.fromisoformat(spec["ends_at"]) if spec.get("ends_at") else None,
        "speakers": texts["speakers"],
        "stream_url": spec.get("stream_url", ""),
        "transcript": texts.get("transcript", ""),
    }


def _children(page: PortalPage, spec: dict[str, Any], texts: dict[str, Any]) -> None:
    language = page.locale.language_code
    if isinstance(page, TransparencyReportPage):
        page.lines.set(
            [
                SpendingLine(label=line[language], amount=Decimal(line["amount"]), sort_order=index)
                for index, line in enumerate(spec.get("lines", []))
            ]
        )
    if isinstance(page, BriefingPage):
        page.questions.set(
            [
                BriefingQuestion(text=question, sort_order=index)
                for index, question in enumerate(texts.get("questions", []))
            ]
        )


def _correction_apply(page: PortalPage, language: str, correction: dict[str, Any]) -> None:
    if correction["lang"] not in ("all", language):
        return
    fields = correction["fields"]
    if correction["lang"] == "all":
        fields = fields.get(language, {})
    if not fields:
        return
    page.refresh_from_db()
    page = page.specific
    for name, value in fields.items():
        setattr(page, name, value)
    reason = correction["reason"].get(language) or correction["reason"]["kk"]
    page_publish(page=page, actor=None, reason=reason, check_access=False)
    _backdate(page, datetime.fromisoformat(correction["at"]), first=False)


def _backdate(page: PortalPage, at: datetime, *, first: bool) -> None:
    """Give the demo its 2020 dates: publishing has just stamped them with today's."""
    values: dict[str, Any] = {"last_published_at": at}
    if first:
        values["first_published_at"] = at
    Page.objects.filter(pk=page.pk).update(**values)
    change = PageChange.objects.filter(page_id=page.pk).order_by("-id").first()
    if change is not None:
        PageChange.objects.filter(pk=change.pk).update(at=at)
        # The feed lists announcements by when they were made.
        Publication.objects.filter(
            source_kind="portal.page", source_key=f"{page.pk}:{change.pk}"
        ).update(created_at=at, released_at=at)


def _demo_pdf(spec: dict[str, Any]) -> bytes:
    """A one-page PDF standing in for the act, saying that it is a demonstration copy."""
    title = spec.get("en", spec.get("ru", {})).get("title", spec["slug"])
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    lines = [
        "Birge demonstration copy - not an official document.",
        title[:90],
        f"Signed on {spec['signed_on']}. Number: {spec.get('number') or 'not given'}.",
    ]
    text = " ".join(f"({_pdf_ascii(line)}) Tj 0 -20 Td" for line in lines)
    content = f"BT /F1 12 Tf 50 780 Td {text} ET".encode("ascii")
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, 595, 842],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
        Contents=pdf.make_stream(content),
    )
    pdf.pages.append(pikepdf.Page(page))
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def _pdf_ascii(line: str) -> str:
    # The standard Helvetica has no Cyrillic: the demo copy says what it can in ASCII.
    ascii_line = line.encode("ascii", "replace").decode("ascii")
    return ascii_line.replace("\\", "/").replace("(", "[").replace(")", "]")
