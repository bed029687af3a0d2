"""Demo data for the appeals desk: routing rules, crisis targets, a few questions at each stage.

Called from birge.core.demo; idempotent (runs again without duplicating anything).
"""

from django.db import transaction

from birge.core.models import Agency, Region, StaffRole, Topic

from .models import (
    AgencyAppealSettings,
    Answer,
    AnswerTemplate,
    Appeal,
    CrisisTarget,
    RoutingRule,
)
from .services import appeal_answer, appeal_route_auto, appeal_submit, faq_publish

# (topic slug, region code or None, agency slug)
DEMO_RULES = [
    ("symptoms-and-treatment", None, "ministry-of-healthcare"),
    ("testing", None, "ministry-of-healthcare"),
    ("vaccination", None, "ministry-of-healthcare"),
    ("social-payments", None, "ministry-of-labour-and-social-protection"),
]
DEMO_QUESTIONS: list[tuple[str, str | None, str, str]] = [
    ("kk", "testing", "KZ-75", "Балаға ПТР-тестті қайдан тапсыруға болады?"),
    ("ru", "testing", "KZ-71", "Где можно бесплатно сдать ПЦР-тест ребёнку?"),
    ("en", "vaccination", "KZ-75", "Do I need an appointment to get vaccinated?"),
    ("ru", None, "KZ-11", "Работают ли рынки в выходные во время карантина?"),
    ("kk", "social-payments", "KZ-19", "42 500 теңге әлеуметтік төлемді қалай алуға болады?"),
]
# The first questions, one per language, are answered and published to the FAQ.
ANSWERED_IN_DEMO = 3
DEMO_ANSWER = {
    "kk": "Балаларға ПТР-тест емханада тегін жасалады.",
    "ru": "ПЦР-тест для детей делают бесплатно в поликлинике по месту прикрепления.",
    "en": "No appointment is needed: come to any vaccination point with your ID.",
}


@transaction.atomic
def appeals_demo_load() -> int:
    """Load the demo rules, targets and questions once; returns the number of questions added."""
    for topic_slug, region_code, agency_slug in DEMO_RULES:
        agency = Agency.objects.filter(slug=agency_slug).first()
        topic = Topic.objects.filter(slug=topic_slug).first()
        if agency is None or topic is None:
            continue
        RoutingRule.objects.get_or_create(
            topic=topic,
            region=Region.objects.filter(code=region_code).first() if region_code else None,
            agency=agency,
        )
    testing = Topic.objects.filter(slug="testing").first()
    if testing is not None:
        CrisisTarget.objects.get_or_create(topic=testing, defaults={"hours": 24})
    health = Agency.objects.filter(slug="ministry-of-healthcare").first()
    if health is not None:
        AgencyAppealSettings.objects.get_or_create(
            agency=health, defaults={"answers_need_approval": False}
        )
        for language, text in DEMO_ANSWER.items():
            AnswerTemplate.objects.get_or_create(
                agency=health,
                title=f"PCR / vaccination ({language})",
                language=language,
                defaults={"text": text},
            )
    if Appeal.objects.exists():
        return 0
    officer_role = (
        StaffRole.objects.filter(role=StaffRole.Role.AGENCY_OFFICER, agency=health)
        .select_related("user")
        .first()
    )
    added = 0
    for index, (language, question_topic, question_region, text) in enumerate(DEMO_QUESTIONS):
        appeal = appeal_submit(
            kind=Appeal.Kind.QUESTION,
            text=text,
            topic=Topic.objects.filter(slug=question_topic).first() if question_topic else None,
            region=Region.objects.get(code=question_region),
            language=language,
        )
        appeal_route_auto(appeal_id=appeal.pk)
        appeal.refresh_from_db()
        added += 1
        if index < ANSWERED_IN_DEMO and officer_role is not None and appeal.agency == health:
            answer = appeal_answer(
                officer=officer_role.user,
                appeal=appeal,
                kind=Answer.Kind.FULL,
                text=DEMO_ANSWER[language],
                language=language,
            )
            faq_publish(
                officer=officer_role.user,
                answer=answer,
                question=text,
                answer_text=DEMO_ANSWER[language],
                language=language,
                topic=appeal.topic,
            )
    return added
