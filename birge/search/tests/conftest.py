"""Content published through each domain's own services, as the search meets it in production."""

from typing import Any

import pytest

from birge.appeals.models import FaqEntry
from birge.appeals.services.answering import appeal_answer
from birge.appeals.services.publishing import faq_publish
from birge.appeals.tests.factories import AppealFactory
from birge.claims import services as claims
from birge.claims.models import Claim
from birge.core.models import StaffRole
from birge.core.tests.factories import AgencyFactory, staff_member
from birge.portal.models import GuidanceIndexPage, GuidancePage, NewsArticlePage, NewsIndexPage
from birge.portal.services import page_publish

Role = StaffRole.Role


@pytest.fixture
def agency(db: Any) -> Any:
    return AgencyFactory(
        slug="health",
        name_kk="Денсаулық министрлігі",
        name_ru="Минздрав",
        name_en="Ministry of Health",
    )


@pytest.fixture
def coordinator(db: Any) -> Any:
    return staff_member(Role.COORDINATOR, None, username="coordinator")


def news_publish(*, agency: Any, language: str, title: str, summary: str, body: str) -> Any:
    section = NewsIndexPage.objects.get(locale__language_code=language)
    page = NewsArticlePage(
        title=title,
        summary=summary,
        body=body,
        source="Briefing",
        agency=agency,
        locale=section.locale,
        live=False,
    )
    section.add_child(instance=page)
    page_publish(page=page, actor=None, check_access=False)
    page.refresh_from_db()
    return page


def guidance_publish(*, agency: Any, language: str, title: str, summary: str, body: str) -> Any:
    section = GuidanceIndexPage.objects.get(locale__language_code=language)
    page = GuidancePage(
        title=title,
        summary=summary,
        body=body,
        kind=GuidancePage.Kind.PREVENTION,
        source="Order No. 12",
        agency=agency,
        locale=section.locale,
        live=False,
    )
    section.add_child(instance=page)
    page_publish(page=page, actor=None, check_access=False)
    page.refresh_from_db()
    return page


def faq_entry_publish(*, agency: Any, language: str, question: str, answer: str) -> FaqEntry:
    officer = staff_member(Role.AGENCY_OFFICER, agency)
    appeal = AppealFactory(agency=agency, language=language, text=question)
    published = appeal_answer(officer=officer, appeal=appeal, kind="full", text=answer)
    return faq_publish(
        officer=officer,
        answer=published,
        question=question,
        answer_text=answer,
        language=language,
        topic=None,
    )


def claim_publish(*, agency: Any, translations: dict[str, tuple[str, str]]) -> Claim:
    """A claim through the whole workflow: drafted by one fact-checker, approved by another."""
    author = staff_member(Role.FACT_CHECKER, agency)
    second = staff_member(Role.FACT_CHECKER, agency)
    language, (wording, _explanation) = next(iter(translations.items()))
    claim = claims.claim_create(actor=author, wording=wording, language=language, agency=agency)
    for code, (text, explanation) in translations.items():
        claims.claim_translation_set(
            actor=author, claim=claim, language=code, wording=text, explanation=explanation
        )
    claims.claim_verdict_draft(actor=author, claim=claim, verdict=claims.Verdict.FALSE)
    claims.claim_verdict_approve(actor=second, claim=claim)
    return claims.claim_publish(actor=author, claim=claim)


@pytest.fixture
def content(agency: Any) -> dict[str, Any]:
    """A kk and a ru page, an English FAQ answer and a claim checked in three languages."""
    return {
        "kk_page": news_publish(
            agency=agency,
            language="kk",
            title="Қоғамдық көлікте маска кию міндетті",
            summary="Бүгіннен бастап автобуста маска киіңіз.",
            body="<p>Дәріханаларда медициналық маска жеткілікті, бағасы өзгермейді.</p>",
        ),
        "ru_page": guidance_publish(
            agency=agency,
            language="ru",
            title="Когда носить маски",
            summary="Маски обязательны в транспорте и магазинах.",
            body="<p>Меняйте маску каждые четыре часа.</p>",
        ),
        "faq": faq_entry_publish(
            agency=agency,
            language="en",
            question="Do I have to wear masks in shops?",
            answer="Yes: masks are required in every shop until further notice.",
        ),
        "claim": claim_publish(
            agency=agency,
            translations={
                "kk": (
                    "Маскалар қандағы оттегін азайтады",
                    "Жалған: маскалар оттегі деңгейіне әсер етпейді.",
                ),
                "ru": ("Маски снижают кислород в крови", "Ложь: маски не влияют на кислород."),
                "en": ("Masks lower the oxygen in your blood", "False: masks do not."),
            },
        ),
    }
